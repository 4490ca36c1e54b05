"""The synthetic borough's extracts, in all three formats: every row loaded or quarantined, never lost.

Rows are counted here independently of oda's readers (Python's csv module, openpyxl, Parquet metadata)
so that the reconciliation is checked against the files themselves.
"""

import csv

import openpyxl
import pyarrow.parquet as pq
import pytest

from oda.engine import open_engine
from oda.ingest.progress import Reporter
from oda.pipeline import StageContext, run_ingest
from oda.project import load_project
from oda.runs import record_run
from oda.synth import generate_borough


def rows_in_file(project, source) -> int:
    path = project.resolve(source.path)
    fmt = source.resolved_format
    if fmt == "parquet":
        return pq.ParquetFile(path).metadata.num_rows
    if fmt == "excel":
        book = openpyxl.load_workbook(path, read_only=True)
        sheet = book[source.sheet] if isinstance(source.sheet, str) else book.worksheets[source.sheet or 0]
        count = sum(1 for row in sheet.iter_rows(min_row=2, values_only=True) if any(v is not None for v in row))
        book.close()
        return count
    encoding = {"cp1252": "cp1252", "windows-1252": "cp1252"}.get((source.encoding or "").lower(), "utf-8-sig")
    with open(path, newline="", encoding=encoding) as handle:
        return sum(1 for _ in csv.reader(handle, delimiter=source.delimiter or ",")) - 1


DAMAGED_ROWS = 2


def _damage_one_csv(project) -> None:
    """Append a ragged row and a repeat of the last row (a duplicate record id) to the first CSV extract."""
    name, source = next((n, s) for n, s in project.config.sources.items()
                        if s.resolved_format == "csv" and n != "gazetteer")
    path = project.resolve(source.path)
    encoding = "cp1252" if (source.encoding or "").lower() in ("cp1252", "windows-1252") else "utf-8"
    lines = path.read_bytes().decode(encoding).splitlines()
    path.write_bytes(("\n".join([*lines, "only-one-field", lines[-1]]) + "\n").encode(encoding))


@pytest.fixture(scope="module")
def ingested(tmp_path_factory):
    folder = tmp_path_factory.mktemp("borough")
    generate_borough(folder, properties=2_000, seed=5)
    project = load_project(folder)
    _damage_one_csv(project)
    with open_engine(project) as engine, record_run(engine, project, "ingest") as run:
        run_ingest(StageContext(project, engine, run, Reporter(quiet=True)))
    engine = open_engine(project)
    yield project, engine
    engine.close()


def test_borough_uses_all_three_formats(ingested):
    project, _ = ingested
    formats = {source.resolved_format for source in project.config.sources.values()}
    assert {"csv", "excel", "parquet"} <= formats


def test_every_row_of_every_extract_is_loaded_or_quarantined(ingested):
    project, engine = ingested
    inputs = {row["source"]: row for row in engine.query("SELECT * FROM meta.run_inputs").to_pylist()}
    for name, source in project.config.sources.items():
        in_file = rows_in_file(project, source)
        loaded = engine.count(f"raw.{name}")
        quarantined = engine.count(f"quarantine.{name}") if engine.exists(f"quarantine.{name}") else 0
        assert in_file == loaded + quarantined, name
        assert inputs[name]["rows_read"] == in_file, name
        assert (inputs[name]["rows_loaded"], inputs[name]["rows_quarantined"]) == (loaded, quarantined), name
        assert engine.count(f"stg.{name}") == loaded, name
    truth_records = pq.read_table(project.root / "truth" / "record_uprn.parquet")
    assert sum(engine.count(f"raw.{n}") for n in project.config.sources if n != "gazetteer") > 0.95 * truth_records.num_rows


def test_damaged_rows_are_quarantined_with_the_raw_values_and_a_reason(ingested):
    _, engine = ingested
    rows = [row for name in engine.datasets("quarantine")
            for row in engine.query(f"SELECT * FROM {name}").to_pylist()]
    assert len(rows) == DAMAGED_ROWS, rows
    reasons = sorted(row["reason"] for row in rows)
    assert "duplicate" in reasons[0] and "first seen at row" in reasons[0]
    assert "row has 1 field" in reasons[1] or "fields" in reasons[1]
    for row in rows:
        assert row["raw"].startswith("{") and row["row_number"] >= 1
