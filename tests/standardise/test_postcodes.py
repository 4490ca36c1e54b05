"""Postcodes come out as ``"AA9A 9AA"`` or not at all, the same in Python and in SQL on both engines."""

from __future__ import annotations

import re

import pytest

from oda.standardise.postcodes import POSTCODE_PATTERN, normalise_postcode, postcode_sql
from tests.engine_fixtures import evaluate

CASES = {
    "sw1a1aa": "SW1A 1AA",
    " SW1A  1AA ": "SW1A 1AA",
    "SW1A-1AA": "SW1A 1AA",
    "sw1a.1aa": "SW1A 1AA",
    "E16AN": "E1 6AN",
    "m1 1ae": "M1 1AE",
    "B33 8TH": "B33 8TH",
    "DN55 1PT": "DN55 1PT",
    "ec1a 1bb": "EC1A 1BB",
    "SW1A OAA": "SW1A 0AA",  # a letter O where the inward code needs a digit
    "GIR 0AA": "GIR 0AA",
    "XX1 1XX": None,  # no such postcode area
    "SW1A 1AAA": None,
    "SW1A": None,
    "12345": None,
    "SW1A 1CA": None,  # C never appears in an inward code
    "": None,
    "  ": None,
    None: None,
}


def test_normalise_postcode_in_python():
    assert {text: normalise_postcode(text) for text in CASES} == CASES


def test_postcode_pattern_is_the_canonical_shape():
    assert re.match(POSTCODE_PATTERN, "SW1A 1AA")
    assert not re.match(POSTCODE_PATTERN, "SW1A1AA")
    assert not re.match(POSTCODE_PATTERN, "sw1a 1aa")


def test_postcode_sql_matches_python(engine):
    results = evaluate(engine, list(CASES), postcode=postcode_sql(engine.dialect, "x"))
    assert {r["x"]: r["postcode"] for r in results} == CASES


@pytest.mark.parametrize("text", ["ẞW1A 1AA", "SW1A\u00a01AA", "SW1A\t1AA"])
def test_python_and_sql_agree_on_odd_characters(engine, text):
    assert evaluate(engine, [text], postcode=postcode_sql(engine.dialect, "x"))[0]["postcode"] == normalise_postcode(text)
