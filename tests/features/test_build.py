"""feat.property: one row per dwelling, every family, nothing from after the as-of date."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pytest

from oda.engine.duckdb_engine import DuckDBEngine
from oda.features.build import DEFAULT_FAMILIES, build_features, parse_as_of
from oda.features.registry import families, family
from oda.project.models import FeatureSettings
from oda.errors import FeatureError
from tests.score.small_borough import AS_OF, build


@pytest.fixture(scope="module")
def engine():
    engine = DuckDBEngine(None, threads=1)
    build(engine, dwellings=600, seed=3)
    yield engine
    engine.close()


def _features(engine, dataset="feat.property"):
    return engine.read(dataset).sort_by("uprn")


def test_one_row_per_dwelling_with_every_family_column(engine):
    result = build_features(engine, as_of=AS_OF)
    assert result.rows == 600
    table = _features(engine)
    assert table.column_names[:2] == ["uprn", "as_of"]
    for name in DEFAULT_FAMILIES:
        for column in family(name).columns:
            assert column.name in table.column_names
    assert len(set(table["uprn"].to_pylist())) == 600
    assert "planning" in result.skipped and "electoral" in result.built


def test_a_family_whose_source_is_not_loaded_is_unknown_not_zero(engine):
    build_features(engine, as_of=AS_OF)
    planning = _features(engine)["planning_hmo_5y"].to_pylist()
    assert all(value is None for value in planning)


def test_no_feature_sees_the_future(engine):
    build_features(engine, as_of=AS_OF, dataset="feat.before")
    before = _features(engine, "feat.before")
    target = before["uprn"][0].as_py()
    later = AS_OF + dt.timedelta(days=1)
    saved = {name: engine.read(f"raw.{name}") for name in
             ("env_health_requests", "electoral_register", "council_tax", "hmo_licences", "epc", "housing_benefit")}
    try:
        engine.write("raw.env_health_requests", pa.table({
            "record_id": ["F1", "F2"], "uprn": [target, target], "event_date": [later.isoformat()] * 2,
            "event_type": ["Housing - Overcrowding", "Noise"]}), mode="append")
        engine.write("raw.electoral_register", pa.table({
            "record_id": [f"FER{i}" for i in range(6)], "uprn": [target] * 6, "first_name": ["A"] * 6,
            "surname": [f"NEW{i}" for i in range(6)], "register_year": [str(AS_OF.year + 1)] * 6}), mode="append")
        engine.write("raw.council_tax", pa.table({
            "record_id": ["FCT"], "uprn": [target], "address_line_1": ["ROOM 9, 1 STREET"], "full_name": ["X Y"],
            "start_date": [later.strftime("%d/%m/%Y")], "end_date": [""], "band": ["H"], "spd": ["Y"],
            "exemption": ["N"]}), mode="append")
        engine.write("raw.hmo_licences", pa.table({"record_id": ["FL"], "uprn": [target],
                                                   "start_date": [later.strftime("%d/%m/%Y")], "end_date": [""]}),
                     mode="append")
        engine.write("raw.epc", pa.table({"record_id": ["FE"], "uprn": [target], "event_date": [later.isoformat()],
                                          "tenure": ["Rented (private)"], "total_floor_area": ["999"]}), mode="append")
        engine.write("raw.housing_benefit", pa.table({
            "record_id": ["FHB"], "uprn": [target], "first_name": ["Q"], "surname": ["Z"],
            "start_date": [later.isoformat()], "end_date": [""], "lha_category": ["SAR"]}), mode="append")
        build_features(engine, as_of=AS_OF, dataset="feat.after")
        assert _features(engine, "feat.after").equals(before)
        # ...and the same records are seen once the date has passed.
        build_features(engine, as_of=later, dataset="feat.later")
        row = _features(engine, "feat.later").filter(pa.compute.equal(pa.compute.field("uprn"), target)).to_pylist()[0]
        assert row["licensed_now"] == 1 and row["complaints_overcrowding_24m"] >= 1 and row["epc_floor_area"] == 999
    finally:
        for name, table in saved.items():
            engine.write(f"raw.{name}", table)


def test_uk_dates_and_spells_are_read(engine):
    build_features(engine, as_of=AS_OF)
    accounts = _features(engine)["ct_accounts_now"].to_pylist()
    assert sum(accounts) > 0


def test_confident_links_place_records_and_review_links_do_not(engine):
    saved = engine.read("raw.env_health_requests")
    try:
        uprns = engine.read("feat.dwellings")["uprn"].to_pylist()
        engine.write("raw.env_health_requests", pa.table({
            "record_id": ["A", "B"], "uprn": [None, None], "event_date": [AS_OF.isoformat()] * 2,
            "event_type": ["Noise", "Noise"]}))
        engine.write("link.address_matches", pa.table({
            "source": ["env_health_requests"] * 2, "record_id": ["A", "B"], "uprn": [uprns[0], uprns[1]],
            "probability": [0.97, 0.85], "tier": ["confident", "review"]}))
        build_features(engine, as_of=AS_OF)
        table = _features(engine).to_pandas().set_index("uprn")
        assert table.loc[uprns[0], "complaints_12m"] == 1
        assert table.loc[uprns[1], "complaints_12m"] == 0
    finally:
        engine.drop("link.address_matches")
        engine.write("raw.env_health_requests", saved)


def test_every_family_is_documented_and_listed_by_default():
    known = families()
    assert set(FeatureSettings().families) <= set(known)
    for fam in known.values():
        assert fam.description and fam.sources
        for column in fam.columns:
            assert column.description and column.reason
            assert column.sentence(3.0)


def test_unknown_family_and_bad_date_are_explained(engine):
    with pytest.raises(FeatureError, match="feature family `crystal_ball` is not known"):
        build_features(engine, as_of=AS_OF, families=["crystal_ball"])
    with pytest.raises(FeatureError, match="as-of date `30/06/2025` is not YYYY-MM-DD"):
        parse_as_of("30/06/2025")


def test_missing_gazetteer_is_explained():
    with DuckDBEngine(None) as empty:
        with pytest.raises(FeatureError, match="the gazetteer source `gazetteer` is not loaded"):
            build_features(empty, as_of=AS_OF)
