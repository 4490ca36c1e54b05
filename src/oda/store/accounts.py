"""Local accounts: scrypt password hashes, roles, lock-out after repeated failures, and their administration.

Administration (list, change role or organisation, unlock, deactivate, reactivate) is shared by the web
app's admin page and ``oda users``; both write the change to the audit log. One rule holds whoever
asks: the last active admin can be neither demoted nor deactivated, so nobody can lock everyone out.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import func, select

from oda.errors import PermissionDenied, StoreError
from oda.store.db import Store
from oda.store.schema import ROLES, AuditEvent, User

MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)
MIN_PASSWORD_LENGTH = 10
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}


@dataclass(frozen=True)
class Account:
    """What the rest of oda needs to know about a signed-in user."""

    username: str
    display_name: str
    organisation: str
    role: str


def hash_password(password: str) -> str:
    """A salted scrypt hash in a self-describing string: ``scrypt$n$r$p$salt$hash``."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, dklen=32, **_SCRYPT)
    return f"scrypt${_SCRYPT['n']}${_SCRYPT['r']}${_SCRYPT['p']}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    candidate = hashlib.scrypt(password.encode("utf-8"), salt=bytes.fromhex(salt), dklen=len(digest) // 2,
                               n=int(n), r=int(r), p=int(p))
    return hmac.compare_digest(candidate.hex(), digest)


def add_user(store: Store, username: str, password: str, *, role: str, organisation: str,
             display_name: str = "") -> Account:
    """Create an account; refuses unknown roles, short passwords and taken usernames."""
    if role not in ROLES:
        raise StoreError(f"role `{role}` does not exist; choose one of {', '.join(ROLES)}")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise StoreError(f"password for `{username}` is too short: use at least {MIN_PASSWORD_LENGTH} characters")
    with store.sessions.begin() as session:
        if session.scalar(select(User).where(User.username == username)):
            raise StoreError(f"user `{username}` already exists; choose another username")
        session.add(User(username=username, display_name=display_name or username, organisation=organisation,
                         role=role, password_hash=hash_password(password), failed_logins=0, active=True,
                         created_at=datetime.now(timezone.utc)))
    return Account(username, display_name or username, organisation, role)


def authenticate(store: Store, username: str, password: str, *, now: datetime | None = None) -> Account:
    """The account for a correct password; counts failures and locks the account after too many."""
    now = now or datetime.now(timezone.utc)
    # The failure count must be committed before refusing, so the refusal is raised after the transaction.
    refusal: str | None = None
    with store.sessions.begin() as session:
        user = session.scalar(select(User).where(User.username == username))
        if user is None or not user.active:
            # Same cost as a real check, so timing does not reveal which usernames exist.
            verify_password(password, hash_password("not-a-real-password"))
            refusal = "username or password is not right"
        elif (locked_until := _aware(user.locked_until)) and locked_until > now:
            minutes = max(1, int((locked_until - now).total_seconds() // 60))
            refusal = (f"this account is locked after {MAX_FAILED_LOGINS} failed sign-ins; "
                       f"try again in {minutes} minute(s) or ask an admin to unlock it")
        elif not verify_password(password, user.password_hash):
            user.failed_logins += 1
            if user.failed_logins >= MAX_FAILED_LOGINS:
                user.locked_until = now + LOCKOUT
                user.failed_logins = 0
            refusal = "username or password is not right"
        else:
            user.failed_logins = 0
            user.locked_until = None
            account = Account(user.username, user.display_name, user.organisation, user.role)
    if refusal:
        raise PermissionDenied(refusal)
    return account


def get_account(store: Store, username: str) -> Account | None:
    with store.sessions() as session:
        user = session.scalar(select(User).where(User.username == username, User.active.is_(True)))
        return Account(user.username, user.display_name, user.organisation, user.role) if user else None


def _aware(moment: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; they were stored in UTC."""
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment


@dataclass(frozen=True)
class AccountState:
    """One account as an admin sees it: who, role, organisation, and whether they can sign in."""

    username: str
    display_name: str
    organisation: str
    role: str
    active: bool
    locked_until: datetime | None
    last_login: datetime | None
    created_at: datetime

    def locked(self, now: datetime | None = None) -> bool:
        return self.locked_until is not None and self.locked_until > (now or datetime.now(timezone.utc))


def list_accounts(store: Store) -> list[AccountState]:
    """Every account, active or not, by username, with its last sign-in (from the audit log)."""
    last_login = (select(AuditEvent.username, func.max(AuditEvent.at).label("at"))
                  .where(AuditEvent.action == "login").group_by(AuditEvent.username).subquery())
    query = (select(User, last_login.c.at).outerjoin(last_login, last_login.c.username == User.username)
             .order_by(User.username))
    with store.sessions() as session:
        return [_state(user, at) for user, at in session.execute(query)]


def account_state(store: Store, username: str) -> AccountState:
    for state in list_accounts(store):
        if state.username == username:
            return state
    raise StoreError(f"there is no user `{username}`; `oda users list` shows the accounts")


def change_account(store: Store, username: str, *, role: str | None = None, organisation: str | None = None,
                   display_name: str | None = None) -> dict[str, tuple[str, str]]:
    """Change role, organisation or name; returns what changed as ``{field: (before, after)}``."""
    if role is not None and role not in ROLES:
        raise StoreError(f"role `{role}` does not exist; choose one of {', '.join(ROLES)}")
    changes: dict[str, tuple[str, str]] = {}
    with store.sessions.begin() as session:
        user = _user(session, username)
        if role is not None and role != user.role:
            if user.role == "admin" and user.active:
                _refuse_if_last_admin(session, user, "make them " + _article(role))
            changes["role"] = (user.role, role)
            user.role = role
        if organisation is not None and organisation != user.organisation:
            changes["organisation"] = (user.organisation, organisation)
            user.organisation = organisation
        if display_name is not None and display_name.strip() and display_name.strip() != user.display_name:
            changes["display_name"] = (user.display_name, display_name.strip())
            user.display_name = display_name.strip()
    return changes


def unlock(store: Store, username: str) -> bool:
    """Clear a lock-out and the failure count; returns whether the account was locked."""
    with store.sessions.begin() as session:
        user = _user(session, username)
        was_locked = (locked := _aware(user.locked_until)) is not None and locked > datetime.now(timezone.utc)
        user.locked_until = None
        user.failed_logins = 0
    return was_locked


def set_active(store: Store, username: str, active: bool) -> bool:
    """Deactivate (cannot sign in; sessions end at their next request) or reactivate; returns whether it changed."""
    with store.sessions.begin() as session:
        user = _user(session, username)
        if user.active == active:
            return False
        if not active and user.role == "admin":
            _refuse_if_last_admin(session, user, "deactivate them")
        user.active = active
        if active:
            user.failed_logins = 0
            user.locked_until = None
    return True


def _user(session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise StoreError(f"there is no user `{username}`; `oda users list` shows the accounts")
    return user


def _refuse_if_last_admin(session, user: User, change: str) -> None:
    # FOR UPDATE locks the active admins (on PostgreSQL), so two admins demoting each other at the same
    # moment are served one after the other and the second is refused.
    admins = session.scalars(select(User.username).where(User.role == "admin", User.active.is_(True))
                             .with_for_update()).all()
    if not set(admins) - {user.username}:
        raise StoreError(f"`{user.username}` is the last active admin, so you cannot {change}: nobody could "
                         "manage accounts afterwards. Make another account admin first")


def _article(role: str) -> str:
    return f"an {role}" if role[:1] in "aeiou" else f"a {role}"


def _state(user: User, last_login: datetime | None) -> AccountState:
    return AccountState(user.username, user.display_name, user.organisation, user.role, bool(user.active),
                        _aware(user.locked_until), _aware(last_login), _aware(user.created_at))
