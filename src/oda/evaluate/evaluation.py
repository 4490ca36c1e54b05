"""`oda evaluate`: every method at the same capacity, the exploration estimate, backtests, fairness, ATRS.

Four methods rank the same eligible properties (not licensed, not recently visited, not excluded):

* ``model`` — the learned model's calibrated score;
* ``rules`` — the expert-rule baseline from ``[score.rules]``;
* ``complaints`` — complaint-driven practice: most complaints in the last year first, then the last
  three years (ties at random);
* ``random`` — a uniform draw, reported at its exact expected value.

With ``truth_dir`` (a synthetic borough's folder; a real council never has one) each method's
precision and recall at capacity are measured against ``truth/properties.parquet`` — recall out of the
true HMOs among the eligible properties. ``already_known_hmos`` counts picks that an earlier
inspection had already found (unlicensed HMOs awaiting follow-up); ``precision_new_finds`` is the
precision over the other picks, the figure for discovery alone. Without it, only the label-based figures are available.

The exploration slice comes from the published worklist (``out.worklist``) or, if none has been
published, from a worklist drawn now with the project's settings. Its estimate uses the officers'
recorded outcomes; on a synthetic borough with no recorded visits it uses the truth as if every slice
property had been visited (said so in ``exploration.outcomes_from``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pyarrow as pa

from oda.act.worklist import draw_worklist, eligible_properties
from oda.datasets import PROPERTY_FEATURES, PROPERTY_SCORES, WORKLIST
from oda.engine.base import Engine
from oda.evaluate.backtest import BacktestInputs, backtests, method_scores
from oda.evaluate.fairness import complaint_proxy, fairness
from oda.evaluate.metrics import precision_recall_at_k, top_k, wilson
from oda.evaluate.transparency import transparency_record
from oda.features.build import FeatureBuild
from oda.features.dwellings import DWELLINGS
from oda.features.registry import columns as registry_columns
from oda.features.registry import family
from oda.errors import EvaluateError, ScoreError
from oda.score.labels import LABELS, NEGATIVE, POSITIVE
from oda.score.stage import MODELS, load_project_labels, score_features

if TYPE_CHECKING:
    from oda.project.load import LoadedProject

METHODS = ("model", "rules", "complaints", "random")


def load_truth(truth_dir: Path) -> pd.Series:
    """``uprn → is_hmo`` from a synthetic borough's ``truth/properties.parquet`` (or the folder itself)."""
    import pyarrow.parquet as pq

    candidates = [truth_dir / "truth" / "properties.parquet", truth_dir / "properties.parquet"]
    path = next((p for p in candidates if p.exists()), None)
    if path is None:
        raise EvaluateError(f"no truth at {candidates[0]}: pass --truth the folder `oda synth` wrote "
                            "(it holds truth/properties.parquet)")
    table = pq.read_table(path, columns=["uprn", "is_hmo"]).to_pandas()
    return pd.Series(table["is_hmo"].astype(bool).to_numpy(), index=table["uprn"].astype(str).to_numpy())


def _latest_model(engine: Engine) -> dict:
    if not engine.exists(PROPERTY_SCORES.name):
        raise EvaluateError("nothing has been scored yet (no score.property): run `oda score` first")
    if not engine.exists(MODELS):
        return {}
    rows = engine.query(f"SELECT * FROM {MODELS} ORDER BY scored_at DESC LIMIT 1").to_pylist()
    return rows[0] if rows else {}


def _frame(engine: Engine, project: "LoadedProject", as_of: dt.date) -> pd.DataFrame:
    settings = project.config.worklist
    eligible = eligible_properties(engine, as_of=as_of, exclude_inspected_within_days=settings.exclude_inspected_within_days,
                                   exclude_uprns=settings.exclude_uprns)
    extra = engine.query(
        f"SELECT f.*, s.rule_score, d.imd_decile FROM {PROPERTY_FEATURES.name} f "
        f"JOIN {PROPERTY_SCORES.name} s ON s.uprn = f.uprn LEFT JOIN {DWELLINGS} d ON d.uprn = f.uprn"
    ).to_pandas()
    extra = extra.drop(columns=[c for c in ("as_of",) if c in extra])
    return eligible.merge(extra, on="uprn", how="left")


def _model_without_complaints(engine: Engine, project: "LoadedProject", as_of: dt.date, eligible: pd.DataFrame,
                              truth: np.ndarray | None, capacity: int, outcomes: pa.Table | None) -> float | None:
    """Precision at capacity (vs truth) of the model refitted with no complaint feature."""
    if truth is None or "complaints" not in project.config.features.families:
        return None
    complaint_columns = {c.name for c in family("complaints").columns} | {"street_complaint_rate_12m"}
    kept = tuple(c for c in registry_columns(project.config.features.families).values()
                 if c.name not in complaint_columns)
    build = FeatureBuild(PROPERTY_FEATURES.name, as_of, 0, (), (), kept)
    labels = load_project_labels(engine, project, as_of=as_of, outcomes=outcomes)
    try:
        _, frame = score_features(engine, build, labels, project.config.score, write=False)
    except ScoreError:
        return None
    score = eligible["uprn"].map(frame.set_index("uprn")["score"]).fillna(0).to_numpy()
    return precision_recall_at_k(score, truth, capacity)["precision"]


def _exploration(engine: Engine, project: "LoadedProject", eligible: pd.DataFrame, truth: np.ndarray | None,
                 as_of: dt.date, capacity: int, outcomes: pa.Table | None) -> dict:
    settings = project.config.worklist
    if engine.exists(WORKLIST.name) and engine.count(WORKLIST.name):
        table = engine.read(WORKLIST.name).to_pandas()
        drawn_from = "published worklist"
    else:
        table = draw_worklist(eligible, capacity=capacity, exploration_share=settings.exploration_share,
                              seed=settings.seed, as_of=as_of).table.to_pandas()
        drawn_from = "worklist drawn for this evaluation"
    slice_uprns = table.loc[table["exploration"], "uprn"].astype(str).tolist()
    out: dict = {"drawn_from": drawn_from, "slice_size": len(slice_uprns), "share": settings.exploration_share,
                 "eligible": int(len(eligible))}
    recorded = {}
    if outcomes is not None and outcomes.num_rows:
        from oda.score.labels import classify_outcome

        for row in outcomes.to_pylist():
            status = classify_outcome(row["outcome"])
            if str(row["uprn"]) in slice_uprns and status in (POSITIVE, NEGATIVE) and row["visit_date"] >= as_of:
                recorded[str(row["uprn"])] = status == POSITIVE
    truth_by_uprn = dict(zip(eligible["uprn"].astype(str), truth)) if truth is not None else {}
    if recorded:
        found, out["outcomes_from"] = list(recorded.values()), "recorded visit outcomes"
    elif truth is not None:
        found, out["outcomes_from"] = [bool(truth_by_uprn.get(u, False)) for u in slice_uprns], \
            "truth (synthetic borough: every slice property treated as visited)"
    else:
        found, out["outcomes_from"] = [], "no outcomes recorded for the slice yet"
    interval = wilson(int(sum(found)), len(found))
    out.update({"visited": len(found), "hits": int(sum(found)), "estimate": interval.estimate,
                "ci_low": interval.low, "ci_high": interval.high, "confidence": 0.95, "interval": "Wilson"})
    if truth is not None:
        out["true_rate"] = float(np.mean(truth)) if len(truth) else None
        out["truth_within_ci"] = (interval.low is not None and interval.low <= out["true_rate"] <= interval.high)
    return out


def evaluate_project(engine: Engine, project: "LoadedProject", *, truth_dir: Path | None = None,
                     capacity: int | None = None, outcomes: pa.Table | None = None,
                     backtest_horizons: tuple[int, ...] = (365,), with_proxy_model: bool = True) -> dict:
    """The whole evaluation as a JSON-ready dict (see the module docstring)."""
    latest = _latest_model(engine)
    as_of = latest.get("as_of") or dt.date.today()
    capacity = capacity or project.config.worklist.capacity
    eligible = _frame(engine, project, as_of)
    if eligible.empty:
        raise EvaluateError("no eligible property to evaluate: every scored property is licensed or recently visited")
    capacity = min(capacity, len(eligible))
    truth = None
    if truth_dir is not None:
        truth = eligible["uprn"].map(load_truth(Path(truth_dir))).fillna(False).to_numpy(bool)
    labels = load_project_labels(engine, project, as_of=dt.date.max, outcomes=outcomes) if outcomes is not None else None
    later = None
    if labels is not None:
        visits = labels.visits.to_pandas()
        visits = visits[(visits["visit_date"] > as_of) & visits["status"].isin([POSITIVE, NEGATIVE])]
        later = visits.sort_values("visit_date").groupby("uprn")["status"].last().eq(POSITIVE)

    known = set()
    if engine.exists(LABELS):
        known = set(engine.query(f"SELECT uprn FROM {LABELS} WHERE label = 1")["uprn"].to_pylist())
    already_known = eligible["uprn"].isin(known).to_numpy()
    methods: dict[str, dict] = {}
    seed = project.config.worklist.seed
    for name, score in method_scores(eligible).items():
        entry: dict = {"k": capacity}
        chosen = top_k(score, capacity, seed=seed)
        if truth is not None:
            if name == "random":
                rate = float(truth.mean())
                entry.update(precision_at_capacity=rate,
                             recall_at_capacity=capacity / len(eligible) if truth.any() else None,
                             hits=round(rate * capacity, 1), expected_value=True)
            else:
                measured = precision_recall_at_k(score, truth, capacity, seed=seed)
                new = chosen[~already_known[chosen]]
                entry.update(precision_at_capacity=measured["precision"], recall_at_capacity=measured["recall"],
                             hits=measured["hits"], already_known_hmos=int(already_known[chosen].sum()),
                             precision_new_finds=float(truth[new].mean()) if len(new) else None)
        if later is not None:
            found = eligible["uprn"].iloc[chosen].map(later).dropna()
            interval = wilson(int(found.sum()), len(found))
            entry.update(label_hit_rate=interval.estimate, label_ci_low=interval.low, label_ci_high=interval.high,
                         label_visits=len(found))
        methods[name] = entry
    if truth is not None:
        random_precision = methods["random"]["precision_at_capacity"] or None
        model_precision = methods["model"]["precision_at_capacity"] or 0.0
        methods["model"]["ratios"] = {
            other: (model_precision / methods[other]["precision_at_capacity"]
                    if methods[other].get("precision_at_capacity") else None)
            for other in ("random", "complaints", "rules")
        }
        methods["model"]["ratios"]["random"] = model_precision / random_precision if random_precision else None

    flagged = np.zeros(len(eligible), bool)
    flagged[top_k(eligible["score"].to_numpy(float), capacity, seed=seed)] = True
    proxy_precision = (_model_without_complaints(engine, project, as_of, eligible, truth, capacity, outcomes)
                       if with_proxy_model else None)
    model_counts = json.loads(latest.get("label_counts") or "{}")
    result = {
        "project": project.config.name,
        "as_of": as_of.isoformat(),
        "model_version": latest.get("model_version"),
        "capacity": capacity,
        "eligible": int(len(eligible)),
        "truth": str(truth_dir) if truth_dir is not None else None,
        "true_hmos_eligible": int(truth.sum()) if truth is not None else None,
        "methods": methods,
        "exploration": _exploration(engine, project, eligible, truth, as_of, capacity, outcomes),
        "fairness": fairness(eligible, flagged, truth),
        "complaint_proxy": complaint_proxy(eligible, flagged, truth, proxy_precision),
        "model": {"label_counts": model_counts, "features": json.loads(latest.get("features") or "[]")},
    }
    if backtest_horizons:
        config = project.config
        inputs = BacktestInputs(
            families=tuple(config.features.families), gazetteer=config.link.gazetteer,
            date_formats={n: list(s.date_formats) for n, s in config.sources.items()},
            source_names=dict(config.features.source_names), label_source=config.score.label_source,
            licence_source=config.score.licence_source)
        later_labels = load_project_labels(engine, project, as_of=as_of, outcomes=outcomes)
        result["backtests"] = backtests(engine, inputs, config.score, as_of=as_of, capacity=capacity,
                                        later=later_labels, horizons_days=backtest_horizons, seed=seed)
    result["transparency"] = transparency_record(project, result)
    return result


def to_json(result: dict) -> str:
    def default(value: object) -> object:
        if isinstance(value, (dt.date, dt.datetime)):
            return value.isoformat()
        if isinstance(value, (np.integer,)):
            return int(value)
        if isinstance(value, (np.floating,)):
            return float(value)
        if isinstance(value, np.bool_):
            return bool(value)
        if dataclasses.is_dataclass(value):
            return dataclasses.asdict(value)  # type: ignore[arg-type]
        return str(value)

    return json.dumps(result, indent=2, default=default, ensure_ascii=False)
