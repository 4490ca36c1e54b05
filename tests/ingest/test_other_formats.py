"""Excel, Parquet, SQLite and PostgreSQL extracts become the same text columns as CSV."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.ingest.conftest import only_failure, run_ingest_ok, source_toml

COLUMNS = {"record_id": "Ref", "surname": "Surname", "date_of_birth": "DOB"}


def write_workbook(path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    notes = book.active
    notes.title = "Notes"
    notes.append(["This extract was produced on 1 March"])
    people = book.create_sheet("People")
    people.append(["Ref", "Surname", "DOB", "Rooms"])
    people.append([101, "Smith", dt.datetime(1980, 1, 31), 3])
    people.append([])
    people.append([102, "Jones", "02/02/1975", 2.0])
    people.append([103, "Brown", None, None, "stray value"])
    book.save(path)


def test_excel_sheet_by_name_with_dates_as_iso_and_sheet_row_numbers(tmp_path: Path, make_project, engine):
    write_workbook(tmp_path / "people.xlsx")
    project = make_project(source_toml("people", "people.xlsx", COLUMNS, sheet="People", attributes=["Rooms"]))

    report = run_ingest_ok(engine, project)

    rows = engine.query("SELECT _row_number, record_id, surname, date_of_birth, rooms FROM raw.people "
                        "ORDER BY 1").to_pylist()
    assert rows == [
        {"_row_number": 2, "record_id": "101", "surname": "Smith", "date_of_birth": "1980-01-31", "rooms": "3"},
        {"_row_number": 4, "record_id": "102", "surname": "Jones", "date_of_birth": "02/02/1975", "rooms": "2"},
    ]
    bad = engine.query("SELECT row_number, reason FROM quarantine.people").to_pylist()
    assert bad == [{"row_number": 5, "reason": "row has values in 1 column(s) beyond the header's 4"}]
    result = report.results[0]
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (3, 2, 1)


def test_excel_sheet_by_index(tmp_path: Path, make_project, engine):
    write_workbook(tmp_path / "people.xlsx")
    project = make_project(source_toml("people", "people.xlsx", COLUMNS, sheet=1))

    assert run_ingest_ok(engine, project).results[0].rows_loaded == 2


def test_missing_sheet_lists_the_sheets(tmp_path: Path, make_project, engine):
    write_workbook(tmp_path / "people.xlsx")
    project = make_project(source_toml("people", "people.xlsx", COLUMNS, sheet="Residents"))

    assert only_failure(engine, project) == (
        f"Source `people`: {tmp_path / 'people.xlsx'} has no sheet `Residents`; its sheets are 0: `Notes`, "
        "1: `People`. Fix sheet in [sources.people]"
    )


def test_csv_saved_with_xlsx_name_is_refused(tmp_path: Path, make_project, engine):
    (tmp_path / "people.xlsx").write_text("Ref,Surname,DOB\n1,Smith,\n", encoding="utf-8")
    project = make_project(source_toml("people", "people.xlsx", COLUMNS))

    assert only_failure(engine, project).startswith(
        f"Source `people`: cannot open {tmp_path / 'people.xlsx'} as an Excel workbook (.xlsx): "
    )


def test_parquet_columns_of_any_type_become_text(tmp_path: Path, make_project, engine):
    table = pa.table({
        "Ref": pa.array([1, 2, 3], pa.int64()),
        "Surname": ["Smith", "Jones", None],
        "DOB": pa.array([dt.date(1980, 1, 31), None, dt.date(1975, 2, 2)]),
        "Seen": pa.array([dt.datetime(2024, 5, 1, 9, 30), dt.datetime(2024, 5, 2), None], pa.timestamp("us")),
        "Score": [1.5, 2.0, None],
    })
    pq.write_table(table, tmp_path / "people.parquet")
    project = make_project(source_toml("people", "people.parquet", COLUMNS, attributes=["Seen", "Score"]))

    run_ingest_ok(engine, project)

    rows = engine.query("SELECT record_id, surname, date_of_birth, seen, score FROM raw.people "
                        "ORDER BY _row_number").to_pylist()
    assert rows == [
        {"record_id": "1", "surname": "Smith", "date_of_birth": "1980-01-31", "seen": "2024-05-01 09:30:00",
         "score": "1.5"},
        {"record_id": "2", "surname": "Jones", "date_of_birth": None, "seen": "2024-05-02", "score": "2"},
        {"record_id": "3", "surname": None, "date_of_birth": "1975-02-02", "seen": None, "score": None},
    ]


def test_sqlite_table_and_query(tmp_path: Path, make_project, engine):
    database = tmp_path / "housing.sqlite"
    with sqlite3.connect(database) as connection:
        connection.execute("CREATE TABLE tenants (ref INTEGER, surname TEXT, dob DATE, rent REAL)")
        connection.executemany("INSERT INTO tenants VALUES (?, ?, ?, ?)",
                               [(1, "Smith", "1980-01-31", 450.0), (2, "Jones", None, 512.5), (2, "Again", None, 1)])
    url = f"sqlite:///{database}"
    project = make_project(
        source_toml("tenants", f"db|{url}|tenants", {"record_id": "ref", "surname": "surname",
                                                     "date_of_birth": "dob"}, attributes=["rent"]),
    )

    report = run_ingest_ok(engine, project)

    assert engine.query("SELECT record_id, surname, date_of_birth, rent FROM raw.tenants ORDER BY 1").to_pylist() == [
        {"record_id": "1", "surname": "Smith", "date_of_birth": "1980-01-31", "rent": "450"},
        {"record_id": "2", "surname": "Jones", "date_of_birth": None, "rent": "512.5"},
    ]
    assert engine.query("SELECT reason FROM quarantine.tenants").to_pylist() == [
        {"reason": "duplicate record_id `2`: first seen at row 2"}
    ]
    assert report.results[0].balanced


def test_unknown_database_table_lists_the_tables(tmp_path: Path, make_project, engine):
    database = tmp_path / "housing.sqlite"
    with sqlite3.connect(database) as connection:
        connection.execute("CREATE TABLE tenants (ref INTEGER)")
    project = make_project(source_toml("t", f"db|sqlite:///{database}|tenant", {"record_id": "ref"}))

    assert only_failure(engine, project) == (
        f"Source `t`: table `tenant` does not exist in sqlite:///{database}; its tables are: `tenants`. "
        "Fix table in [sources.t]"
    )


POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


@pytest.fixture
def postgres_schema():
    import sqlalchemy as sa

    engine = sa.create_engine(POSTGRES)
    schema = "oda_ingest_test"
    with engine.begin() as connection:
        connection.execute(sa.text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        connection.execute(sa.text(f"CREATE SCHEMA {schema}"))
    try:
        yield engine, schema
    finally:
        with engine.begin() as connection:
            connection.execute(sa.text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        engine.dispose()


@pytest.mark.postgres
def test_postgresql_table_with_typed_columns(postgres_schema, make_project, engine):
    import sqlalchemy as sa

    database, schema = postgres_schema
    with database.begin() as connection:
        connection.execute(sa.text(f"CREATE TABLE {schema}.licences (licence_no INTEGER, holder TEXT, "
                                   "granted DATE, fee NUMERIC(8,2), checked_at TIMESTAMP)"))
        connection.execute(sa.text(f"INSERT INTO {schema}.licences VALUES "
                                   "(7, 'Smith Lettings', '2021-04-01', 1200.00, '2021-04-02 10:15:00'), "
                                   "(8, 'Brontë Homes', NULL, NULL, NULL)"))
    project = make_project(source_toml(
        "licences", f"db|{POSTGRES}|{schema}.licences",
        {"record_id": "licence_no", "business_name": "holder", "start_date": "granted"},
        describes="business", attributes=["fee", "checked_at"],
    ))

    report = run_ingest_ok(engine, project)

    rows = engine.query("SELECT record_id, business_name, start_date, fee, checked_at FROM raw.licences "
                        "ORDER BY 1").to_pylist()
    assert rows == [
        {"record_id": "7", "business_name": "Smith Lettings", "start_date": "2021-04-01", "fee": "1200.00",
         "checked_at": "2021-04-02 10:15:00"},
        {"record_id": "8", "business_name": "Brontë Homes", "start_date": None, "fee": None, "checked_at": None},
    ]
    assert report.results[0].rows_read == 2
    # Unchanged rows are not loaded again.
    again = run_ingest_ok(engine, project)
    assert again.results[0].skipped


@pytest.mark.postgres
def test_postgresql_unreachable_server_is_clear(make_project, engine):
    project = make_project(source_toml("x", "db|postgresql+psycopg://postgres@127.0.0.1:1/test|t",
                                       {"record_id": "id"}))

    message = only_failure(engine, project)

    assert message.startswith("Source `x`: cannot read from postgresql+psycopg://postgres@127.0.0.1:1/test: ")
    assert message.endswith("Check the server is reachable and the url in [sources.x]")
