"""Dates in the many ways partners write them, read day first, on both engines."""

from __future__ import annotations

import datetime as dt

from oda.standardise.dates import DEFAULT_DATE_FORMATS, parse_date
from tests.engine_fixtures import evaluate

D = dt.date

CASES = {
    "2020-02-01": D(2020, 2, 1),
    "2020/02/01": D(2020, 2, 1),
    "01/02/2020": D(2020, 2, 1),  # 1 February: day first
    "1/2/2020": D(2020, 2, 1),
    "01/02/80": D(1980, 2, 1),
    "01/02/20": D(2020, 2, 1),
    "01-02-2020": D(2020, 2, 1),
    "01.02.2020": D(2020, 2, 1),
    "01.02.80": D(1980, 2, 1),
    "1 Feb 2020": D(2020, 2, 1),
    "01-FEB-2020": D(2020, 2, 1),
    "01-feb-80": D(1980, 2, 1),
    "1 February 2020": D(2020, 2, 1),
    "1st February 2020": D(2020, 2, 1),
    "22nd Mar 1999": D(1999, 3, 22),
    "20200201": D(2020, 2, 1),
    "2020-02-01 00:00:00": D(2020, 2, 1),
    "2020-02-01T10:30:00.000Z": D(2020, 2, 1),
    "01/02/2020 10:30": D(2020, 2, 1),
    "43831": D(2020, 1, 1),  # Excel serial
    "43831.5": D(2020, 1, 1),
    "12/31/2020": None,  # month first is never guessed
    "31/02/2020": None,
    "29/02/2021": None,
    "1985": None,  # a year alone is not a date
    "unknown": None,
    "": None,
    " ": None,
    None: None,
}


def test_defaults_never_read_month_first():
    assert not any(f.startswith("%m") or "%b %d" in f for f in DEFAULT_DATE_FORMATS)


def test_parse_date(engine):
    results = evaluate(engine, list(CASES), parsed=parse_date(engine.dialect, "x"))
    assert {r["x"]: r["parsed"] for r in results} == CASES


def test_declared_formats_come_first(engine):
    results = evaluate(engine, ["03/04/2020", "12/31/2020", "2020-02-01"],
                       parsed=parse_date(engine.dialect, "x", ["%m/%d/%Y"]))
    assert [r["parsed"] for r in results] == [D(2020, 3, 4), D(2020, 12, 31), D(2020, 2, 1)]
