"""Signing in and out, and the CSRF check every POST goes through (the cookie itself: ``sessions.py``).

Every sign-in, failed sign-in and sign-out is written to the audit log with the address it came from.
"""

from __future__ import annotations

import hmac
from dataclasses import replace
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse

from oda.errors import PermissionDenied
from oda.store import accounts, audit
from oda.web.permissions import Access, authorise
from oda.web.rendering import render
from oda.web.sessions import CSRF_FIELD, new_session, read_session, write_session

CSRF_HEADER = "x-csrf-token"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

router = APIRouter()


def remote_addr(request: Request) -> str:
    """Where a request came from, for the audit log (uvicorn applies X-Forwarded-For from trusted proxies)."""
    return request.client.host if request.client else ""


async def check_csrf(request: Request) -> None:
    """Every POST carries the session's CSRF token, in the form or a header. Run for every route."""
    if request.method not in UNSAFE_METHODS:
        return
    session = read_session(request)
    sent = request.headers.get(CSRF_HEADER, "")
    if not sent and request.headers.get("content-type", "").startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data")):
        sent = str((await request.form()).get(CSRF_FIELD, ""))
    if session.fresh or not sent or not hmac.compare_digest(sent, session.csrf):
        raise PermissionDenied("this form has expired or did not come from this site (CSRF check failed); "
                               "go back, reload the page and try again")


def safe_next(target: str | None) -> str:
    """Only same-site paths: a sign-in link must not bounce the user to another site."""
    if not target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


@router.get("/sign-in", name="sign_in")
async def sign_in(request: Request, next: str = "/", access: Access = Depends(authorise)):
    response = render(request, access, "sign_in.html", {"next": safe_next(next), "errors": {}, "username": ""})
    if access.session.fresh:
        write_session(request, response, access.session)
    return response


@router.post("/sign-in", name="sign_in_submit")
async def sign_in_submit(request: Request, username: str = Form(""), password: str = Form(""),
                         next: str = Form("/"), access: Access = Depends(authorise)):
    store = request.app.state.store
    errors: dict[str, str] = {}
    if not username.strip():
        errors["username"] = "Enter your username"
    if not password:
        errors["password"] = "Enter your password"
    if not errors:
        try:
            account = accounts.authenticate(store, username.strip(), password)
        except PermissionDenied as refusal:
            audit.record(store, username=username.strip()[:64], role="", action="login_failed",
                         object_type="account", object_id=username.strip()[:64], detail={"reason": str(refusal)},
                         remote_addr=remote_addr(request))
            errors["password"] = str(refusal)[:1].upper() + str(refusal)[1:]
        else:
            session = new_session(account.username)
            audit.record(store, username=account.username, role=account.role, action="login",
                         object_type="session", object_id=session.sid, remote_addr=remote_addr(request))
            response = RedirectResponse(safe_next(next), status_code=303)
            write_session(request, response, session)
            return response
    response = render(request, access, "sign_in.html",
                      {"next": safe_next(next), "errors": errors, "username": username}, status_code=200)
    return response


@router.post("/sign-out", name="sign_out")
async def sign_out(request: Request, access: Access = Depends(authorise)):
    audit.record(request.app.state.store, username=access.username, role=access.role, action="logout",
                 object_type="session", object_id=access.session.sid, remote_addr=remote_addr(request))
    response = RedirectResponse("/sign-in", status_code=303)
    write_session(request, response, replace(new_session(), fresh=False))
    return response
