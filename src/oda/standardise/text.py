"""Small SQL building blocks shared by the standardisers: text in, text out, on any engine."""

from __future__ import annotations

from oda.engine.base import Dialect


def as_text(expr: str) -> str:
    """``expr`` as text, whatever type the raw column arrived with (``STRING`` reads on both engines)."""
    return f"CAST({expr} AS STRING)"


def blank_to_null(expr: str) -> str:
    """Trimmed text, NULL when nothing is left."""
    return f"nullif(trim({as_text(expr)}), '')"


def collapse_spaces(dialect: Dialect, expr: str) -> str:
    """Runs of whitespace (including tabs, line breaks and no-break spaces) become one space; trimmed."""
    spaced = dialect.regexp_replace_all(expr, "[\\t\\n\\r\\f\\x{0B}\\x{A0} ]+", " ")
    return f"nullif(trim({spaced}), '')"


def invalid_flag(raw: str, standardised: str) -> str:
    """TRUE when the source gave a value (not blank) that could not be standardised."""
    return f"({blank_to_null(raw)} IS NOT NULL AND {standardised} IS NULL)"
