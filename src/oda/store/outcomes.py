"""Visit outcomes recorded by officers: editable, every version kept, and fed to the next scoring run."""

from __future__ import annotations

import csv
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

import pyarrow as pa
from sqlalchemy import select

from oda.errors import StoreError
from oda.store.db import Store, open_store
from oda.store.schema import OUTCOMES, Outcome


@dataclass(frozen=True)
class VisitOutcome:
    id: int
    visit_key: str
    uprn: str
    organisation: str
    visit_date: date
    outcome: str
    notes: str
    recorded_by: str
    recorded_at: datetime
    version: int


def record_outcome(store: Store, *, uprn: str, organisation: str, visit_date: date, outcome: str,
                   recorded_by: str, notes: str = "") -> VisitOutcome:
    """A new visit's outcome (version 1)."""
    _check(outcome, visit_date)
    with store.sessions.begin() as session:
        row = Outcome(visit_key=uuid.uuid4().hex, uprn=str(uprn), organisation=organisation, visit_date=visit_date,
                      outcome=outcome, notes=notes, recorded_by=recorded_by,
                      recorded_at=datetime.now(timezone.utc), version=1)
        session.add(row)
        session.flush()
        return _value(row)


def edit_outcome(store: Store, visit_key: str, *, recorded_by: str, outcome: str | None = None,
                 visit_date: date | None = None, notes: str | None = None) -> VisitOutcome:
    """A new version of a visit's outcome; the earlier versions stay as its history."""
    with store.sessions.begin() as session:
        latest = session.scalar(select(Outcome).where(Outcome.visit_key == visit_key)
                                .order_by(Outcome.version.desc()).limit(1))
        if latest is None:
            raise StoreError(f"no visit `{visit_key}` to edit; record the outcome first")
        new_outcome = outcome or latest.outcome
        new_date = visit_date or latest.visit_date
        _check(new_outcome, new_date)
        row = Outcome(visit_key=visit_key, uprn=latest.uprn, organisation=latest.organisation,
                      visit_date=new_date, outcome=new_outcome, notes=latest.notes if notes is None else notes,
                      recorded_by=recorded_by, recorded_at=datetime.now(timezone.utc),
                      version=latest.version + 1, supersedes_id=latest.id)
        session.add(row)
        session.flush()
        return _value(row)


def history(store: Store, visit_key: str) -> list[VisitOutcome]:
    with store.sessions() as session:
        rows = session.scalars(select(Outcome).where(Outcome.visit_key == visit_key).order_by(Outcome.version))
        return [_value(r) for r in rows]


def current_outcomes(store: Store, *, uprn: str | None = None) -> list[VisitOutcome]:
    """The latest version of every visit (optionally at one property), newest visit first."""
    with store.sessions() as session:
        query = select(Outcome)
        if uprn is not None:
            query = query.where(Outcome.uprn == str(uprn))
        latest: dict[str, Outcome] = {}
        for row in session.scalars(query.order_by(Outcome.visit_key, Outcome.version)):
            latest[row.visit_key] = row
    return sorted((_value(r) for r in latest.values()), key=lambda v: (v.visit_date, v.id), reverse=True)


def outcomes_table(store: Store) -> pa.Table:
    """Current outcomes as Arrow, the shape the scoring stage reads as labels."""
    values = current_outcomes(store)
    return pa.table({
        "uprn": pa.array([v.uprn for v in values], pa.string()),
        "visit_date": pa.array([v.visit_date for v in values], pa.date32()),
        "outcome": pa.array([v.outcome for v in values], pa.string()),
        "organisation": pa.array([v.organisation for v in values], pa.string()),
        "recorded_by": pa.array([v.recorded_by for v in values], pa.string()),
    })


def project_outcomes(project_root: Path) -> pa.Table:
    """:func:`outcomes_table` of a project's store (empty when nobody has recorded a visit yet)."""
    store = open_store(project_root=project_root)
    try:
        return outcomes_table(store)
    finally:
        store.close()


def import_outcomes_csv(store: Store, path: Path, *, organisation: str, recorded_by: str) -> int:
    """Outcomes from a CSV with columns ``uprn, visit_date (YYYY-MM-DD), outcome, notes``.

    Every row is checked before any is stored, and the first bad row's number is reported.
    """
    rows: list[tuple[str, date, str, str]] = []
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = {"uprn", "visit_date", "outcome"} - set(reader.fieldnames or [])
        if missing:
            raise StoreError(f"{path} lacks column(s) {', '.join(sorted(missing))}; "
                             "expected uprn, visit_date, outcome and optionally notes")
        for number, row in enumerate(reader, start=2):
            try:
                visit_date = date.fromisoformat(row["visit_date"].strip())
            except ValueError:
                raise StoreError(f"{path} line {number}: visit_date {row['visit_date']!r} is not YYYY-MM-DD") from None
            outcome = row["outcome"].strip()
            if outcome not in OUTCOMES:
                raise StoreError(f"{path} line {number}: outcome {outcome!r} is not one of {', '.join(OUTCOMES)}")
            rows.append((row["uprn"].strip(), visit_date, outcome, (row.get("notes") or "").strip()))
    for uprn, visit_date, outcome, notes in rows:
        record_outcome(store, uprn=uprn, organisation=organisation, visit_date=visit_date, outcome=outcome,
                       recorded_by=recorded_by, notes=notes)
    return len(rows)


def _check(outcome: str, visit_date: date) -> None:
    if outcome not in OUTCOMES:
        raise StoreError(f"outcome `{outcome}` is not one of {', '.join(OUTCOMES)}")
    if visit_date > date.today():
        raise StoreError(f"visit date {visit_date.isoformat()} is in the future; record visits once they happen")


def _value(row: Outcome) -> VisitOutcome:
    recorded = row.recorded_at if row.recorded_at.tzinfo else row.recorded_at.replace(tzinfo=timezone.utc)
    return VisitOutcome(row.id, row.visit_key, row.uprn, row.organisation, row.visit_date, row.outcome, row.notes,
                        row.recorded_by, recorded, row.version)
