"""The session cookie: signed, HttpOnly, SameSite=Lax, Secure over https, revocable by signing out.

The cookie is signed with the app's secret (itsdangerous) and holds a random session id, the username
once signed in, and the session's CSRF token. It expires after
:data:`~oda.web.settings.SESSION_LIFETIME`; signing out records the session id in the audit log, after
which that cookie is refused even if someone kept a copy. A visitor gets an anonymous session (with a
CSRF token) on the sign-in page, so the sign-in form is protected too; signing in issues a fresh id.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from fastapi import Request
from fastapi.responses import Response
from itsdangerous import BadSignature, URLSafeTimedSerializer

from oda.store.accounts import Account
from oda.store.db import Store
from oda.web.queries import signed_in_account

COOKIE = "oda_session"
CSRF_FIELD = "csrf_token"


@dataclass(frozen=True)
class Session:
    sid: str
    csrf: str
    username: str = ""
    fresh: bool = False  # not yet sent to the browser


def new_session(username: str = "") -> Session:
    return Session(secrets.token_urlsafe(18), secrets.token_urlsafe(24), username, fresh=True)


def _serializer(request: Request) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(request.app.state.settings.secret_key, salt="oda-session")


def read_session(request: Request) -> Session:
    """The request's session, or a new anonymous one (cached on the request)."""
    cached = getattr(request.state, "session", None)
    if cached is not None:
        return cached
    session = None
    cookie = request.cookies.get(COOKIE)
    if cookie:
        lifetime = request.app.state.settings.session_lifetime
        try:
            data = _serializer(request).loads(cookie, max_age=int(lifetime.total_seconds()))
            session = Session(str(data["sid"]), str(data["csrf"]), str(data.get("u", "")))
        except (BadSignature, KeyError, TypeError):
            session = None
    request.state.session = session or new_session()
    return request.state.session


def write_session(request: Request, response: Response, session: Session) -> None:
    value = _serializer(request).dumps({"sid": session.sid, "csrf": session.csrf, "u": session.username})
    response.set_cookie(COOKIE, value, max_age=int(request.app.state.settings.session_lifetime.total_seconds()),
                        httponly=True, samesite="lax", secure=request.url.scheme == "https", path="/")


def current_account(store: Store, session: Session) -> Account | None:
    """The signed-in, still active account, unless this session was signed out."""
    if not session.username:
        return None
    return signed_in_account(store, session.username, session.sid)
