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
from typing import Any, Hashable, Mapping

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


def suspected_overlinks(resolution: Any, margin: float = 0.15, limit: int = 50) -> list[dict[str, Any]]:
    """Entities whose evidence is weakest, worst first.

    Reasons: ``weak link`` (the entity's weakest linking pair is within ``margin`` of the threshold),
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
        if weakest.get(cid, 1.0) < resolution.threshold + margin:
            reasons.append("weak link")
        if disagree[cid]:
            reasons.append("disagreeing records")
        if any(per_source[(cid, s)] > max(usual.get(s, 1), 1) for s in {k[0] for k in keys}):
            reasons.append("many from one source")
        if reasons:
            found.append({"cluster_id": cid, "size": len(keys), "weakest_link": weakest.get(cid),
                          "disagreeing_pairs": disagree[cid], "reasons": reasons})
    found.sort(key=lambda r: (-len(r["reasons"]), r["weakest_link"] or 1.0, -r["size"]))
    return found[:limit]


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
