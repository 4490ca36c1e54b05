"""Excel extracts (.xlsx): one sheet, first non-blank row as the header, every cell as text.

Cells Excel holds as dates become ISO text (``2021-03-04``, or ``2021-03-04T10:30:00`` with a time),
whole numbers lose Excel's ``.0``, and ``_row_number`` is the sheet row an analyst would scroll to.
Blank rows are not records and are not counted. A row with values beyond the last header column is
set aside as ragged, like a CSV row with too many fields.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from typing import Callable

from oda.errors import IngestError
from oda.ingest.extract import Extract, RejectedRow, string_table, unique_header
from oda.project.models import SourceDefinition

_PROGRESS_EVERY = 5000


def cell_text(value: object) -> str | None:
    """An Excel cell's value as the text oda stores (None for an empty cell)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(timespec="seconds")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    text = str(value)
    return text if text != "" else None


def read_excel(name: str, source: SourceDefinition, path: Path,
               advance: Callable[[int], None] = lambda n: None) -> Extract:
    """Read the configured sheet (by name, or by 0-based index; the first sheet by default)."""
    from openpyxl import load_workbook

    location = str(path)
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise IngestError(
            f"Source `{name}`: cannot open {location} as an Excel workbook (.xlsx): {exc}. Check that the "
            f"file is a complete .xlsx (not .xls or CSV renamed), or set format in [sources.{name}]"
        ) from None
    try:
        sheet = _choose_sheet(workbook, name, source.sheet, location)
        if hasattr(sheet, "reset_dimensions"):
            # Some exporters write a wrong sheet size; read every row there is, not the size declared.
            sheet.reset_dimensions()
        header_cells: list[object] | None = None
        columns: list[list[str | None]] = []
        numbers: list[int] = []
        rejected: list[RejectedRow] = []
        for row_number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            texts = [cell_text(value) for value in row]
            if not any(t is not None and t.strip() for t in texts):
                continue
            if header_cells is None:
                header_cells = list(row)
                while header_cells and header_cells[-1] is None:
                    header_cells.pop()
                columns = [[] for _ in header_cells]
                continue
            width = len(columns)
            extra = [t for t in texts[width:] if t is not None]
            if extra:
                header = unique_header(header_cells)
                values: dict[str, object] = dict(zip(header, texts[:width]))
                values["_extra"] = extra
                rejected.append(RejectedRow(row_number, f"row has values in {len(extra)} column(s) beyond the "
                                                        f"header's {width}", values))
                continue
            texts += [None] * (width - len(texts))
            for column, text in zip(columns, texts):
                column.append(text)
            numbers.append(row_number)
            if row_number % _PROGRESS_EVERY == 0:
                advance(_PROGRESS_EVERY)
    finally:
        workbook.close()
    if header_cells is None:
        raise IngestError(f"Source `{name}`: sheet `{sheet.title}` of {location} is empty; "
                          f"choose the sheet that holds the extract with sheet = ... in [sources.{name}]")
    return Extract(source=name, location=f"{location} [{sheet.title}]", header=unique_header(header_cells),
                   table=string_table(columns, numbers), rejected=rejected)


def _choose_sheet(workbook, name: str, wanted: str | int | None, location: str):
    titles = workbook.sheetnames
    listing = ", ".join(f"{i}: `{t}`" for i, t in enumerate(titles))
    if wanted is None:
        return workbook[titles[0]]
    if isinstance(wanted, int):
        if 0 <= wanted < len(titles):
            return workbook[titles[wanted]]
        raise IngestError(
            f"Source `{name}`: {location} has no sheet number {wanted} (sheets are numbered from 0: {listing}). "
            f"Fix sheet in [sources.{name}]"
        )
    for title in titles:
        if title.strip().casefold() == wanted.strip().casefold():
            return workbook[title]
    raise IngestError(
        f"Source `{name}`: {location} has no sheet `{wanted}`; its sheets are {listing}. Fix sheet in [sources.{name}]"
    )
