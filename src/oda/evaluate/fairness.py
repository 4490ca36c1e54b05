"""Fairness: who gets flagged, by ward and by deprivation decile, and whether complaints stand in for place.

Published aggregates follow small-number suppression: a group with fewer than
:data:`SUPPRESS_BELOW` flagged properties shows no hit rate.

The complaint-proxy check asks whether the model simply sends inspectors where people complain:

* across wards, how closely the share flagged follows the complaint rate, compared with how closely
  it follows the true (or labelled) HMO rate;
* how many flagged properties had no complaint in the last year, and how often those were HMOs;
* the precision of a model refitted without any complaint feature.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

SUPPRESS_BELOW = 5


def _rate(hits: float, n: float) -> float | None:
    return None if n < SUPPRESS_BELOW else float(hits / n)


def by_group(frame: pd.DataFrame, group: str, flagged: np.ndarray, truth: np.ndarray | None) -> list[dict]:
    """Per value of ``group``: dwellings, score distribution, share flagged, hit rate among flagged."""
    rows = []
    data = frame.assign(_flagged=flagged, _truth=truth if truth is not None else np.nan)
    for key, part in data.groupby(group, dropna=False, sort=True):
        n_flagged = int(part["_flagged"].sum())
        row = {
            group: None if pd.isna(key) else (str(int(key)) if isinstance(key, float) else str(key)),
            "dwellings": int(len(part)),
            "score_mean": float(part["score"].mean()),
            "score_median": float(part["score"].median()),
            "score_p90": float(part["score"].quantile(0.9)),
            "flagged": n_flagged,
            "flagged_share": float(n_flagged / len(part)),
        }
        if truth is not None:
            row["hit_rate_flagged"] = _rate(part.loc[part["_flagged"], "_truth"].sum(), n_flagged)
            row["true_rate"] = float(part["_truth"].mean())
        rows.append(row)
    return rows


def _spearman(a: list[float], b: list[float]) -> float | None:
    if len(a) < 3 or np.std(a) == 0 or np.std(b) == 0:
        return None
    return float(stats.spearmanr(a, b).statistic)


def complaint_proxy(frame: pd.DataFrame, flagged: np.ndarray, truth: np.ndarray | None,
                    precision_without_complaints: float | None) -> dict:
    """See the module docstring. ``frame`` needs ``ward`` and ``complaints_12m``."""
    complaints = frame.get("complaints_12m", pd.Series(0.0, index=frame.index)).fillna(0).to_numpy(float)
    ward = frame["ward"].fillna("(none)")
    per_ward = pd.DataFrame({"ward": ward, "complaints": complaints, "flagged": flagged,
                             "truth": truth if truth is not None else np.nan}).groupby("ward").mean()
    quiet = flagged & (complaints == 0)
    out = {
        "flagged_without_recent_complaint": int(quiet.sum()),
        "flagged_without_recent_complaint_share": float(quiet.sum() / max(1, flagged.sum())),
        "ward_correlation_flagged_vs_complaints": _spearman(per_ward["complaints"].tolist(), per_ward["flagged"].tolist()),
        "precision_without_complaint_features": precision_without_complaints,
    }
    if truth is not None:
        out["hit_rate_flagged_without_recent_complaint"] = _rate(truth[quiet].sum(), quiet.sum())
        out["ward_correlation_flagged_vs_true_rate"] = _spearman(per_ward["truth"].tolist(), per_ward["flagged"].tolist())
        out["ward_correlation_complaints_vs_true_rate"] = _spearman(per_ward["truth"].tolist(),
                                                                    per_ward["complaints"].tolist())
    return out


def fairness(frame: pd.DataFrame, flagged: np.ndarray, truth: np.ndarray | None) -> dict:
    """Score distributions and hit rates by ward and, when the gazetteer gives it, deprivation decile."""
    out = {"suppress_below": SUPPRESS_BELOW, "by_ward": by_group(frame, "ward", flagged, truth)}
    if "imd_decile" in frame and frame["imd_decile"].notna().any():
        out["by_deprivation_decile"] = by_group(frame, "imd_decile", flagged, truth)
    else:
        out["by_deprivation_decile"] = []
        out["deprivation_note"] = ("the gazetteer has no `imd_decile` attribute, so scores cannot be broken down by "
                                   "deprivation; add the IMD decile of each property's LSOA to the gazetteer")
    return out
