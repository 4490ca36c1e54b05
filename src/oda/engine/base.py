"""The one small interface every stage goes through, whichever engine runs it.

Stages read named datasets and write named datasets. A dataset's name carries its layer —
``raw.council_tax``, ``stg.addresses``, ``link.address_matches`` — and the same name is used in SQL
on both engines (a DuckDB schema, a Spark database). Stage code never asks which engine it is on:
where the SQL dialects differ, it asks ``engine.dialect`` for the expression.

Data crosses the boundary as Apache Arrow (tables or record-batch readers for streams).
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from contextlib import contextmanager
from typing import Iterator, Literal

import pyarrow as pa

from oda.errors import EngineError

LAYERS = ("raw", "quarantine", "stg", "link", "feat", "score", "out", "meta")
_DATASET = re.compile(r"^(?P<layer>[a-z]+)\.(?P<table>[a-z][a-z0-9_]*)$")

WriteMode = Literal["replace", "append"]
MonthStyle = Literal["number", "short_name", "full_name"]


def split_dataset(name: str) -> tuple[str, str]:
    """``"raw.council_tax"`` → ``("raw", "council_tax")``, refusing names outside the layers."""
    match = _DATASET.match(name)
    if not match or match["layer"] not in LAYERS:
        raise EngineError(
            f"dataset name `{name}` is not `<layer>.<table>` with a layer in {', '.join(LAYERS)} "
            "and a lower_snake_case table name"
        )
    return match["layer"], match["table"]


class Dialect(ABC):
    """SQL expressions that differ between engines. Each returns a SQL fragment.

    Regex patterns must stay in the subset that RE2 (DuckDB) and Java (Spark) read the same way:
    no look-arounds, no back-references in patterns; ``\\p{L}``-style classes and ``(?i)`` are fine.
    """

    name: str

    def try_parse_date(self, expr: str, strftime_format: str) -> str:
        """``expr`` (text) parsed with a strftime-style format as a DATE, NULL when it does not parse.

        The format becomes one regex with the same meaning on every engine (rather than being handed
        to each engine's own parser, which disagree: DuckDB reads ``%Y`` as one to four digits, Java
        reads ``yy`` as 20xx). The regex rewrites the text as ``YYYY-M-D``, which both engines read
        strictly. Rules: ``%Y`` is four digits (not 0000); ``%y`` two (00–68 → 20xx, 69–99 → 19xx,
        as POSIX and DuckDB); ``%d``/``%m`` one or two digits; ``%b`` a three-letter and ``%B`` a
        full English month name, any case; ``%H:%M:%S`` must be a real time and are dropped; a space
        matches one or more spaces; leading and trailing spaces are ignored; impossible dates
        (31 April, 29 February 2021) are NULL.
        """
        pattern, parts = strftime_regex(strftime_format)

        def group(*directives: str) -> str:
            found = [d for d in directives if d in parts]
            if not found:
                raise EngineError(
                    f"date format `{strftime_format}` has no {' or '.join(directives)}: a date needs a year, "
                    "a month and a day"
                )
            return "\\" + str(parts.index(found[0]) + 1)

        month_style: MonthStyle = "full_name" if "%B" in parts else "short_name" if "%b" in parts else "number"
        rewritten = f"{group('%Y', '%y')}-{group('%m', '%b', '%B')}-{group('%d')}"
        # The sentinel makes text the pattern does not match come out unreadable, not unchanged.
        ymd = self.regexp_replace_all(f"(trim({expr}) || '~')", pattern[:-1] + "~$", rewritten)
        if "%y" in parts:
            ymd = self.regexp_replace_all(ymd, "^([0-5][0-9]|6[0-8])-", "20\\1-")
            ymd = self.regexp_replace_all(ymd, "^([0-9]{2})-", "19\\1-")
        return self.try_ymd_date(ymd, month_style)

    @abstractmethod
    def regexp_replace_all(self, expr: str, pattern: str, replacement: str) -> str:
        """Replace every match of a (Java/RE2-compatible) regex.

        ``replacement`` is literal text except for ``\\1``..``\\9``, which insert a captured group.
        """

    @abstractmethod
    def string_literal(self, value: str) -> str:
        """A quoted SQL string literal holding exactly ``value`` (backslashes included)."""

    @abstractmethod
    def quote_identifier(self, name: str) -> str:
        """A quoted column or table name, safe for reserved words such as ``order``."""

    @abstractmethod
    def regexp_matches(self, expr: str, pattern: str) -> str:
        """TRUE when the regex matches anywhere in ``expr`` (anchor it with ``^…$`` for all of it)."""

    @abstractmethod
    def regexp_extract(self, expr: str, pattern: str, group: int = 0) -> str:
        """The text captured by ``group`` of the first match, NULL when there is no match."""

    @abstractmethod
    def try_ymd_date(self, expr: str, month_style: "MonthStyle" = "number") -> str:
        """A ``YYYY-M-D`` text as a DATE, NULL when it is not a real date.

        The month is a number (one or two digits), or with ``month_style`` an English month's
        three-letter (``short_name``) or full (``full_name``) name in any case; the day has one or
        two digits: ``2020-2-1``, ``2020-Feb-01``, ``2020-FEBRUARY-1``.
        """

    @abstractmethod
    def add_days(self, date_expr: str, days_expr: str) -> str:
        """A DATE plus a whole number of days (``days_expr`` is an integer expression)."""

    @abstractmethod
    def sorted_distinct_text(self, expr: str) -> str:
        """Aggregate: the distinct non-null values of ``expr``, sorted, joined with ', ' (NULL if none)."""


_REGEX_SPECIAL = set("\\.^$|?*+()[]{}")
_DIRECTIVES = {
    "%Y": "(000[1-9]|00[1-9][0-9]|0[1-9][0-9]{2}|[1-9][0-9]{3})",
    "%y": "([0-9]{2})",
    "%m": "(0?[1-9]|1[0-2])",
    "%d": "(0?[1-9]|[12][0-9]|3[01])",
    "%b": "([A-Za-z]{3})",
    "%B": "([A-Za-z]{3,9})",
    "%H": "([01]?[0-9]|2[0-3])",
    "%M": "([0-5][0-9])",
    "%S": "([0-5][0-9])",
}


def strftime_regex(strftime_format: str) -> tuple[str, list[str]]:
    """An anchored regex reading ``strftime_format``, and the directive captured by each group.

    >>> strftime_regex("%y%m%d")
    ('^([0-9]{2})(0?[1-9]|1[0-2])(0?[1-9]|[12][0-9]|3[01])$', ['%y', '%m', '%d'])
    """
    pattern, parts, i = ["^"], [], 0
    while i < len(strftime_format):
        char = strftime_format[i]
        if char == "%":
            directive = strftime_format[i : i + 2]
            if directive == "%%":
                pattern.append("%")
            elif directive in _DIRECTIVES and directive not in parts:
                pattern.append(_DIRECTIVES[directive])
                parts.append(directive)
            else:
                raise EngineError(
                    f"date format `{strftime_format}` uses `{directive}`, which oda cannot read; "
                    f"use only {' '.join(_DIRECTIVES)} (each once) and literal characters"
                )
            i += 2
            continue
        pattern.append(" +" if char == " " else "\\" + char if char in _REGEX_SPECIAL else char)
        i += 1
    pattern.append("$")
    return "".join(pattern), parts


class Engine(ABC):
    """An analytical engine holding a project's datasets."""

    kind: str
    dialect: Dialect

    # -- writing ---------------------------------------------------------------------------
    @abstractmethod
    def write(self, dataset: str, data: pa.Table | pa.RecordBatchReader, *, mode: WriteMode = "replace") -> int:
        """Store Arrow data as ``dataset``; return the number of rows written."""

    @abstractmethod
    def create_as(self, dataset: str, query: str) -> int:
        """``CREATE OR REPLACE`` ``dataset`` from a SQL query; return its row count."""

    @abstractmethod
    def drop(self, dataset: str) -> None:
        """Remove ``dataset`` if it exists."""

    @contextmanager
    @abstractmethod
    def transaction(self) -> Iterator[None]:
        """All writes inside either all land or none do (the last good load stays in place)."""

    # -- reading ---------------------------------------------------------------------------
    @abstractmethod
    def query(self, sql: str) -> pa.Table:
        """Run a query and return its result."""

    @abstractmethod
    def execute(self, sql: str) -> None:
        """Run a statement for its effect."""

    @abstractmethod
    def read(self, dataset: str, columns: list[str] | None = None) -> pa.Table:
        """The whole of ``dataset`` (or some of its columns)."""

    @abstractmethod
    def exists(self, dataset: str) -> bool: ...

    @abstractmethod
    def count(self, dataset: str) -> int: ...

    @abstractmethod
    def datasets(self, layer: str | None = None) -> list[str]:
        """Names of stored datasets, optionally of one layer, sorted."""

    @abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> "Engine":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
