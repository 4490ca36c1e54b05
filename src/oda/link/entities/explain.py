"""Why two records were (or were not) linked: the match weight taken apart, as plain records.

A pair's match weight is the prior (how likely two records picked at random are the same entity)
plus one term per comparison (and per term-frequency adjustment). :func:`explain_pair` lists those
terms in order with the values compared and the level they fell in, so that the web app, a notebook
or a test can show or check them; :func:`waterfall_svg` draws them as a self-contained SVG chart
(no script, no network). :func:`explain_cluster` does the same for an entity: its records, its links,
and the weakest link holding it together.
"""

from __future__ import annotations

import math
from html import escape
from typing import Any, Mapping

import pyarrow as pa
import pyarrow.compute as pc


def level_labels(comparison: Mapping[str, Any]) -> dict[int, str]:
    """Gamma value → level label. Splink numbers the non-null levels from the top down to 0."""
    levels = comparison["comparison_levels"]
    labels = {-1: next((lv.get("label_for_charts", "null") for lv in levels if lv.get("is_null_level")), "null")}
    rest = [lv for lv in levels if not lv.get("is_null_level")]
    for i, level in enumerate(rest):
        labels[len(rest) - 1 - i] = level.get("label_for_charts") or level.get("sql_condition", "")
    return labels


def prior_weight(model: Mapping[str, Any]) -> float:
    p = model["probability_two_random_records_match"]
    return math.log2(p / (1 - p))


def explain_pair(pair: Mapping[str, Any], model: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The waterfall of one scored pair (a row of ``Resolution.pairs``): one record per term.

    Each record has ``comparison``, ``level``, ``value_l``, ``value_r``, ``match_weight`` (this
    term's contribution, in bits: positive raises the weight) and ``cumulative``. The last record,
    ``comparison == "total"``, carries the pair's match weight and probability; the terms sum to it.
    """
    steps: list[dict[str, Any]] = []
    total = prior_weight(model)
    steps.append({"comparison": "prior", "level": "two records picked at random", "value_l": None,
                  "value_r": None, "match_weight": total, "cumulative": total})
    for comparison in model["comparisons"]:
        name = comparison["output_column_name"]
        gamma = pair.get(f"gamma_{name}")
        weight = pair.get(f"mw_{name}") or 0.0
        total += weight
        steps.append({"comparison": name, "level": level_labels(comparison).get(gamma, str(gamma)),
                      "value_l": pair.get(f"{name}_l"), "value_r": pair.get(f"{name}_r"),
                      "match_weight": weight, "cumulative": total})
        adjustment = pair.get(f"mw_tf_adj_{name}")
        if adjustment:
            total += adjustment
            steps.append({"comparison": f"{name} (how common the value is)", "level": "term frequency",
                          "value_l": pair.get(f"{name}_l"), "value_r": pair.get(f"{name}_r"),
                          "match_weight": adjustment, "cumulative": total})
    steps.append({"comparison": "total", "level": "", "value_l": None, "value_r": None,
                  "match_weight": pair.get("match_weight", total), "cumulative": total,
                  "match_probability": pair.get("match_probability", 2 ** total / (1 + 2 ** total))})
    return steps


def find_pair(pairs: pa.Table, a: tuple[str, str], b: tuple[str, str]) -> dict[str, Any] | None:
    """The scored pair between records ``a`` and ``b`` (each ``(source, unique_id)``), either way round."""
    for left, right in ((a, b), (b, a)):
        mask = pc.and_(pc.and_(pc.equal(pairs["source_dataset_l"], left[0]), pc.equal(pairs["unique_id_l"], left[1])),
                       pc.and_(pc.equal(pairs["source_dataset_r"], right[0]), pc.equal(pairs["unique_id_r"], right[1])))
        found = pairs.filter(mask)
        if found.num_rows:
            return found.slice(0, 1).to_pylist()[0]
    return None


def explain_cluster(resolution: Any, cluster_id: str) -> dict[str, Any]:
    """An entity: its records, the links between them, the mean contribution of each comparison,
    and the waterfall of its weakest link (where an over-link would show)."""
    clusters = resolution.clusters
    members = clusters.filter(pc.equal(clusters["cluster_id"], cluster_id))
    keys = set(zip(members["source"].to_pylist(), members["unique_id"].to_pylist()))
    pairs = resolution.pairs
    rows = [r for r in pairs.to_pylist()
            if (r["source_dataset_l"], r["unique_id_l"]) in keys and (r["source_dataset_r"], r["unique_id_r"]) in keys]
    contributions: dict[str, list[float]] = {}
    for row in rows:
        for step in explain_pair(row, resolution.model)[1:-1]:
            contributions.setdefault(step["comparison"], []).append(step["match_weight"])
    weakest = min(rows, key=lambda r: r["match_weight"]) if rows else None
    return {
        "cluster_id": cluster_id,
        "records": sorted(keys),
        "links": [{"a": (r["source_dataset_l"], r["unique_id_l"]), "b": (r["source_dataset_r"], r["unique_id_r"]),
                   "match_probability": r["match_probability"], "match_weight": r["match_weight"]} for r in rows],
        "mean_contribution": {k: sum(v) / len(v) for k, v in contributions.items()},
        "weakest_link": explain_pair(weakest, resolution.model) if weakest else [],
    }


def waterfall_svg(steps: list[dict[str, Any]], width: int = 640) -> str:
    """A waterfall chart of :func:`explain_pair`'s steps as standalone SVG (works offline)."""
    row, label_w, pad = 22, 230, 10
    body = [s for s in steps if s["comparison"] != "total"]
    cumulative = [0.0] + [s["cumulative"] for s in body]
    lo, hi = min(cumulative + [0.0]), max(cumulative + [0.0])
    span = (hi - lo) or 1.0
    plot_w = width - label_w - 2 * pad

    def x(v: float) -> float:
        return label_w + pad + (v - lo) / span * plot_w

    height = row * (len(body) + 2) + pad
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'font-family="Arial, sans-serif" font-size="12" role="img" aria-label="match weight waterfall">']
    parts.append(f'<line x1="{x(0):.1f}" y1="0" x2="{x(0):.1f}" y2="{height}" stroke="#505a5f"/>')
    start = 0.0
    for i, step in enumerate(body):
        y = pad + i * row
        end = step["cumulative"]
        colour = "#00703c" if step["match_weight"] >= 0 else "#d4351c"
        left, right = sorted((x(start), x(end)))
        label = escape(f'{step["comparison"]}: {step["level"]}')[:48]
        parts.append(f'<text x="{label_w}" y="{y + 15}" text-anchor="end">{label}</text>')
        parts.append(f'<rect x="{left:.1f}" y="{y + 3}" width="{max(right - left, 1):.1f}" height="{row - 6}" '
                     f'fill="{colour}"><title>{step["match_weight"]:+.2f}</title></rect>')
        start = end
    total = steps[-1]
    y = pad + len(body) * row
    parts.append(f'<text x="{label_w}" y="{y + 15}" text-anchor="end" font-weight="bold">match weight '
                 f'{total["match_weight"]:+.2f} (p = {total.get("match_probability", 0):.4f})</text>')
    parts.append("</svg>")
    return "\n".join(parts)


def stored_pair_steps(explanation: str | list[dict[str, Any]], match_probability: float | None = None,
                      ) -> list[dict[str, Any]]:
    """The waterfall of a pair as the resolve stage stored it (``link.person_pairs.explanation``),
    with running totals and the closing ``total`` step, ready for :func:`waterfall_svg`."""
    import json

    terms = json.loads(explanation) if isinstance(explanation, str) else list(explanation)
    steps, total = [], 0.0
    for term in terms:
        total += term["match_weight"] or 0.0
        steps.append({**term, "cumulative": total})
    probability = match_probability if match_probability is not None else 2 ** total / (1 + 2 ** total)
    steps.append({"comparison": "total", "level": "", "value_l": None, "value_r": None, "match_weight": total,
                  "cumulative": total, "match_probability": probability})
    return steps


def explain_stored_pair(engine: Any, entity: str, a: tuple[str, str], b: tuple[str, str]) -> list[dict[str, Any]] | None:
    """Why records ``a`` and ``b`` (each ``(source, record_id)``) were or were not linked, read from the
    resolve stage's pairs dataset; None when the pair was not scored (or scored below 0.05)."""
    from oda.link.entities.stage import OUTPUTS

    dataset = OUTPUTS[entity].pairs.name
    if not engine.exists(dataset):
        return None
    lit = engine.dialect.string_literal
    for left, right in ((a, b), (b, a)):
        rows = engine.query(
            f"SELECT explanation, match_probability FROM {dataset} WHERE source_l = {lit(left[0])} AND "
            f"record_id_l = {lit(left[1])} AND source_r = {lit(right[0])} AND record_id_r = {lit(right[1])}")
        if rows.num_rows:
            return stored_pair_steps(rows["explanation"][0].as_py(), rows["match_probability"][0].as_py())
    return None
