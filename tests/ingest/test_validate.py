"""Which rows are quarantined, which are flagged, and that every row is accounted for."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from oda.errors import IngestError
from oda.ingest.reconcile import reconcile
from tests.ingest.conftest import only_failure, run_ingest_ok, source_toml

HEADER = "Account Ref,Surname,Post Code,DOB,Start,Tenure Type,Band\n"
COLUMNS = {"record_id": "Account Ref", "surname": "Surname", "postcode": "Post Code", "date_of_birth": "DOB",
           "start_date": "Start"}


def write(tmp_path: Path, body: str, header: str = HEADER) -> None:
    (tmp_path / "ct.csv").write_text(header + body, encoding="utf-8")


def test_unusable_rows_are_quarantined_and_doubtful_ones_flagged(tmp_path: Path, make_project, engine):
    write(tmp_path,
          "A1,Smith,SW1A 1AA,31/01/1980,2020-03-01,owner,C\n"     # 1 good
          "A2,Jones,not a postcode,01 Feb 1975,,tenant,B\n"       # 2 loaded, flagged
          " ,Brown,E1 6AN,,,tenant,A\n"                            # 3 empty id
          "A4,Green,E1 6AN,31/02/1980,,owner,A\n"                  # 4 impossible date
          "A1,Smith,SW1A 1AA,31/01/1980,,owner,C\n"                # 5 duplicate of row 1
          "A6,White,,1980-13-45,yesterday,owner,D\n")              # 6 two bad dates
    project = make_project(source_toml("ct", "ct.csv", COLUMNS, attributes=["Tenure Type", "Band"]))

    report = run_ingest_ok(engine, project)

    loaded = engine.query("SELECT * FROM raw.ct ORDER BY _row_number").to_pylist()
    assert [(r["_row_number"], r["record_id"], r["postcode"], r["_postcode_valid"]) for r in loaded] == [
        (1, "A1", "SW1A 1AA", True), (2, "A2", "not a postcode", False),
    ]
    assert list(loaded[0]) == ["_row_number", "record_id", "surname", "postcode", "date_of_birth", "start_date",
                               "tenure_type", "band", "_postcode_valid", "_source"]
    assert loaded[1]["start_date"] is None and loaded[0]["tenure_type"] == "owner" and loaded[0]["_source"] == "ct"

    bad = engine.query("SELECT row_number, reason, raw FROM quarantine.ct ORDER BY row_number").to_pylist()
    reasons = {r["row_number"]: r["reason"] for r in bad}
    uk = "it is neither ISO (1990-01-31) nor a day-first UK form (31/01/1990, 31 Jan 1990)"
    hint = "; set [sources.ct].date_formats if the extract uses another format"
    assert reasons == {
        3: "record_id is empty (column `Account Ref`)",
        4: f"date_of_birth `31/02/1980` (column `DOB`) is not a date: {uk}{hint}",
        5: "duplicate record_id `A1`: first seen at row 1",
        6: f"date_of_birth `1980-13-45` (column `DOB`) is not a date: {uk}{hint}; "
           f"start_date `yesterday` (column `Start`) is not a date: {uk}{hint}",
    }
    assert json.loads(bad[0]["raw"]) == {"Account Ref": " ", "Surname": "Brown", "Post Code": "E1 6AN", "DOB": "",
                                         "Start": "", "Tenure Type": "tenant", "Band": "A"}
    result = report.results[0]
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (6, 2, 4)


def test_duplicate_of_a_quarantined_row_is_kept(tmp_path: Path, make_project, engine):
    """The first *loadable* occurrence of an id is loaded, so a bad row does not take a good one with it."""
    write(tmp_path, "A1,Smith,SW1A 1AA,99/99/1980,,owner,C\nA1,Smith,SW1A 1AA,31/01/1980,,owner,C\n")
    project = make_project(source_toml("ct", "ct.csv", COLUMNS))

    run_ingest_ok(engine, project)

    assert engine.query("SELECT _row_number FROM raw.ct").to_pylist() == [{"_row_number": 2}]


def test_declared_date_formats_are_tried_first(tmp_path: Path, make_project, engine):
    write(tmp_path, "A1,Smith,SW1A 1AA,01-31-1980,,owner,C\n")
    project = make_project(source_toml("ct", "ct.csv", COLUMNS, date_formats=["%m-%d-%Y"]))

    report = run_ingest_ok(engine, project)

    assert report.results[0].rows_loaded == 1


def test_unusable_date_format_is_an_error(tmp_path: Path, make_project, engine):
    write(tmp_path, "A1,Smith,SW1A 1AA,01-31-1980,,owner,C\n")
    project = make_project(source_toml("ct", "ct.csv", COLUMNS, date_formats=["%m-%d"]))

    # The rest of the message is the engine's date-format parser's own (tested with the engine).
    assert only_failure(engine, project).startswith("Source `ct`: [sources.ct].date_formats: date format `%m-%d`")


def test_missing_column_names_the_nearest_header(tmp_path: Path, make_project, engine):
    write(tmp_path, "A1,Smith,SW1A 1AA,,,owner,C\n",
          header="Account Ref,Surname,PostCode,DOB,Start,Tenure Type,Band\n")
    project = make_project(source_toml("council_tax", "ct.csv", COLUMNS, attributes=["Tenur"]))

    message = only_failure(engine, project)

    assert message.splitlines() == [
        "Source `council_tax` is missing column `Post Code` (mapped from postcode). Nearest header: `PostCode`. "
        "Fix [sources.council_tax.columns] or add postcode to optional.",
        "Source `council_tax` is missing attribute column `Tenur`. Nearest header: `Tenure Type`. "
        "Fix [sources.council_tax].attributes.",
        f"(file: {tmp_path / 'ct.csv'}; its headers are: `Account Ref`, `Surname`, `PostCode`, `DOB`, `Start`, "
        "`Tenure Type`, `Band`)",
    ]
    assert not engine.exists("raw.council_tax")


def test_headers_match_ignoring_case_and_spacing(tmp_path: Path, make_project, engine):
    write(tmp_path, "A1,Smith,SW1A 1AA,,,owner,C\n",
          header=" ACCOUNT  REF ,surname,post code,dob,START,Tenure Type,Band\n")
    project = make_project(source_toml("ct", "ct.csv", COLUMNS))

    assert run_ingest_ok(engine, project).results[0].rows_loaded == 1


def test_missing_optional_column_becomes_null(tmp_path: Path, make_project, engine):
    write(tmp_path, "A1,Smith\n", header="Account Ref,Surname\n")
    project = make_project(source_toml("ct", "ct.csv", COLUMNS, optional=["postcode", "date_of_birth", "start_date"]))

    run_ingest_ok(engine, project)

    row = engine.query("SELECT * FROM raw.ct").to_pylist()[0]
    assert (row["postcode"], row["date_of_birth"], row["_postcode_valid"]) == (None, None, None)


@pytest.mark.parametrize("postcode, valid", [
    ("SW1A 1AA", True), ("sw1a1aa", True), (" M1 1AE ", True), ("GIR 0AA", True), ("EC1A 1BB", True),
    ("SW1A 1A", False), ("12345", False), ("", None),
])
def test_postcode_shape_flag(tmp_path: Path, make_project, engine, postcode, valid):
    write(tmp_path, f"A1,Smith,{postcode},,,owner,C\n")
    project = make_project(source_toml("ct", "ct.csv", COLUMNS))

    run_ingest_ok(engine, project)

    assert engine.query("SELECT _postcode_valid FROM raw.ct").to_pylist() == [{"_postcode_valid": valid}]


def test_reconciliation_refuses_lost_rows():
    with pytest.raises(IngestError) as caught:
        reconcile("ct", "ct.csv", 10, 7, 2)
    assert str(caught.value) == (
        "Source `ct`: reconciliation failed for ct.csv: 10 rows read but 7 loaded + 2 quarantined = 9. "
        "Nothing was replaced; this is a bug in oda — please report it with the file's shape"
    )
