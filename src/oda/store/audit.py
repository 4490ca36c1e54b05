"""The audit log: every view of personal data, every export, every outcome and sign-in.

Append-only by construction (there is no update or delete here) and by the database (migration 0001
adds triggers that refuse them).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Literal

from sqlalchemy import func, select

from oda.store.db import Store
from oda.store.schema import AuditEvent

Action = Literal["login", "login_failed", "logout", "view_property", "view_person", "view_business", "view_worklist",
                 "export",
                 "record_outcome", "edit_outcome", "review_address", "assign", "add_user", "change_user",
                 "unlock_user", "deactivate_user", "reactivate_user", "search_entities"]


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: datetime
    username: str
    role: str
    action: str
    object_type: str
    object_id: str
    detail: dict
    remote_addr: str


def record(store: Store, *, username: str, role: str, action: Action, object_type: str, object_id: str,
           detail: dict | None = None, remote_addr: str = "") -> None:
    """Append one event."""
    with store.sessions.begin() as session:
        session.add(AuditEvent(at=datetime.now(timezone.utc), username=username, role=role, action=action,
                               object_type=object_type, object_id=str(object_id),
                               detail=json.dumps(detail or {}, sort_keys=True, default=str),
                               remote_addr=remote_addr))


def search(store: Store, *, username: str | None = None, action: str | None = None,
           object_id: str | None = None, since: datetime | None = None, until: datetime | None = None,
           limit: int = 500, offset: int = 0) -> list[AuditEntry]:
    """Events matching every filter given, newest first."""
    query = select(AuditEvent)
    if username:
        query = query.where(AuditEvent.username == username)
    if action:
        query = query.where(AuditEvent.action == action)
    if object_id:
        query = query.where(AuditEvent.object_id == object_id)
    if since:
        query = query.where(AuditEvent.at >= since)
    if until:
        query = query.where(AuditEvent.at < until)
    query = query.order_by(AuditEvent.id.desc()).limit(limit).offset(offset)
    with store.sessions() as session:
        return [_entry(row) for row in session.scalars(query)]


def count(store: Store, *, action: str | None = None, object_id: str | None = None) -> int:
    query = select(func.count()).select_from(AuditEvent)
    if action:
        query = query.where(AuditEvent.action == action)
    if object_id:
        query = query.where(AuditEvent.object_id == object_id)
    with store.sessions() as session:
        return int(session.scalar(query) or 0)


def export_csv(entries: list[AuditEntry]) -> str:
    """The entries as CSV text, for governance officers' own records."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["id", "at", "username", "role", "action", "object_type", "object_id", "detail", "remote_addr"])
    for e in entries:
        writer.writerow([e.id, e.at.isoformat(), e.username, e.role, e.action, e.object_type, e.object_id,
                         json.dumps(e.detail, sort_keys=True), e.remote_addr])
    return buffer.getvalue()


def _entry(row: AuditEvent) -> AuditEntry:
    at = row.at if row.at.tzinfo else row.at.replace(tzinfo=timezone.utc)
    return AuditEntry(row.id, at, row.username, row.role, row.action, row.object_type, row.object_id,
                      json.loads(row.detail or "{}"), row.remote_addr)
