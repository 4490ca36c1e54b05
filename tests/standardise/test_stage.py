"""``raw.<source>`` → ``stg.<source>``: the standardised fields, the flags, every other column kept,
and the same table from DuckDB and from Spark."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pytest

from oda.errors import StandardiseError
from oda.project.models import SourceDefinition
from oda.standardise.stage import standardise_query, standardise_source

D = dt.date


def source(columns: dict[str, str], **extra) -> SourceDefinition:
    return SourceDefinition(organisation="council", agreement="hmo", describes="person", path="extract.csv",
                            columns={"record_id": "ID", **columns}, **extra)


FULL_NAMES = source({"full_name": "Name", "date_of_birth": "DOB", "postcode": "Post Code", "phone": "Tel",
                     "email": "Email", "address": "Address"}, attributes=["Tenure"])

RAW_FULL = pa.table({
    "_row_number": pa.array([1, 2, 3, 4, 5, 6], pa.int64()),
    "record_id": ["r1", "r2", "r3", "r4", "r5", "r6"],
    "full_name": ["Mr John O'Brien", "Smith, Mrs Siobhán Anne", "Dr. Anne-Marie  Smith – Jones",
                  "Paul van der Berg", "Cher", None],
    "date_of_birth": ["01/02/1980", "1980-02-01", "1 Feb 1980", "32/01/1980", "29286", ""],
    "postcode": ["sw1a1aa", " SW1A  1AA ", "SW1A-1AA", "XX1 1XX", "e16an", None],
    "phone": ["+44 (0)20 7946 0018", "0044 7700 900123", "7700900123", "123", None, "020 7946 0018 ext 2"],
    "email": [" John.OBrien@Example.COM ", "mailto:s@b.co.uk", "bad@", None, "cher@example.com", ""],
    "address": ["Flat 1, 2 High St", "2 High St", "3 High St", "4 High St", "5 High St", None],
    "tenure": ["private rent", "owner", None, "social rent", "owner", "owner"],
})

EXPECTED_FULL = [
    {"_row_number": 1, "record_id": "r1", "source": "council_tax", "full_name": "JOHN OBRIEN",
     "date_of_birth": D(1980, 2, 1), "postcode": "SW1A 1AA", "phone": "02079460018",
     "email": "john.obrien@example.com", "address": "Flat 1, 2 High St", "tenure": "private rent",
     "title": "MR", "first_name": "JOHN", "middle_names": None, "surname": "OBRIEN", "name_initial": "J",
     "date_of_birth_invalid": False, "postcode_invalid": False, "phone_invalid": False, "email_invalid": False},
    {"_row_number": 2, "record_id": "r2", "source": "council_tax", "full_name": "SIOBHAN ANNE SMITH",
     "date_of_birth": D(1980, 2, 1), "postcode": "SW1A 1AA", "phone": "07700900123", "email": "s@b.co.uk",
     "address": "2 High St", "tenure": "owner",
     "title": "MRS", "first_name": "SIOBHAN", "middle_names": "ANNE", "surname": "SMITH", "name_initial": "S",
     "date_of_birth_invalid": False, "postcode_invalid": False, "phone_invalid": False, "email_invalid": False},
    {"_row_number": 3, "record_id": "r3", "source": "council_tax", "full_name": "ANNE-MARIE SMITH-JONES",
     "date_of_birth": D(1980, 2, 1), "postcode": "SW1A 1AA", "phone": "07700900123", "email": None,
     "address": "3 High St", "tenure": None,
     "title": "DR", "first_name": "ANNE-MARIE", "middle_names": None, "surname": "SMITH-JONES", "name_initial": "A",
     "date_of_birth_invalid": False, "postcode_invalid": False, "phone_invalid": False, "email_invalid": True},
    {"_row_number": 4, "record_id": "r4", "source": "council_tax", "full_name": "PAUL VAN DER BERG",
     "date_of_birth": None, "postcode": None, "phone": None, "email": None,
     "address": "4 High St", "tenure": "social rent",
     "title": None, "first_name": "PAUL", "middle_names": None, "surname": "VAN DER BERG", "name_initial": "P",
     "date_of_birth_invalid": True, "postcode_invalid": True, "phone_invalid": True, "email_invalid": False},
    {"_row_number": 5, "record_id": "r5", "source": "council_tax", "full_name": "CHER",
     "date_of_birth": D(1980, 3, 6), "postcode": "E1 6AN", "phone": None, "email": "cher@example.com",
     "address": "5 High St", "tenure": "owner",
     "title": None, "first_name": None, "middle_names": None, "surname": "CHER", "name_initial": None,
     "date_of_birth_invalid": False, "postcode_invalid": False, "phone_invalid": False, "email_invalid": False},
    {"_row_number": 6, "record_id": "r6", "source": "council_tax", "full_name": None,
     "date_of_birth": None, "postcode": None, "phone": "02079460018", "email": None,
     "address": None, "tenure": "owner",
     "title": None, "first_name": None, "middle_names": None, "surname": None, "name_initial": None,
     "date_of_birth_invalid": False, "postcode_invalid": False, "phone_invalid": False, "email_invalid": False},
]

NAME_PARTS = source({"title": "Title", "first_name": "Forename", "middle_names": "Middle", "surname": "Surname",
                     "date_of_birth": "DOB", "start_date": "Start"}, date_formats=["%m/%d/%Y"])

RAW_PARTS = pa.table({
    "record_id": ["p1", "p2", "p3"],
    "title": ["Mrs.", None, "prof"],
    "first_name": ["  mary ann ", "Dr Peter", "Zoë"],
    "middle_names": ["Louise", None, None],
    "surname": ["mc donald", "O'Neil", "de la Cruz"],
    "date_of_birth": ["03/04/1990", "13/04/1990", "1990-04-03"],
    "start_date": ["2020-01-05", "05/01/2020", "January 2020"],
    "order": ["a", "b", "c"],
})


def _stg(engine, name: str, raw: pa.Table, definition: SourceDefinition) -> list[dict]:
    engine.write(f"raw.{name}", raw)
    assert standardise_source(engine, name, definition) == raw.num_rows
    return engine.query(f"SELECT * FROM stg.{name} ORDER BY record_id").to_pylist()


def test_a_source_with_full_names(engine):
    assert _stg(engine, "council_tax", RAW_FULL, FULL_NAMES) == EXPECTED_FULL


def test_a_source_with_name_parts_and_a_month_first_date(engine):
    got = _stg(engine, "benefits", RAW_PARTS, NAME_PARTS)
    picked = [{k: row[k] for k in ("title", "first_name", "middle_names", "surname", "name_initial",
                                   "date_of_birth", "start_date", "start_date_invalid", "order")} for row in got]
    assert picked == [
        {"title": "MRS", "first_name": "MARY", "middle_names": "ANN LOUISE", "surname": "MCDONALD",
         "name_initial": "M", "date_of_birth": D(1990, 3, 4), "start_date": D(2020, 1, 5),
         "start_date_invalid": False, "order": "a"},
        {"title": "DR", "first_name": "PETER", "middle_names": None, "surname": "ONEIL", "name_initial": "P",
         "date_of_birth": D(1990, 4, 13), "start_date": D(2020, 5, 1), "start_date_invalid": False, "order": "b"},
        {"title": "PROF", "first_name": "ZOE", "middle_names": None, "surname": "DE LA CRUZ", "name_initial": "Z",
         "date_of_birth": D(1990, 4, 3), "start_date": None, "start_date_invalid": True, "order": "c"},
    ]
    assert list(got[0]) == ["record_id", "source", "title", "first_name", "middle_names", "surname",
                            "date_of_birth", "start_date", "order", "name_initial", "date_of_birth_invalid",
                            "start_date_invalid"]


@pytest.mark.spark
def test_duckdb_and_spark_give_the_same_table(both_engines):
    duck, spark = both_engines
    for name, raw, definition in (("council_tax", RAW_FULL, FULL_NAMES), ("benefits", RAW_PARTS, NAME_PARTS)):
        on_duck, on_spark = (_stg(engine, name, raw, definition) for engine in (duck, spark))
        assert on_duck == on_spark
        assert duck.read(f"stg.{name}").schema == spark.read(f"stg.{name}").schema


def test_a_missing_raw_table_says_to_ingest_first(engine):
    with pytest.raises(StandardiseError, match=r"raw.council_tax does not exist yet: run `oda ingest` for source "
                                               r"`council_tax` first"):
        standardise_source(engine, "council_tax", FULL_NAMES)


def test_a_mapped_column_missing_from_raw_is_named(engine):
    engine.write("raw.council_tax", RAW_FULL.drop_columns(["postcode", "email"]))
    with pytest.raises(StandardiseError, match=r"raw.council_tax has no column\(s\) postcode, email, which oda.toml "
                                               r"maps \(\[sources.council_tax.columns\]\)"):
        standardise_source(engine, "council_tax", FULL_NAMES)


def test_the_query_reads_raw_and_is_built_once_for_any_engine(engine):
    sql = standardise_query(engine.dialect, "council_tax", FULL_NAMES, RAW_FULL.column_names)
    assert "FROM raw.council_tax" in sql
    assert "_oda_step0" in sql


def test_an_unreadable_declared_date_format_names_the_source(engine):
    engine.write("raw.benefits", RAW_PARTS)
    bad = source({"date_of_birth": "DOB"}, date_formats=["%d/%m/%Y %Z"])
    with pytest.raises(StandardiseError, match=r"Source `benefits`: \[sources.benefits\].date_formats: date format "
                                               r"`%d/%m/%Y %Z` uses `%Z`, which oda cannot read"):
        standardise_source(engine, "benefits", bad)


def test_a_raw_attribute_called_source_is_kept_under_another_name(engine):
    raw = pa.table({"record_id": ["a"], "surname": ["Smith"], "source": ["referral"]})
    rows = _stg(engine, "referrals", raw, source({"surname": "Surname"}))
    assert {k: rows[0][k] for k in ("source", "source_attribute", "surname")} == {
        "source": "referrals", "source_attribute": "referral", "surname": "SMITH"}
