"""CSV extracts: encodings, delimiters, quoting, and rows that do not fit the header."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.ingest.conftest import only_failure, run_ingest, run_ingest_ok, source_toml

COLUMNS = {"record_id": "Ref", "surname": "Surname", "address": "Address", "postcode": "Postcode"}


def raw_rows(engine, source: str) -> list[dict]:
    return engine.query(f"SELECT * FROM raw.{source} ORDER BY _row_number").to_pylist()


def quarantined(engine, source: str) -> list[dict]:
    return engine.query(f"SELECT * FROM quarantine.{source} ORDER BY row_number").to_pylist()


@pytest.mark.parametrize("encoding, prefix", [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("cp1252", b"")])
def test_encodings_are_detected_and_text_survives(tmp_path: Path, make_project, engine, encoding, prefix):
    text = "Ref,Surname,Address,Postcode\n1,Zoë Brontë,\"Flat 2, 10 Café Row\",N1 1AA\n2,O'Neil,Rent £450,E1 6AN\n"
    (tmp_path / "ct.csv").write_bytes(prefix + text.encode(encoding))
    project = make_project(source_toml("ct", "ct.csv", COLUMNS))

    report = run_ingest_ok(engine, project)

    rows = raw_rows(engine, "ct")
    assert [r["record_id"] for r in rows] == ["1", "2"]  # no BOM glued to the first header or value
    assert rows[0]["surname"] == "Zoë Brontë"
    assert rows[0]["address"] == "Flat 2, 10 Café Row"
    assert rows[1]["address"] == "Rent £450"
    assert (report.results[0].rows_read, report.results[0].rows_loaded) == (2, 2)


@pytest.mark.parametrize("delimiter", [";", "\t", "|"])
def test_delimiter_is_detected(tmp_path: Path, make_project, engine, delimiter):
    lines = [["Ref", "Surname", "Address", "Postcode"], ["1", "Smith", "1 High St, Town", "N1 1AA"]]
    (tmp_path / "ct.csv").write_text("\n".join(delimiter.join(line) for line in lines) + "\n", encoding="utf-8")
    project = make_project(source_toml("ct", "ct.csv", COLUMNS))

    run_ingest_ok(engine, project)

    assert raw_rows(engine, "ct")[0]["address"] == "1 High St, Town"


def test_quoted_fields_keep_delimiters_newlines_and_quotes(tmp_path: Path, make_project, engine):
    (tmp_path / "ct.csv").write_text(
        'Ref;Surname;Address;Postcode\n'
        '1;"Smith; Jones";"Flat A\n12 High St";N1 1AA\n'
        '2;"The ""Old"" Mill";"";E1 6AN\n'
        '3;Brown;3 Low Rd;E1 6AN\n',
        encoding="utf-8",
    )
    project = make_project(source_toml("ct", "ct.csv", COLUMNS))

    run_ingest_ok(engine, project)

    rows = raw_rows(engine, "ct")
    assert rows[0]["surname"] == "Smith; Jones"
    assert rows[0]["address"] == "Flat A\n12 High St"
    assert rows[1]["surname"] == 'The "Old" Mill'
    assert rows[1]["address"] is None  # empty text is NULL
    # Row numbers count records, not lines: the embedded newline does not shift them.
    assert [r["_row_number"] for r in rows] == [1, 2, 3]


def test_ragged_rows_are_quarantined_with_row_number_and_reason(tmp_path: Path, make_project, engine):
    (tmp_path / "ct.csv").write_text(
        "Ref,Surname,Address,Postcode\n"
        "1,Smith,1 High St,N1 1AA\n"
        "2,Jones,2 High St,N1 1AA,surplus\n"
        "3,Brown\n"
        "4,Green,4 High St,N1 1AA\n",
        encoding="utf-8",
    )
    project = make_project(source_toml("ct", "ct.csv", COLUMNS))

    report = run_ingest_ok(engine, project)

    assert [r["_row_number"] for r in raw_rows(engine, "ct")] == [1, 4]
    bad = quarantined(engine, "ct")
    assert [(r["row_number"], r["reason"]) for r in bad] == [
        (2, "row has 5 fields, the header has 4"),
        (3, "row has 2 fields, the header has 4"),
    ]
    assert json.loads(bad[0]["raw"]) == {"Ref": "2", "Surname": "Jones", "Address": "2 High St",
                                         "Postcode": "N1 1AA", "_extra": ["surplus"]}
    assert bad[0]["source"] == "ct"
    result = report.results[0]
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (4, 2, 2)


def test_truncated_file_quarantines_the_cut_row(tmp_path: Path, make_project, engine):
    (tmp_path / "ct.csv").write_text(
        'Ref,Surname,Address,Postcode\n1,Smith,1 High St,N1 1AA\n2,Jones,"2 Hi', encoding="utf-8"
    )
    project = make_project(source_toml("ct", "ct.csv", COLUMNS))

    report = run_ingest_ok(engine, project)

    assert [r["record_id"] for r in raw_rows(engine, "ct")] == ["1"]
    assert quarantined(engine, "ct")[0]["reason"] == (
        "row has 3 fields, the header has 4; it is the last row and the file ends mid-row, "
        "so the file looks truncated"
    )
    assert report.results[0].balanced


def test_excel_workbook_saved_as_csv_is_named(tmp_path: Path, make_project, engine):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["Ref", "Surname", "Address", "Postcode"])
    book.save(tmp_path / "ct.csv")
    project = make_project(source_toml("ct", "ct.csv", COLUMNS))

    message = only_failure(engine, project)

    assert message == (f"Source `ct`: cannot read {tmp_path / 'ct.csv'} as CSV: this is an Excel workbook; "
                       'set format = "excel" in [sources.ct]')
    assert not engine.exists("raw.ct")


def test_binary_file_is_refused(tmp_path: Path, make_project, engine):
    (tmp_path / "ct.csv").write_bytes(b"\x7fELF\x02\x01\x01\x00\x00\x00\x00" * 10)
    project = make_project(source_toml("ct", "ct.csv", COLUMNS))

    assert "this is a binary file, not CSV text (it contains NUL bytes)" in only_failure(engine, project)


def test_undecodable_text_names_the_byte_and_line(tmp_path: Path, make_project, engine):
    (tmp_path / "ct.csv").write_bytes(b"Ref,Surname,Address,Postcode\n1,Sm\x81th,x,N1 1AA\n")
    project = make_project(source_toml("ct", "ct.csv", COLUMNS))

    assert only_failure(engine, project) == (
        f"Source `ct`: cannot tell the text encoding of {tmp_path / 'ct.csv'}: it is not UTF-8 "
        "(byte 0x81 on line 2) nor Windows-1252. Ask the partner to save it as UTF-8, or set encoding in "
        "[sources.ct]."
    )


def test_wrong_declared_encoding_suggests_the_right_one(tmp_path: Path, make_project, engine):
    (tmp_path / "ct.csv").write_bytes("Ref,Surname,Address,Postcode\n1,Brontë,x,N1 1AA\n".encode("cp1252"))
    project = make_project(source_toml("ct", "ct.csv", COLUMNS, encoding="utf-8"))

    assert only_failure(engine, project) == (
        f"Source `ct`: file {tmp_path / 'ct.csv'} is not valid utf-8 text (byte 0xeb on line 2). "
        'It looks like cp1252; set encoding = "cp1252" or remove encoding from [sources.ct] to detect it'
    )


def test_empty_and_missing_files_are_clear(tmp_path: Path, make_project, engine):
    (tmp_path / "empty.csv").write_bytes(b"")
    project = make_project(source_toml("empty", "empty.csv", COLUMNS), source_toml("gone", "gone.csv", COLUMNS))

    report = run_ingest(engine, project)
    assert report.failures == [
        f"Source `empty`: file {tmp_path / 'empty.csv'} is empty (0 bytes); the export may have failed. "
        "Ask the partner to send it again",
        f"Source `gone`: file {tmp_path / 'gone.csv'} does not exist; check [sources.gone].path "
        f"(relative to {tmp_path}) or put the extract there",
    ]


def test_windows_1252_header_is_read_as_such(tmp_path: Path, make_project, engine):
    (tmp_path / "ct.csv").write_bytes("Réf,Surname,Address,Postcode\n1,Smith,x,N1 1AA\n".encode("cp1252"))
    project = make_project(source_toml("ct", "ct.csv", {**COLUMNS, "record_id": "Réf"}))

    run_ingest_ok(engine, project)

    assert raw_rows(engine, "ct")[0]["record_id"] == "1"


# Arrow reports the undecodable row through an "exception ignored" before failing the read.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_utf8_cut_mid_character_is_called_truncated(tmp_path: Path, make_project, engine):
    text = "Ref,Surname,Address,Postcode\n1,Brontë,x,N1 1AA\n2,Zo"
    (tmp_path / "ct.csv").write_bytes(text.encode() + "ë".encode()[:1])
    project = make_project(source_toml("ct", "ct.csv", COLUMNS))

    assert only_failure(engine, project) == (
        f"Source `ct`: file {tmp_path / 'ct.csv'} is UTF-8 text that ends in the middle of a character, so it "
        "looks truncated; ask the partner to send it again"
    )
