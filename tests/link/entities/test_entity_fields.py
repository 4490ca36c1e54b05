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


# -- title, middle names and residence periods ----------------------------------------------------
_PEOPLE = pa.table({
    "unique_id": ["1", "2", "3", "4"],
    "title": ["Mr", "MRS.", "Mr", "Dr"],
    "first_name": ["Jan", "Jan", "Jan", "Jan"],
    "middle_name": ["Cormac", "", None, "C"],
    "surname": ["Cook", "Cook-Birch", "cook", "cook"],
    "postcode": ["E1 6AN", "E2 7AA", "E1 6AN", "E2 7AA"],
    "uprn": ["1", "2", None, None],
    "address": ["1 a road", "9 b street", "1 a road", "9 b street"],
    "resident_from": ["2023-01-01", "2023-01-01", "2021-01-01", "01/06/2023"],
    "resident_to": ["2023-12-31", "2024-12-31", None, "2023-08-01"],
})


def test_titles_become_a_sex_blank_middle_names_stay_blank_and_periods_become_day_numbers():
    rows = prepare({"er": _PEOPLE}, fields_for(_PEOPLE.column_names, "person")).to_pylist()
    assert [r["title"] for r in rows] == ["m", "f", "m", None]
    assert [r["middle_name"] for r in rows] == ["cormac", "", None, "c"]
    assert rows[0]["resident_from"] == 19358 and rows[0]["resident_to"] == 19722  # 2023-01-01, 2023-12-31
    assert rows[3]["resident_from"] == 19509 and rows[2]["resident_to"] is None


def _gammas(a: int, b: int) -> dict:
    import logging

    from splink import DuckDBAPI, Linker

    from oda.link.entities.settings import build_settings

    fields = fields_for(_PEOPLE.column_names, "person")
    records = prepare({"er": _PEOPLE}, fields)
    linker = Linker(DuckDBAPI().register(records, dataset_display_name="people"),
                    build_settings("person", fields, "dedupe_only"), log_level=logging.ERROR)
    rows = records.to_pylist()
    scored = linker.inference.score_pair(rows[a], rows[b]).as_record_list()[0]
    labels = {c.output_column_name: [lv.label_for_charts for lv in c.comparison_levels]
              for c in linker._settings_obj.comparisons}
    # gamma counts down from the most alike level, with -1 for the null level
    return {name: (levels[0] if scored[f"gamma_{name}"] == -1 else levels[len(levels) - 1 - scored[f"gamma_{name}"]])
            for name, levels in labels.items()}


def test_title_middle_name_surname_and_period_levels_say_what_the_records_show():
    at_once = _gammas(0, 1)  # Mr Jan Cormac Cook at one place, Mrs Jan Cook-Birch at another, all of 2023
    assert at_once["title"] == "All other comparisons"
    assert at_once["middle_name"] == "middle name on one side only"
    assert at_once["surname"] == "one surname is a word of the other"
    assert at_once["period"] == "different places at once for most of a year or more"
    assert _gammas(0, 3)["middle_name"] == "initial or first middle name agrees"
    assert _gammas(0, 3)["period"] == "different places at once for a few months"
    assert _gammas(0, 2)["period"] == "no period, or the same place"  # same postcode and address
    assert _gammas(0, 2)["middle_name"].endswith("is NULL")  # the source has no middle names
    # a liability with no end counts from its start only: it began before the other record's period
    assert _gammas(2, 3)["period"] == "different places one after the other"
    assert _gammas(0, 2)["title"] == "titles of the same sex"
