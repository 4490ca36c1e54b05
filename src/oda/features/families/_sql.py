"""Small SQL pieces several families share (kept here so each family module stays a few lines)."""

from __future__ import annotations

from oda.features.context import FeatureContext


def recent(ctx: FeatureContext, source: str, days: int) -> str:
    """Records of ``source`` in the last ``days``: spells that overlapped the window, events dated in it."""
    return ctx.overlaps(days) if ctx.column(source, "end_date") else ctx.within(days)


def surname(ctx: FeatureContext, source: str) -> str:
    """The surname in upper case: the surname column, else the last word of the full name."""
    column = ctx.column(source, "surname", "last_name")
    if column:
        return f"upper(trim(CAST({column} AS STRING)))"
    full = ctx.column(source, "full_name", "name")
    if full is None:
        return "CAST(NULL AS STRING)"
    last_word = ctx.engine.dialect.regexp_extract(f"trim(CAST({full} AS STRING))", "([A-Za-z'-]+)$", 1)
    return f"upper({last_word})"


def person(ctx: FeatureContext, source: str) -> str:
    """A person's name key: first name and surname, else the full name, upper case without spaces."""
    first = ctx.column(source, "first_name", "forename")
    if first:
        return f"upper(trim(CAST({first} AS STRING))) || ' ' || {surname(ctx, source)}"
    full = ctx.column(source, "full_name", "name")
    if full:
        return ctx.engine.dialect.regexp_replace_all(f"upper(CAST({full} AS STRING))", "[^A-Z]+", "")
    return f"CAST({ctx.column(source, 'record_id') or 'NULL'} AS STRING)"


def any_like(expr: str, *patterns: str) -> str:
    """TRUE when ``expr`` (lower-case text) contains any of the (lower-case) ``patterns``."""
    return "(" + " OR ".join(f"{expr} LIKE '%{p}%'" for p in patterns) + ")"


def grouped(ctx: FeatureContext, source: str, selects: list[str]) -> str | None:
    """``SELECT _uprn AS uprn, <selects> FROM source WHERE known GROUP BY _uprn``, or None."""
    table = ctx.source(source)
    if table is None:
        return None
    return (f"SELECT s._uprn AS uprn, {', '.join(selects)} FROM {table} s "
            f"WHERE s._uprn IS NOT NULL AND {ctx.known()} GROUP BY s._uprn")
