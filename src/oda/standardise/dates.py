"""Dates written as text, read the British way.

Formats are tried in order and the first that reads the whole value wins: the formats a source
declares (``[sources.x] date_formats``), then :data:`DEFAULT_DATE_FORMATS` — ISO, then day-first
forms. Month-first (``%m/%d/%Y``) is never guessed: ``03/04/2020`` is 3 April unless the source
declares otherwise. A five-digit number is an Excel serial date (``43831`` → 2020-01-01). A time of
day after the date is ignored, and so is an ordinal suffix (``1st``). What cannot be read is NULL,
and the stage flags it.
"""

from __future__ import annotations

from typing import Sequence

from oda.engine.base import Dialect
from oda.standardise.text import blank_to_null

DEFAULT_DATE_FORMATS: tuple[str, ...] = (
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%d/%m/%Y",
    "%d/%m/%y",
    "%d-%m-%Y",
    "%d-%m-%y",
    "%d.%m.%Y",
    "%d.%m.%y",
    "%d %b %Y",
    "%d-%b-%Y",
    "%d %b %y",
    "%d-%b-%y",
    "%d %B %Y",
    "%d-%B-%Y",
    "%Y%m%d",
)
"""Formats tried after a source's own, in order. None of them reads month first."""

EXCEL_EPOCH = "1899-12-30"
"""Day zero of Excel's (1900-system) serial dates, allowing for its 1900 leap-year bug."""

_TIME_OF_DAY = "[T ]+[0-9]{1,2}:[0-9]{2}(:[0-9]{2}([.,][0-9]+)?)? *([AaPp][Mm])? *(Z|[+-][0-9]{2}:?[0-9]{2})?$"
_ORDINAL = "(?i)^([0-9]{1,2})(st|nd|rd|th)([ -])"
_EXCEL_SERIAL = "^([0-9]{5})([.][0-9]+)?$"


def date_only(dialect: Dialect, expr: str) -> str:
    """Trimmed text with any time of day and ordinal suffix removed: ``1st Feb 2020 10:30`` → ``1 Feb 2020``."""
    text = dialect.regexp_replace_all(blank_to_null(expr), _TIME_OF_DAY, "")
    return dialect.regexp_replace_all(text, _ORDINAL, "\\1\\3")


def excel_serial_date(dialect: Dialect, expr: str) -> str:
    """A five-digit Excel serial number (``43831`` or ``43831.5``) as a DATE, else NULL."""
    days = dialect.regexp_extract(expr, _EXCEL_SERIAL, 1)
    return f"(CASE WHEN {dialect.regexp_matches(expr, _EXCEL_SERIAL)} THEN {dialect.add_days(f'DATE {dialect.string_literal(EXCEL_EPOCH)}', days)} END)"


def parse_date_text(dialect: Dialect, text: str, tidy: str, declared: Sequence[str] = ()) -> str:
    """Step 2 of :func:`parse_date`: ``text`` (trimmed) and ``tidy`` (:func:`date_only`) as a DATE."""
    attempts = [dialect.try_parse_date(text, f) for f in declared]
    attempts += [dialect.try_parse_date(tidy, f) for f in DEFAULT_DATE_FORMATS if f not in declared]
    attempts.append(excel_serial_date(dialect, tidy))
    return "coalesce(" + ", ".join(attempts) + ")"


def parse_date(dialect: Dialect, expr: str, declared: Sequence[str] = ()) -> str:
    """``expr`` (text) as a DATE: the declared formats first, then the defaults, then Excel serials."""
    return parse_date_text(dialect, blank_to_null(expr), date_only(dialect, expr), declared)
