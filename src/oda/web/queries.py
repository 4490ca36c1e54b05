"""What the web app asks of the operational store beyond ``oda.store``'s own functions.

Assignments (who works which property), the organisation of a recorded visit and the signed-in
account. Address-review decisions live in :mod:`oda.store.reviews`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import Boolean, String, bindparam, exists, func, literal, null, select, union_all
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine import Connection

from oda.store.db import Store, retry_on_disconnect
from oda.store.accounts import Account
from oda.store.schema import Assignment, AuditEvent, Outcome, User


@dataclass(frozen=True)
class AssignmentState:
    assignee: str
    status: str


@dataclass(frozen=True)
class WorkState:
    """What officers have done with one property: its latest assignee ("" if never assigned) and
    whether a visit has been recorded."""

    assignee: str
    visited: bool

    @property
    def status(self) -> str:
        return "visited" if self.visited else ("assigned" if self.assignee else "unassigned")


def signed_in_account(store: Store, username: str, session_id: str) -> Account | None:
    """The active account behind a session, unless that session was signed out: one query per request."""
    signed_out = exists().where(AuditEvent.action == "logout", AuditEvent.object_id == session_id)
    query = select(User.username, User.display_name, User.organisation, User.role).where(
        User.username == username, User.active.is_(True), ~signed_out)

    def read() -> Account | None:
        with _reading(store) as connection:
            user = connection.execute(query).first()
        return Account(user.username, user.display_name, user.organisation, user.role) if user else None

    return retry_on_disconnect(read)


def worked_properties(store: Store, uprns: list[str]) -> dict[str, WorkState]:
    """The properties among ``uprns`` that officers have assigned or visited (usually a few of a worklist's
    thousands), in one query and one round trip; every other property is unassigned and unvisited."""
    if not uprns:
        return {}
    wanted = _one_of(store, uprns)
    latest = select(func.max(Assignment.id)).where(wanted(Assignment.uprn)).group_by(Assignment.uprn)
    query = union_all(
        select(Assignment.uprn, Assignment.assignee, literal(False, Boolean).label("visited"))
        .where(Assignment.id.in_(latest.scalar_subquery())),
        select(Outcome.uprn, null(), literal(True, Boolean)).where(wanted(Outcome.uprn)).distinct())

    def read() -> dict[str, WorkState]:
        with _reading(store) as connection:
            rows = connection.execute(query).all()
        assignees = {uprn: assignee for uprn, assignee, visited in rows if not visited}
        visited = {uprn for uprn, _, was_visited in rows if was_visited}
        return {uprn: WorkState(assignees.get(uprn) or "", uprn in visited) for uprn in assignees.keys() | visited}

    return retry_on_disconnect(read)


def worklist_state(store: Store, uprns: list[str]) -> tuple[dict[str, AssignmentState], set[str]]:
    """Latest assignment of each property, and which have a recorded visit (the map's view of
    :func:`worked_properties`)."""
    worked = worked_properties(store, uprns)
    return ({uprn: AssignmentState(w.assignee, "assigned") for uprn, w in worked.items() if w.assignee},
            {uprn for uprn, w in worked.items() if w.visited})


def _reading(store: Store) -> Connection:
    """A connection for one read-only statement, in autocommit mode: no ``BEGIN`` before it and no
    ``ROLLBACK`` when it goes back to the pool, so each read is one round trip to PostgreSQL instead of
    three (a single statement sees one consistent snapshot either way)."""
    return store.engine.connect().execution_options(isolation_level="AUTOCOMMIT")


def _one_of(store: Store, values: list[str]):
    """``column IN values`` for any column (the same parameter bound once however often it is used); on
    PostgreSQL as ``IN (SELECT unnest(string_to_array(...)))``, one text parameter instead of one per
    value: a 2,000-property worklist's ``IN`` list cost about 80 ms a query to bind and plan under load,
    a text array's element-by-element quoting 2 ms, and ``= ANY(array)`` has the planner estimate each
    of the 2,000 elements (about 0.3 ms more planning a query than the unnested set, measured)."""
    if store.engine.dialect.name == "postgresql":
        joined = ",".join(values)
        if "," not in "".join(values):
            parameter = func.string_to_array(bindparam("one_of", joined, type_=String), ",")
        else:
            parameter = bindparam("one_of", list(values), type_=ARRAY(String))
        unnested = select(func.unnest(parameter)).scalar_subquery()
        return lambda column: column.in_(unnested)
    parameter = bindparam("one_of", list(values), expanding=True)
    return lambda column: column.in_(parameter)


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


