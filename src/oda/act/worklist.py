"""Worklists: the eligible properties, ranked, cut to capacity, with a random exploration slice.

Eligible: scored dwellings that do not hold an HMO licence, were not visited in the last
``exclude_inspected_within_days`` (any visit, "no access" included), and are not on the project's
exclusion list. Of the ``capacity`` places, ``round(capacity × exploration_share)`` go to an
**exploration slice** drawn uniformly at random from *all* eligible properties — so its hit rate is
an unbiased estimate of how common HMOs are among them — and the rest to the highest scores. The
slice's places in the order are random too, so an officer working down the list cannot tell them
apart (``exploration`` is stored for evaluation and never shown to officers).

``out.worklist`` holds the current list; every list drawn is also appended to
``out.worklist_history`` so that exploration outcomes can be measured across weeks. Publishing also
writes ``out.property_records``, the property page's linked records pre-joined by UPRN.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa

from oda.act.property_records import publish_property_records, publish_serving_snapshot
from oda.datasets import PROPERTY_FEATURES, PROPERTY_SCORES, WORKLIST
from oda.engine.base import Engine
from oda.features.dwellings import DWELLINGS
from oda.project.models import WorklistSettings
from oda.errors import WorklistError
from oda.score.labels import VISITS

HISTORY = "out.worklist_history"
WORKLIST_SCHEMA = pa.schema([
    ("worklist_id", pa.string()), ("rank", pa.int64()), ("uprn", pa.string()), ("address", pa.string()),
    ("ward", pa.string()), ("street", pa.string()), ("lat", pa.float64()), ("lon", pa.float64()),
    ("score", pa.float64()), ("band", pa.string()), ("reasons", pa.string()), ("exploration", pa.bool_()),
    ("organisation", pa.string()),
])


@dataclass(frozen=True)
class Worklist:
    worklist_id: str
    table: pa.Table
    eligible: int
    capacity: int
    exploration: int


def eligible_properties(engine: Engine, *, as_of: dt.date, exclude_inspected_within_days: int,
                        exclude_uprns: list[str] | tuple[str, ...] = ()) -> pd.DataFrame:
    """Scored dwellings that may go on a worklist, with what a worklist row needs."""
    if not engine.exists(PROPERTY_SCORES.name):
        raise WorklistError("nothing has been scored yet (no score.property): run `oda score` first")
    licensed = "0"
    if engine.exists(PROPERTY_FEATURES.name):
        names = engine.query(f"SELECT * FROM {PROPERTY_FEATURES.name} LIMIT 0").schema.names
        if "licensed_now" in names:
            licensed = "coalesce(f.licensed_now, 0)"
    since = as_of - dt.timedelta(days=exclude_inspected_within_days)
    visited = (f"SELECT DISTINCT uprn FROM {VISITS} WHERE visit_date > DATE '{since.isoformat()}' "
               f"AND visit_date <= DATE '{as_of.isoformat()}'") if engine.exists(VISITS) else None
    frame = engine.query(
        f"SELECT s.uprn, d.address, d.ward, d.street, d.lat, d.lon, s.score, s.band, s.reasons "
        f"FROM {PROPERTY_SCORES.name} s LEFT JOIN {DWELLINGS} d ON d.uprn = s.uprn "
        f"LEFT JOIN {PROPERTY_FEATURES.name} f ON f.uprn = s.uprn WHERE {licensed} = 0"
        + (f" AND s.uprn NOT IN ({visited})" if visited else "")
    ).to_pandas()
    if exclude_uprns:
        frame = frame[~frame["uprn"].isin({str(u) for u in exclude_uprns})]
    return frame.sort_values(["score", "uprn"], ascending=[False, True], kind="stable").reset_index(drop=True)


def draw_worklist(eligible: pd.DataFrame, *, capacity: int, exploration_share: float, seed: int,
                  as_of: dt.date, organisation: str = "") -> Worklist:
    """Cut ``eligible`` (sorted best first) to ``capacity`` with a random exploration slice."""
    if capacity <= 0:
        raise WorklistError(f"capacity must be a positive number of visits, got {capacity}")
    capacity = min(capacity, len(eligible))
    explore = int(round(capacity * exploration_share))
    rng = np.random.default_rng([seed, as_of.toordinal()])
    slice_rows = rng.choice(len(eligible), size=explore, replace=False) if explore else np.zeros(0, int)
    in_slice = np.zeros(len(eligible), bool)
    in_slice[slice_rows] = True
    ranked_rows = np.flatnonzero(~in_slice)[: capacity - explore]
    # Exploration rows take random places in the order so officers cannot tell them apart.
    order = list(ranked_rows)
    for row, place in zip(slice_rows, rng.integers(0, capacity, size=explore)):
        order.insert(int(min(place, len(order))), int(row))
    chosen = eligible.iloc[order].copy()
    chosen["exploration"] = in_slice[order]
    chosen["rank"] = np.arange(1, len(chosen) + 1)
    digest = hashlib.sha256(",".join(chosen["uprn"].astype(str)).encode()).hexdigest()[:8]
    worklist_id = f"wl-{as_of.isoformat()}-{digest}"
    chosen["worklist_id"] = worklist_id
    chosen["organisation"] = organisation
    table = pa.Table.from_pandas(chosen[list(WORKLIST_SCHEMA.names)], schema=WORKLIST_SCHEMA, preserve_index=False)
    return Worklist(worklist_id, table, eligible=len(eligible), capacity=capacity, exploration=explore)


def grouped(table: pa.Table, group_by: str) -> pa.Table:
    """The worklist ordered for routing: by ward or street, then rank (unchanged for ``none``)."""
    if group_by == "none":
        return table.sort_by([("rank", "ascending")])
    return table.sort_by([(group_by, "ascending"), ("rank", "ascending")])


def publish_worklist(engine: Engine, settings: WorklistSettings, *, as_of: dt.date, capacity: int | None = None,
                     organisation: str = "", gazetteer: str = "gazetteer") -> Worklist:
    """Draw the worklist from ``score.property`` and write ``out.worklist`` (and its history), then the web
    app's ``out.property_records`` and serving snapshot (``gazetteer``: the gazetteer source's name)."""
    eligible = eligible_properties(engine, as_of=as_of,
                                   exclude_inspected_within_days=settings.exclude_inspected_within_days,
                                   exclude_uprns=settings.exclude_uprns)
    if eligible.empty:
        raise WorklistError("no property is eligible for a worklist: every scored property is licensed, "
                            "recently inspected or excluded")
    worklist = draw_worklist(eligible, capacity=capacity or settings.capacity,
                             exploration_share=settings.exploration_share, seed=settings.seed, as_of=as_of,
                             organisation=organisation)
    with engine.transaction():
        engine.write(WORKLIST.name, worklist.table)
        history = worklist.table.append_column("drawn_on", pa.array([as_of] * worklist.table.num_rows, pa.date32()))
        engine.write(HISTORY, history, mode="append")
        # The web app's property pages read the linked records pre-joined (oda.act.property_records).
        publish_property_records(engine)
    publish_serving_snapshot(engine, gazetteer=gazetteer)
    return worklist


def publish_project_worklist(engine: Engine, project, *, capacity: int | None = None,
                             organisation: str = "") -> Worklist:
    """:func:`publish_worklist` with the project's settings, as of its latest scoring run, for the
    organisation given or else the project's first council."""
    from oda.features.build import parse_as_of
    from oda.score.stage import MODELS

    as_of = parse_as_of(project.config.features.as_of)
    if engine.exists(MODELS):
        rows = engine.query(f"SELECT as_of FROM {MODELS} ORDER BY scored_at DESC LIMIT 1").to_pylist()
        as_of = rows[0]["as_of"] if rows else as_of
    organisation = organisation or next(
        (key for key, o in project.config.organisations.items() if o.kind == "council"), "")
    return publish_worklist(engine, project.config.worklist, as_of=as_of, capacity=capacity,
                            organisation=organisation, gazetteer=project.config.link.gazetteer)
