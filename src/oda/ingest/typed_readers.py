"""Extracts that arrive typed — Parquet files and database tables — turned into text like every other.

Validation works on text so that one set of rules covers every format; a typed date therefore
becomes ISO text (``2021-03-04``, ``2021-03-04 10:30:00``), which the date check always accepts.
Rows are numbered by their position in the file or query result.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from decimal import Decimal
from pathlib import Path
from typing import Callable

import pyarrow as pa
import pyarrow.compute as pc

from oda.errors import IngestError
from oda.ingest.extract import ROW_NUMBER, Extract, column_key, string_table, unique_header
from oda.project.models import SourceDefinition

_BATCH = 50_000


def arrow_to_text(array: pa.ChunkedArray | pa.Array) -> pa.ChunkedArray | pa.Array:
    """Any Arrow column as strings: ISO dates and times, nested values as JSON."""
    kind = array.type
    if pa.types.is_string(kind):
        return array
    if pa.types.is_large_string(kind) or pa.types.is_dictionary(kind):
        return array.cast(pa.string())
    if pa.types.is_timestamp(kind):
        text = array.cast(pa.string())
        text = pc.replace_substring_regex(text, r"\.0+$", "")
        return pc.replace_substring_regex(text, r" 00:00:00$", "")
    if pa.types.is_nested(kind) or pa.types.is_binary(kind) or pa.types.is_large_binary(kind):
        return pa.array([value_text(v) for v in array.to_pylist()], type=pa.string())
    return array.cast(pa.string())


def value_text(value: object) -> str | None:
    """One Python value (from a database driver or a nested Arrow value) as text."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0, 0) and value.tzinfo is None else \
            value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time, Decimal)):
        return value.isoformat() if not isinstance(value, Decimal) else str(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).hex()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, (list, dict, tuple)):
        return json.dumps(value, default=str, ensure_ascii=False)
    return str(value)


def read_parquet(name: str, source: SourceDefinition, path: Path,
                 advance: Callable[[int], None] = lambda n: None) -> Extract:
    """Every column of a Parquet file, cast to text, in file order."""
    import pyarrow.parquet as pq

    location = str(path)
    try:
        parquet = pq.ParquetFile(path)
    except (pa.ArrowInvalid, OSError) as exc:
        raise IngestError(
            f"Source `{name}`: cannot read {location} as Parquet: {exc}. Check the file is complete, or set "
            f"format in [sources.{name}] to the file's real format"
        ) from None
    header = unique_header(list(parquet.schema_arrow.names))
    batches = []
    offset = 0
    for batch in parquet.iter_batches(batch_size=_BATCH):
        arrays = [arrow_to_text(column) for column in batch.columns]
        numbers = pa.array(range(offset + 1, offset + batch.num_rows + 1), type=pa.int64())
        names = [column_key(i) for i in range(len(arrays))] + [ROW_NUMBER]
        batches.append(pa.RecordBatch.from_arrays(arrays + [numbers], names=names))
        offset += batch.num_rows
        advance(batch.num_rows)
    if batches:
        table = pa.Table.from_batches(batches)
    else:
        table = string_table([[] for _ in header], [])
    return Extract(source=name, location=location, header=header, table=table)


def database_url(name: str, source: SourceDefinition) -> str:
    """The source's SQLAlchemy URL, from ``url`` or the environment variable named by ``url_env``."""
    if source.url_env:
        url = os.environ.get(source.url_env)
        if not url:
            raise IngestError(
                f"Source `{name}`: environment variable {source.url_env} (from [sources.{name}].url_env) is not "
                "set; set it to the database URL, e.g. postgresql+psycopg://user@host/db"
            )
        return url
    assert source.url is not None  # guaranteed by SourceDefinition's validator
    return source.url


def read_database(name: str, source: SourceDefinition,
                  advance: Callable[[int], None] = lambda n: None) -> Extract:
    """A table (``table = "schema.name"`` or ``"name"``) or a query's result, through SQLAlchemy."""
    import sqlalchemy as sa

    url = database_url(name, source)
    try:
        engine = sa.create_engine(url)
    except (sa.exc.ArgumentError, ImportError, ValueError) as exc:
        raise IngestError(f"Source `{name}`: the database URL is not usable ({exc}); fix url in [sources.{name}]") \
            from None
    shown = engine.url.render_as_string(hide_password=True)
    location = f"{shown} ({'table ' + source.table if source.table else 'query'})"
    try:
        with engine.connect() as connection:
            statement = _statement(name, source, connection, shown)
            result = connection.execution_options(stream_results=True, yield_per=_BATCH).execute(statement)
            header = unique_header(list(result.keys()))
            columns: list[list[str | None]] = [[] for _ in header]
            count = 0
            for partition in result.partitions():
                for row in partition:
                    for column, value in zip(columns, row):
                        column.append(value_text(value))
                count += len(partition)
                advance(len(partition))
    except sa.exc.OperationalError as exc:
        raise IngestError(f"Source `{name}`: cannot read from {shown}: {exc.orig}. Check the server is reachable "
                          f"and the url in [sources.{name}]") from None
    except sa.exc.ProgrammingError as exc:
        raise IngestError(f"Source `{name}`: the database refused the query on {shown}: {exc.orig}. "
                          f"Fix table/query in [sources.{name}]") from None
    finally:
        engine.dispose()
    return Extract(source=name, location=location, header=header,
                   table=string_table(columns, list(range(1, count + 1))))


def _statement(name: str, source: SourceDefinition, connection, shown: str):
    import sqlalchemy as sa

    if source.query:
        return sa.text(source.query)
    assert source.table is not None
    schema, _, table_name = source.table.rpartition(".")
    try:
        table = sa.Table(table_name, sa.MetaData(), schema=schema or None, autoload_with=connection)
    except sa.exc.NoSuchTableError:
        tables = sa.inspect(connection).get_table_names(schema=schema or None)
        listing = ", ".join(f"`{t}`" for t in sorted(tables)) or "none"
        raise IngestError(
            f"Source `{name}`: table `{source.table}` does not exist in {shown}"
            f"{' schema ' + schema if schema else ''}; its tables are: {listing}. Fix table in [sources.{name}]"
        ) from None
    return sa.select(table)
