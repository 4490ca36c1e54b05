"""Accuracy against the synthetic borough's truth: a test that fails when matching gets worse.

Seeds differ from the calibration's (424242...); recall is over every address with a true UPRN.
"""

from __future__ import annotations

import pytest

from oda.link.address.match import AddressMatcher
from oda.link.address.synthetic import make_set


def _precision_recall(profile: str, seed: int, **noise: float) -> tuple[float, float]:
    gazetteer, messy = make_set(3000, seed, profile=profile, **noise)
    matcher = AddressMatcher().fit(gazetteer)
    result = matcher.match(messy.drop(["true_uprn", "errors"]))
    matcher.close()
    truth = messy.column("true_uprn").to_pylist()
    found = result.column("uprn").to_pylist()
    predicted = sum(u is not None for u in found)
    correct = sum(u == t for u, t in zip(found, truth))
    return correct / predicted, correct / len(truth)


@pytest.mark.slow
@pytest.mark.parametrize("profile", ["council_tax", "housing_benefit"])
def test_precision_and_recall_on_a_source_of_the_synthetic_borough(profile):
    precision, recall = _precision_recall(profile, 17)
    assert precision >= 0.995
    assert recall >= 0.98


@pytest.mark.slow
def test_precision_holds_with_many_missing_and_wrong_postcodes():
    precision, recall = _precision_recall("electoral_register", 23, postcode_missing=0.3, postcode_wrong=0.2)
    assert precision >= 0.995
    assert recall >= 0.97
