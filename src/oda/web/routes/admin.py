"""The admin's users page: list accounts, add one, change role or organisation, unlock, deactivate, reactivate.

Every change goes through :mod:`oda.store.accounts` (which refuses to demote or deactivate the last
active admin) and is written to the audit log with what changed. An admin cannot change their own role
or deactivate their own account here: another admin must, so nobody locks themselves out by mistake.
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse
from starlette.exceptions import HTTPException

from oda.errors import StoreError
from oda.store import accounts, audit
from oda.store.audit import Action
from oda.store.schema import ROLES
from oda.web.auth import remote_addr
from oda.web.permissions import Access, authorise
from oda.web.rendering import render

router = APIRouter()

ROLE_LABELS = {"admin": "Admin (manages accounts)", "analyst": "Analyst", "officer": "Officer (inspector)",
               "governance": "Governance officer"}


def _organisations(request: Request) -> dict[str, str]:
    return {key: org.name for key, org in request.app.state.project.config.organisations.items()}


def _record(request: Request, access: Access, action: Action, username: str, detail: dict | None = None) -> None:
    audit.record(request.app.state.store, username=access.username, role=access.role, action=action,
                 object_type="account", object_id=username, detail=detail, remote_addr=remote_addr(request))


DONE_MESSAGES = {
    "added": "Added {user}. Give them their first password in person or by phone.",
    "saved": "Saved the changes to {user}.",
    "unchanged": "Nothing changed for {user}.",
    "unlocked": "Unlocked {user}: they can sign in again.",
    "not_locked": "{user} was not locked; their failed sign-ins are reset.",
    "deactivated": "Deactivated {user}: they cannot sign in, and are signed out at their next click.",
    "reactivated": "Reactivated {user}: they can sign in again.",
}
"""What the users page confirms after a change (a fixed sentence, so a link cannot put words on the page)."""


def _done(outcome: str, username: str) -> RedirectResponse:
    return RedirectResponse(f"/admin/users?done={outcome}&user={quote(username)}", status_code=303)


@router.get("/admin/users", name="admin_users")
def users_page(request: Request, done: str = "", user: str = "", access: Access = Depends(authorise)):
    return render(request, access, "admin_users.html", {
        "accounts": accounts.list_accounts(request.app.state.store), "organisations": _organisations(request),
        "role_labels": ROLE_LABELS,
        "done": DONE_MESSAGES[done].format(user=user[:64]) if done in DONE_MESSAGES else ""})


@router.get("/admin/users/new", name="admin_user_new")
def new_user_form(request: Request, access: Access = Depends(authorise)):
    return _new_form(request, access, {"username": "", "display_name": "", "role": "", "organisation": ""}, {})


def _new_form(request: Request, access: Access, values: dict[str, str], errors: dict[str, str]):
    return render(request, access, "admin_user_new.html", {
        "values": values, "errors": errors, "roles": ROLES, "role_labels": ROLE_LABELS,
        "organisations": _organisations(request)}, status_code=422 if errors else 200)


@router.post("/admin/users", name="admin_user_create")
def create_user(request: Request, username: str = Form(""), display_name: str = Form(""), role: str = Form(""),
                organisation: str = Form(""), password: str = Form(""), access: Access = Depends(authorise)):
    values = {"username": username.strip(), "display_name": display_name.strip(), "role": role,
              "organisation": organisation}
    errors: dict[str, str] = {}
    if not values["username"]:
        errors["username"] = "Enter a username"
    elif len(values["username"]) > 64 or any(c.isspace() for c in values["username"]):
        errors["username"] = "Username must be at most 64 characters with no spaces"
    if role not in ROLES:
        errors["role"] = "Select a role"
    if organisation not in _organisations(request):
        errors["organisation"] = "Select an organisation"
    if len(password) < accounts.MIN_PASSWORD_LENGTH:
        errors["password"] = f"Enter a first password of at least {accounts.MIN_PASSWORD_LENGTH} characters"
    if not errors:
        try:
            accounts.add_user(request.app.state.store, values["username"], password, role=role,
                              organisation=organisation, display_name=values["display_name"])
        except StoreError as exc:
            errors["username"] = str(exc)[:1].upper() + str(exc)[1:]
        else:
            _record(request, access, "add_user", values["username"], {"role": role, "organisation": organisation})
            return _done("added", values["username"])
    return _new_form(request, access, values, errors)


@router.get("/admin/users/{username}", name="admin_user")
def user_page(request: Request, username: str, access: Access = Depends(authorise)):
    return _user_form(request, access, username, {})


def _user_form(request: Request, access: Access, username: str, errors: dict[str, str]):
    try:
        state = accounts.account_state(request.app.state.store, username)
    except StoreError:
        raise HTTPException(404, f"There is no user {username}.") from None
    return render(request, access, "admin_user.html", {
        "user": state, "errors": errors, "roles": ROLES, "role_labels": ROLE_LABELS,
        "organisations": _organisations(request), "is_self": username == access.username},
        status_code=422 if errors else 200)


@router.post("/admin/users/{username}", name="admin_user_update")
def update_user(request: Request, username: str, role: str = Form(""), organisation: str = Form(""),
                display_name: str = Form(""), access: Access = Depends(authorise)):
    errors: dict[str, str] = {}
    if role not in ROLES:
        errors["role"] = "Select a role"
    elif username == access.username and role != access.role:
        errors["role"] = "You cannot change your own role: ask another admin"
    if organisation not in _organisations(request):
        errors["organisation"] = "Select an organisation"
    if not errors:
        try:
            changes = accounts.change_account(request.app.state.store, username, role=role,
                                              organisation=organisation, display_name=display_name)
        except StoreError as exc:
            errors["role"] = str(exc)[:1].upper() + str(exc)[1:]
        else:
            if changes:
                _record(request, access, "change_user", username, {k: list(v) for k, v in changes.items()})
            return _done("saved" if changes else "unchanged", username)
    return _user_form(request, access, username, errors)


@router.post("/admin/users/{username}/unlock", name="admin_user_unlock")
def unlock_user(request: Request, username: str, access: Access = Depends(authorise)):
    was_locked = accounts.unlock(request.app.state.store, username)
    _record(request, access, "unlock_user", username, {"was_locked": was_locked})
    return _done("unlocked" if was_locked else "not_locked", username)


@router.post("/admin/users/{username}/deactivate", name="admin_user_deactivate")
def deactivate_user(request: Request, username: str, access: Access = Depends(authorise)):
    if username == access.username:
        return _user_form(request, access, username,
                          {"deactivate": "You cannot deactivate your own account: ask another admin"})
    try:
        changed = accounts.set_active(request.app.state.store, username, False)
    except StoreError as exc:
        return _user_form(request, access, username, {"deactivate": str(exc)[:1].upper() + str(exc)[1:]})
    if changed:
        _record(request, access, "deactivate_user", username)
    return _done("deactivated", username)


@router.post("/admin/users/{username}/reactivate", name="admin_user_reactivate")
def reactivate_user(request: Request, username: str, access: Access = Depends(authorise)):
    if accounts.set_active(request.app.state.store, username, True):
        _record(request, access, "reactivate_user", username)
    return _done("reactivated", username)
