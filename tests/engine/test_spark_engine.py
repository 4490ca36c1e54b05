"""What only the Spark engine has to get right: its folders, its shared session, its catalog."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from oda.errors import EngineError

pytestmark = pytest.mark.spark


@pytest.fixture
def spark_engine(spark_keepalive, tmp_path: Path):
    from oda.engine.spark_engine import SparkEngine

    engine = SparkEngine(tmp_path / "warehouse")
    yield engine
    engine.close()


def test_each_dataset_is_a_parquet_folder_named_by_layer_and_table(spark_engine, tmp_path: Path):
    spark_engine.write("raw.council_tax", pa.table({"uprn": [1, 2]}))
    spark_engine.create_as("stg.council_tax", "SELECT uprn FROM raw.council_tax")
    for layer in ("raw", "stg"):
        folder = tmp_path / "warehouse" / layer / "council_tax"
        files = list(folder.glob("*.parquet"))
        assert files, f"no parquet files in {folder}"
        assert pq.read_table(folder).column("uprn").to_pylist() == [1, 2]
    assert not list((tmp_path / "warehouse").glob("_staging/*"))


def test_nothing_is_left_in_the_working_directory(spark_keepalive, tmp_path: Path, monkeypatch):
    from oda.engine.spark_engine import SparkEngine

    monkeypatch.chdir(tmp_path)
    with SparkEngine(tmp_path / "warehouse") as engine:
        engine.write("raw.people", pa.table({"a": [1]}))
        engine.create_as("stg.people", "SELECT a FROM raw.people")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["warehouse"]


def test_arrow_types_parquet_spark_cannot_read_are_converted(spark_engine):
    table = pa.table({
        "nothing": pa.nulls(2),
        "category": pa.array(["a", "b"]).dictionary_encode(),
        "big_text": pa.array(["x", None], pa.large_string()),
        "when": pa.array([dt.datetime(2020, 2, 1, 10, 30, 0, 123456), None], pa.timestamp("ns")),
    })
    spark_engine.write("raw.types", table)
    back = spark_engine.read("raw.types")
    assert back.to_pylist() == [
        {"nothing": None, "category": "a", "big_text": "x", "when": dt.datetime(2020, 2, 1, 10, 30, 0, 123456)},
        {"nothing": None, "category": "b", "big_text": None, "when": None},
    ]


def test_append_refuses_columns_the_dataset_does_not_have(spark_engine):
    spark_engine.write("raw.people", pa.table({"record_id": ["a"]}))
    with pytest.raises(EngineError, match=r"cannot append to `raw.people`: it has no column\(s\) postcode. "
                                          r"Write with mode='replace' to change its columns"):
        spark_engine.write("raw.people", pa.table({"record_id": ["b"], "postcode": ["E1 6AN"]}), mode="append")
    assert spark_engine.count("raw.people") == 1


def test_engines_on_different_warehouses_in_one_process_keep_their_own_data(spark_keepalive, tmp_path: Path):
    from oda.engine.spark_engine import SparkEngine

    north = SparkEngine(tmp_path / "north")
    south = SparkEngine(tmp_path / "south")
    try:
        north.write("raw.people", pa.table({"town": ["Durham"]}))
        south.write("raw.people", pa.table({"town": ["Brighton"], "n": [2]}))
        assert north.query("SELECT * FROM raw.people").to_pylist() == [{"town": "Durham"}]
        assert south.query("SELECT * FROM raw.people").to_pylist() == [{"town": "Brighton", "n": 2}]
        north.close()  # the shared session stays up for south
        assert south.count("raw.people") == 1
    finally:
        north.close()
        south.close()


def test_a_closed_engine_says_so(spark_engine):
    spark_engine.close()
    with pytest.raises(EngineError, match=r"the Spark engine on .* is closed: open a new one"):
        spark_engine.query("SELECT 1")


def test_a_commit_interrupted_half_way_is_finished_by_the_next_engine(spark_keepalive, tmp_path: Path):
    from oda.engine.spark_engine import SparkEngine

    warehouse = tmp_path / "warehouse"
    with SparkEngine(warehouse) as engine:
        engine.write("raw.people", pa.table({"version": [1]}))
        engine.write("raw.pets", pa.table({"version": [1]}))
    # A process staged new versions of both, wrote its journal, and died before swapping them in.
    staged = {}
    for table in ("people", "pets"):
        folder = warehouse / "_staging" / "dead" / "raw" / f"{table}-0001"
        folder.mkdir(parents=True)
        pq.write_table(pa.table({"version": [2]}), folder / "part-0.parquet")
        staged[f"raw.{table}"] = str(folder)
    (warehouse / "_journal").mkdir(exist_ok=True)
    (warehouse / "_journal" / "dead.json").write_text(json.dumps(staged))
    with SparkEngine(warehouse) as engine:
        assert engine.query("SELECT version FROM raw.people").to_pylist() == [{"version": 2}]
        assert engine.query("SELECT version FROM raw.pets").to_pylist() == [{"version": 2}]
    assert not list((warehouse / "_journal").iterdir())
    assert not (warehouse / "_staging").exists()


def test_half_written_staging_from_a_crash_is_discarded(spark_keepalive, tmp_path: Path):
    from oda.engine.spark_engine import SparkEngine

    warehouse = tmp_path / "warehouse"
    with SparkEngine(warehouse) as engine:
        engine.write("raw.people", pa.table({"version": [1]}))
    for owner in ("crashed", "4194999-0a1b"):  # no process, or one that has exited
        leftover = warehouse / "_staging" / owner / "raw" / "people-0001"
        leftover.mkdir(parents=True)
        (leftover / "part-0.parquet").write_bytes(b"half a file")
    with SparkEngine(warehouse) as engine:
        assert engine.query("SELECT version FROM raw.people").to_pylist() == [{"version": 1}]
    assert not (warehouse / "_staging").exists()


def test_staging_of_a_process_still_running_is_left_alone(spark_keepalive, tmp_path: Path):
    from oda.engine.spark_engine import SparkEngine

    warehouse = tmp_path / "warehouse"
    in_progress = warehouse / "_staging" / f"{os.getpid()}-0a1b" / "raw" / "people-0001"
    in_progress.mkdir(parents=True)
    with SparkEngine(warehouse) as engine:
        assert engine.datasets() == []
    assert in_progress.is_dir()
