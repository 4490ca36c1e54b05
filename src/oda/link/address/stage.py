"""The address-linking stage of the pipeline: every address-bearing source → ``link.address_matches``.

Reads ``stg.<gazetteer>`` (the source named in ``[link] gazetteer``: ``uprn``, ``address`` or
``address_line_1..5``, ``postcode``, optionally ``parent_uprn``) and ``stg.<source>`` for each other
source with an address, and writes

``link.address_matches`` — grain: one row per (``source``, ``record_id``); columns ``uprn`` (empty
unless exact or confident), ``probability``, ``tier``, ``candidate_uprn``, ``runner_up_uprn``,
``margin``, ``reasons``, ``matched_to_parent``, ``uprn_check``, ``review_key``.

Decisions already made in the review queue (``link.address_review_decisions``) are applied.

The matcher is given dataset names, not tables, and writes its answers itself: on Spark the sources'
addresses are parsed, matched and written on the executors and never collected to the driver.
"""

from __future__ import annotations

from typing import Callable

import pyarrow as pa

from oda.engine.base import Engine
from oda.errors import LinkError
from oda.link.address.match import AddressMatcher

MATCHES = "link.address_matches"
_KEEP = ["uprn", "probability", "tier", "candidate_uprn", "runner_up_uprn", "margin", "reasons",
         "matched_to_parent", "uprn_check", "review_key"]

def link_addresses(engine: Engine, gazetteer: str, sources: dict[str, bool], *,
                   say: Callable[[str], None] = lambda _: None) -> dict[str, dict[str, int]]:
    """Match each source in ``sources`` (name → has an address) against ``stg.<gazetteer>``; write
    :data:`MATCHES`; return per source its record count and tier counts."""
    if not engine.exists(f"stg.{gazetteer}"):
        raise LinkError(f"the gazetteer source `{gazetteer}` has no standardised data (stg.{gazetteer}): "
                        "run `oda ingest` first, or set [link] gazetteer in oda.toml to the right source")
    say(f"parsing the gazetteer stg.{gazetteer}")
    matcher = AddressMatcher(engine).fit(f"stg.{gazetteer}")
    parts, summary = [], {}
    try:
        for name, has_address in sources.items():
            if name == gazetteer or not has_address or not engine.exists(f"stg.{name}"):
                continue
            say(f"matching {name}")
            part = f"{MATCHES}_{name}"
            # Written by the engine (on Spark, by the executors): the rows never pass through here.
            matcher.match_to(f"stg.{name}", part)
            parts.append((name, part))
            tiers = {row["tier"]: row["n"] for row in engine.query(
                f"SELECT tier, COUNT(*) AS n FROM {part} GROUP BY tier").to_pylist()}
            summary[name] = {"records": sum(tiers.values()), **{t: tiers.get(t, 0) for t in
                                                               ("exact", "confident", "review", "unmatched")}}
        if parts:
            engine.create_as(MATCHES, " UNION ALL ".join(
                f"SELECT CAST('{name}' AS STRING) AS source, CAST(id AS STRING) AS record_id, {', '.join(_KEEP)} "
                f"FROM {part}" for name, part in parts))
    finally:
        matcher.close()
        for _, part in parts:
            engine.drop(part)
    return summary


def match_quality(engine: Engine, truth: pa.Table | None = None) -> pa.Table:
    """Per source: records, match rate, tier mix, review-queue size, and — given ``truth``
    (``source``, ``record_id``, ``uprn``, as the synthetic borough writes it) — precision and recall."""
    if not engine.exists(MATCHES):
        raise LinkError(f"{MATCHES} does not exist yet: run `oda link` first")
    rows = engine.query(f"""
        SELECT source, COUNT(*) AS records, COUNT(uprn) AS matched,
               SUM(CASE WHEN tier = 'exact' THEN 1 ELSE 0 END) AS exact,
               SUM(CASE WHEN tier = 'confident' THEN 1 ELSE 0 END) AS confident,
               SUM(CASE WHEN tier = 'review' THEN 1 ELSE 0 END) AS review,
               SUM(CASE WHEN tier = 'unmatched' THEN 1 ELSE 0 END) AS unmatched
        FROM {MATCHES} GROUP BY source ORDER BY source""").to_pylist()
    if truth is not None:
        expected = {(s, str(r)): u for s, r, u in zip(*(truth.column(c).to_pylist()
                                                       for c in ("source", "record_id", "uprn")))}
        found = engine.query(f"SELECT source, record_id, uprn FROM {MATCHES}").to_pylist()
        per: dict[str, list[int]] = {}
        for row in found:
            true = expected.get((row["source"], row["record_id"]))
            counts = per.setdefault(row["source"], [0, 0, 0])
            counts[0] += row["uprn"] is not None
            counts[1] += row["uprn"] is not None and true is not None and int(true) == row["uprn"]
            counts[2] += true is not None
        for row in rows:
            predicted, correct, with_truth = per.get(row["source"], [0, 0, 0])
            row["precision"] = correct / predicted if predicted else None
            row["recall"] = correct / with_truth if with_truth else None
    for row in rows:
        row["match_rate"] = row["matched"] / row["records"] if row["records"] else 0.0
    return pa.Table.from_pylist(rows)


def run_link_stage(ctx) -> dict[str, dict[str, int]]:
    """The pipeline's entry point (``oda.pipeline.StageContext`` in, per-source summary out)."""
    config = ctx.project.config
    with ctx.run.step("link", MATCHES) as step:
        summary = link_addresses(ctx.engine, config.link.gazetteer,
                                 {name: source.has_address for name, source in config.sources.items()},
                                 say=ctx.reporter.say)
        step.rows = sum(s["records"] for s in summary.values())
    return summary
