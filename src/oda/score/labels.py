"""Labels the council really has: inspection outcomes, officers' recorded visits, and the licence register.

Three kinds of evidence, kept apart:

* **positive** — an inspection or visit found an HMO, or the property holds an HMO licence in force
  (an expired licence says nothing about today);
* **negative** — an inspection or visit found it is *not* an HMO;
* **unknown** — "no access", "other", a visit with no finding, and every property never inspected.

Unknowns are never negatives: :func:`training_labels` returns only positive and negative rows, and
a property whose only visits were "no access" does not appear in it at all. Which properties were
*visited* at all (whatever the finding) is kept separately: the model of who gets inspected uses it
to correct for complaint-driven targeting, and worklists use it to skip recently inspected homes.

>>> labels = load_labels(engine, as_of=date(2025, 6, 30), outcomes=outcomes_table(store))  # doctest: +SKIP
>>> labels.training.num_rows, labels.unknown_visits
(812, 64)
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from oda.engine.base import Engine
from oda.features.context import FeatureContext
from oda.features.families.licensing import in_force

POSITIVE, NEGATIVE, UNKNOWN = "positive", "negative", "unknown"
VISITS = "score.visits"
LABELS = "score.labels"

_NEGATIVE_WORDS = ("not hmo", "not_hmo", "not an hmo", "no hmo", "not a hmo", "single household",
                   "single family", "family home", "not multiple", "no evidence")
_UNKNOWN_WORDS = ("no access", "no_access", "noaccess", "refused", "cancel", "not inspected", "other",
                  "no answer", "pending", "unable")
_POSITIVE_WORDS = ("hmo_confirmed", "hmo confirmed", "hmo found", "confirmed hmo", "unlicensed hmo",
                   "licensable hmo", "hmo", "multiple occupation")

VISITS_SCHEMA = pa.schema([("uprn", pa.string()), ("visit_date", pa.date32()), ("outcome", pa.string()),
                           ("status", pa.string()), ("origin", pa.string())])
LABELS_SCHEMA = pa.schema([("uprn", pa.string()), ("label", pa.int8()), ("evidence", pa.string()),
                           ("label_date", pa.date32())])


def classify_outcome(text: str | None) -> str:
    """``positive``, ``negative`` or ``unknown`` for an outcome as a system or an officer wrote it.

    >>> [classify_outcome(t) for t in ("hmo_confirmed", "Not HMO", "No access", "", None)]
    ['positive', 'negative', 'unknown', 'unknown', 'unknown']
    """
    value = " ".join((text or "").lower().replace("-", " ").split())
    if not value:
        return UNKNOWN
    if any(word in value for word in _NEGATIVE_WORDS):
        return NEGATIVE
    if any(word in value for word in _UNKNOWN_WORDS):
        return UNKNOWN
    if any(word in value for word in _POSITIVE_WORDS):
        return POSITIVE
    return UNKNOWN


@dataclass(frozen=True)
class Labels:
    """Every visit (``visits``), and one label per property with definite evidence (``training``)."""

    visits: pa.Table
    training: pa.Table
    as_of: dt.date

    @property
    def unknown_visits(self) -> int:
        return int(pc.sum(pc.equal(self.visits["status"], UNKNOWN)).as_py() or 0)

    def counts(self) -> dict[str, int]:
        evidence = self.training["evidence"].to_pylist()
        labels = self.training["label"].to_pylist()
        return {
            "positive_inspections": sum(1 for e, l in zip(evidence, labels) if e != "licence" and l == 1),
            "negative_inspections": sum(1 for e, l in zip(evidence, labels) if l == 0),
            "licence_register": evidence.count("licence"),
            "unknown_visits": self.unknown_visits,
            "visits_from_store": int(pc.sum(pc.equal(self.visits["origin"], "store")).as_py() or 0),
        }

    def fingerprint(self) -> str:
        """A hash of the labels the model saw, for the run record."""
        digest = hashlib.sha256()
        for row in self.training.sort_by("uprn").to_pylist():
            digest.update(f"{row['uprn']}|{row['label']}|{row['evidence']}|{row['label_date']}\n".encode())
        return digest.hexdigest()


def _source_visits(ctx: FeatureContext, source: str) -> list[dict]:
    table = ctx.source(source)
    if table is None:
        return []
    outcome = ctx.column(source, "outcome", "result", "finding", "event_type", "inspection_outcome")
    outcome_sql = f"CAST({outcome} AS STRING)" if outcome else "CAST(NULL AS STRING)"
    rows = ctx.engine.query(
        f"SELECT s._uprn AS uprn, s._start AS visit_date, {outcome_sql} AS outcome FROM {table} s "
        f"WHERE s._uprn IS NOT NULL AND {ctx.known()}"
    ).to_pylist()
    return [dict(r, status=classify_outcome(r["outcome"]), origin=source) for r in rows]


def _licences(ctx: FeatureContext, source: str) -> list[dict]:
    table = ctx.source(source)
    if table is None:
        return []
    # A register with a status column says which licences ended (an HMO no longer); a licence past its
    # expiry date but not marked ended was still an HMO when last known. Without status, dates decide.
    has_status = ctx.column(source, "status", "licence_status") is not None
    current = f"{ctx.known()} AND {in_force(ctx, source)}" if has_status else ctx.live()
    return ctx.engine.query(
        f"SELECT s._uprn AS uprn, min(s._start) AS label_date FROM {table} s "
        f"WHERE s._uprn IS NOT NULL AND {current} GROUP BY s._uprn"
    ).to_pylist()


def load_labels(engine: Engine, *, as_of: dt.date, outcomes: pa.Table | None = None,
                label_source: str = "inspections", licence_source: str = "hmo_licences",
                date_formats: dict[str, list[str]] | None = None,
                source_names: dict[str, str] | None = None) -> Labels:
    """Visits and labels known on ``as_of``: from ``label_source``, the store's ``outcomes`` and licences."""
    ctx = FeatureContext(engine, as_of, date_formats=date_formats or {}, source_names=source_names or {})
    visits = _source_visits(ctx, label_source)
    if outcomes is not None and outcomes.num_rows:
        for row in outcomes.select(["uprn", "visit_date", "outcome"]).to_pylist():
            if row["visit_date"] is not None and row["visit_date"] <= as_of:
                visits.append(dict(row, uprn=str(row["uprn"]), status=classify_outcome(row["outcome"]),
                                   origin="store"))
    visits_table = pa.Table.from_pylist(visits, schema=VISITS_SCHEMA)

    labels: dict[str, dict] = {}
    for lic in _licences(ctx, licence_source):
        labels[lic["uprn"]] = {"uprn": lic["uprn"], "label": 1, "evidence": "licence", "label_date": lic["label_date"]}
    # The latest definite finding wins over the licence register and over earlier findings.
    definite = sorted((v for v in visits if v["status"] != UNKNOWN), key=lambda v: (v["visit_date"], v["origin"]))
    for visit in definite:
        labels[visit["uprn"]] = {"uprn": visit["uprn"], "label": 1 if visit["status"] == POSITIVE else 0,
                                 "evidence": "store" if visit["origin"] == "store" else "inspection",
                                 "label_date": visit["visit_date"]}
    training = pa.Table.from_pylist(sorted(labels.values(), key=lambda r: r["uprn"]), schema=LABELS_SCHEMA)
    return Labels(visits=visits_table, training=training, as_of=as_of)
