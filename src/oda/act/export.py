"""Worklist exports for officers: CSV, Excel and GeoJSON.

Officers' copies leave out the ``exploration`` flag (an officer who knew which visits were random
might treat them differently, and the estimate would no longer be unbiased); reasons become one
readable cell ("reason; reason") in CSV and Excel and a list in GeoJSON.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Literal

import pyarrow as pa

from oda.errors import WorklistError

ExportFormat = Literal["csv", "xlsx", "geojson"]
OFFICER_COLUMNS = ("rank", "uprn", "address", "ward", "street", "lat", "lon", "score", "band", "reasons",
                   "worklist_id", "organisation")


def _rows(table: pa.Table, include_exploration: bool) -> list[dict]:
    columns = list(OFFICER_COLUMNS) + (["exploration"] if include_exploration else [])
    return table.select([c for c in columns if c in table.column_names]).to_pylist()


def _reasons(value: str | None) -> list[str]:
    try:
        parsed = json.loads(value or "[]")
    except json.JSONDecodeError:
        return [value] if value else []
    return [str(p) for p in parsed] if isinstance(parsed, list) else [str(parsed)]


def export_csv(table: pa.Table, path: Path, *, include_exploration: bool = False) -> Path:
    rows = _rows(table, include_exploration)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]) if rows else list(OFFICER_COLUMNS))
        writer.writeheader()
        for row in rows:
            writer.writerow(dict(row, reasons="; ".join(_reasons(row["reasons"]))))
    return path


def export_xlsx(table: pa.Table, path: Path, *, include_exploration: bool = False) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    rows = _rows(table, include_exploration)
    book = Workbook()
    sheet = book.active
    sheet.title = "Worklist"
    header = list(rows[0]) if rows else list(OFFICER_COLUMNS)
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([("; ".join(_reasons(row[c])) if c == "reasons" else row[c]) for c in header])
    sheet.freeze_panes = "A2"
    book.save(path)
    return path


def export_geojson(table: pa.Table, path: Path, *, include_exploration: bool = False) -> Path:
    features = []
    for row in _rows(table, include_exploration):
        lat, lon = row.pop("lat"), row.pop("lon")
        row["reasons"] = _reasons(row["reasons"])
        geometry = {"type": "Point", "coordinates": [lon, lat]} if lat is not None and lon is not None else None
        features.append({"type": "Feature", "geometry": geometry, "properties": row})
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False, default=str),
                    encoding="utf-8")
    return path


WRITERS = {"csv": export_csv, "xlsx": export_xlsx, "geojson": export_geojson}


def export_worklist(table: pa.Table, path: Path, *, include_exploration: bool = False) -> Path:
    """Write ``table`` in the format its file extension names (.csv, .xlsx, .geojson)."""
    kind = path.suffix.lower().lstrip(".")
    kind = {"json": "geojson", "xls": "xlsx"}.get(kind, kind)
    if kind not in WRITERS:
        raise WorklistError(f"cannot export a worklist as `{path.suffix}`; use a .csv, .xlsx or .geojson file name")
    path.parent.mkdir(parents=True, exist_ok=True)
    return WRITERS[kind](table, path, include_exploration=include_exploration)
