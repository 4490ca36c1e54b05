"""Streaming, byte-reproducible writers for CSV, Excel and Parquet.

Each writer is opened once and fed one ward's batch at a time, so memory stays bounded however
large the borough. Output is byte-identical for identical input: Parquet row groups follow the
batches and carry no timestamps; Excel's document times and zip entry times are fixed.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import zipfile
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from oda.synth.sources.base import SourceSpec

_ARROW = {"str": pa.string(), "int": pa.int64(), "float": pa.float64(), "date": pa.date32(),
          "datetime": pa.timestamp("us"), "bool": pa.bool_()}
FIXED_TIME = dt.datetime(2020, 1, 1, 0, 0, 0)


def _as_text(values: list) -> pa.Array:
    array = pa.array(values)
    if pa.types.is_string(array.type) or pa.types.is_large_string(array.type):
        return array
    if pa.types.is_null(array.type):
        return pa.array(values, pa.string())
    return array.cast(pa.string())


class ParquetSink:
    """Append tables with a fixed schema to one Parquet file."""

    def __init__(self, path: Path, schema: pa.Schema):
        self.path, self.schema = path, schema
        self._writer = pq.ParquetWriter(path, schema, compression="zstd", write_statistics=True)
        self.rows = 0

    def write(self, columns: dict[str, list]) -> None:
        table = pa.table({f.name: pa.array(columns[f.name], f.type) for f in self.schema}, schema=self.schema)
        if table.num_rows:
            self._writer.write_table(table, row_group_size=max(1, table.num_rows))
            self.rows += table.num_rows

    def close(self) -> None:
        self._writer.close()


class CsvSink:
    """Append text rows to one CSV file in the given encoding and delimiter."""

    def __init__(self, path: Path, headers: list[str], encoding: str = "utf-8", delimiter: str = ","):
        self.path, self.headers, self.encoding, self.delimiter = path, headers, encoding, delimiter
        self._file = open(path, "wb")
        self._first = True
        self.rows = 0

    def write(self, columns: dict[str, list]) -> None:
        table = pa.table({h: _as_text(columns[h]) for h in self.headers})
        if not table.num_rows and not self._first:
            return
        buffer = io.BytesIO()
        pacsv.write_csv(table, buffer, pacsv.WriteOptions(include_header=self._first, delimiter=self.delimiter))
        data = buffer.getvalue()
        if self.encoding != "utf-8":
            data = data.decode("utf-8").encode("utf-8-sig" if self._first else "utf-8") if self.encoding == "utf-8-sig" \
                else data.decode("utf-8").encode(self.encoding, errors="replace")
        self._file.write(data)
        self._first = False
        self.rows += table.num_rows

    def close(self) -> None:
        if self._first:
            self.write({h: [] for h in self.headers})
        self._file.close()


class XlsxSink:
    """Append rows to one worksheet of a write-only workbook; fix its timestamps on close."""

    def __init__(self, path: Path, headers: list[str], sheet: str):
        from openpyxl import Workbook

        self.path, self.headers = path, headers
        self._book = Workbook(write_only=True)
        self._book.properties.created = FIXED_TIME
        self._book.properties.modified = FIXED_TIME
        self._book.properties.creator = "oda synth"
        self._sheet = self._book.create_sheet(sheet)
        self._sheet.append(headers)
        self.rows = 0

    def write(self, columns: dict[str, list]) -> None:
        for row in zip(*(columns[h] for h in self.headers)):
            self._sheet.append(list(row))
            self.rows += 1

    def close(self) -> None:
        self._book.properties.modified = FIXED_TIME
        self._book.save(self.path)
        normalise_zip(self.path)


def normalise_zip(path: Path) -> None:
    """Rewrite a zip with fixed entry times and order so equal content gives equal bytes."""
    temporary = path.with_suffix(path.suffix + ".tmp")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the save time here
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>2020-01-01T00:00:00Z", data)
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            target.writestr(fixed, data)
    shutil.move(temporary, path)


def source_sink(spec: SourceSpec, root: Path) -> ParquetSink | CsvSink | XlsxSink:
    """The right writer for a source's declared format."""
    path = root / spec.filename
    headers = [c.header for c in spec.columns]
    if spec.fmt == "parquet":
        return ParquetSink(path, pa.schema([(c.header, _ARROW[c.kind]) for c in spec.columns]))
    if spec.fmt == "xlsx":
        return XlsxSink(path, headers, spec.sheet or "Sheet1")
    return CsvSink(path, headers, spec.encoding, spec.delimiter)
