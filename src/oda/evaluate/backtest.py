"""Time-split backtests on the labels a council has: train on earlier outcomes, test on later ones.

For each cut date, features and labels are rebuilt *as of the cut* (nothing after it is seen), the
model and the rules are fitted and applied, and every method's ranking is compared with the visits
that happened after the cut and before the scoring date. Two figures per method:

* ``hit_rate_at_capacity`` — of the method's top-``capacity`` properties at the cut that were
  later visited with a definite finding, the share that were HMOs (few are visited, so ``n`` is shown);
* ``auc_on_later_visits`` — how well the method orders all later-visited properties.

Later visits were chosen mostly after complaints, so these figures flatter complaint-driven
practice; the exploration slice and (on a synthetic borough) the truth are the unbiased checks.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from oda.engine.base import Engine
from oda.evaluate.metrics import auc, top_k, wilson
from oda.features.build import build_features
from oda.project.models import ScoreSettings
from oda.errors import ScoreError
from oda.score.labels import NEGATIVE, POSITIVE, Labels, load_labels
from oda.score.stage import score_features

BACKTEST_FEATURES = "feat.property_backtest"


@dataclass(frozen=True)
class BacktestInputs:
    families: tuple[str, ...]
    gazetteer: str
    date_formats: dict[str, list[str]]
    source_names: dict[str, str]
    label_source: str
    licence_source: str


def method_scores(frame: pd.DataFrame) -> dict[str, np.ndarray]:
    """The four methods' scores over ``frame`` (higher = visit first)."""
    complaints = np.zeros(len(frame))
    for weight, column in ((1_000.0, "complaints_12m"), (1.0, "complaints_3y")):
        if column in frame:
            complaints += weight * frame[column].fillna(0).to_numpy(float)
    return {
        "model": frame["score"].to_numpy(float),
        "rules": frame["rule_score"].to_numpy(float),
        "complaints": complaints,
        "random": np.zeros(len(frame)),
    }


def run_backtest(engine: Engine, inputs: BacktestInputs, settings: ScoreSettings, *, as_of: dt.date, cut: dt.date,
                 capacity: int, later: Labels, seed: int = 0) -> dict:
    """One time split at ``cut``; ``later`` holds the visits known on ``as_of`` (the test outcomes)."""
    build = build_features(engine, as_of=cut, families=inputs.families, gazetteer=inputs.gazetteer,
                           date_formats=inputs.date_formats, source_names=inputs.source_names,
                           dataset=BACKTEST_FEATURES)
    labels = load_labels(engine, as_of=cut, label_source=inputs.label_source, licence_source=inputs.licence_source,
                         date_formats=inputs.date_formats, source_names=inputs.source_names,
                         outcomes=_store_visits(later, cut))
    try:
        _, frame = score_features(engine, build, labels, settings, write=False)
    except ScoreError as exc:
        return {"cut": cut.isoformat(), "skipped": str(exc)}
    finally:
        engine.drop(BACKTEST_FEATURES)
    visits = later.visits.to_pandas()
    visits = visits[(visits["visit_date"] > cut) & (visits["visit_date"] <= as_of) & visits["status"].isin([POSITIVE, NEGATIVE])]
    outcome = visits.sort_values("visit_date").groupby("uprn")["status"].last().eq(POSITIVE)
    if "licensed_now" in frame:
        frame = frame[frame["licensed_now"].fillna(0) == 0].reset_index(drop=True)
    found = frame["uprn"].map(outcome)
    visited = found.notna().to_numpy()
    hit = found.fillna(False).to_numpy(bool)
    result = {"cut": cut.isoformat(), "trained_on": labels.counts(), "later_visits": int(visited.sum()),
              "later_hit_rate": float(hit[visited].mean()) if visited.any() else None, "methods": {}}
    for name, score in method_scores(frame).items():
        if name == "random":  # its expected value: the hit rate of all later visits
            n, hits = int(visited.sum()), int(hit[visited].sum())
        else:
            chosen = top_k(score, capacity, seed=seed)
            n, hits = int(visited[chosen].sum()), int(hit[chosen].sum())
        interval = wilson(hits, n)
        result["methods"][name] = {
            "hit_rate_at_capacity": interval.estimate, "ci_low": interval.low, "ci_high": interval.high,
            "visited_in_top": n, "hits_in_top": hits,
            "auc_on_later_visits": auc(score[visited] + 1e-9 * np.random.default_rng(seed).random(visited.sum()),
                                       hit[visited]) if name != "random" else 0.5,
        }
    return result


def _store_visits(labels: Labels, cut: dt.date):
    """The store's outcomes among ``labels``' visits, as a table ``load_labels`` reads, up to ``cut``."""
    import pyarrow as pa
    import pyarrow.compute as pc

    visits = labels.visits
    mask = pc.and_(pc.equal(visits["origin"], "store"), pc.less_equal(visits["visit_date"], pa.scalar(cut)))
    return visits.filter(mask).select(["uprn", "visit_date", "outcome"])


def backtests(engine: Engine, inputs: BacktestInputs, settings: ScoreSettings, *, as_of: dt.date, capacity: int,
              later: Labels, horizons_days: tuple[int, ...] = (365,), seed: int = 0) -> list[dict]:
    """One backtest per horizon: cut at ``as_of - horizon``, test on what was found since."""
    return [run_backtest(engine, inputs, settings, as_of=as_of, cut=as_of - dt.timedelta(days=h),
                         capacity=capacity, later=later, seed=seed) for h in horizons_days]
