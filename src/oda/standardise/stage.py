"""The standardise stage: ``raw.<source>`` → ``stg.<source>``, one row per raw row.

Grain: one row per ingested record (``record_id``), the same rows as ``raw.<source>``.

Each mapped standard field is replaced by its standardised value under the same name — names
cleaned and split (:mod:`~oda.standardise.names`), dates as DATE (:mod:`~oda.standardise.dates`),
postcodes canonical (:mod:`~oda.standardise.postcodes`), phones and emails normalised
(:mod:`~oda.standardise.contact`). Every other raw column passes through untouched (address
columns are parsed later, by linkage). Added columns:

- ``source``: the source's name (a raw attribute already called ``source`` becomes
  ``source_attribute``);
- for a source with any name field: ``title``, ``first_name``, ``middle_names``, ``surname`` and
  ``name_initial``, NULL where the source's fields cannot say (``full_name`` too, if mapped);
- ``<field>_invalid`` for each date, postcode, phone and email field: TRUE when the source gave a
  value that could not be read (the value itself is then NULL).

The SQL is built once through the engine's dialect, so DuckDB and Spark give the same table.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from oda.engine.base import Dialect, Engine
from oda.errors import EngineError, StandardiseError
from oda.project.models import DATE_FIELDS, SourceDefinition
from oda.standardise import contact, dates, names, postcodes
from oda.standardise.text import blank_to_null, invalid_flag

NAME_FIELDS = ("title", "first_name", "middle_names", "surname", "full_name")
CHECKED_FIELDS = (*DATE_FIELDS, "postcode", "phone", "email")
"""Fields whose unreadable values are flagged in ``<field>_invalid``."""


@dataclass
class _Plan:
    """Columns computed in steps: each step may use the columns of the steps before it.

    Splitting the work keeps each expression small (Spark compiles a projection to one Java method,
    which must stay under 64 KB) and computes each intermediate value once.
    """

    dialect: Dialect
    steps: list[dict[str, str]] = field(default_factory=lambda: [{}, {}, {}])
    final: dict[str, str] = field(default_factory=dict)

    def add(self, step: int, name: str, expr: str) -> str:
        """Compute ``expr`` as column ``_oda_<name>`` in ``step`` (0, 1 or 2); return the column."""
        column = f"_oda_{name}"
        self.steps[step][column] = expr
        return self.dialect.quote_identifier(column)

    def sql(self, source: str) -> str:
        q = self.dialect.quote_identifier
        ctes, previous = [], source
        for number, step in enumerate(s for s in self.steps if s):
            extra = "".join(f",\n    {expr} AS {q(name)}" for name, expr in step.items())
            ctes.append(f"_oda_step{number} AS (\n  SELECT *{extra}\n  FROM {previous}\n)")
            previous = f"_oda_step{number}"
        listed = ",\n  ".join(f"{expr} AS {q(name)}" for name, expr in self.final.items())
        with_clause = f"WITH {', '.join(ctes)}\n" if ctes else ""
        return f"{with_clause}SELECT\n  {listed}\nFROM {previous}"


def standardise_query(dialect: Dialect, source_name: str, source: SourceDefinition, raw_columns: list[str]) -> str:
    """The SQL that reads ``raw.<source_name>`` and returns its standardised rows."""
    q = dialect.quote_identifier
    mapped = [f for f in source.columns if f != "record_id"]
    missing = [f for f in ["record_id", *mapped] if f not in raw_columns]
    if missing:
        raise StandardiseError(
            f"raw.{source_name} has no column(s) {', '.join(missing)}, which oda.toml maps "
            f"([sources.{source_name}.columns]). Run `oda ingest` again so the raw table matches the mapping"
        )
    plan = _Plan(dialect)
    for column in raw_columns:
        plan.final["source_attribute" if column == "source" else column] = q(column)
        if column == "record_id":
            plan.final["source"] = dialect.string_literal(source_name)
    if any(f in mapped for f in NAME_FIELDS):
        _plan_names(plan, mapped)
    standardised = {}
    for name in mapped:
        raw = q(name)
        if name in DATE_FIELDS:
            text = plan.add(0, f"{name}_text", blank_to_null(raw))
            tidy = plan.add(0, f"{name}_tidy", dates.date_only(dialect, raw))
            try:
                parsed = dates.parse_date_text(dialect, text, tidy, source.date_formats)
            except EngineError as exc:
                raise StandardiseError(f"Source `{source_name}`: [sources.{source_name}].date_formats: {exc}") from None
            standardised[name] = plan.add(1, name, parsed)
        elif name == "postcode":
            spaced = plan.add(0, "postcode_spaced", postcodes.postcode_spaced(dialect, raw))
            standardised[name] = plan.add(1, name, postcodes.postcode_checked(dialect, spaced))
        elif name == "phone":
            digits = plan.add(0, "phone_digits", contact.phone_digits(dialect, raw))
            plus = plan.add(0, "phone_plus", contact.phone_has_plus(dialect, raw))
            national = plan.add(1, "phone_national", contact.phone_national(dialect, digits, plus))
            standardised[name] = plan.add(2, name, contact.phone_checked(dialect, national))
        elif name == "email":
            tidy = plan.add(0, "email_tidy", contact.email_tidy(dialect, raw))
            standardised[name] = plan.add(1, name, contact.email_checked(dialect, tidy))
    plan.final.update(standardised)
    for name, column in standardised.items():
        if name in CHECKED_FIELDS:
            plan.final[f"{name}_invalid"] = invalid_flag(q(name), column)
    return plan.sql(f"raw.{source_name}")


def _plan_names(plan: _Plan, mapped: list[str]) -> None:
    """title, first_name, middle_names, surname, name_initial (and full_name if mapped)."""
    d = plan.dialect
    q = d.quote_identifier
    titles, firsts, given_middles, middles, surnames = [], [], [], [], []
    if "title" in mapped:
        titles.append(plan.add(0, "title", names.clean_title(d, q("title"))))
    if "first_name" in mapped:
        cleaned = plan.add(0, "first_cleaned", names.clean_name(d, q("first_name")))
        titles.append(plan.add(1, "first_title", names.leading_title(d, cleaned)))
        given = plan.add(1, "first", names.strip_title(d, cleaned))
        firsts.append(plan.add(2, "first_first", f"coalesce({names.first_word(d, given)}, {given})"))
        given_middles.append(plan.add(2, "first_rest", names.after_first_word(d, given)))
    if "middle_names" in mapped:
        given_middles.append(plan.add(0, "middle", names.clean_name(d, q("middle_names"))))
    if given_middles:
        middles.append(f"nullif(concat_ws(' ', {', '.join(given_middles)}), '')")
    if "surname" in mapped:
        surnames.append(plan.add(0, "surname", names.join_surname_prefix(d, names.clean_name(d, q("surname")))))
    if "full_name" in mapped:
        reordered = names.surname_first_reordered(d, q("full_name"))
        cleaned = plan.add(0, "full_cleaned", names.clean_name(d, reordered))
        titles.append(plan.add(1, "full_title", names.leading_title(d, cleaned)))
        full = plan.add(1, "full", names.strip_title(d, cleaned))
        firsts.append(plan.add(2, "full_first", names.first_word(d, full)))
        rest = plan.add(2, "full_rest", f"coalesce({names.after_first_word(d, full)}, {full})")
        family = names.surname_of(d, rest)
        middles.append(names.before_surname(d, rest, family))
        surnames.append(names.join_surname_prefix(d, family))
        plan.final["full_name"] = full
    plan.final["title"] = _coalesce(titles)
    plan.final["first_name"] = _coalesce(firsts)
    plan.final["middle_names"] = _coalesce(middles)
    plan.final["surname"] = _coalesce(surnames)
    plan.final["name_initial"] = names.initial(plan.final["first_name"])


def _coalesce(expressions: list[str]) -> str:
    if not expressions:
        return "CAST(NULL AS STRING)"
    return expressions[0] if len(expressions) == 1 else f"coalesce({', '.join(expressions)})"


def standardise_source(engine: Engine, source_name: str, source: SourceDefinition) -> int:
    """Write ``stg.<source_name>`` from ``raw.<source_name>``; return its row count."""
    raw = f"raw.{source_name}"
    if not engine.exists(raw):
        raise StandardiseError(f"{raw} does not exist yet: run `oda ingest` for source `{source_name}` first")
    raw_columns = engine.query(f"SELECT * FROM {raw} LIMIT 0").schema.names
    return engine.create_as(f"stg.{source_name}", standardise_query(engine.dialect, source_name, source, raw_columns))
