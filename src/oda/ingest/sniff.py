"""Look at a file's bytes before reading it: what kind of file it really is, its text encoding, its delimiter.

Partners' extracts arrive with the wrong extension, in Windows-1252, with semicolons, or cut short by a
failed transfer. Every check here turns one of those into a message that says what to change in
`oda.toml`, instead of a parser's stack trace.

>>> sniff_encoding(b"caf\\xe9,\\xa35\\n", source="x", location="x.csv")
'cp1252'
"""

from __future__ import annotations

import codecs
import csv
import io

from oda.errors import IngestError

CSV_DELIMITERS = (",", ";", "\t", "|")
_CHUNK = 1 << 22
TRUNCATED = " — the file ends mid-character, so it looks truncated"

# Magic bytes of formats people save with a .csv name by mistake, and what to do about each.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", 'this is an Excel workbook; set format = "excel" in [sources.{source}]'),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "this is an old Excel 97-2003 workbook (.xls); open it in Excel and "
                                          "save it as .xlsx or CSV, then point [sources.{source}].path at that"),
    (b"PAR1", 'this is a Parquet file; set format = "parquet" in [sources.{source}]'),
    (b"%PDF", "this is a PDF document, not an extract; ask the partner for CSV, Excel or Parquet"),
    (b"\x1f\x8b", "this is a gzip-compressed file; decompress it first and point [sources.{source}].path "
                 "at the result"),
)


def file_kind_problem(head: bytes, source: str) -> str | None:
    """Why ``head`` (the first bytes of a file declared as CSV) is not CSV text, or None when it may be."""
    for magic, advice in _MAGIC:
        if head.startswith(magic):
            return advice.format(source=source)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None
    if b"\x00" in head[:8192]:
        return ("this is a binary file, not CSV text (it contains NUL bytes); check that the path points at "
                "the extract")
    return None


def sniff_encoding(data: bytes, *, source: str, location: str, declared: str | None = None) -> str:
    """The text encoding of a whole file: the declared one (checked), else UTF-8 (with or without BOM),
    UTF-16 with a BOM, or Windows-1252. Raises :class:`IngestError` when none decodes the bytes."""
    if declared:
        try:
            codec = codecs.lookup(declared).name
        except LookupError:
            raise IngestError(
                f"Source `{source}`: encoding `{declared}` is not a known text encoding. Use e.g. "
                f'"utf-8", "utf-8-sig" or "cp1252" in [sources.{source}].encoding, or remove it to detect'
            ) from None
        problem = decode_problem(data, codec)
        if problem:
            guess = _guess(data)
            hint = f' It looks like {guess}; set encoding = "{guess}"' if guess and guess != codec else ""
            raise IngestError(
                f"Source `{source}`: file {location} is not valid {declared} text ({problem}).{hint} "
                f"or remove encoding from [sources.{source}] to detect it"
            )
        return codec
    if data.startswith(codecs.BOM_UTF8):
        candidates = ["utf-8-sig"]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ["utf-16"]
    else:
        candidates = ["utf-8", "cp1252"]
    first_problem = ""
    for codec in candidates:
        problem = decode_problem(data, codec)
        if problem is None:
            return codec
        if problem.endswith(TRUNCATED):
            # UTF-8 up to a character cut short: reading it as Windows-1252 would garble every accent.
            raise IngestError(f"Source `{source}`: file {location} is UTF-8 text that ends in the middle of a "
                              "character, so it looks truncated; ask the partner to send it again")
        first_problem = first_problem or problem
    guess = _guess(data)
    hint = f' It may be {guess}: set encoding = "{guess}" in [sources.{source}].' if guess else (
        f" Ask the partner to save it as UTF-8, or set encoding in [sources.{source}].")
    raise IngestError(
        f"Source `{source}`: cannot tell the text encoding of {location}: it is not UTF-8 ({first_problem}) "
        f"nor Windows-1252.{hint}"
    )


def decode_problem(data: bytes, codec: str) -> str | None:
    """None when ``data`` decodes, else where it fails, as "byte 0x.. on line N"."""
    decoder = codecs.getincrementaldecoder(codec)(errors="strict")
    view = memoryview(data)
    for start in range(0, len(data), _CHUNK):
        chunk = view[start:start + _CHUNK]
        try:
            decoder.decode(chunk, final=start + _CHUNK >= len(data))
        except UnicodeDecodeError as exc:
            position = _locate(data, start, chunk, exc)
            line = data.count(b"\n", 0, position) + 1
            truncated = TRUNCATED if exc.reason == "unexpected end of data" else ""
            return f"byte 0x{data[position]:02x} on line {line}{truncated}"
    if not len(data):
        decoder.decode(b"", final=True)
    return None


def _locate(data: bytes, start: int, chunk: memoryview, exc: UnicodeDecodeError) -> int:
    """The absolute position of a decode error; a buffered decoder prefixes bytes held over from the
    previous chunk, so positions are relative to those plus this chunk."""
    obj = exc.object
    held = len(obj) - len(chunk)
    return max(0, min(len(data) - 1, start - held + exc.start))


# Encodings a UK partner's system plausibly writes; charset-normalizer's other guesses on short
# files (cp932, cp1006, ...) would send the analyst the wrong way.
_PLAUSIBLE = {"utf_8", "cp1252", "latin_1", "iso8859_15", "utf_16", "mac_roman", "cp850", "cp437"}


def _guess(data: bytes) -> str | None:
    """A plausible encoding to suggest in an error message, or None when there is no good guess."""
    if decode_problem(data, "cp1252") is None:
        return "cp1252"
    from charset_normalizer import from_bytes

    best = from_bytes(data[:1 << 20]).best()
    return best.encoding if best and best.encoding in _PLAUSIBLE else None


def sniff_delimiter(text: str) -> str:
    """The delimiter among ``, ; TAB |`` that splits the header and the next lines most consistently."""
    lines = [line for line in text.splitlines()[:50] if line.strip()]
    if not lines:
        return ","
    best, best_score = ",", (0, 0)
    for delimiter in CSV_DELIMITERS:
        counts = [_count_outside_quotes(line, delimiter) for line in lines[:20]]
        header = counts[0]
        if header == 0:
            continue
        consistent = sum(1 for c in counts[1:] if c == header)
        score = (consistent, header)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _count_outside_quotes(line: str, delimiter: str) -> int:
    count, quoted = 0, False
    for char in line:
        if char == '"':
            quoted = not quoted
        elif char == delimiter and not quoted:
            count += 1
    return count


def read_header(text: str, delimiter: str) -> list[str]:
    """The first record of ``text`` (decoded CSV), parsed with the standard quoting rules."""
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, quotechar='"', doublequote=True)
    for row in reader:
        if any(cell.strip() for cell in row):
            return row
    return []


def split_row(text: str, delimiter: str) -> list[str]:
    """One CSV record's text split into fields (used to show a rejected row's values)."""
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter, quotechar='"', doublequote=True))
    return [cell for row in rows for cell in row] if rows else []
