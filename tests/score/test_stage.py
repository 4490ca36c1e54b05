"""`oda score`: refuses without a charter; writes calibrated scores with reasons; retrains on outcomes."""

from __future__ import annotations

import datetime as dt
import json

import pyarrow as pa
import pytest

from oda.datasets import PROPERTY_SCORES
from oda.engine import open_engine
from oda.errors import CharterIncompleteError
from oda.features.build import build_features
from oda.project.models import RuleDefinition, ScoreSettings
from oda.runs import record_run
from oda.errors import ScoreError
from oda.score.labels import load_labels
from oda.score.rules import DEFAULT_RULES, apply_rules
from oda.score.stage import MODELS, score_project
from tests.score.small_borough import AS_OF, build, write_project


@pytest.fixture(scope="module")
def scored(tmp_path_factory):
    project = write_project(tmp_path_factory.mktemp("borough"))
    engine = open_engine(project)
    build(engine, dwellings=1500, seed=11)
    with record_run(engine, project, "score") as run:
        result = score_project(engine, project, run=run)
    yield project, engine, result
    engine.close()


def test_scoring_is_refused_while_the_charter_has_gaps(tmp_path):
    project = write_project(tmp_path, charter=False)
    with open_engine(project) as engine:
        with pytest.raises(CharterIncompleteError, match="charter.problem is empty"):
            score_project(engine, project)
        assert not engine.exists(PROPERTY_SCORES.name)


def test_every_dwelling_gets_a_calibrated_score_and_reasons(scored):
    _, engine, result = scored
    table = engine.read(PROPERTY_SCORES.name).to_pandas()
    assert list(table.columns) == list(PROPERTY_SCORES.columns)
    assert len(table) == 1500 == table["uprn"].nunique()
    assert table["score"].between(0, 1).all() and table["rule_score"].between(0, 1).all()
    assert set(table["band"]) <= {"high", "medium", "low"}
    assert (table["model_version"] == result.model_version).all()
    flagged = table[table["band"] != "low"]
    assert len(flagged) > 0
    reasons = flagged["reasons"].map(json.loads)
    assert reasons.map(len).gt(0).all(), "every flag carries at least one reason"
    sentences = [s for r in reasons for s in r]
    assert any("typical for this street" in s for s in sentences)
    assert any("surnames on the electoral register" in s for s in sentences)


def test_scores_are_calibrated_to_the_stock_not_to_the_inspected(scored):
    _, engine, _ = scored
    mean_score = engine.query(f"SELECT avg(score) AS m FROM {PROPERTY_SCORES.name}")["m"][0].as_py()
    # Inspected homes are ~20-30% HMOs; the stock ~5-7%. Calibration must land near the stock.
    assert 0.02 < mean_score < 0.15


def test_the_run_record_names_the_model_and_the_data_it_saw(scored):
    _, engine, result = scored
    model = engine.query(f"SELECT * FROM {MODELS}").to_pylist()[-1]
    assert model["model_version"] == result.model_version
    assert json.loads(model["label_counts"]) == result.label_counts
    assert model["labels_fingerprint"] == result.labels_fingerprint
    inputs = engine.query("SELECT * FROM meta.run_inputs WHERE source = 'labels'").to_pylist()
    assert inputs[-1]["sha256"] == result.labels_fingerprint


def test_outcomes_recorded_later_are_picked_up_by_the_next_run(scored):
    project, engine, first = scored
    visited = set(load_labels(engine, as_of=AS_OF).visits["uprn"].to_pylist())
    fresh = [u for u in engine.read("raw.gazetteer")["uprn"].to_pylist() if u not in visited][:4]
    outcomes = pa.table({"uprn": fresh, "visit_date": pa.array([AS_OF - dt.timedelta(days=2)] * 4, pa.date32()),
                         "outcome": ["hmo_confirmed", "not_hmo", "no_access", "hmo_confirmed"]})
    second = score_project(engine, project, outcomes=outcomes)
    assert second.label_counts["visits_from_store"] == 4
    assert second.label_counts["positive_inspections"] == first.label_counts["positive_inspections"] + 2
    assert second.label_counts["negative_inspections"] == first.label_counts["negative_inspections"] + 1
    assert second.model_version != first.model_version
    assert engine.count(MODELS) >= 2


def test_rules_score_in_inspectors_terms():
    import pandas as pd

    frame = pd.DataFrame({"electors_12m": [6, 1, None], "epc_private_rented": [1, 0, 1]})
    rules = {"many": RuleDefinition(feature="electors_12m", at_least=5, points=3, reason="5+ adults"),
             "rented": RuleDefinition(feature="epc_private_rented", equals=1, points=1, reason="rented")}
    scored = apply_rules(frame, rules)
    assert scored.score.tolist() == [1.0, 0.0, 0.25]
    assert scored.reasons == [["5+ adults", "rented"], [], ["rented"]]
    with pytest.raises(ScoreError, match=r"\[score.rules\] name feature\(s\) crystal_ball"):
        apply_rules(frame, {"x": RuleDefinition(feature="crystal_ball", at_least=1)})


def test_default_rules_name_real_features():
    from oda.features.registry import columns

    assert {r.feature for r in DEFAULT_RULES.values()} <= set(columns())


def test_too_few_labels_suggests_the_rules(tmp_path):
    from oda.engine.duckdb_engine import DuckDBEngine
    from oda.score.stage import score_features

    with DuckDBEngine(None) as engine:
        build(engine, dwellings=300, seed=2)
        engine.write("raw.inspections", engine.query("SELECT * FROM raw.inspections LIMIT 3"))
        engine.write("raw.hmo_licences", engine.query("SELECT * FROM raw.hmo_licences LIMIT 0"))
        features = build_features(engine, as_of=AS_OF)
        labels = load_labels(engine, as_of=AS_OF)
        with pytest.raises(ScoreError, match='set \\[score\\] model = "rules"'):
            score_features(engine, features, labels, ScoreSettings())
        run, frame = score_features(engine, features, labels, ScoreSettings(model="rules"), write=False)
        assert run.method == "rules" and (frame["score"] == frame["rule_score"]).all()
