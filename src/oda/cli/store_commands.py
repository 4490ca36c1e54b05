"""`oda users ...` and `oda outcomes ...`: the operational store from the command line."""

from __future__ import annotations

import getpass
import os
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from oda.errors import OdaError
from oda.project.load import find_project_file
from oda.store import accounts, audit, open_store, outcomes
from oda.store.schema import ROLES

out = Console(soft_wrap=True)
users_app = typer.Typer(help="Accounts for the web app.", no_args_is_help=True)
outcomes_app = typer.Typer(help="Visit outcomes that feed the next scoring run.", no_args_is_help=True)

PROJECT = typer.Option(None, "--project", "-p", help="Project folder (default: here). Sets where the SQLite "
                       "store lives unless ODA_DATABASE_URL is set.")


def _store(project: Optional[Path]):
    return open_store(project_root=find_project_file(project).parent)


@users_app.command("add")
def add_user_command(
    username: str = typer.Argument(...),
    role: str = typer.Option(..., "--role", help=f"One of: {', '.join(ROLES)}."),
    organisation: str = typer.Option(..., "--organisation", "-o", help="Key of [organisations] in oda.toml."),
    display_name: str = typer.Option("", "--name", help="Name shown in the app."),
    password_env: Optional[str] = typer.Option(None, "--password-env",
                                               help="Read the password from this environment variable "
                                                    "instead of prompting."),
    project: Optional[Path] = PROJECT,
) -> None:
    """Add an account (the first admin, officers, analysts, governance officers)."""
    if password_env:
        password = os.environ.get(password_env)
        if not password:
            raise OdaError(f"environment variable {password_env} is empty or unset; export the password there")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    store = _store(project)
    try:
        account = accounts.add_user(store, username, password, role=role, organisation=organisation,
                                    display_name=display_name)
    finally:
        store.close()
    out.print(f"Added {account.username} ({account.role}, {account.organisation}).")


@users_app.command("list")
def list_users_command(project: Optional[Path] = PROJECT) -> None:
    """Every account: role, organisation, last sign-in and whether it can sign in."""
    store = _store(project)
    try:
        states = accounts.list_accounts(store)
    finally:
        store.close()
    table = Table("username", "name", "role", "organisation", "last sign-in (UTC)", "state")
    for s in states:
        state = "deactivated" if not s.active else (
            f"locked until {s.locked_until:%H:%M} UTC" if s.locked() else "active")
        table.add_row(s.username, s.display_name, s.role, s.organisation,
                      f"{s.last_login:%Y-%m-%d %H:%M}" if s.last_login else "never", state)
    out.print(table)


@users_app.command("unlock")
def unlock_user_command(username: str = typer.Argument(...), project: Optional[Path] = PROJECT) -> None:
    """Unlock an account locked after repeated failed sign-ins (recorded in the audit log)."""
    store = _store(project)
    try:
        was_locked = accounts.unlock(store, username)
        _audit(store, "unlock_user", username, {"was_locked": was_locked})
    finally:
        store.close()
    out.print(f"Unlocked {username}." if was_locked else f"{username} was not locked; failed sign-ins reset.")


def _set_active(username: str, project: Optional[Path], active: bool) -> None:
    verb, state = ("reactivate", "active") if active else ("deactivate", "deactivated")
    store = _store(project)
    try:
        changed = accounts.set_active(store, username, active)
        if changed:
            _audit(store, f"{verb}_user", username)
    finally:
        store.close()
    out.print(f"{verb.capitalize()}d {username}." if changed else f"{username} was already {state}.")


@users_app.command("deactivate")
def deactivate_user_command(username: str = typer.Argument(...), project: Optional[Path] = PROJECT) -> None:
    """Stop an account signing in; its open sessions end at their next request (recorded in the audit log)."""
    _set_active(username, project, False)


@users_app.command("reactivate")
def reactivate_user_command(username: str = typer.Argument(...), project: Optional[Path] = PROJECT) -> None:
    """Let a deactivated account sign in again (recorded in the audit log)."""
    _set_active(username, project, True)


def _audit(store, action: audit.Action, username: str, detail: dict | None = None) -> None:
    """Changes made from the command line are logged as the operating-system user who made them."""
    try:
        operator = getpass.getuser()
    except (KeyError, OSError):
        operator = "unknown"
    audit.record(store, username=f"cli:{operator}"[:64], role="", action=action, object_type="account",
                 object_id=username, detail=detail, remote_addr="command line")


@outcomes_app.command("import")
def import_outcomes_command(
    csv_file: Path = typer.Argument(..., exists=True, dir_okay=False, help="uprn, visit_date, outcome, notes"),
    organisation: str = typer.Option(..., "--organisation", "-o"),
    recorded_by: str = typer.Option("import", "--recorded-by"),
    project: Optional[Path] = PROJECT,
) -> None:
    """Import visit outcomes recorded outside the app; the next `oda score` uses them."""
    store = _store(project)
    try:
        count = outcomes.import_outcomes_csv(store, csv_file, organisation=organisation, recorded_by=recorded_by)
    finally:
        store.close()
    out.print(f"Imported {count} outcome(s) from {csv_file}.")


def register(app: typer.Typer) -> None:
    app.add_typer(users_app, name="users")
    app.add_typer(outcomes_app, name="outcomes")
