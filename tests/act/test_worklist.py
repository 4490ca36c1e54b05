"""Worklists: eligibility, capacity, a random exploration slice of the right size, valid exports."""

from __future__ import annotations

import csv
import datetime as dt
import json

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from oda.act.export import export_worklist
from oda.act.worklist import HISTORY, draw_worklist, eligible_properties, grouped, publish_worklist
from oda.datasets import WORKLIST
from oda.engine import open_engine
from oda.project.models import WorklistSettings
from oda.errors import WorklistError
from oda.score.stage import score_project
from tests.score.small_borough import AS_OF, build, write_project


@pytest.fixture(scope="module")
def scored(tmp_path_factory):
    project = write_project(tmp_path_factory.mktemp("borough"))
    engine = open_engine(project)
    build(engine, dwellings=1200, seed=21)
    score_project(engine, project)
    yield project, engine
    engine.close()


def _eligible(n: int) -> pd.DataFrame:
    return pd.DataFrame({"uprn": [str(i) for i in range(n)], "address": "", "ward": "W", "street": "S", "lat": 51.5,
                         "lon": -0.1, "score": np.linspace(1, 0, n), "band": "low", "reasons": "[]"})


def test_licensed_and_recently_inspected_properties_are_not_eligible(scored):
    project, engine = scored
    eligible = set(eligible_properties(engine, as_of=AS_OF, exclude_inspected_within_days=365)["uprn"])
    licensed = set(engine.query("SELECT uprn FROM feat.property WHERE licensed_now = 1")["uprn"].to_pylist())
    recent = set(engine.query(
        f"SELECT uprn FROM score.visits WHERE visit_date > DATE '{(AS_OF - dt.timedelta(days=365)).isoformat()}'"
    )["uprn"].to_pylist())
    assert licensed and recent
    assert not (eligible & licensed) and not (eligible & recent)
    longer = set(eligible_properties(engine, as_of=AS_OF, exclude_inspected_within_days=0)["uprn"])
    assert recent - licensed <= longer
    some = sorted(eligible)[:2]
    fewer = eligible_properties(engine, as_of=AS_OF, exclude_inspected_within_days=365, exclude_uprns=some)
    assert not set(some) & set(fewer["uprn"])


def test_the_list_is_cut_to_capacity_with_the_exploration_slice(scored):
    project, engine = scored
    worklist = publish_worklist(engine, project.config.worklist, as_of=AS_OF, capacity=50, organisation="council")
    table = engine.read(WORKLIST.name).to_pandas()
    assert list(table.columns) == list(WORKLIST.columns)
    assert len(table) == 50 and table["rank"].tolist() == list(range(1, 51))
    assert table["exploration"].sum() == 5 == worklist.exploration
    assert (table["organisation"] == "council").all()
    ranked = table[~table["exploration"]]
    assert ranked["score"].is_monotonic_decreasing
    assert engine.count(HISTORY) >= 50


def test_exploration_slice_is_a_uniform_draw_from_all_eligible():
    eligible = _eligible(1000)
    positions = []
    for seed in range(60):
        worklist = draw_worklist(eligible, capacity=40, exploration_share=0.25, seed=seed, as_of=AS_OF)
        table = worklist.table.to_pandas()
        slice_ = table[table["exploration"]]
        assert len(slice_) == 10
        positions += slice_["uprn"].astype(int).tolist()
    # Uniform over 0..999: mean ~500, and the slice reaches the bottom half of the ranking.
    assert 430 < np.mean(positions) < 570
    assert np.mean(np.array(positions) >= 500) > 0.4
    first = draw_worklist(eligible, capacity=40, exploration_share=0.25, seed=1, as_of=AS_OF).table
    again = draw_worklist(eligible, capacity=40, exploration_share=0.25, seed=1, as_of=AS_OF).table
    assert first.equals(again), "the same seed and date give the same list"


@pytest.mark.parametrize("capacity, share, expected", [(200, 0.10, 20), (15, 0.10, 2), (10, 0.0, 0), (7, 1.0, 7)])
def test_exploration_slice_size(capacity, share, expected):
    table = draw_worklist(_eligible(500), capacity=capacity, exploration_share=share, seed=0, as_of=AS_OF).table
    assert table.num_rows == capacity
    assert sum(table["exploration"].to_pylist()) == expected


def test_capacity_must_be_positive():
    with pytest.raises(WorklistError, match="capacity must be a positive number of visits, got 0"):
        draw_worklist(_eligible(5), capacity=0, exploration_share=0.1, seed=0, as_of=AS_OF)


def test_grouping_for_routing():
    table = draw_worklist(_eligible(30).assign(ward=["B", "A", "C"] * 10), capacity=12, exploration_share=0,
                          seed=0, as_of=AS_OF).table
    wards = grouped(table, "ward")["ward"].to_pylist()
    assert wards == sorted(wards)


def test_exports_are_valid_csv_xlsx_and_geojson(scored, tmp_path):
    project, engine = scored
    publish_worklist(engine, project.config.worklist, as_of=AS_OF, capacity=30)
    table = engine.read(WORKLIST.name)
    rows = list(csv.DictReader(export_worklist(table, tmp_path / "list.csv").open(encoding="utf-8")))
    assert len(rows) == 30 and "exploration" not in rows[0] and rows[0]["rank"] == "1"
    assert rows[0]["reasons"] and not rows[0]["reasons"].startswith("[")
    sheet = load_workbook(export_worklist(table, tmp_path / "list.xlsx")).active
    assert sheet.max_row == 31 and sheet["A1"].value == "rank"
    geo = json.loads(export_worklist(table, tmp_path / "list.geojson").read_text(encoding="utf-8"))
    assert geo["type"] == "FeatureCollection" and len(geo["features"]) == 30
    point = geo["features"][0]
    assert point["geometry"]["type"] == "Point" and len(point["geometry"]["coordinates"]) == 2
    assert isinstance(point["properties"]["reasons"], list) and "exploration" not in point["properties"]
    with pytest.raises(WorklistError, match="cannot export a worklist as `.pdf`"):
        export_worklist(table, tmp_path / "list.pdf")


def test_nothing_scored_yet_is_explained(tmp_path):
    project = write_project(tmp_path)
    with open_engine(project) as engine:
        with pytest.raises(WorklistError, match="run `oda score` first"):
            publish_worklist(engine, WorklistSettings(), as_of=AS_OF)
