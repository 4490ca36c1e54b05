"""`oda score`, `oda worklist` and `oda evaluate` end to end on a small borough, through the CLI."""

from __future__ import annotations

import csv
import json

import pyarrow.parquet as pq
import pytest

from oda.cli.main import main
from oda.engine import open_engine
from tests.score.small_borough import build, write_project

REQUIRED_METHODS = ("model", "rules", "complaints", "random")


@pytest.fixture(scope="module")
def evaluated(tmp_path_factory):
    folder = tmp_path_factory.mktemp("borough")
    project = write_project(folder)
    with open_engine(project) as engine:
        borough = build(engine, dwellings=2000, seed=8)
    (folder / "truth").mkdir()
    pq.write_table(borough.truth, folder / "truth" / "properties.parquet")
    assert main(["score", str(folder)]) == 0
    assert main(["worklist", str(folder), "--capacity", "40", "--export", str(folder / "list.csv")]) == 0
    assert main(["evaluate", str(folder), "--truth", str(folder), "--capacity", "40", "--json", str(folder / "report.json"),
                 "--html", str(folder / "report.html")]) == 0
    return folder, json.loads((folder / "report.json").read_text(encoding="utf-8"))


def test_the_json_report_has_the_required_keys(evaluated):
    _, report = evaluated
    assert report["capacity"] == 40
    for method in REQUIRED_METHODS:
        entry = report["methods"][method]
        assert 0 <= entry["precision_at_capacity"] <= 1 and 0 <= entry["recall_at_capacity"] <= 1
    exploration = report["exploration"]
    for key in ("estimate", "ci_low", "ci_high", "true_rate"):
        assert isinstance(exploration[key], float)
    assert exploration["ci_low"] <= exploration["estimate"] <= exploration["ci_high"]
    assert exploration["slice_size"] == 4 and exploration["drawn_from"] == "published worklist"
    assert report["backtests"][0]["methods"]["model"]["auc_on_later_visits"] is not None
    assert {row["ward"] for row in report["fairness"]["by_ward"]} == {"Ward 0", "Ward 1", "Ward 2", "Ward 3"}
    assert report["fairness"]["by_deprivation_decile"]
    proxy = report["complaint_proxy"]
    assert proxy["precision_without_complaint_features"] is not None
    atrs = report["transparency"]
    assert atrs["tier_1"]["name"] == "Find unlicensed HMOs"
    assert atrs["tier_2"]["model_specification"]["model_version"] == report["model_version"]


def test_the_model_beats_random_complaints_and_the_rules(evaluated):
    """An accuracy test that can fail: measured against the borough's truth."""
    _, report = evaluated
    methods = {name: report["methods"][name]["precision_at_capacity"] for name in REQUIRED_METHODS}
    assert methods["model"] >= 5 * methods["random"]
    assert methods["model"] > methods["rules"]
    assert methods["model"] > methods["complaints"]


def test_the_html_report_is_self_contained(evaluated):
    folder, _ = evaluated
    text = (folder / "report.html").read_text(encoding="utf-8")
    assert text.startswith("<!doctype html>") and "<style>" in text
    assert "http://" not in text and "https://" not in text and "<script" not in text
    assert "Transparency record" in text and "Exploration slice" in text


def test_the_worklist_export_is_what_officers_see_and_is_audited(evaluated):
    from oda.store import audit
    from oda.store.db import open_store

    folder, _ = evaluated
    rows = list(csv.DictReader((folder / "list.csv").open(encoding="utf-8")))
    assert len(rows) == 40 and "exploration" not in rows[0]
    store = open_store(project_root=folder)
    try:
        entries = audit.search(store, action="export")
    finally:
        store.close()
    assert entries and entries[0].object_type == "worklist" and entries[0].detail["path"] == str(folder / "list.csv")


def test_scoring_without_a_charter_is_refused_by_the_cli(tmp_path, capsys):
    write_project(tmp_path, charter=False)
    assert main(["score", str(tmp_path)]) == 2
    assert "charter.owner is empty" in capsys.readouterr().err


def test_the_exploration_estimate_uses_recorded_visits_when_there_are_some(evaluated):
    import datetime as dt

    import pyarrow as pa

    from oda.evaluate.evaluation import evaluate_project
    from oda.project.load import load_project

    folder, _ = evaluated
    project = load_project(folder, check_files=False)
    with open_engine(project) as engine:
        slice_ = engine.query("SELECT uprn FROM out.worklist WHERE exploration")["uprn"].to_pylist()
        outcomes = pa.table({
            "uprn": slice_, "visit_date": pa.array([dt.date(2025, 7, 10)] * len(slice_), pa.date32()),
            "outcome": ["hmo_confirmed"] + ["not_hmo"] * (len(slice_) - 2) + ["no_access"]})
        with_visits = evaluate_project(engine, project, capacity=40, outcomes=outcomes, backtest_horizons=(),
                                       with_proxy_model=False)
        without_truth = evaluate_project(engine, project, capacity=40, backtest_horizons=(), with_proxy_model=False)
    exploration = with_visits["exploration"]
    assert exploration["outcomes_from"] == "recorded visit outcomes"
    assert exploration["visited"] == len(slice_) - 1 and exploration["hits"] == 1  # no access is not a visit result
    assert "true_rate" not in exploration
    assert "precision_at_capacity" not in without_truth["methods"]["model"]
    assert without_truth["exploration"]["estimate"] is None
