"""The review queue: ambiguous matches an analyst works through, and decisions remembered.

A decision is keyed by a hash of the *normalised* address (:func:`review_key`), so it applies again
whenever the same address comes back — in the next extract, in another source, or on a re-run —
however it was typed ("Flat 2, 12 Oak Rd" and "FLAT 2 12 OAK ROAD" share a key). Decisions live in
the dataset ``link.address_review_decisions`` (one row per key, the latest decision wins):

* ``accept`` — the suggested UPRN is right;
* ``choose`` — a different UPRN is right (the analyst names it);
* ``reject`` — none of the gazetteer's addresses is this one.

>>> record_decision(engine, review_key("Flat 2, 12 Oak Rd", "E1 6AN"), "choose", uprn=100021000123)
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Literal

import pyarrow as pa
import pyarrow.compute as pc

from oda.engine.base import Engine
from oda.errors import LinkError
from oda.link.address.parse import parse_address

DECISIONS = "link.address_review_decisions"
Decision = Literal["accept", "choose", "reject"]
_DECISIONS = ("accept", "choose", "reject")
_SCHEMA = pa.schema([("key", pa.string()), ("decision", pa.string()), ("uprn", pa.int64()),
                     ("decided_at", pa.string()), ("decided_by", pa.string()), ("note", pa.string())])


def review_key(address: str | None, postcode: str | None = None) -> str:
    """A stable key for an address however it is typed: a hash of its normalised form."""
    return key_of(parse_address(address, postcode).single_line())


def key_of(normalised: str) -> str:
    """:func:`review_key` of an address already normalised (:meth:`ParsedAddress.single_line`)."""
    return hashlib.sha1(normalised.encode("utf-8")).hexdigest()[:20]


def record_decision(engine: Engine, key: str, decision: Decision, *, uprn: int | None = None,
                    decided_by: str = "", note: str = "") -> None:
    """Store an analyst's decision on one address (replacing any earlier one for the same key)."""
    if decision not in _DECISIONS:
        raise LinkError(f"review decision `{decision}` is not one of {', '.join(_DECISIONS)}")
    if decision in ("accept", "choose") and uprn is None:
        raise LinkError(f"a `{decision}` decision needs the UPRN it accepts; pass uprn=...")
    row = pa.table({"key": [key], "decision": [decision], "uprn": pa.array([uprn], pa.int64()),
                    # To the microsecond: two decisions on one address in the same second still
                    # have an order (the latest wins).
                    "decided_at": [dt.datetime.now(dt.timezone.utc).isoformat(timespec="microseconds")],
                    "decided_by": [decided_by], "note": [note]}, schema=_SCHEMA)
    engine.write(DECISIONS, row, mode="append")


def decisions(engine: Engine) -> dict[str, tuple[str, int | None]]:
    """The latest decision per key: ``{key: (decision, uprn)}``."""
    if not engine.exists(DECISIONS):
        return {}
    table = engine.query(f"SELECT key, decision, uprn, decided_at FROM {DECISIONS} ORDER BY decided_at, key")
    latest: dict[str, tuple[str, int | None]] = {}
    for row in table.to_pylist():
        latest[row["key"]] = (row["decision"], row["uprn"])
    return latest


def load_decisions(matcher, table: pa.Table) -> int:
    """Store decisions from a file in the matcher's engine: a filled-in :func:`review_worksheet`
    (``key``, ``decision``, ``uprn``; ``accept`` takes ``suggested_uprn``), or rows of ``address``,
    ``postcode``, ``decision``, ``uprn``. Rows without a decision are skipped. Returns how many
    decisions were stored."""
    names = table.column_names
    if "decision" not in names or ("key" not in names and "address" not in names):
        raise LinkError(f"review decisions need columns `decision` and `key` (or `address`); got {', '.join(names)}")
    count = 0
    for row in table.to_pylist():
        decision = str(row.get("decision") or "").strip().lower()
        if not decision:
            continue  # not decided yet
        key = row.get("key") or review_key(row.get("address"), row.get("postcode"))
        uprn = row.get("uprn") if row.get("uprn") not in (None, "") else row.get("suggested_uprn")
        if decision == "accept" and row.get("suggested_uprn") not in (None, ""):
            uprn = row.get("suggested_uprn")
        uprn = int(str(uprn)) if uprn not in (None, "") else None
        record_decision(matcher.engine_, key, decision, uprn=uprn,  # type: ignore[arg-type]
                        note=str(row.get("note") or ""))
        count += 1
    return count


def review_queue(result: pa.Table) -> pa.Table:
    """The rows an analyst should look at (tier ``review``), most uncertain first."""
    queue = result.filter(pc.equal(result.column("tier"), "review"))
    return queue.sort_by([("probability", "ascending")])


def review_worksheet(result: pa.Table) -> pa.Table:
    """The review queue as a worksheet an analyst fills in and hands back (``--decisions``): one row
    per distinct address, with the suggestion, the runner-up and why, and empty ``decision``/``uprn``."""
    queue = review_queue(result)
    seen: set[str] = set()
    rows = []
    for row in queue.to_pylist():
        if row["review_key"] in seen:
            continue
        seen.add(row["review_key"])
        rows.append({"key": row["review_key"], "address": row["normalised_address"],
                     "suggested_uprn": row["candidate_uprn"], "runner_up_uprn": row["runner_up_uprn"],
                     "probability": row["probability"], "reasons": row["reasons"], "decision": "", "uprn": ""})
    schema = pa.schema([("key", pa.string()), ("address", pa.string()), ("suggested_uprn", pa.int64()),
                        ("runner_up_uprn", pa.int64()), ("probability", pa.float64()), ("reasons", pa.string()),
                        ("decision", pa.string()), ("uprn", pa.string())])
    return pa.Table.from_pylist(rows, schema=schema)
