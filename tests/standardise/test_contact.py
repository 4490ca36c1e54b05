"""Phones as digits in UK national form, emails lower case and well formed, on both engines."""

from __future__ import annotations

from oda.standardise.contact import email_sql, phone_sql
from tests.engine_fixtures import evaluate

PHONES = {
    "020 7946 0018": "02079460018",
    "+44 20 7946 0018": "02079460018",
    "+44 (0)20 7946 0018": "02079460018",
    "0044 20 7946 0018": "02079460018",
    "44 7700 900123": "07700900123",
    "7700900123": "07700900123",  # a spreadsheet dropped the leading 0
    "07700-900-123": "07700900123",
    "(01632) 960 001 ext 12": "01632960001",
    "01632 960001 x.4": "01632960001",
    "0800 123456": "0800123456",
    "+33 1 23 45 67 89": "0033123456789",
    "0033 1 23 45 67 89": "0033123456789",
    "123": None,
    "02079460018000": None,
    "not given": None,
    "": None,
    None: None,
}

EMAILS = {
    " John.OBrien@Example.COM ": "john.obrien@example.com",
    "mailto:a@b.co.uk": "a@b.co.uk",
    "<siobhan+council@mail.example.org>": "siobhan+council@mail.example.org",
    "o'brien@example.com": "o'brien@example.com",
    "bad@": None,
    "x@y": None,
    "a..b@c.com": None,
    ".a@c.com": None,
    "a@-c.com": None,
    "two@at@signs.com": None,
    "spaces in@x.com": None,
    "": None,
    None: None,
}


def test_phones(engine):
    results = evaluate(engine, list(PHONES), phone=phone_sql(engine.dialect, "x"))
    assert {r["x"]: r["phone"] for r in results} == PHONES


def test_emails(engine):
    results = evaluate(engine, list(EMAILS), email=email_sql(engine.dialect, "x"))
    assert {r["x"]: r["email"] for r in results} == EMAILS
