"""What every reader hands to validation: the file's header and its rows, all as text.

Readers never interpret values (types are checked afterwards, against the mapping). Columns are
named by position (``_c0``, ``_c1``, ...) so that blank or repeated headers cannot collide; ``header``
holds the names as the file wrote them. Rows a reader cannot split into the header's columns are
not dropped: they come back in ``rejected`` with their row number and raw text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyarrow as pa

ROW_NUMBER = "_row_number"


def column_key(index: int) -> str:
    """The positional name of the ``index``-th column in an extract's table."""
    return f"_c{index}"


@dataclass(frozen=True)
class RejectedRow:
    """A row the reader could not split into the header's columns (quarantined with ``reason``)."""

    row_number: int
    reason: str
    values: dict[str, object]


@dataclass(frozen=True)
class Extract:
    """One source's rows as read: ``table`` has ``_c0.._cN`` (strings) and ``_row_number`` (int64).

    ``row_number`` is the file's data-row number (header excluded) for CSV, the sheet row for Excel,
    and the position in the result for Parquet and databases — the number an analyst would look up.
    """

    source: str
    location: str
    header: list[str]
    table: pa.Table
    rejected: list[RejectedRow] = field(default_factory=list)

    @property
    def rows_read(self) -> int:
        return self.table.num_rows + len(self.rejected)


def unique_header(names: list[object]) -> list[str]:
    """Header names as text, blanks named ``column_<n>``, repeats suffixed `` (2)``, `` (3)``."""
    seen: dict[str, int] = {}
    result = []
    for index, name in enumerate(names, start=1):
        text = "" if name is None else str(name).strip()
        text = text or f"column_{index}"
        count = seen.get(text.casefold(), 0) + 1
        seen[text.casefold()] = count
        result.append(text if count == 1 else f"{text} ({count})")
    return result


def string_table(columns: list[list[str | None]], row_numbers: list[int]) -> pa.Table:
    """A reader's table from Python lists of column values (used by the row-at-a-time readers)."""
    arrays = {column_key(i): pa.array(values, type=pa.string()) for i, values in enumerate(columns)}
    arrays[ROW_NUMBER] = pa.array(row_numbers, type=pa.int64())
    return pa.table(arrays)
