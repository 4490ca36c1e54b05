"""Both engines store, replace, append, list and drop datasets the same way, and keep the last good
load when a transaction fails."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow as pa
import pytest

from oda.errors import EngineError
from tests.engine_fixtures import open_test_engine

PEOPLE = pa.table({
    "record_id": ["a1", "a2", "a3"],
    "age": pa.array([34, None, 71], pa.int64()),
    "score": [0.5, 1.25, None],
    "active": [True, False, None],
    "seen": pa.array([dt.date(2020, 2, 29), None, dt.date(1999, 12, 31)], pa.date32()),
    "name": ["Siobhán", "O'Brien", None],
})


def rows(engine, dataset: str, order: str = "record_id") -> list[dict]:
    return engine.query(f"SELECT * FROM {dataset} ORDER BY {order}").to_pylist()


def test_write_then_read_round_trips_values_and_types(engine):
    assert engine.write("raw.people", PEOPLE) == 3
    back = engine.read("raw.people")
    assert back.sort_by("record_id").to_pylist() == PEOPLE.to_pylist()
    assert back.schema.field("seen").type == pa.date32()
    assert back.schema.field("age").type == pa.int64()
    assert engine.read("raw.people", columns=["name", "age"]).column_names == ["name", "age"]


def test_write_accepts_a_record_batch_reader(engine):
    batches = PEOPLE.to_batches(max_chunksize=1)
    reader = pa.RecordBatchReader.from_batches(PEOPLE.schema, batches)
    assert engine.write("raw.people", reader) == 3
    assert engine.count("raw.people") == 3


def test_replace_swaps_the_data_and_its_columns(engine):
    engine.write("raw.people", PEOPLE)
    engine.write("raw.people", pa.table({"record_id": ["z9"], "postcode": ["SW1A 1AA"]}))
    assert rows(engine, "raw.people") == [{"record_id": "z9", "postcode": "SW1A 1AA"}]


def test_append_adds_rows_and_fills_missing_columns_with_null(engine):
    engine.write("raw.people", PEOPLE)
    added = engine.write("raw.people", pa.table({"record_id": ["a4"], "age": pa.array([5], pa.int32())}), mode="append")
    assert added == 1
    assert engine.count("raw.people") == 4
    last = rows(engine, "raw.people")[-1]
    assert last == {"record_id": "a4", "age": 5, "score": None, "active": None, "seen": None, "name": None}


def test_append_to_a_missing_dataset_creates_it(engine):
    assert engine.write("raw.people", PEOPLE, mode="append") == 3
    assert engine.count("raw.people") == 3


def test_an_empty_table_is_stored_with_its_columns(engine):
    engine.write("raw.people", PEOPLE.slice(0, 0))
    assert engine.exists("raw.people")
    assert engine.count("raw.people") == 0
    assert engine.read("raw.people").column_names == PEOPLE.column_names


def test_create_as_stores_a_query_result(engine):
    engine.write("raw.people", PEOPLE)
    n = engine.create_as("stg.adults", "SELECT record_id, age * 2 AS double_age FROM raw.people WHERE age > 18")
    assert n == 2
    assert rows(engine, "stg.adults") == [{"record_id": "a1", "double_age": 68}, {"record_id": "a3", "double_age": 142}]


def test_create_as_may_read_the_dataset_it_replaces(engine):
    engine.write("raw.people", PEOPLE)
    engine.create_as("raw.people", "SELECT record_id FROM raw.people WHERE age IS NOT NULL")
    assert rows(engine, "raw.people") == [{"record_id": "a1"}, {"record_id": "a3"}]


def test_datasets_exists_count_and_drop(engine):
    engine.write("raw.people", PEOPLE)
    engine.write("raw.addresses", pa.table({"uprn": [1, 2]}))
    engine.create_as("stg.people", "SELECT * FROM raw.people")
    assert engine.datasets() == ["raw.addresses", "raw.people", "stg.people"]
    assert engine.datasets("raw") == ["raw.addresses", "raw.people"]
    assert engine.datasets("link") == []
    assert engine.exists("raw.addresses") and not engine.exists("raw.nothing")
    assert engine.count("raw.addresses") == 2
    engine.drop("raw.addresses")
    engine.drop("raw.addresses")  # dropping twice is fine
    assert engine.datasets() == ["raw.people", "stg.people"]
    assert not engine.exists("raw.addresses")


def test_dataset_names_must_carry_a_known_layer(engine):
    with pytest.raises(EngineError, match=r"dataset name `people` is not `<layer>.<table>`"):
        engine.write("people", PEOPLE)
    with pytest.raises(EngineError, match="dataset name `bronze.people`"):
        engine.exists("bronze.people")


def test_reading_a_missing_dataset_says_which_stage_to_run(engine):
    with pytest.raises(EngineError, match=r"dataset `stg.people` does not exist yet: run the stage that writes it"):
        engine.read("stg.people")


def test_a_failed_transaction_leaves_the_last_good_data_in_place(engine):
    engine.write("raw.people", PEOPLE)
    engine.write("raw.addresses", pa.table({"uprn": [1, 2]}))
    with pytest.raises(RuntimeError, match="partner extract truncated"):
        with engine.transaction():
            engine.write("raw.people", pa.table({"record_id": ["x"]}))
            engine.write("raw.people", pa.table({"record_id": ["y"]}), mode="append")
            engine.create_as("stg.people", "SELECT * FROM raw.people")
            engine.drop("raw.addresses")
            assert engine.count("raw.people") == 2  # the transaction sees its own writes
            raise RuntimeError("partner extract truncated")
    assert rows(engine, "raw.people") == PEOPLE.to_pylist()
    assert engine.count("raw.addresses") == 2
    assert not engine.exists("stg.people")
    assert engine.datasets() == ["raw.addresses", "raw.people"]


def test_a_successful_transaction_lands_every_write(engine):
    engine.write("raw.people", PEOPLE)
    with engine.transaction():
        engine.write("raw.people", pa.table({"record_id": ["x"]}))
        engine.create_as("stg.people", "SELECT record_id FROM raw.people")
        with engine.transaction():  # nested: part of the outer one
            engine.write("raw.extra", pa.table({"n": [1]}))
    assert rows(engine, "stg.people") == [{"record_id": "x"}]
    assert engine.datasets() == ["raw.extra", "raw.people", "stg.people"]


def test_datasets_persist_for_the_next_engine_on_the_same_store(engine_kind, tmp_path: Path, request):
    first = open_test_engine(engine_kind, tmp_path, request)
    first.write("raw.people", PEOPLE)
    first.create_as("stg.people", "SELECT record_id, name FROM raw.people WHERE age IS NOT NULL")
    first.close()
    second = open_test_engine(engine_kind, tmp_path, request)
    try:
        assert second.datasets() == ["raw.people", "stg.people"]
        assert rows(second, "stg.people") == [{"record_id": "a1", "name": "Siobhán"}, {"record_id": "a3", "name": None}]
    finally:
        second.close()


def test_execute_runs_a_statement_and_query_returns_arrow(engine):
    engine.execute("SELECT 1")
    result = engine.query("SELECT 2 AS two")
    assert isinstance(result, pa.Table)
    assert result.to_pylist() == [{"two": 2}]
