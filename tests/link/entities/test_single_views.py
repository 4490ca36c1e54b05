"""Single views from hand-made clusters: a business's profile, the top-5% concentration, a person's addresses.

Each test runs on DuckDB and on Spark local (the views are SQL the engine runs); a last test checks both
engines write identical views.
"""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pytest

from oda.datasets import (BUSINESS_CLUSTERS, BUSINESS_CONCENTRATION, BUSINESS_PROFILE, PERSON_ADDRESSES,
                          PERSON_CLUSTERS, PROPERTY_PEOPLE)
from oda.engine.base import Engine
from oda.link.entities.single_views import WORK_RECORDS, write_single_views
from oda.project.models import Project
from tests.engine_fixtures import both_engines, engine, engine_kind, spark_keepalive  # noqa: F401

VIEWS = (PROPERTY_PEOPLE, PERSON_ADDRESSES, BUSINESS_PROFILE, BUSINESS_CONCENTRATION)


def _source(describes: str, columns: dict[str, str]) -> dict:
    return {"organisation": "council" if "rates" in columns.get("record_id", "") else "regulator",
            "agreement": "a", "describes": describes, "path": "x.csv", "columns": columns}


@pytest.fixture
def project() -> Project:
    return Project.model_validate({
        "name": "views",
        "organisations": {"council": {"name": "Council"}, "regulator": {"name": "Regulator", "kind": "regulator"}},
        "agreements": {"a": {"title": "A", "parties": ["council", "regulator"], "purposes": ["p"],
                             "lawful_basis": "public_task", "retention_days": 30}},
        "sources": {
            "rates": _source("business", {"record_id": "rates_ref", "business_name": "Ratepayer"}),
            "companies": _source("business", {"record_id": "appointment", "business_name": "Company",
                                              "full_name": "Officer"}),
            "complaints": _source("event", {"record_id": "ref", "address": "Where"}),
            "electors": _source("person", {"record_id": "elector", "first_name": "F", "surname": "S"}),
        },
    })


def _fill(engine: Engine) -> None:
    n = 40
    engine.write("stg.rates", pa.table({"record_id": [f"R{i}" for i in range(n)],
                                        "business_name": [f"SHOP {i}" for i in range(n)],
                                        "start_date": [dt.date(2020, 1, 1)] * n}))
    engine.write("stg.companies", pa.table({"record_id": ["C1", "C2"], "business_name": ["SHOP 0 LTD", "SHOP 0 LTD"],
                                            "full_name": ["ANN LEE", "BOB LEE"], "first_name": ["ANN", "BOB"],
                                            "surname": ["LEE", "LEE"]}))
    engine.write("stg.electors", pa.table({"record_id": ["E1", "E2"], "first_name": ["ANN", "ANN"],
                                           "surname": ["LEE", "LEE"]}))
    # Business 0 has 30 complaints at its premises; businesses 1-9 one each; the rest none.
    events = [("complaints", f"X{k}", "100") for k in range(30)] + [
        ("complaints", f"Y{i}", str(100 + i)) for i in range(1, 10)]
    engine.write("link.address_matches", pa.table({
        "source": [e[0] for e in events], "record_id": [e[1] for e in events],
        "uprn": pa.array([int(e[2]) for e in events], pa.int64()), "tier": ["exact"] * len(events)}))
    engine.write(BUSINESS_CLUSTERS.name, pa.table({
        "source": ["rates"] * n + ["companies", "companies"],
        "record_id": [f"R{i}" for i in range(n)] + ["C1", "C2"],
        "business_id": [f"B{i}" for i in range(n)] + ["B0", "B0"],
        "uprn": [str(100 + i) for i in range(n)] + [None, None]}))
    engine.write(PERSON_CLUSTERS.name, pa.table({
        "source": ["companies", "companies", "electors", "electors"], "record_id": ["C1", "C2", "E1", "E2"],
        "person_id": ["P1", "P2", "P1", "P1"], "uprn": [None, None, "500", "501"],
        "joint_person_id": pa.array([None] * 4, pa.string())}))


def single_views(engine: Engine, project: Project) -> dict[str, pa.Table]:
    """Write the views through the engine, then read them back (a test's small tables only)."""
    written = write_single_views(engine, project)
    assert not engine.exists(WORK_RECORDS)
    tables = {name: engine.query(f"SELECT * FROM {name}") for name in written}
    for dataset in VIEWS:
        assert set(dataset.columns) <= set(tables[dataset.name].column_names), dataset.name
    return tables


@pytest.fixture
def views_engine(engine):
    _fill(engine)
    return engine


def test_business_profile_names_premises_directors_and_agencies(views_engine, project):
    profile = {r["business_id"]: r for r in single_views(views_engine, project)["out.business_profile"].to_pylist()}
    assert len(profile) == 40
    shop = profile["B0"]
    assert shop["records"] == 3 and shop["known_to_sources"] == 2
    assert shop["known_to_agencies"] == 2 and shop["agencies"] == "council, regulator"
    assert shop["premises_uprns"] == "100" and shop["events_at_premises"] == 30
    assert shop["directors"] == 2 and shop["director_ids"] == "P1, P2"
    assert profile["B5"]["directors"] == 0 and profile["B5"]["events_at_premises"] == 1


def test_concentration_is_the_share_of_events_at_the_top_five_percent(views_engine, project):
    rows = {r["source"]: r for r in single_views(views_engine, project)["out.business_concentration"].to_pylist()}
    overall = rows["all"]
    # 40 businesses: the top 5% is 2 of them, business 0 (30 events) and one with 1 event, of 39 events.
    assert overall["businesses"] == 40 and overall["businesses_with_events"] == 10
    assert overall["top_businesses"] == 2 and overall["events"] == 39 and overall["top_events"] == 31
    assert overall["top_share_of_events"] == pytest.approx(31 / 39)
    assert rows["complaints"]["events"] == 39


def test_person_addresses_and_property_people(views_engine, project):
    views = single_views(views_engine, project)
    addresses = views["out.person_addresses"].to_pylist()
    assert sorted((r["person_id"], r["uprn"], r["name"]) for r in addresses) == [("P1", "500", "ANN LEE"),
                                                                          ("P1", "501", "ANN LEE")]
    at_100 = [r for r in views["out.property_people"].to_pylist() if r["uprn"] == "100"]
    assert [(r["entity"], r["entity_id"]) for r in at_100] == [("business", "B0")]
    assert at_100[0]["first_seen"] == dt.date(2020, 1, 1)


def _sorted_rows(table: pa.Table) -> list[tuple]:
    return sorted(tuple(str(v) for v in row.values()) for row in table.to_pylist())


@pytest.mark.spark
def test_duckdb_and_spark_write_identical_views(both_engines, project):
    duck, spark = both_engines
    found = []
    for engine in (duck, spark):
        _fill(engine)
        found.append(single_views(engine, project))
    for dataset in VIEWS:
        on_duck, on_spark = (f[dataset.name].select(list(dataset.columns)) for f in found)
        assert on_duck.num_rows > 0
        assert _sorted_rows(on_duck) == _sorted_rows(on_spark), dataset.name
