"""CSV extracts: detect the encoding and delimiter, keep every value as text, set ragged rows aside.

Parsing is Arrow's streaming CSV reader, single-threaded so that rows keep their order and every
rejected row knows its record number (quoted fields may span lines, so record numbers are not line
numbers). A row with more or fewer fields than the header is not fatal: it becomes a
:class:`~oda.ingest.extract.RejectedRow` and is quarantined with its text.
"""

from __future__ import annotations

import codecs
import io
from pathlib import Path
from typing import Callable

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from oda.errors import IngestError
from oda.ingest.extract import ROW_NUMBER, Extract, RejectedRow, column_key, unique_header
from oda.ingest.sniff import (
    decode_problem, file_kind_problem, read_header, sniff_delimiter, sniff_encoding, split_row,
)
from oda.project.models import SourceDefinition

_BLOCK = 1 << 22
_HEAD = 1 << 16


class _CountingReader(io.RawIOBase):
    """A byte stream that reports how much has been read (drives the progress bar)."""

    def __init__(self, data: bytes, advance: Callable[[int], None]):
        self._stream = io.BytesIO(data)
        self._advance = advance

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        chunk = self._stream.read(size)
        self._advance(len(chunk))
        return chunk

    def readinto(self, buffer) -> int:  # type: ignore[override]
        count = self._stream.readinto(buffer)
        self._advance(count)
        return count


def read_csv(name: str, source: SourceDefinition, path: Path, data: bytes,
             advance: Callable[[int], None] = lambda n: None) -> Extract:
    """Read a CSV file's bytes (already hashed by the caller) into an :class:`Extract`."""
    location = str(path)
    if not data.strip():
        raise IngestError(
            f"Source `{name}`: file {location} is empty ({len(data)} bytes); the export may have failed. "
            "Ask the partner to send it again"
        )
    # Blank lines before the header are not rows (Arrow would count them when skipping the header).
    if data.startswith(codecs.BOM_UTF8):
        data = codecs.BOM_UTF8 + data[3:].lstrip(b"\r\n")
    else:
        data = data.lstrip(b"\r\n")
    problem = file_kind_problem(data[:_HEAD], name)
    if problem:
        raise IngestError(f"Source `{name}`: cannot read {location} as CSV: {problem}")
    ends_mid_row = not data.rstrip(b" ").endswith((b"\n", b"\r"))
    # Arrow cannot skip a header that has no line end; a row cut short is still found and quarantined.
    body = data + b"\n" if ends_mid_row else data
    encoding = _likely_utf8(data, source)
    if encoding is not None:
        try:
            return _parse(name, source, location, body, encoding, ends_mid_row, advance)
        except _NotUtf8:
            pass  # the full check below says where, and whether it is Windows-1252
    encoding = sniff_encoding(data, source=name, location=location, declared=source.encoding)
    return _parse(name, source, location, body, encoding, ends_mid_row, advance)


class _NotUtf8(Exception):
    """Arrow found bytes that are not UTF-8 while reading optimistically as UTF-8."""


def _likely_utf8(data: bytes, source: SourceDefinition) -> str | None:
    """``utf-8`` (or ``utf-8-sig``) when the file may be read as UTF-8 straight away (Arrow then validates every value,
    which is faster than decoding the file twice); None when the encoding must be sniffed first."""
    declared = source.encoding
    if declared:
        try:
            if codecs.lookup(declared).name not in ("utf-8", "utf-8-sig"):
                return None
        except LookupError:
            return None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None
    try:
        codecs.getincrementaldecoder("utf-8")().decode(data[:_HEAD], final=False)
    except UnicodeDecodeError:
        return None
    return "utf-8-sig" if data.startswith(codecs.BOM_UTF8) else "utf-8"


def _parse(name: str, source: SourceDefinition, location: str, data: bytes, encoding: str, ends_mid_row: bool,
           advance: Callable[[int], None]) -> Extract:
    head_text = data[:_HEAD].decode(encoding, errors="ignore")
    delimiter = source.delimiter or sniff_delimiter(head_text)
    header = unique_header(read_header(head_text, delimiter))
    if not header:
        raise IngestError(f"Source `{name}`: file {location} has no header row; the first line must name the columns")

    keys = [column_key(i) for i in range(len(header))]
    rejected_raw: list[tuple[int, int, str]] = []

    def on_invalid(row: pacsv.InvalidRow) -> str:
        # Arrow counts the header as record 1; data rows are numbered from 1 after it.
        rejected_raw.append((int(row.number) - 1, int(row.actual_columns), row.text))
        return "skip"

    utf8 = encoding in ("utf-8", "utf-8-sig")
    try:
        reader = pacsv.open_csv(
            _CountingReader(data, advance),
            read_options=pacsv.ReadOptions(use_threads=False, block_size=_BLOCK, column_names=keys,
                                           skip_rows=1, encoding="utf8" if utf8 else encoding),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, quote_char='"', double_quote=True,
                                             newlines_in_values=True, invalid_row_handler=on_invalid),
            convert_options=pacsv.ConvertOptions(column_types={k: pa.string() for k in keys},
                                                 strings_can_be_null=False, quoted_strings_can_be_null=False),
        )
        table = reader.read_all()
    except pa.ArrowInvalid as exc:
        # A ragged row that is not UTF-8 fails before it reaches on_invalid, as a parse error.
        if utf8 and ("invalid UTF8" in str(exc) or decode_problem(data, "utf-8-sig") is not None):
            raise _NotUtf8() from None
        raise IngestError(
            f"Source `{name}`: cannot parse {location} as CSV (delimiter {delimiter!r}, encoding {encoding}): "
            f"{exc}. Check the file opens in a spreadsheet, or set delimiter/encoding in [sources.{name}]"
        ) from None

    total = table.num_rows + len(rejected_raw)
    numbers = np.arange(1, total + 1, dtype=np.int64)
    if rejected_raw:
        numbers = np.delete(numbers, [number - 1 for number, _, _ in rejected_raw])
    table = table.append_column(ROW_NUMBER, pa.array(numbers, type=pa.int64()))

    rejected = [
        _ragged(number, fields, text, header, delimiter, last=ends_mid_row and number == total)
        for number, fields, text in rejected_raw
    ]
    return Extract(source=name, location=location, header=header, table=table, rejected=rejected)


def _ragged(number: int, fields: int, text: str, header: list[str], delimiter: str, *, last: bool) -> RejectedRow:
    reason = f"row has {fields} field{'s' if fields != 1 else ''}, the header has {len(header)}"
    if last and fields < len(header):
        reason += "; it is the last row and the file ends mid-row, so the file looks truncated"
    cells = split_row(text, delimiter)
    values: dict[str, object] = dict(zip(header, cells))
    if len(cells) > len(header):
        values["_extra"] = cells[len(header):]
    return RejectedRow(row_number=number, reason=reason, values=values)
