"""What the web app asks of the operational store beyond ``oda.store``'s own functions.

Assignments (who works which property), the organisation of a recorded visit and the signed-in
account. Address-review decisions live in :mod:`oda.store.reviews`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import String, any_, bindparam, exists, func, select
from sqlalchemy.dialects.postgresql import ARRAY

from oda.store.db import Store
from oda.store.accounts import Account
from oda.store.schema import Assignment, AuditEvent, Outcome, User


@dataclass(frozen=True)
class AssignmentState:
    assignee: str
    status: str


def signed_in_account(store: Store, username: str, session_id: str) -> Account | None:
    """The active account behind a session, unless that session was signed out: one query per request."""
    signed_out = exists().where(AuditEvent.action == "logout", AuditEvent.object_id == session_id)
    with store.sessions() as session:
        user = session.scalar(select(User).where(User.username == username, User.active.is_(True), ~signed_out))
        return Account(user.username, user.display_name, user.organisation, user.role) if user else None


def worklist_state(store: Store, uprns: list[str]) -> tuple[dict[str, AssignmentState], set[str]]:
    """Latest assignment of each property, and which have a recorded visit, in one round of queries."""
    if not uprns:
        return {}, set()
    with store.sessions() as session:
        assigned = {row.uprn: AssignmentState(row.assignee, row.status) for row in session.scalars(
            select(Assignment).where(_one_of(store, Assignment.uprn, uprns)).order_by(Assignment.id))}
        visited = set(session.scalars(select(Outcome.uprn).where(_one_of(store, Outcome.uprn, uprns)).distinct()))
    return assigned, visited


def _one_of(store: Store, column, values: list[str]):
    """``column IN values``; on PostgreSQL as ``= ANY(string_to_array(...))``, one text parameter instead
    of one per value: a 2,000-property worklist's ``IN`` list cost about 80 ms a query to bind and plan
    under load, and even a text array's element-by-element quoting 2 ms."""
    if store.engine.dialect.name == "postgresql":
        joined = ",".join(values)
        if "," not in "".join(values):
            return column == any_(func.string_to_array(bindparam(None, joined, type_=String), ","))
        return column == any_(bindparam(None, list(values), type_=ARRAY(String)))
    return column.in_(values)


def assignments(store: Store, uprns: list[str] | None = None) -> dict[str, AssignmentState]:
    """The latest assignment of each property (optionally only these)."""
    query = select(Assignment).order_by(Assignment.id)
    if uprns is not None:
        if not uprns:
            return {}
        query = query.where(Assignment.uprn.in_(uprns))
    with store.sessions() as session:
        return {row.uprn: AssignmentState(row.assignee, row.status) for row in session.scalars(query)}


def assign(store: Store, *, worklist_id: str, uprn: str, assignee: str) -> None:
    with store.sessions.begin() as session:
        session.add(Assignment(worklist_id=worklist_id, uprn=uprn, assignee=assignee, status="assigned",
                               assigned_at=datetime.now(timezone.utc)))


def visit_organisation(store: Store, visit_key: str) -> str | None:
    with store.sessions() as session:
        return session.scalar(select(Outcome.organisation).where(Outcome.visit_key == visit_key).limit(1))


