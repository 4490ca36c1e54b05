"""Clean the inputs once, into the single shape Splink compares: one row per record.

Every input becomes rows of ``source_dataset`` (the input's name), ``unique_id`` (as text) and the
cleaned fields with their helper columns (see :mod:`oda.link.entities.fields`). The cleaning runs in
DuckDB on Arrow data, so it is the same whichever engine then links the records.
"""

from __future__ import annotations

import csv
from functools import lru_cache
from importlib import resources
from typing import Mapping

import duckdb
import pyarrow as pa

from oda.errors import LinkError
from oda.link.entities.fields import Field, clean_sql, co_resident_column

ID_COLUMNS = ("source_dataset", "unique_id")


@lru_cache(maxsize=1)
def nickname_table() -> pa.Table:
    """The shipped nickname pairs (``nickname``, ``name``), e.g. ``bob`` → ``robert``."""
    text = resources.files("oda.link.entities").joinpath("nicknames.csv").read_text(encoding="utf-8")
    rows = [(r["nickname"].strip().lower(), r["name"].strip().lower()) for r in csv.DictReader(text.splitlines())]
    return pa.table({"nickname": [r[0] for r in rows], "name": [r[1] for r in rows]})


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def prepare(inputs: Mapping[str, pa.Table], fields: list[Field]) -> pa.Table:
    """One table of cleaned records from every input, ready to register with Splink.

    >>> t = pa.table({"unique_id": [1], "first_name": ["Bob"], "surname": ["O'Neil"]})
    >>> prepare({"a": t}, [Field("first_name", "forename"), Field("surname", "surname")]).to_pylist()[0]["surname"]
    'oneil'
    """
    con = duckdb.connect(config={"autoinstall_known_extensions": False, "autoload_known_extensions": False})
    try:
        con.register("nick_pairs", nickname_table())
        con.execute(
            "CREATE TABLE nick AS SELECT nickname, list(DISTINCT name ORDER BY name) AS names "
            "FROM nick_pairs GROUP BY nickname"
        ).fetchall()
        parts = []
        for i, (source, table) in enumerate(inputs.items()):
            if "unique_id" not in table.column_names:
                raise LinkError(
                    f"input `{source}` has no `unique_id` column (columns: {', '.join(table.column_names)}). "
                    "Add one that identifies each record within its input"
                )
            view = f"input_{i}"
            con.register(view, table)
            selects = [f"CAST({_literal(source)} AS VARCHAR) AS source_dataset",
                       "CAST(unique_id AS VARCHAR) AS unique_id"]
            for field in fields:
                expr = _quote(field.column) if field.column in table.column_names else "CAST(NULL AS VARCHAR)"
                for out, sql in clean_sql(field, expr).items():
                    selects.append(f"{sql} AS {_quote(out)}")
            parts.append(f"SELECT {', '.join(selects)} FROM {view}")
        con.execute("CREATE TABLE cleaned AS " + " UNION ALL BY NAME ".join(parts)).fetchall()
        for field in fields:
            if field.kind == "forename":
                c = _quote(field.column)
                nick = _quote(f"{field.column}__nick")
                con.execute(
                    f"CREATE OR REPLACE TABLE cleaned AS SELECT cleaned.*, "
                    f"CASE WHEN cleaned.{c} IS NULL THEN NULL ELSE list_distinct(list_concat("
                    f"[cleaned.{c}, split_part(cleaned.{c}, ' ', 1)], coalesce(nick.names, []))) END AS {nick} "
                    f"FROM cleaned LEFT JOIN nick ON nick.nickname = split_part(cleaned.{c}, ' ', 1)"
                ).fetchall()
        co_residents = co_resident_column(fields)
        if co_residents:
            _add_co_residents(con, fields, co_residents)
        duplicated = con.execute(
            "SELECT source_dataset, unique_id, count(*) FROM cleaned GROUP BY ALL HAVING count(*) > 1 LIMIT 3"
        ).fetchall()
        if duplicated:
            examples = ", ".join(f"`{s}`:`{u}`" for s, u, _ in duplicated)
            raise LinkError(
                f"`unique_id` is not unique within its input ({examples} appear more than once). "
                "Give every record its own id"
            )
        return con.sql("SELECT * FROM cleaned ORDER BY source_dataset, unique_id").to_arrow_table()
    finally:
        con.close()


def _add_co_residents(con: duckdb.DuckDBPyConnection, fields: list[Field], column: str) -> None:
    """Add ``column``: per record, the full names of other people's records at its UPRN over an
    overlapping period (NULL when there are none). An open period counts as its start alone.
    """
    kinds = {f.kind: _quote(f.column) for f in fields}
    uprn, start, first, last = kinds["uprn"], kinds["period_start"], kinds["forename"], kinds["surname"]
    end = f"coalesce({kinds['period_end']}, {start})" if "period_end" in kinds else start
    con.execute(f"""
        CREATE OR REPLACE TABLE cleaned AS
        WITH stay AS (
            SELECT source_dataset, unique_id, {uprn} AS place, {start} AS s, greatest({end}, {start}) AS e,
                   {first} || ' ' || {last} AS name
            FROM cleaned WHERE {uprn} IS NOT NULL AND {start} IS NOT NULL AND {first} IS NOT NULL
                              AND {last} IS NOT NULL),
        co AS (
            SELECT a.source_dataset, a.unique_id, list(DISTINCT b.name ORDER BY b.name) AS {_quote(column)}
            FROM stay a JOIN stay b ON a.place = b.place AND a.name <> b.name AND a.s <= b.e AND b.s <= a.e
            GROUP BY a.source_dataset, a.unique_id)
        SELECT cleaned.*, co.{_quote(column)} FROM cleaned LEFT JOIN co USING (source_dataset, unique_id)
    """).fetchall()
