"""Check every row against the mapping: load it, flag it, or quarantine it with a reason.

The rule is that a row is quarantined only when loading it would make it wrong or ambiguous
downstream; anything merely doubtful is loaded, kept as written, and flagged.

Quarantined (``quarantine.<source>``, with the reason):

* **ragged row** — more or fewer fields than the header (set aside by the reader): its values cannot
  be assigned to columns with confidence;
* **empty record_id** — the record cannot be referred to, linked or explained;
* **unparseable date** — a non-empty ``date_of_birth``/``start_date``/``end_date``/``event_date`` that
  standardisation could not read (:func:`oda.standardise.dates.parse_date`: the declared
  ``date_formats``, then ISO and day-first UK forms, then Excel serials): a wrong date silently
  mis-links people and misplaces events;
* **duplicate record_id** — the second and later rows with an id already seen (among rows that pass
  the other checks); the reason names the first row.

Loaded and flagged:

* **postcode of the wrong shape** — common, and the rest of the record is still good. The value is
  kept as written and ``_postcode_valid`` is false (NULL when there is no postcode).
* anything else — blank optional fields are NULL, stray spaces are kept; standardisation cleans them.

Checks run on Arrow data with an in-process DuckDB, whichever engine stores the result.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from oda.engine.duckdb_engine import DuckDBDialect
from oda.errors import EngineError, IngestError
from oda.ingest.extract import ROW_NUMBER, Extract, column_key
from oda.ingest.mapping import ColumnPlan
from oda.project.models import DATE_FIELDS, SourceDefinition
from oda.standardise.dates import parse_date

POSTCODE_PATTERN = r"^\s*(?i:[A-Z]{1,2}[0-9][A-Z0-9]?\s*[0-9][A-Z]{2}|GIR\s*0AA)\s*$"
"""The shape of a UK postcode (outward code, inward code), in any case, with or without the space."""

_DIALECT = DuckDBDialect()

QUARANTINE_SCHEMA = pa.schema([
    ("source", pa.string()), ("row_number", pa.int64()), ("reason", pa.string()), ("raw", pa.string()),
])


@dataclass(frozen=True)
class Validated:
    """The outcome for one extract: rows to load and rows to quarantine; together they are every row."""

    loaded: pa.Table
    quarantined: pa.Table
    rows_read: int


def validate(name: str, source: SourceDefinition, extract: Extract, plan: list[ColumnPlan]) -> Validated:
    """Apply the checks above; ``loaded`` has the columns of ``raw.<name>`` in plan order, in file order."""
    connection = duckdb.connect(config={"autoinstall_known_extensions": False,
                                        "autoload_known_extensions": False,
                                        "preserve_insertion_order": True})
    try:
        connection.register("extract", extract.table)
        prepare, problems = _problems_sql(name, source, plan)
        for statement in prepare:
            connection.execute(statement)
        bad = connection.sql(problems).to_arrow_table()
        # A projection over one scan keeps the file's row order (no ORDER BY needed on a million rows).
        everything = connection.sql(_loaded_sql(name, plan)).to_arrow_table()
    finally:
        connection.close()
    if bad.num_rows:
        is_bad = pc.is_in(extract.table[ROW_NUMBER], value_set=bad["row_number"])
        loaded = everything.filter(pc.invert(pc.is_in(everything[ROW_NUMBER], value_set=bad["row_number"])))
        quarantined = _quarantine_table(name, extract, extract.table.filter(is_bad), bad)
    else:
        loaded = everything
        quarantined = _quarantine_table(name, extract, extract.table.slice(0, 0), bad)
    return Validated(loaded=loaded, quarantined=quarantined, rows_read=extract.rows_read)


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _parsed_date(name: str, source: SourceDefinition, expr: str) -> str:
    """SQL reading ``expr`` as a date exactly as standardisation will, so what loads also parses."""
    try:
        return parse_date(_DIALECT, expr, source.date_formats)
    except EngineError as exc:
        raise IngestError(f"Source `{name}`: [sources.{name}].date_formats: {exc}") from None


def _problems_sql(name: str, source: SourceDefinition, plan: list[ColumnPlan]) -> tuple[list[str], str]:
    """Statements to run first, then the query giving ``row_number, reason`` of every row that fails a
    check (few, usually), in row order."""
    mapped = {p.output: p for p in plan if p.kind == "field"}
    record = mapped["record_id"]
    record_expr = f"nullif(trim({record.key}), '')"
    accepted = (f"it matches none of the declared date_formats ({', '.join(source.date_formats)}), ISO or "
                "day-first UK forms" if source.date_formats
                else "it is neither ISO (1990-01-31) nor a day-first UK form (31/01/1990, 31 Jan 1990)")
    accepted += f"; set [sources.{name}].date_formats if the extract uses another format"
    problems = [f"CASE WHEN {record_expr} IS NULL THEN "
                f"{_literal(f'record_id is empty (column `{record.header}`)')} END"]
    # Dates are parsed once per distinct value (a million birth dates hold a few tens of thousands).
    unreadable = []
    for field in DATE_FIELDS:
        column = mapped.get(field)
        if column is None or column.key is None:
            continue
        value = f"nullif(trim({column.key}), '')"
        # Separate statements: in one query DuckDB pushes the parse below the DISTINCT.
        unreadable.append(f"CREATE TEMP TABLE distinct_{field} AS SELECT DISTINCT {value} AS v FROM extract")
        unreadable.append(f"CREATE TEMP TABLE unreadable_{field} AS SELECT v FROM distinct_{field} "
                          f"WHERE v IS NOT NULL AND {_parsed_date(name, source, 'v')} IS NULL")
        problems.append(
            f"CASE WHEN {value} IN (SELECT v FROM unreadable_{field}) THEN "
            f"'{field} `' || {column.key} || "
            f"{_literal(f'` (column `{column.header}`) is not a date: {accepted}')} END"
        )
    duplicate = "'duplicate record_id `' || _id || '`: first seen at row ' || _first_row"
    return unreadable, f"""
        WITH checked AS MATERIALIZED (
            SELECT {ROW_NUMBER}, {record_expr} AS _id, nullif(concat_ws('; ', {', '.join(problems)}), '') AS _problem
            FROM extract
        ), repeated AS (
            SELECT _id FROM checked WHERE _problem IS NULL GROUP BY _id HAVING count(*) > 1
        ), duplicates AS (
            SELECT {ROW_NUMBER}, _id, min({ROW_NUMBER}) OVER (PARTITION BY _id) AS _first_row
            FROM checked SEMI JOIN repeated USING (_id) WHERE _problem IS NULL
        )
        SELECT {ROW_NUMBER} AS row_number, _problem AS reason FROM checked WHERE _problem IS NOT NULL
        UNION ALL
        SELECT {ROW_NUMBER}, {duplicate} FROM duplicates WHERE {ROW_NUMBER} <> _first_row
        ORDER BY 1
    """


def _loaded_sql(name: str, plan: list[ColumnPlan]) -> str:
    """The columns of ``raw.<name>`` for every row: empty text becomes NULL, the postcode's shape is flagged."""
    columns = [ROW_NUMBER]
    for column in plan:
        value = f"nullif({column.key}, '')" if column.key else "NULL::VARCHAR"
        columns.append(f"{value} AS {_quote(column.output)}")
    postcode = next((p for p in plan if p.output == "postcode"), None)
    if postcode is not None:
        columns.append(postcode_valid_sql(postcode.key) if postcode.key else "NULL::BOOLEAN AS _postcode_valid")
    columns.append(f"{_literal(name)} AS _source")
    return f"SELECT {', '.join(columns)} FROM extract"


def postcode_valid_sql(expr: str) -> str:
    """True when ``expr`` has the shape of a UK postcode, false when not, NULL when blank."""
    return (f"CASE WHEN nullif(trim({expr}), '') IS NULL THEN NULL "
            f"ELSE regexp_full_match({expr}, {_literal(POSTCODE_PATTERN)}) END AS _postcode_valid")


def _quarantine_table(name: str, extract: Extract, rows: pa.Table, bad: pa.Table) -> pa.Table:
    """Reader rejects and check failures as one table: ``source, row_number, reason, raw`` (JSON of all fields)."""
    reasons = dict(zip(bad["row_number"].to_pylist(), bad["reason"].to_pylist()))
    records: list[tuple[int, str, str]] = [
        (rejected.row_number, rejected.reason, json.dumps(rejected.values, ensure_ascii=False))
        for rejected in extract.rejected
    ]
    values = [rows[column_key(i)].to_pylist() for i in range(len(extract.header))]
    for position, number in enumerate(rows[ROW_NUMBER].to_pylist()):
        record = {header: column[position] for header, column in zip(extract.header, values)}
        records.append((number, reasons[number], json.dumps(record, ensure_ascii=False)))
    records.sort(key=lambda record: record[0])
    return pa.table({
        "source": pa.array([name] * len(records), type=pa.string()),
        "row_number": pa.array([r[0] for r in records], type=pa.int64()),
        "reason": pa.array([r[1] for r in records], type=pa.string()),
        "raw": pa.array([r[2] for r in records], type=pa.string()),
    }, schema=QUARANTINE_SCHEMA)
