"""Analysts' address-review decisions made in the web app, handed to the next address-matching run.

The web app never writes to the analytical engine (the pipeline may be running); it keeps each decision
in the audit log. :func:`sync_review_decisions` copies new ones into ``link.address_review_decisions``,
which the matcher re-applies on every run.
"""

from __future__ import annotations

from typing import Literal

import pyarrow as pa

from oda.store import audit
from oda.store.db import Store

REVIEW_ACTION = "review_address"
ReviewDecision = Literal["accept", "choose", "reject"]
REVIEW_DECISIONS: tuple[ReviewDecision, ...] = ("accept", "choose", "reject")


def record_review_decision(store: Store, *, username: str, role: str, key: str, decision: ReviewDecision,
                           uprn: str, source: str, record_id: str, remote_addr: str) -> None:
    """One analyst decision on a review-queue address, kept in the audit log (who, when, from where)."""
    audit.record(store, username=username, role=role, action=REVIEW_ACTION, object_type="address_review",
                 object_id=key[:64], detail={"decision": decision, "uprn": uprn, "source": source,
                                             "record_id": record_id}, remote_addr=remote_addr)


def review_decisions(store: Store) -> dict[str, audit.AuditEntry]:
    """The latest decision for each review key."""
    latest: dict[str, audit.AuditEntry] = {}
    for entry in reversed(audit.search(store, action=REVIEW_ACTION, limit=1_000_000)):
        latest[entry.object_id] = entry
    return latest


def review_decisions_table(store: Store) -> pa.Table:
    """The decisions in the schema of ``link.address_review_decisions``
    (key, decision, uprn, decided_at, decided_by, note)."""
    entries = list(review_decisions(store).values())
    return pa.table({
        "key": pa.array([e.object_id for e in entries], pa.string()),
        "decision": pa.array([e.detail.get("decision", "") for e in entries], pa.string()),
        "uprn": pa.array([int(e.detail["uprn"]) if str(e.detail.get("uprn", "")).isdigit() else None
                          for e in entries], pa.int64()),
        "decided_at": pa.array([e.at.isoformat(timespec="seconds") for e in entries], pa.string()),
        "decided_by": pa.array([e.username for e in entries], pa.string()),
        "note": pa.array([f"web app, {e.detail.get('source', '')} record {e.detail.get('record_id', '')}"
                          for e in entries], pa.string()),
    })


def sync_review_decisions(engine, store: Store) -> int:
    """Append the store's decisions not yet in ``link.address_review_decisions``; return how many."""
    from oda.link.address.review import DECISIONS

    incoming = review_decisions_table(store)
    if incoming.num_rows == 0:
        return 0
    if engine.exists(DECISIONS):
        known = {(r["key"], r["decision"], r["decided_at"])
                 for r in engine.query(f"SELECT key, decision, decided_at FROM {DECISIONS}").to_pylist()}
        fresh = [i for i, row in enumerate(incoming.to_pylist())
                 if (row["key"], row["decision"], row["decided_at"]) not in known]
        incoming = incoming.take(pa.array(fresh, pa.int64()))
    if incoming.num_rows:
        engine.write(DECISIONS, incoming, mode="append")
    return incoming.num_rows
