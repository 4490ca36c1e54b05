"""Labels: unknown outcomes are never negatives; recorded outcomes and the licence register count."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from oda.engine.duckdb_engine import DuckDBEngine
from oda.features.build import build_features
from oda.score.labels import classify_outcome, load_labels
from oda.score.model import HmoModel, ModelSettings
from tests.score.small_borough import AS_OF, build


@pytest.mark.parametrize("text, expected", [
    ("HMO confirmed", "positive"), ("hmo_confirmed", "positive"), ("Unlicensed HMO found", "positive"),
    ("Not an HMO", "negative"), ("not_hmo", "negative"), ("Single household", "negative"),
    ("No access", "unknown"), ("no_access", "unknown"), ("other", "unknown"), ("", "unknown"), (None, "unknown"),
])
def test_outcomes_are_read_as_officers_write_them(text, expected):
    assert classify_outcome(text) == expected


@pytest.fixture(scope="module")
def engine():
    engine = DuckDBEngine(None, threads=1)
    build(engine, dwellings=900, seed=5)
    yield engine
    engine.close()


def _store(rows):
    return pa.table({"uprn": pa.array([r[0] for r in rows], pa.string()),
                     "visit_date": pa.array([r[1] for r in rows], pa.date32()),
                     "outcome": pa.array([r[2] for r in rows], pa.string())})


def test_no_access_and_uninspected_never_appear_as_negatives(engine):
    labels = load_labels(engine, as_of=AS_OF)
    visits = labels.visits.to_pandas()
    training = labels.training.to_pandas()
    no_access_only = set(visits.loc[visits["status"] == "unknown", "uprn"]) - set(
        visits.loc[visits["status"] != "unknown", "uprn"])
    assert no_access_only, "the fixture should have properties whose only visit was 'No access'"
    negatives = set(training.loc[training["label"] == 0, "uprn"])
    assert not (negatives & no_access_only)
    assert negatives <= set(visits.loc[visits["status"] == "negative", "uprn"])
    everyone = set(engine.read("raw.gazetteer")["uprn"].to_pylist())
    never_visited = everyone - set(visits["uprn"])
    assert not (negatives & never_visited)
    assert set(training["label"].unique()) == {0, 1}


def test_recorded_outcomes_become_labels_and_unknown_ones_do_not(engine):
    uprns = engine.read("raw.gazetteer")["uprn"].to_pylist()
    visited = set(load_labels(engine, as_of=AS_OF).visits["uprn"].to_pylist())
    fresh = [u for u in uprns if u not in visited][:3]
    outcomes = _store([(fresh[0], AS_OF - dt.timedelta(days=3), "hmo_confirmed"),
                       (fresh[1], AS_OF - dt.timedelta(days=3), "no_access"),
                       (fresh[2], AS_OF + dt.timedelta(days=3), "not_hmo")])  # after the as-of date
    labels = load_labels(engine, as_of=AS_OF, outcomes=outcomes).training.to_pandas().set_index("uprn")
    assert labels.loc[fresh[0], "label"] == 1 and labels.loc[fresh[0], "evidence"] == "store"
    assert fresh[1] not in labels.index
    assert fresh[2] not in labels.index


def test_a_later_finding_overrides_the_licence_register(engine):
    licensed = engine.read("raw.hmo_licences")["uprn"][0].as_py()
    outcomes = _store([(licensed, AS_OF - dt.timedelta(days=1), "not_hmo")])
    labels = load_labels(engine, as_of=AS_OF, outcomes=outcomes).training.to_pandas().set_index("uprn")
    assert labels.loc[licensed, "label"] == 0


def test_an_expired_licence_is_not_a_positive(engine):
    saved = engine.read("raw.hmo_licences")
    try:
        engine.write("raw.hmo_licences", pa.table({
            "record_id": ["X1", "X2"], "uprn": [saved["uprn"][0].as_py(), saved["uprn"][1].as_py()],
            "start_date": ["01/01/2020", "01/01/2021"], "end_date": ["", ""], "status": ["Expired", "Granted"]}))
        training = load_labels(engine, as_of=AS_OF).training.to_pandas()
        licence = set(training.loc[training["evidence"] == "licence", "uprn"])
        assert saved["uprn"][1].as_py() in licence | set(training["uprn"])
        assert saved["uprn"][0].as_py() not in licence
    finally:
        engine.write("raw.hmo_licences", saved)


def test_the_model_trains_only_on_labelled_rows(engine):
    build_features(engine, as_of=AS_OF)
    frame = engine.read("feat.property").to_pandas()
    labels = load_labels(engine, as_of=AS_OF).training.to_pandas().set_index("uprn")
    y = frame["uprn"].map(labels["label"]).astype(float)
    evidence = frame["uprn"].map(labels["evidence"])
    visited = frame["uprn"].isin(set(load_labels(engine, as_of=AS_OF).visits["uprn"].to_pylist()))
    X = frame[["electors_12m", "distinct_surnames_12m", "complaints_12m", "ct_new_accounts_3y"]]
    model = HmoModel(ModelSettings(n_estimators=40)).fit(X, y, evidence, visited)
    assert model.training_counts_["rows"] == int(y.notna().sum())
    assert np.all(model.weights_[y.isna().to_numpy()] == 0)
    assert model.training_counts_["negative"] == int((y == 0).sum())
    # Calibration is fitted on inspected rows only: licence positives take no part in it.
    assert model.training_counts_["calibration_rows"] == int((y.notna() & (evidence != "licence")).sum())
    probabilities = model.predict(X)
    assert ((probabilities >= 0) & (probabilities <= 1)).all()
    assert pd.Series(probabilities).nunique() > 10
