"""The same ingest on Spark: identical raw.* and quarantine.*, and the same all-or-nothing replace."""

from __future__ import annotations

from pathlib import Path

import pytest

import oda.ingest.load as load_module
from oda.errors import IngestError
from tests.engine_fixtures import open_test_engine, spark_keepalive  # noqa: F401
from tests.ingest.conftest import run_ingest, run_ingest_ok, source_toml

COLUMNS = {"record_id": "Ref", "surname": "Surname", "postcode": "Postcode", "date_of_birth": "DOB"}
EXTRACT = ("Ref;Surname;Postcode;DOB\n1;\"Smith; Jr\";N1 1AA;31/01/1980\n2;Jones;nonsense;\n2;Dup;N1 1AA;\n"
           "3;Brown;E1 6AN;31/02/1980\n4;Green\n")


@pytest.mark.spark
@pytest.mark.slow
def test_spark_and_duckdb_load_the_same_rows(tmp_path: Path, make_project, request, monkeypatch):
    (tmp_path / "ct.csv").write_text(EXTRACT, encoding="cp1252")
    project = make_project(source_toml("ct", "ct.csv", COLUMNS))
    tables = {}
    for kind in ("duckdb", "spark"):
        engine = open_test_engine(kind, tmp_path / kind, request)
        try:
            result = run_ingest_ok(engine, project).results[0]
            assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (5, 2, 3)
            tables[kind] = (
                engine.query("SELECT * FROM raw.ct ORDER BY _row_number").to_pylist(),
                engine.query("SELECT * FROM quarantine.ct ORDER BY row_number").to_pylist(),
            )
            if kind == "spark":
                assert run_ingest_ok(engine, project).results[0].skipped
                (tmp_path / "ct.csv").write_text(EXTRACT + "5;White;E1 6AN;\n", encoding="cp1252")

                def fail(*args, **kwargs):
                    raise IngestError("the last step failed")

                monkeypatch.setattr(load_module, "record_load", fail)
                assert run_ingest(engine, project).failures == ["the last step failed"]
                assert engine.count("raw.ct") == 2  # the last good load is still in place
        finally:
            engine.close()
    assert tables["spark"] == tables["duckdb"]
    assert [row["row_number"] for row in tables["duckdb"][1]] == [3, 4, 5]
