"""Every row read is loaded or quarantined: the count that proves ingest lost nothing.

:func:`reconcile` is checked inside each load's transaction, against what the engine actually
stored; if it does not hold, the load is rolled back and the previous one stays in place.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.table import Table

from oda.errors import IngestError


@dataclass(frozen=True)
class Reconciliation:
    """One source's counts. ``skipped`` loads repeat the counts of the load already in place."""

    source: str
    location: str
    rows_read: int
    rows_loaded: int
    rows_quarantined: int
    skipped: bool = False

    @property
    def balanced(self) -> bool:
        return self.rows_read == self.rows_loaded + self.rows_quarantined


def reconcile(source: str, location: str, rows_read: int, rows_loaded: int, rows_quarantined: int) -> Reconciliation:
    """The counts, or :class:`IngestError` when rows went missing (a bug in oda, never the data's fault)."""
    result = Reconciliation(source, location, rows_read, rows_loaded, rows_quarantined)
    if not result.balanced:
        raise IngestError(
            f"Source `{source}`: reconciliation failed for {location}: {rows_read} rows read but "
            f"{rows_loaded} loaded + {rows_quarantined} quarantined = {rows_loaded + rows_quarantined}. "
            "Nothing was replaced; this is a bug in oda — please report it with the file's shape"
        )
    return result


def reconciliation_table(results: list[Reconciliation]) -> Table:
    """The table `oda ingest` ends with: read = loaded + quarantined, per source."""
    table = Table(title="Ingest reconciliation: rows read = loaded + quarantined")
    table.add_column("source")
    table.add_column("read", justify="right")
    table.add_column("loaded", justify="right")
    table.add_column("quarantined", justify="right")
    table.add_column("")
    for result in results:
        note = "unchanged, skipped" if result.skipped else ("✓" if result.balanced else "✗")
        table.add_row(result.source, f"{result.rows_read:,}", f"{result.rows_loaded:,}",
                      f"{result.rows_quarantined:,}", note)
    return table
