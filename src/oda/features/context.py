"""What a feature family sees: each source's records with their property (UPRN) and dates, as of a date.

:meth:`FeatureContext.source` turns ``stg.<source>`` (or ``raw.<source>`` before standardisation)
into a SQL sub-query with three extra columns every family relies on:

* ``_uprn`` — the property: the accepted address match from ``link.address_matches`` (tiers
  ``exact`` and ``confident``), else the UPRN the record itself carries;
* ``_start`` / ``_end`` — the record's dates as DATEs: ``_start`` is its event date or start date,
  ``_end`` its end date (NULL while ongoing).

Families must only count records with ``_start <= as_of`` (:meth:`FeatureContext.known`), so that a
feature never sees the future; a record that ended after ``as_of`` was still live on that day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pyarrow as pa

from oda.datasets import ADDRESS_MATCHES, raw, staged
from oda.engine.base import Engine

ACCEPTED_TIERS = ("exact", "confident")


@dataclass
class FeatureContext:
    """The engine, the as-of date, and how to read each source. Build one per feature run."""

    engine: Engine
    as_of: dt.date
    date_formats: dict[str, list[str]] = field(default_factory=dict)
    source_names: dict[str, str] = field(default_factory=dict)
    _schemas: dict[str, pa.Schema | None] = field(default_factory=dict, repr=False)

    # -- dates ----------------------------------------------------------------------------
    @property
    def today(self) -> str:
        """The as-of date as a SQL DATE literal."""
        return self.date_literal(self.as_of)

    def days_before(self, days: int) -> str:
        """The date ``days`` before as-of, as a SQL DATE literal (windows are (as_of - days, as_of])."""
        return self.date_literal(self.as_of - dt.timedelta(days=days))

    @staticmethod
    def date_literal(value: dt.date) -> str:
        return f"DATE '{value.isoformat()}'"

    def known(self, alias: str = "s") -> str:
        """The condition that a record existed by the as-of date."""
        return f"{alias}._start IS NOT NULL AND {alias}._start <= {self.today}"

    def live(self, alias: str = "s") -> str:
        """The condition that a spell (an account, a claim, a licence) was live on the as-of date."""
        return f"{self.known(alias)} AND ({alias}._end IS NULL OR {alias}._end >= {self.today})"

    def within(self, days: int, alias: str = "s") -> str:
        """Records dated in the ``days`` up to and including the as-of date."""
        return f"{self.known(alias)} AND {alias}._start > {self.days_before(days)}"

    def overlaps(self, days: int, alias: str = "s") -> str:
        """Spells live at any time in the ``days`` up to the as-of date."""
        return f"{self.known(alias)} AND ({alias}._end IS NULL OR {alias}._end > {self.days_before(days)})"

    # -- sources --------------------------------------------------------------------------
    def dataset(self, source: str) -> str | None:
        """``stg.<source>`` when standardised, else ``raw.<source>``, else None (not loaded)."""
        name = self.source_names.get(source, source)
        for candidate in (staged(name), raw(name)):
            if self.engine.exists(candidate):
                return candidate
        return None

    def schema(self, source: str) -> pa.Schema | None:
        if source not in self._schemas:
            dataset = self.dataset(source)
            self._schemas[source] = self.engine.query(f"SELECT * FROM {dataset} LIMIT 0").schema if dataset else None
        return self._schemas[source]

    def has(self, source: str) -> bool:
        return self.schema(source) is not None

    def column(self, source: str, *candidates: str) -> str | None:
        """The first of ``candidates`` that ``source`` has (case-insensitive), quoted; None if none."""
        schema = self.schema(source)
        if schema is None:
            return None
        names = {n.lower(): n for n in schema.names}
        for candidate in candidates:
            if candidate.lower() in names:
                return "s." + self.engine.dialect.quote_identifier(names[candidate.lower()])
        return None

    def text(self, source: str, *candidates: str) -> str:
        """Lower-cased text of the first matching column, or an empty string literal."""
        column = self.column(source, *candidates)
        return f"lower(coalesce(CAST({column} AS STRING), ''))" if column else "''"

    def number(self, source: str, *candidates: str) -> str:
        """The first matching column as a DOUBLE (NULL when absent or not a number)."""
        column = self.column(source, *candidates)
        if column is None:
            return "CAST(NULL AS DOUBLE)"
        schema = self.schema(source)
        assert schema is not None
        kind = schema.field(column.split(".", 1)[1].strip('"`')).type
        if pa.types.is_integer(kind) or pa.types.is_floating(kind) or pa.types.is_decimal(kind):
            return f"CAST({column} AS DOUBLE)"
        pattern = "^ *-?[0-9]+(\\.[0-9]+)? *$"
        return (f"(CASE WHEN {self.engine.dialect.regexp_matches(f'CAST({column} AS STRING)', pattern)} "
                f"THEN CAST(trim(CAST({column} AS STRING)) AS DOUBLE) END)")

    def source(self, source: str) -> str | None:
        """A sub-query over ``source`` with ``_uprn``, ``_start`` and ``_end`` added; None if not loaded."""
        dataset = self.dataset(source)
        if dataset is None:
            return None
        own_uprn = self.column(source, "uprn")
        own = f"nullif(trim(CAST({own_uprn} AS STRING)), '')" if own_uprn else "CAST(NULL AS STRING)"
        start = self._date(source, "event_date", "start_date", "date")
        end = self._date(source, "end_date")
        name = self.source_names.get(source, source)
        record_id = self.column(source, "record_id")
        if self.engine.exists(ADDRESS_MATCHES.name) and record_id:
            tiers = ", ".join(f"'{t}'" for t in ACCEPTED_TIERS)
            return (
                f"(SELECT s.*, coalesce(m._uprn, {own}) AS _uprn, {start} AS _start, {end} AS _end "
                f"FROM {dataset} s LEFT JOIN (SELECT CAST(record_id AS STRING) AS _record_id, "
                f"min(trim(CAST(uprn AS STRING))) AS _uprn FROM {ADDRESS_MATCHES.name} "
                f"WHERE source = {self.engine.dialect.string_literal(name)} AND tier IN ({tiers}) "
                f"AND uprn IS NOT NULL GROUP BY CAST(record_id AS STRING)) m "
                f"ON m._record_id = CAST({record_id} AS STRING))"
            )
        return f"(SELECT s.*, {own} AS _uprn, {start} AS _start, {end} AS _end FROM {dataset} s)"

    def _date(self, source: str, *candidates: str) -> str:
        column = self.column(source, *candidates)
        if column is None and "event_date" in candidates:
            year = self.number(source, "register_year")
            if year != "CAST(NULL AS DOUBLE)":
                # The full register for year Y is published on 1 December of year Y-1.
                text = f"CAST(CAST({year} AS INTEGER) - 1 AS STRING) || '-12-01'"
                return self.engine.dialect.try_parse_date(text, "%Y-%m-%d")
        if column is None:
            return "CAST(NULL AS DATE)"
        schema = self.schema(source)
        assert schema is not None
        kind = schema.field(column.split(".", 1)[1].strip('"`')).type
        if pa.types.is_date(kind) or pa.types.is_timestamp(kind):
            return f"CAST({column} AS DATE)"
        dialect = self.engine.dialect
        text = f"CAST({column} AS STRING)"
        formats = list(self.date_formats.get(source, [])) + ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%Y %H:%M"]
        tries = [dialect.try_parse_date(f"substr(trim({text}), 1, 10)", "%Y-%m-%d")]
        tries += [dialect.try_parse_date(text, f) for f in dict.fromkeys(formats)]
        return f"coalesce({', '.join(tries)})"
