"""Hit rates and their uncertainty: precision and recall at capacity, Wilson and Clopper–Pearson intervals."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats


@dataclass(frozen=True)
class Interval:
    estimate: float | None
    low: float | None
    high: float | None
    hits: int
    n: int


def wilson(hits: int, n: int, confidence: float = 0.95) -> Interval:
    """The Wilson score interval for a proportion (good at small ``n`` and near 0 or 1).

    >>> round(wilson(7, 10).low, 3), round(wilson(7, 10).high, 3)
    (0.397, 0.892)
    """
    if n <= 0:
        return Interval(None, None, None, hits, n)
    z = stats.norm.ppf(0.5 + confidence / 2)
    p = hits / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    low, high = centre - half, centre + half
    return Interval(p, 0.0 if low < 1e-12 else float(low), 1.0 if high > 1 - 1e-12 else float(high), hits, n)


def clopper_pearson(hits: int, n: int, confidence: float = 0.95) -> Interval:
    """The exact (conservative) binomial interval."""
    if n <= 0:
        return Interval(None, None, None, hits, n)
    alpha = 1 - confidence
    low = 0.0 if hits == 0 else float(stats.beta.ppf(alpha / 2, hits, n - hits + 1))
    high = 1.0 if hits == n else float(stats.beta.ppf(1 - alpha / 2, hits + 1, n - hits))
    return Interval(hits / n, low, high, hits, n)


def top_k(score: np.ndarray, k: int, *, seed: int = 0) -> np.ndarray:
    """Indices of the ``k`` highest scores; ties broken at random (seeded), not by position."""
    rng = np.random.default_rng(seed)
    jitter = rng.random(len(score))
    return np.lexsort((jitter, -np.asarray(score, float)))[:k]


def precision_recall_at_k(score: np.ndarray, truth: np.ndarray, k: int, *, seed: int = 0) -> dict[str, float | int]:
    """Precision and recall of the top ``k`` by ``score`` against boolean ``truth``."""
    truth = np.asarray(truth, bool)
    chosen = top_k(score, k, seed=seed)
    hits = int(truth[chosen].sum())
    total = int(truth.sum())
    return {"k": int(len(chosen)), "hits": hits, "precision": hits / len(chosen) if len(chosen) else None,
            "recall": hits / total if total else None}


def auc(score: np.ndarray, label: np.ndarray) -> float | None:
    """Area under the ROC curve (None when only one class is present)."""
    label = np.asarray(label, bool)
    if label.all() or not label.any():
        return None
    ranks = stats.rankdata(score)
    positives = label.sum()
    return float((ranks[label].sum() - positives * (positives + 1) / 2) / (positives * (~label).sum()))
