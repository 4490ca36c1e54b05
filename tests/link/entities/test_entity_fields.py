"""Cleaning and field kinds: what a user's columns become before they are compared."""

import pyarrow as pa
import pytest

from oda.errors import LinkError
from oda.link.entities.fields import Field, fields_for, parse_field_option
from oda.link.entities.prepare import nickname_table, prepare


def test_shipped_nickname_table_has_the_common_english_pairs():
    pairs = set(zip(nickname_table()["nickname"].to_pylist(), nickname_table()["name"].to_pylist()))
    assert len(pairs) >= 300
    for pair in [("bob", "robert"), ("bill", "william"), ("liz", "elizabeth"), ("peggy", "margaret")]:
        assert pair in pairs


def test_prepare_cleans_names_dates_postcodes_and_adds_nickname_forms():
    table = pa.table({
        "unique_id": [1, 2, 3],
        "first_name": ["Bob", " ROBERT ", None],
        "surname": ["O'Neil", "Smith-Jones", "x"],
        "dob": ["1980-02-03", "3/2/1980", "19800203"],
        "postcode": ["e1 6an", "E1  6AN", ""],
    })
    rows = prepare({"tax": table}, fields_for(table.column_names, "person")).to_pylist()
    assert [r["source_dataset"] for r in rows] == ["tax"] * 3
    assert [r["dob"] for r in rows] == ["19800203"] * 3
    assert [r["postcode"] for r in rows] == ["E16AN", "E16AN", None]
    assert [r["surname"] for r in rows] == ["oneil", "smith jones", "x"]
    assert set(rows[0]["first_name__nick"]) == {"bob", "robert"}
    assert rows[2]["first_name__nick"] is None


def test_business_names_lose_their_legal_form_words():
    table = pa.table({"unique_id": ["1", "2"], "name": ["The Kestrel Cafe Ltd", "KESTREL CAFÉ & BAR LIMITED"],
                      "company_number": ["01234567", "1234567"]})
    rows = prepare({"fsa": table}, fields_for(table.column_names, "business")).to_pylist()
    assert rows[0]["name"] == "kestrel cafe"
    assert rows[1]["company_number"] == rows[0]["company_number"] == "1234567"


def test_field_option_parses_and_rejects_unknown_kinds_with_a_clear_message():
    assert parse_field_option("nhs_number=id") == Field("nhs_number", "id")
    with pytest.raises(LinkError, match="--field `nhs_number=number` is not NAME=KIND with KIND one of name, date"):
        parse_field_option("nhs_number=number")


def test_missing_unique_id_and_duplicates_are_reported():
    with pytest.raises(LinkError, match="input `tax` has no `unique_id` column"):
        prepare({"tax": pa.table({"surname": ["a"]})}, [Field("surname", "surname")])
    with pytest.raises(LinkError, match="`unique_id` is not unique within its input"):
        prepare({"tax": pa.table({"unique_id": [1, 1], "surname": ["a", "b"]})}, [Field("surname", "surname")])


def test_inputs_without_any_comparable_field_are_refused():
    with pytest.raises(LinkError, match="no field to compare person records on"):
        fields_for(["unique_id", "colour"], "person")


def test_a_sole_trader_is_known_by_the_name_they_trade_as():
    table = pa.table({"unique_id": ["1", "2", "3"],
                      "name": ["MR JOAO MOLINA T/A GOLDEN FOOD & WINE", "Golden Food & Wine", "Trading Post Ltd"]})
    rows = prepare({"rates": table}, fields_for(table.column_names, "business")).to_pylist()
    assert [r["name"] for r in rows] == ["golden food and wine", "golden food and wine", "trading post"]
