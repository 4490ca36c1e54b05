"""The dialect's SQL expressions mean the same on DuckDB and on Spark."""

from __future__ import annotations

import datetime as dt
import itertools

import pyarrow as pa
import pytest

from oda.engine.base import strftime_regex
from oda.errors import EngineError
from tests.engine_fixtures import evaluate

D = dt.date

# (format, text, expected date or None)
DATE_CASES = [
    ("%d/%m/%Y", "31/12/2020", D(2020, 12, 31)),
    ("%d/%m/%Y", "1/2/2020", D(2020, 2, 1)),
    ("%d/%m/%Y", "  01/02/2020 ", D(2020, 2, 1)),
    ("%d/%m/%Y", "29/02/2020", D(2020, 2, 29)),
    ("%d/%m/%Y", "29/02/2021", None),  # not a leap year
    ("%d/%m/%Y", "31/04/2020", None),  # April has 30 days
    ("%d/%m/%Y", "32/01/2020", None),
    ("%d/%m/%Y", "00/01/2020", None),
    ("%d/%m/%Y", "01/13/2020", None),
    ("%d/%m/%Y", "01/02/20", None),  # %Y is four digits (DuckDB's own strptime reads year 20)
    ("%d/%m/%Y", "01/02/0000", None),
    ("%d/%m/%Y", "01/02/2020x", None),
    ("%d/%m/%Y", "2020-02-01", None),
    ("%d/%m/%Y", "", None),
    ("%d/%m/%Y", None, None),
    ("%d/%m/%y", "01/02/20", D(2020, 2, 1)),
    ("%d/%m/%y", "01/02/68", D(2068, 2, 1)),
    ("%d/%m/%y", "01/02/69", D(1969, 2, 1)),
    ("%d/%m/%y", "1/2/99", D(1999, 2, 1)),
    ("%d/%m/%y", "01/02/2020", None),
    ("%Y-%m-%d", "2020-02-01", D(2020, 2, 1)),
    ("%Y-%m-%d", "2020-2-1", D(2020, 2, 1)),
    ("%Y-%m-%d", "2020-02-01T10:00:00", None),
    ("%Y-%m-%d", "12345-01-01", None),
    ("%d-%b-%Y", "01-Feb-2020", D(2020, 2, 1)),
    ("%d-%b-%Y", "1-FEB-2020", D(2020, 2, 1)),
    ("%d-%b-%Y", "01-sep-2020", D(2020, 9, 1)),
    ("%d-%b-%Y", "01-Sept-2020", None),
    ("%d-%b-%Y", "01-February-2020", None),
    ("%d-%b-%Y", "31-Jun-2020", None),
    ("%d %B %Y", "1 February 2020", D(2020, 2, 1)),
    ("%d %B %Y", "01  FEBRUARY  2020", D(2020, 2, 1)),  # a space matches several
    ("%d %B %Y", "1 may 2020", D(2020, 5, 1)),
    ("%d %B %Y", "1 Feb 2020", None),
    ("%d.%m.%y", "01.02.80", D(1980, 2, 1)),
    ("%d.%m.%y", "01-02-80", None),
    ("%Y%m%d", "20200201", D(2020, 2, 1)),
    ("%Y%m%d", "2020021", D(2020, 2, 1)),  # as strptime: one-digit day at the end
    ("%Y%m%d", "202002011", None),
    ("%Y%m%d", "20201301", None),
    ("%m/%d/%Y", "12/31/2020", D(2020, 12, 31)),
    ("%m/%d/%Y", "31/12/2020", None),
    ("%d/%m/%Y %H:%M", "01/02/2020 23:59", D(2020, 2, 1)),
    ("%d/%m/%Y %H:%M", "01/02/2020 24:00", None),
    ("%Y-%m-%dT%H:%M:%S", "2020-02-01T07:08:09", D(2020, 2, 1)),
    ("%Y-%m-%dT%H:%M:%S", "2020-02-01T07:08:60", None),
]


def _parse_all(engine, cases):
    formats = sorted({f for f, _, _ in cases})
    engine.write("raw.dates", pa.table({
        "i": list(range(len(cases))),
        "fmt": [f for f, _, _ in cases],
        "x": pa.array([x for _, x, _ in cases], pa.string()),
    }))
    d = engine.dialect
    whens = " ".join(f"WHEN {d.string_literal(f)} THEN {d.try_parse_date('x', f)}" for f in formats)
    rows = engine.query(f"SELECT i, CASE fmt {whens} END AS parsed FROM raw.dates ORDER BY i").to_pylist()
    return [row["parsed"] for row in rows]


def test_try_parse_date_reads_strftime_formats_strictly(engine):
    assert _parse_all(engine, DATE_CASES) == [expected for _, _, expected in DATE_CASES]


def _tricky_dates() -> list[tuple[str, str, None]]:
    days = ["0", "1", "01", "9", "29", "30", "31", "32", "001"]
    months = ["0", "2", "02", "12", "13", "Feb", "FEB", "feb", "Sept", "February", "JUNE", "x"]
    years = ["0000", "0001", "1900", "2000", "2021", "2024", "20", "68", "69", "99", "12345"]
    formats = ["%d/%m/%Y", "%d/%m/%y", "%d-%b-%Y", "%d %B %Y", "%Y-%m-%d", "%d.%m.%y", "%Y%m%d", "%m/%d/%Y"]
    cases = []
    for day, month, year in itertools.product(days, months, years):
        for text in (f"{day}/{month}/{year}", f"{day}-{month}-{year}", f"{year}-{month}-{day}", f"{day} {month} {year}",
                     f"{year}{month}{day}", f"{day}.{month}.{year}"):
            cases.append(text)
    cases += ["", " ", "  1/2/2020", "1/2/2020  ", "1 / 2 / 2020", "1/2/2020~", "~", "'", "\\", "1\t2\t2020"]
    return [(f, text, None) for f in formats for text in cases]


@pytest.mark.spark
def test_try_parse_date_gives_identical_results_on_both_engines(both_engines):
    duck, spark = both_engines
    cases = _tricky_dates()
    on_duck = _parse_all(duck, cases)
    assert on_duck == _parse_all(spark, cases)
    assert sum(value is not None for value in on_duck) > 500  # the grid holds many real dates too


def test_unreadable_formats_are_refused_with_the_reason(engine):
    with pytest.raises(EngineError, match=r"date format `%d/%m/%Y %j` uses `%j`, which oda cannot read"):
        engine.dialect.try_parse_date("x", "%d/%m/%Y %j")
    with pytest.raises(EngineError, match=r"date format `%m/%Y` has no %d: a date needs a year, a month and a day"):
        engine.dialect.try_parse_date("x", "%m/%Y")


def test_strftime_regex_names_each_group():
    assert strftime_regex("%d.%m.%y") == (
        r"^(0?[1-9]|[12][0-9]|3[01])\.(0?[1-9]|1[0-2])\.([0-9]{2})$", ["%d", "%m", "%y"]
    )


LITERALS = ["plain", "O'Brien", "back\\slash", "\\d+ then \\1", "it''s", "tab\there", "Siobhán Ó Súilleabháin", "100%_"]


def test_string_literal_holds_exactly_its_value(engine):
    d = engine.dialect
    selected = ", ".join(f"{d.string_literal(value)} AS v{i}" for i, value in enumerate(LITERALS))
    assert list(engine.query(f"SELECT {selected}").to_pylist()[0].values()) == LITERALS


def test_quote_identifier_allows_reserved_words(engine):
    engine.write("raw.odd", pa.table({"order": [1], "select": ["a"]}))
    q = engine.dialect.quote_identifier
    assert engine.query(f"SELECT {q('order')} + 1 AS n, {q('select')} AS s FROM raw.odd").to_pylist() == [{"n": 2, "s": "a"}]


def test_regex_functions_agree(engine):
    d = engine.dialect
    results = evaluate(
        engine,
        ["John  Smith", "a$b\\c", None, "no digits"],
        swapped=d.regexp_replace_all("x", "^([A-Za-z]+) +([A-Za-z]+)$", "\\2, \\1"),
        dollars=d.regexp_replace_all("x", "[$]", "$$"),
        slashes=d.regexp_replace_all("x", "\\\\", "/"),
        has_space=d.regexp_matches("x", " "),
        first_word=d.regexp_extract("x", "^([A-Za-z]+)", 1),
        digit=d.regexp_extract("x", "[0-9]"),
    )
    assert results == [
        {"x": "John  Smith", "swapped": "Smith, John", "dollars": "John  Smith", "slashes": "John  Smith",
         "has_space": True, "first_word": "John", "digit": None},
        {"x": "a$b\\c", "swapped": "a$b\\c", "dollars": "a$$b\\c", "slashes": "a$b/c",
         "has_space": False, "first_word": "a", "digit": None},
        {"x": None, "swapped": None, "dollars": None, "slashes": None, "has_space": None, "first_word": None,
         "digit": None},
        {"x": "no digits", "swapped": "digits, no", "dollars": "no digits", "slashes": "no digits",
         "has_space": True, "first_word": "no", "digit": None},
    ]


def test_date_building_blocks(engine):
    d = engine.dialect
    results = evaluate(
        engine,
        ["2020-2-1", "2020-02-30", "2020-Feb-1", "2020-february-01", None],
        ymd=d.try_ymd_date("x"),
        short=d.try_ymd_date("x", "short_name"),
        full=d.try_ymd_date("x", "full_name"),
        excel=d.add_days("DATE '1899-12-30'", "43831"),
    )
    assert [(r["ymd"], r["short"], r["full"]) for r in results] == [
        (D(2020, 2, 1), None, None),
        (None, None, None),
        (None, D(2020, 2, 1), None),
        (None, None, D(2020, 2, 1)),
        (None, None, None),
    ]
    assert {r["excel"] for r in results} == {D(2020, 1, 1)}
