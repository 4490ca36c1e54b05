"""Local accounts: scrypt password hashes, roles, and lock-out after repeated failures."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from oda.errors import PermissionDenied, StoreError
from oda.store.db import Store
from oda.store.schema import ROLES, User

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
