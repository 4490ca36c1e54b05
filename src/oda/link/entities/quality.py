"""The quality report of a resolution: what an analyst checks before trusting the entities.

Cluster sizes, the match-weight histogram of scored pairs, and *suspected over-links* — entities
that hold together on weak evidence: a weakest link close to the threshold, records in the entity
that scored below the threshold against each other, or more records from one source than that
source usually has per entity. With a truth (the synthetic borough), pairwise and cluster precision,
recall and F1 are added. Everything is plain data (dicts and lists), for the web app, a notebook or
a Markdown file alike.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Hashable, Mapping

import pyarrow as pa
import pyarrow.compute as pc

from oda.link.entities import evaluate

Key = tuple[str, str]


def _clusters(resolution: Any) -> dict[Key, str]:
    c = resolution.clusters
    return dict(zip(zip(c["source"].to_pylist(), c["unique_id"].to_pylist()), c["cluster_id"].to_pylist()))


def weight_histogram(resolution: Any, bin_width: float = 2.0) -> list[dict[str, float]]:
    """Counts of scored pairs per match-weight bin (``low`` inclusive, ``high`` exclusive)."""
    weights = [w for w in resolution.pairs["match_weight"].to_pylist() if w is not None and math.isfinite(w)]
    counts = Counter(math.floor(w / bin_width) for w in weights)
    return [{"low": b * bin_width, "high": (b + 1) * bin_width, "pairs": counts[b]} for b in sorted(counts)]


def suspected_overlinks(resolution: Any, margin: float = 0.3, limit: int | None = 50) -> list[dict[str, Any]]:
    """Entities whose evidence is weakest, worst first (all of them when ``limit`` is None).

    Reasons: ``weak link`` (the entity's weakest linking pair is within ``margin`` of the way from the
    threshold to certainty: above 0.5, below 0.65; above 0.9, below 0.93),
    ``disagreeing records`` (two of its records scored below the threshold against each other),
    ``many from one source`` (a source contributes more records than its 99th percentile per entity).
    """
    clusters = _clusters(resolution)
    members: dict[str, list[Key]] = {}
    for key, cid in clusters.items():
        members.setdefault(cid, []).append(key)
    per_source = Counter((cid, key[0]) for key, cid in clusters.items())
    by_source: dict[str, list[int]] = {}
    for (cid, source), n in per_source.items():
        by_source.setdefault(source, []).append(n)
    usual = {s: sorted(v)[min(len(v) - 1, int(0.99 * len(v)))] for s, v in by_source.items()}
    pairs = resolution.pairs
    weakest: dict[str, float] = {}
    disagree: Counter[str] = Counter()
    for sl, ul, sr, ur, p in zip(pairs["source_dataset_l"].to_pylist(), pairs["unique_id_l"].to_pylist(),
                                 pairs["source_dataset_r"].to_pylist(), pairs["unique_id_r"].to_pylist(),
                                 pairs["match_probability"].to_pylist()):
        cid = clusters.get((sl, ul))
        if cid is None or cid != clusters.get((sr, ur)):
            continue
        if p >= resolution.threshold:
            weakest[cid] = min(weakest.get(cid, 1.0), p)
        else:
            disagree[cid] += 1
    found = []
    for cid, keys in members.items():
        if len(keys) < 2:
            continue
        reasons = []
        if weakest.get(cid, 1.0) < resolution.threshold + margin * (1 - resolution.threshold):
            reasons.append("weak link")
        if disagree[cid]:
            reasons.append("disagreeing records")
        if any(per_source[(cid, s)] > max(usual.get(s, 1), 1) for s in {k[0] for k in keys}):
            reasons.append("many from one source")
        if reasons:
            found.append({"cluster_id": cid, "size": len(keys), "weakest_link": weakest.get(cid),
                          "disagreeing_pairs": disagree[cid], "reasons": reasons})
    found.sort(key=lambda r: (-len(r["reasons"]), r["weakest_link"] or 1.0, -r["size"]))
    return found if limit is None else found[:limit]


def quality_report(resolution: Any, truth: Mapping[Key, Hashable] | None = None,
                   cross_source_only: bool = False) -> dict[str, Any]:
    """The whole report. ``truth`` maps (source, unique_id) to the true entity, when it is known."""
    clusters = _clusters(resolution)
    links = resolution.pairs.filter(pc.greater_equal(resolution.pairs["match_probability"], resolution.threshold))
    report: dict[str, Any] = {
        "records": len(clusters),
        "entities": len(set(clusters.values())),
        "links": links.num_rows,
        "threshold": resolution.threshold,
        "cluster_sizes": evaluate.size_distribution(clusters),
        "match_weight_histogram": weight_histogram(resolution),
        "suspected_overlinks": suspected_overlinks(resolution),
        "seconds": dict(resolution.seconds),
    }
    if truth is not None:
        predicted = zip(zip(links["source_dataset_l"].to_pylist(), links["unique_id_l"].to_pylist()),
                        zip(links["source_dataset_r"].to_pylist(), links["unique_id_r"].to_pylist()))
        report["accuracy"] = {
            "pairwise": evaluate.pairwise(predicted, truth, cross_source_only).as_dict(),
            "pairs_in_clusters": evaluate.pairwise_from_clusters(clusters, truth, cross_source_only).as_dict(),
            "clusters": evaluate.cluster_scores(clusters, truth).as_dict(),
        }
    return report


def report_markdown(report: Mapping[str, Any]) -> str:
    """The report as Markdown, for a file or a notebook cell."""
    lines = ["# Entity resolution quality", "",
             f"{report['records']:,} records → {report['entities']:,} entities; {report['links']:,} links at "
             f"probability ≥ {report['threshold']}.", "", "## Cluster sizes", "", "| size | entities |", "|---|---|"]
    lines += [f"| {size} | {n:,} |" for size, n in report["cluster_sizes"].items()]
    lines += ["", "## Match weights of scored pairs", "", "| weight from | to | pairs |", "|---|---|---|"]
    lines += [f"| {b['low']:g} | {b['high']:g} | {b['pairs']:,} |" for b in report["match_weight_histogram"]]
    lines += ["", "## Suspected over-links", ""]
    if report["suspected_overlinks"]:
        lines += ["| entity | size | weakest link | disagreeing pairs | reasons |", "|---|---|---|---|---|"]
        lines += [f"| {o['cluster_id']} | {o['size']} | {o['weakest_link'] if o['weakest_link'] is None else round(o['weakest_link'], 3)} "
                  f"| {o['disagreeing_pairs']} | {', '.join(o['reasons'])} |" for o in report["suspected_overlinks"]]
    else:
        lines.append("None.")
    if "accuracy" in report:
        lines += ["", "## Accuracy against the truth", "", "| measure | precision | recall | F1 |", "|---|---|---|---|"]
        for name, score in report["accuracy"].items():
            lines.append(f"| {name} | {score['precision']:.4f} | {score['recall']:.4f} | {score['f1']:.4f} |")
    return "\n".join(lines) + "\n"


# -- the report of a project's resolve stage, from its stored datasets -----------------------------
@dataclass(frozen=True)
class StoredResolution:
    """What the resolve stage wrote for one entity, in the shape :func:`quality_report` reads."""

    clusters: pa.Table
    pairs: pa.Table
    threshold: float
    seconds: dict[str, float] = field(default_factory=dict)


def stored_resolution(engine: Any, entity: str) -> StoredResolution | None:
    """The clusters and scored pairs of ``entity`` as the last resolve run left them; None before one ran.

    A joint record's second person is a record of its own here, ``(<source>, <record_id>#2)``.
    """
    from oda.link.entities.project_records import SECOND_PERSON
    from oda.link.entities.stage import OUTPUTS, threshold_from_models

    out = OUTPUTS[entity]
    if not engine.exists(out.clusters.name):
        return None
    rows = engine.query(f"SELECT * FROM {out.clusters.name}")
    keys = list(zip(rows["source"].to_pylist(), rows["record_id"].to_pylist(), rows[out.id_column].to_pylist()))
    if "joint_person_id" in rows.column_names:
        keys += [(s, r + SECOND_PERSON, j) for s, r, j in zip(rows["source"].to_pylist(), rows["record_id"].to_pylist(),
                                                             rows["joint_person_id"].to_pylist()) if j]
    clusters = pa.table({"source": [k[0] for k in keys], "unique_id": [k[1] for k in keys],
                         "cluster_id": [k[2] for k in keys]})
    if engine.exists(out.pairs.name):
        pairs = engine.query(f"SELECT source_l AS source_dataset_l, record_id_l AS unique_id_l, "
                             f"source_r AS source_dataset_r, record_id_r AS unique_id_r, match_probability, "
                             f"match_weight FROM {out.pairs.name}")
    else:
        pairs = pa.table({c: pa.array([], pa.string()) for c in ("source_dataset_l", "unique_id_l", "source_dataset_r",
                                                                 "unique_id_r")})
        pairs = pairs.append_column("match_probability", pa.array([], pa.float64())).append_column(
            "match_weight", pa.array([], pa.float64()))
    return StoredResolution(clusters, pairs, threshold_from_models(engine, entity))


def truth_of_borough(folder: Path, entity: str) -> dict[Key, Hashable]:
    """(source, record_id) → true entity from a synthetic borough's ``truth/record_<entity>.parquet``.

    Records that name two people (joint liability) are left out: which of the two the record's
    first name is cannot be told from the truth file, as in ``benchmarks/bench_entities.py``.
    """
    import pyarrow.parquet as pq

    table = pq.read_table(Path(folder) / f"record_{entity}.parquet")
    seen: dict[Key, set] = {}
    for source, record, true in zip(table["source"].to_pylist(), table["record_id"].to_pylist(),
                                    table[f"{entity}_id"].to_pylist()):
        seen.setdefault((source, str(record)), set()).add(true)
    return {k: next(iter(v)) for k, v in seen.items() if len(v) == 1}


def size_buckets(sizes: Mapping[int, int]) -> dict[str, int]:
    """Cluster-size distribution folded into the buckets a table can show: 1, 2, 3-5, 6-10, 11+."""
    buckets = {"1": 0, "2": 0, "3-5": 0, "6-10": 0, "11+": 0}
    for size, n in sizes.items():
        label = "1" if size == 1 else "2" if size == 2 else "3-5" if size <= 5 else "6-10" if size <= 10 else "11+"
        buckets[label] += n
    return buckets


def entity_quality(engine: Any, truth_folder: Path | None = None) -> dict[str, dict[str, Any]]:
    """Per entity the stage resolved: its quality report, plus accuracy against ``truth_folder`` (a
    synthetic borough's ``truth/``) when given. ``coverage`` is the share of the truth's records
    that were resolved at all (placeholder names such as "ANONYMOUS" are not)."""
    reports: dict[str, dict[str, Any]] = {}
    for entity in ("person", "business"):
        stored = stored_resolution(engine, entity)
        if stored is None:
            continue
        truth = None
        coverage = None
        if truth_folder is not None and (Path(truth_folder) / f"record_{entity}.parquet").exists():
            full = truth_of_borough(Path(truth_folder), entity)
            resolved = set(zip(stored.clusters["source"].to_pylist(), stored.clusters["unique_id"].to_pylist()))
            truth = {k: v for k, v in full.items() if k in resolved}
            coverage = len(truth) / len(full) if full else None
        report = quality_report(stored, truth)
        report["suspected_overlink_count"] = len(suspected_overlinks(stored, limit=None))
        if entity == "person":
            # A record naming two people (joint liability) whose two people ended as one: surely an over-link.
            report["joint_records_one_person"] = _joint_records_one_person(engine)
        report["size_buckets"] = size_buckets(report["cluster_sizes"])
        if truth is not None:
            report["accuracy"]["coverage"] = coverage
        reports[entity] = report
    return reports


def _joint_records_one_person(engine: Any) -> int:
    from oda.link.entities.stage import OUTPUTS

    dataset = OUTPUTS["person"].clusters.name
    if "joint_person_id" not in engine.query(f"SELECT * FROM {dataset} LIMIT 0").column_names:
        return 0
    rows = engine.query(f"SELECT count(*) AS n FROM {dataset} WHERE joint_person_id = person_id")
    return int(rows["n"][0].as_py())
