"""Preparing address tables: the batch path, the Spark path (executors, via mapInArrow) and the
local path give the same matcher inputs; the synthetic borough renders suffixed flats correctly."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pyarrow as pa
import pytest

import oda.link.address.prepare as prepare_module
from oda.link.address.parse import parse_address, parse_addresses
from oda.link.address.prepare import (
    WordStatistics,
    prepare_address_batch,
    prepare_addresses,
    prepare_gazetteer,
    write_prepared_on_spark,
)
from oda.link.address.synthetic import make_set
from tests.engine_fixtures import spark_keepalive  # noqa: F401 - fixture


@pytest.fixture(scope="module")
def borough_set() -> tuple[pa.Table, pa.Table]:
    """A small synthetic borough: its gazetteer and messy addresses (typos, flat variants, postcodes)."""
    gazetteer, messy = make_set(1500, 11, profile="env_health_requests")
    return gazetteer, messy.select(["id", "address", "postcode"])


def _sorted(table: pa.Table) -> pa.Table:
    return table.sort_by([(name, "ascending") for name in table.column_names])


def test_batch_parse_is_the_single_parse(borough_set):
    gazetteer, messy = borough_set
    texts = messy.column("address").to_pylist() + gazetteer.column("address").to_pylist() + [None, ""]
    postcodes = messy.column("postcode").to_pylist() + gazetteer.column("postcode").to_pylist() + [None, "E1 6AN"]
    assert parse_addresses(texts, postcodes) == [parse_address(t, p) for t, p in zip(texts, postcodes)]


def test_a_batch_prepared_elsewhere_matches_the_local_tables(borough_set):
    """Prepared in two batches with their own row numbers (as on two executors), the rows and
    token lists are exactly those of the local preparation."""
    gazetteer, messy = borough_set
    prepared_gazetteer = prepare_gazetteer(gazetteer)
    local = prepare_addresses(messy, prepared_gazetteer)
    numbered = messy.append_column("i_id", pa.array(range(messy.num_rows), pa.int64()))
    statistics = WordStatistics.of(prepared_gazetteer)
    half = messy.num_rows // 2
    batches = [prepare_address_batch(numbered.slice(0, half), statistics),
               prepare_address_batch(numbered.slice(half), statistics)]
    together = pa.Table.from_batches(batches)
    assert together.select(local.records.column_names).equals(local.records)
    flat_tokens = [(i, t, o, f) for i, ts, os_, fs in zip(*(together.column(c).to_pylist() for c in
                                                            ("i_id", "tok_token", "tok_orig", "tok_factor")))
                   for t, o, f in zip(ts, os_, fs)]
    assert flat_tokens == list(zip(*(local.tokens.column(c).to_pylist() for c in ("i_id", "token", "orig", "factor"))))
    assert together.column("normalised_address").to_pylist() == [p.single_line() for p in local.parsed]


@pytest.mark.spark
def test_spark_executors_prepare_the_same_tables_as_duckdb(borough_set, spark_keepalive, tmp_path: Path):  # noqa: F811
    from oda.engine.spark_engine import SparkEngine

    gazetteer, messy = borough_set
    prepared_gazetteer = prepare_gazetteer(gazetteer)
    local = prepare_addresses(messy, prepared_gazetteer)
    engine = SparkEngine(tmp_path / "spark")
    try:
        engine.write("raw.messy", messy.append_column("i_id", pa.array(range(messy.num_rows), pa.int64())))
        frame = engine.session.table("raw.messy").repartition(3)  # several batches on several tasks
        targets = {"records": "link.t_in", "tokens": "link.t_in_tok", "building_tokens": "link.t_in_btok",
                   "lines": "link.t_lines"}
        write_prepared_on_spark(engine, frame, prepared_gazetteer, targets)
        lines = engine.query(f"SELECT normalised_address FROM {targets['lines']} ORDER BY i_id")
        records = engine.query(f"SELECT * FROM {targets['records']} ORDER BY i_id")
        assert records.equals(local.records)
        assert _sorted(engine.read(targets["tokens"])).equals(_sorted(local.tokens))
        assert _sorted(engine.read(targets["building_tokens"])).equals(_sorted(local.building_tokens))
        assert lines.column("normalised_address").to_pylist() == [p.single_line() for p in local.parsed]
        assert engine.datasets("link") == sorted(targets.values())  # the staging table is gone
    finally:
        engine.close()


@pytest.mark.spark
def test_spark_executors_prepare_the_same_gazetteer_as_duckdb(borough_set, gazetteer, spark_keepalive,  # noqa: F811
                                                              tmp_path: Path, monkeypatch):
    """The gazetteer's tables and word statistics, made on the executors, equal the driver's: with
    parents supplied, with parents derived (no ``parent_uprn``), with flats named by floor; and the
    driver process parses none of it."""
    import oda.link.address.gazetteer_spark as gazetteer_spark
    from oda.engine.spark_engine import SparkEngine
    from oda.link.address.match import street_names

    parsed_here: list[int] = []
    original = gazetteer_spark.parse_addresses

    def spy(texts, postcodes):
        parsed_here.append(len(texts))
        return original(texts, postcodes)

    engine = SparkEngine(tmp_path / "spark")
    try:
        cases = {"synthetic": borough_set[0], "derived": borough_set[0].drop_columns(["parent_uprn"]),
                 "traps": gazetteer}
        for name, table in cases.items():
            local = prepare_gazetteer(table)
            engine.write(f"raw.gaz_{name}", table)
            targets = {part: f"link.g_{name}_{part}" for part in
                       ("records", "tokens", "street_keys", "building_keys", "streets")}
            monkeypatch.setattr(gazetteer_spark, "parse_addresses", spy)
            monkeypatch.setattr(prepare_module, "parse_addresses", spy)
            statistics = gazetteer_spark.prepare_gazetteer_on_spark(engine, f"raw.gaz_{name}", targets)
            monkeypatch.undo()
            assert engine.query(f"SELECT * FROM {targets['records']} ORDER BY g_id").equals(local.records), name
            for part in ("tokens", "street_keys", "building_keys"):
                assert _sorted(engine.read(targets[part])).equals(_sorted(getattr(local, part))), (name, part)
            assert _sorted(engine.read(targets["streets"])).equals(_sorted(street_names(local.tokens))), name
            assert statistics.idf == local.idf and list(statistics.idf) == list(local.idf), name
            assert statistics.locality_words == local.locality_words, name
            assert statistics.spelling.document_frequency == local.spelling.document_frequency, name
        assert parsed_here == []  # parsed by the Python workers, not here
        assert local.records.column("position").null_count < local.records.num_rows  # floors were ranked
    finally:
        engine.close()


def test_synthetic_flat_variants_never_double_a_suffix_letter():
    """A flat written "12A" in the gazetteer (a shop's flat) must not be rendered "12AA"."""
    from oda.synth.config import ERROR_PROFILES

    every_flat_varied = dataclasses.replace(ERROR_PROFILES["council_tax"], flat_variant=1.0)
    gazetteer, messy = make_set(3000, 5, profile=every_flat_varied)
    suffixed = [a for a in gazetteer.column("address").to_pylist() if re.search(r"(^|, )\d+[A-Z] ", a)]
    assert suffixed, "the borough should hold numbers with a suffix letter"
    doubled = [a for a in messy.column("address").to_pylist() if re.search(r"(^|, )\d+([A-Z])\2 ", a.upper())]
    assert doubled == []
