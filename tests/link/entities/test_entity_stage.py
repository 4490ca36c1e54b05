"""The `resolve` stage of `oda run` on a small synthetic borough: datasets, accuracy against the truth,
stable ids on a re-run, `oda status`, and the same clusters on Spark."""

from __future__ import annotations

import json
import shutil

import pyarrow.compute as pc
import pytest

from oda.cli.main import main
from oda.datasets import (BUSINESS_CLUSTERS, BUSINESS_CONCENTRATION, BUSINESS_PAIRS, BUSINESS_PROFILE, ENTITY_MODELS,
                          PERSON_ADDRESSES, PERSON_CLUSTERS, PERSON_PAIRS, PROPERTY_PEOPLE)
from oda.engine import open_engine
from oda.errors import ProjectError
from oda.link.entities.quality import entity_quality
from oda.link.entities.stage import resolve_project, stored_model
from oda.project.load import load_project

pytestmark = pytest.mark.slow

WRITTEN = (PERSON_CLUSTERS, BUSINESS_CLUSTERS, PERSON_PAIRS, BUSINESS_PAIRS, ENTITY_MODELS, PROPERTY_PEOPLE,
           PERSON_ADDRESSES, BUSINESS_PROFILE, BUSINESS_CONCENTRATION)


def _run_through_resolve(folder) -> None:
    from oda.ingest.progress import Reporter
    from oda.pipeline import STAGES, StageContext, run_pipeline
    from oda.runs import record_run

    loaded = load_project(folder)
    stages = [s for s in STAGES if s.name in ("ingest", "standardise", "link", "resolve")]
    with open_engine(loaded) as engine, record_run(engine, loaded, "run") as run:
        run_pipeline(StageContext(loaded, engine, run, Reporter(quiet=True)), stages)


@pytest.fixture(scope="module")
def borough(tmp_path_factory):
    from oda.synth import generate_borough

    folder = tmp_path_factory.mktemp("entity-stage") / "borough"
    generate_borough(folder, properties=500, seed=3)
    _run_through_resolve(folder)
    return folder


def _ids(engine, dataset: str, column: str) -> dict[tuple[str, str], str]:
    rows = engine.query(f"SELECT source, record_id, {column} FROM {dataset}")
    return dict(zip(zip(rows["source"].to_pylist(), rows["record_id"].to_pylist()), rows[column].to_pylist()))


def test_the_stage_writes_every_promised_dataset(borough):
    loaded = load_project(borough)
    with open_engine(loaded) as engine:
        for dataset in WRITTEN:
            written = engine.query(f"SELECT * FROM {dataset.name} LIMIT 0").schema.names
            assert set(dataset.columns) <= set(written), dataset.name
            assert engine.count(dataset.name) > 0, dataset.name
        people = engine.read(PERSON_CLUSTERS.name)
        assert {"uprn", "cluster_size", "match_probability", "joint_person_id"} <= set(people.column_names)
        keys = list(zip(people["source"].to_pylist(), people["record_id"].to_pylist()))
        assert len(keys) == len(set(keys))  # one row per (source, record_id)
        assert {"electoral_register", "council_tax", "housing_benefit", "companies"} <= {k[0] for k in keys}
        # Joint council-tax liability: the second person is resolved as someone else.
        joint = people.filter(pc.invert(pc.is_null(people["joint_person_id"])))
        assert joint.num_rows > 0 and set(joint["source"].to_pylist()) == {"council_tax"}
        # Two people of one name on one account with nothing else to tell them apart are merged; rare.
        apart = sum(a != b for a, b in zip(joint["person_id"].to_pylist(), joint["joint_person_id"].to_pylist()))
        assert apart >= 0.97 * joint.num_rows, (apart, joint.num_rows)
        # Company liability is a business, not a person; placeholder names are nobody.
        companies_liable = engine.query("SELECT record_id FROM stg.council_tax WHERE liable_type = 'Company'")
        business_keys = set(_ids(engine, BUSINESS_CLUSTERS.name, "business_id"))
        assert {("council_tax", r) for r in companies_liable["record_id"].to_pylist()} <= business_keys
        assert not {("council_tax", r) for r in companies_liable["record_id"].to_pylist()} & set(keys)
        anonymous = engine.query("SELECT record_id FROM stg.env_health_requests WHERE full_name = 'ANONYMOUS'")
        assert anonymous.num_rows > 0
        assert not {("env_health_requests", r) for r in anonymous["record_id"].to_pylist()} & set(keys)

        # All the evidence the sources' mappings declare reaches the model (oda.toml's columns and entities).
        compared = {c["output_column_name"] for c in stored_model(engine, "person")["comparisons"]}
        assert {"title", "first_name", "middle_name", "surname", "dob", "period"} <= compared, compared

        # Every written pair explains itself: the terms add up to its match weight.
        pair = engine.query(f"SELECT * FROM {PERSON_PAIRS.name} WHERE person_id IS NOT NULL LIMIT 1").to_pylist()[0]
        terms = json.loads(pair["explanation"])
        assert terms[0]["comparison"] == "prior"
        assert sum(t["match_weight"] for t in terms) == pytest.approx(pair["match_weight"], abs=1e-6)

        profile = engine.read(BUSINESS_PROFILE.name)
        assert profile.num_rows == len(set(_ids(engine, BUSINESS_CLUSTERS.name, "business_id").values()))
        assert max(profile["known_to_sources"].to_pylist()) >= 2
        assert max(profile["directors"].to_pylist()) >= 1  # company officers are people named on its records
        concentration = {r["source"]: r for r in engine.read(BUSINESS_CONCENTRATION.name).to_pylist()}
        overall = concentration["all"]
        assert 0 < overall["top_share_of_events"] <= 1 and overall["top_events"] <= overall["events"]
        addresses = engine.read(PERSON_ADDRESSES.name)
        everyone = set(people["person_id"].to_pylist()) | set(joint["joint_person_id"].to_pylist())
        assert set(addresses["person_id"].to_pylist()) <= everyone
        assert set(joint["joint_person_id"].to_pylist()) & set(addresses["person_id"].to_pylist())


def test_accuracy_against_the_borough_truth_is_above_the_floor(borough):
    loaded = load_project(borough)
    with open_engine(loaded) as engine:
        reports = entity_quality(engine, borough / "truth")
    person, business = reports["person"]["accuracy"], reports["business"]["accuracy"]
    # Measured on this borough (500 dwellings, seed 3) at the default thresholds (0.5): people cluster
    # F1 0.97, F1 of the pairs in clusters 0.91, of the scored links 0.81 (links the clustering refuses
    # as contradictions still count there); businesses cluster F1 0.97, pairwise F1 0.96. The floors
    # leave room for the synthetic data's and Splink's training variation, not for a regression.
    assert person["clusters"]["f1"] >= 0.93, person
    assert person["pairs_in_clusters"]["f1"] >= 0.87, person
    assert person["pairwise"]["f1"] >= 0.77, person
    assert business["clusters"]["f1"] >= 0.90, business
    assert business["pairwise"]["f1"] >= 0.90, business
    assert person["coverage"] >= 0.98
    assert reports["person"]["suspected_overlink_count"] < reports["person"]["entities"] * 0.05


def test_oda_status_reports_entity_quality(borough, capsys):
    capsys.readouterr()
    assert main(["status", str(borough)]) in (0, None)
    out = capsys.readouterr().out
    assert "Entities" in out and "suspected over-links" in out and "cluster P / R / F1" in out
    assert "truth records resolved" in out  # the borough has a truth/ folder
    assert "joint records merged" in out


def test_entity_ids_stay_put_when_a_few_records_arrive(borough, tmp_path):
    folder = tmp_path / "copy"
    shutil.copytree(borough, folder)
    loaded = load_project(folder)
    with open_engine(loaded) as engine:
        full = engine.read("stg.electoral_register")
        before = full.slice(0, full.num_rows - 40)  # the last 40 electors have not arrived yet
        engine.write("stg.electoral_register", before)
        resolve_project(engine, loaded.config)
        first = _ids(engine, PERSON_CLUSTERS.name, "person_id")
        engine.write("stg.electoral_register", full)
        resolve_project(engine, loaded.config)
        second = _ids(engine, PERSON_CLUSTERS.name, "person_id")
    assert len(second) == len(first) + 40
    kept = sum(first[k] == second[k] for k in first)
    # Measured: 100% of records kept their person id (a new record can join, or rarely split, an entity).
    assert kept >= 0.99 * len(first), (kept, len(first))


def test_a_source_entity_mapping_naming_a_missing_column_is_refused(tmp_path):
    from oda.synth import generate_borough

    folder = tmp_path / "borough"
    generate_borough(folder, properties=100, seed=1)
    text = (folder / "oda.toml").read_text(encoding="utf-8")
    (folder / "oda.toml").write_text(text.replace('kind_attribute = "Liable Type"', 'kind_attribute = "Liable Typ"'),
                                     encoding="utf-8")
    with pytest.raises(ProjectError) as caught:
        load_project(folder)
    assert any("entities.kind_attribute `Liable Typ` is not one of this source's attributes" in p
               and "add it to `attributes` or fix the name" in p for p in caught.value.problems), caught.value.problems


@pytest.mark.spark
def test_spark_gives_the_same_entities_as_duckdb_on_a_sample(borough, tmp_path):
    pytest.importorskip("pyspark")
    from oda.engine.duckdb_engine import DuckDBEngine
    from oda.engine.spark_engine import SparkEngine

    # A sample of the sources keeps Spark's local-mode run to a minute or two; the fields compared
    # (and so the model) are the same as on the whole borough.
    sample = ("gazetteer", "council_tax", "housing_benefit", "business_rates", "food_businesses", "companies")
    loaded = load_project(borough)
    config = loaded.config.model_copy(update={"sources": {k: v for k, v in loaded.config.sources.items()
                                                          if k in sample}})
    with open_engine(loaded) as source:
        datasets = {name: source.read(name) for name in [f"stg.{s}" for s in sample] + ["link.address_matches"]}
        models = {entity: stored_model(source, entity) for entity in ("person", "business")}
    found = {}
    for kind in ("duckdb", "spark"):
        engine = DuckDBEngine(tmp_path / "sample.duckdb") if kind == "duckdb" else SparkEngine(tmp_path / "spark")
        try:
            for name, table in datasets.items():
                engine.write(name, table)
            # Training on Spark in local mode takes minutes; the parameters estimated on DuckDB move
            # across, and each engine blocks, scores and clusters.
            resolve_project(engine, config, models=models)
            found[kind] = {c: _ids(engine, d.name, c) for d, c in ((PERSON_CLUSTERS, "person_id"),
                                                                   (BUSINESS_CLUSTERS, "business_id"))}
            assert engine.count(PROPERTY_PEOPLE.name) > 0
        finally:
            engine.close()
    for column, on_duckdb in found["duckdb"].items():
        on_spark = found["spark"][column]
        assert set(on_spark) == set(on_duckdb) and len(on_duckdb) > 100
        same = sum(on_spark[k] == on_duckdb[k] for k in on_spark)
        # Splink's Spark Jaro-Winkler differs from DuckDB's in the third decimal for a few strings
        # (see test_entity_spark.py), which may move a borderline pair. Measured: all the same.
        assert same >= 0.995 * len(on_spark), (column, same, len(on_spark))


def test_a_stored_pair_explains_itself_as_a_chart(borough):
    from oda.link.entities.explain import explain_stored_pair, waterfall_svg

    loaded = load_project(borough)
    with open_engine(loaded) as engine:
        pair = engine.query(f"SELECT * FROM {PERSON_PAIRS.name} WHERE person_id IS NOT NULL "
                            "AND source_l <> source_r LIMIT 1").to_pylist()[0]
        steps = explain_stored_pair(engine, "person", (pair["source_r"], pair["record_id_r"]),
                                    (pair["source_l"], pair["record_id_l"]))
        assert explain_stored_pair(engine, "person", ("nowhere", "1"), ("nowhere", "2")) is None
    assert steps[-1]["cumulative"] == pytest.approx(pair["match_weight"], abs=1e-6)
    assert steps[-1]["match_probability"] == pytest.approx(pair["match_probability"])
    svg = waterfall_svg(steps)
    assert svg.startswith("<svg") and "http" not in svg.replace("http://www.w3.org/2000/svg", "")


@pytest.mark.spark
def test_single_views_are_identical_on_spark_and_duckdb(borough, tmp_path):
    """The views are SQL the engine runs: from the same clusters and staged records, Spark writes what DuckDB does."""
    pytest.importorskip("pyspark")
    from oda.engine.duckdb_engine import DuckDBEngine
    from oda.engine.spark_engine import SparkEngine
    from oda.link.entities.single_views import write_single_views

    loaded = load_project(borough)
    with open_engine(loaded) as source:
        needed = [d for d in source.datasets() if d.startswith("stg.")] + [
            "link.address_matches", PERSON_CLUSTERS.name, BUSINESS_CLUSTERS.name]
        datasets = {name: source.read(name) for name in needed}
    views = (PROPERTY_PEOPLE, PERSON_ADDRESSES, BUSINESS_PROFILE, BUSINESS_CONCENTRATION)
    found = {}
    for kind in ("duckdb", "spark"):
        engine = DuckDBEngine(tmp_path / "views.duckdb") if kind == "duckdb" else SparkEngine(tmp_path / "spark")
        try:
            for name, table in datasets.items():
                engine.write(name, table)
            written = write_single_views(engine, loaded.config)
            assert set(written) == {v.name for v in views} and all(written.values())
            found[kind] = {v.name: sorted(tuple(str(x) for x in row.values()) for row in
                                          engine.query(f"SELECT {', '.join(v.columns)} FROM {v.name}").to_pylist())
                           for v in views}
        finally:
            engine.close()
    for view in views:
        assert found["spark"][view.name] == found["duckdb"][view.name], view.name
