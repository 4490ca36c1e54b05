"""Hit-rate intervals and ranking metrics."""

from __future__ import annotations

import numpy as np
import pytest

from oda.evaluate.metrics import auc, clopper_pearson, precision_recall_at_k, top_k, wilson


def test_wilson_interval_matches_the_textbook():
    interval = wilson(7, 10)
    assert interval.estimate == 0.7
    assert interval.low == pytest.approx(0.3968, abs=1e-4) and interval.high == pytest.approx(0.8922, abs=1e-4)
    assert wilson(0, 20).low == 0.0 and wilson(20, 20).high == 1.0
    assert wilson(0, 0).estimate is None


def test_clopper_pearson_is_wider_than_wilson():
    exact, approx = clopper_pearson(7, 10), wilson(7, 10)
    assert exact.low < approx.low and exact.high > approx.high
    assert clopper_pearson(0, 10).low == 0.0 and clopper_pearson(10, 10).high == 1.0


def test_wilson_covers_the_truth_about_95_percent_of_the_time():
    rng = np.random.default_rng(0)
    covered = [(lambda i: i.low <= 0.05 <= i.high)(wilson(int(rng.binomial(60, 0.05)), 60)) for _ in range(2000)]
    assert 0.92 < np.mean(covered) < 0.99


def test_precision_and_recall_at_k_break_ties_at_random():
    score = np.array([1, 1, 1, 1, 0, 0])
    picks = {tuple(sorted(top_k(score, 2, seed=s))) for s in range(20)}
    assert len(picks) > 1 and all(set(p) <= {0, 1, 2, 3} for p in picks)
    result = precision_recall_at_k(np.array([3, 2, 1, 0]), np.array([1, 0, 1, 0], bool), 2)
    assert result == {"k": 2, "hits": 1, "precision": 0.5, "recall": 0.5}
    assert auc(np.array([0.9, 0.8, 0.1]), np.array([1, 1, 0])) == 1.0
    assert auc(np.array([0.9, 0.8]), np.array([1, 1])) is None
