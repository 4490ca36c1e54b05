"""``out.property_records``: every linked record of every property, pre-joined and sorted by UPRN.

The web app's property page shows each record matched to a property with its source, tier, reasons,
resolved person or business and its staged fields. Joined at request time that is a scan of
``link.address_matches`` plus one of each ``stg.<source>`` per page (about 70 ms at a 100k-dwelling
borough); written once here, when the worklist is published, it is one range look-up on a table
ordered by UPRN (DuckDB skips the row groups whose UPRN range cannot hold it).

The record's fields travel as one JSON object (sources have different columns); the pipeline's own
bookkeeping columns are left out, as the page would hide them anyway. Written by the DuckDB engine
only: the web app reads DuckDB, and without the table it joins at request time as before.

**The serving snapshot.** DuckDB lets a file be opened by one writer or by many readers, never both:
while any process holds a read-only connection, a pipeline command cannot open the project's file
(it fails at once with "Conflicting lock"). So the app cannot keep a connection to the project's file
open, and opening one costs 40–140 ms under load (its catalogue and blocks are read again). Instead,
publishing also writes what the hot pages read (the worklist, these records, the gazetteer and the
scores, keyed by UPRN as text and indexed) to a second file beside the project's, ``<name>.serving.duckdb``:
built under a temporary name and moved into place with an atomic rename. The app keeps a read-only
connection to the snapshot open for as long as it serves; the rename gives the path a new file, so
the pipeline never waits on the app's lock, and the app opens the new file when it sees the path change.
"""

from __future__ import annotations

import os
from pathlib import Path

from oda.datasets import (ADDRESS_MATCHES, BUSINESS_CLUSTERS, PERSON_CLUSTERS, PROPERTY_RECORDS, PROPERTY_SCORES,
                          WORKLIST, staged)
from oda.engine.base import LAYERS, Engine

SERVING_SUFFIX = ".serving.duckdb"

HIDDEN_RECORD_FIELDS = frozenset({"record_id", "uprn", "_row", "_loaded_at", "_run_id"})
"""Pipeline bookkeeping: not shown on the property page, so not copied."""


def entity_id_joins(exists) -> tuple[list[str], list[str]]:
    """JOINs from link.address_matches (alias ``m``) to each record's resolved person and business id,
    and the two select expressions (NULL where entity resolution has not run)."""
    joins, columns = [], []
    for dataset, column in ((PERSON_CLUSTERS.name, "person_id"), (BUSINESS_CLUSTERS.name, "business_id")):
        if exists(dataset):
            alias = column[0]
            joins.append(f"LEFT JOIN {dataset} {alias} ON {alias}.source = m.source "
                         f"AND CAST({alias}.record_id AS VARCHAR) = CAST(m.record_id AS VARCHAR)")
            columns.append(f"CAST({alias}.{column} AS VARCHAR) AS {column}")
        else:
            columns.append(f"CAST(NULL AS VARCHAR) AS {column}")
    return joins, columns


def property_records_query(engine: Engine) -> str | None:
    """The SELECT that builds the table, or None when nothing has been linked yet."""
    if not engine.exists(ADDRESS_MATCHES.name):
        return None
    sources = [r["source"] for r in engine.query(
        f"SELECT DISTINCT source FROM {ADDRESS_MATCHES.name} ORDER BY source").to_pylist()]
    fields = []
    for source in sources:
        dataset = staged(source)
        if not engine.exists(dataset):
            continue
        columns = engine.query(f"SELECT * FROM {dataset} LIMIT 0").schema.names
        if "record_id" not in columns:
            continue
        shown = [c for c in columns if c not in HIDDEN_RECORD_FIELDS]
        as_json = ("to_json({" + ", ".join(f"{_literal(c)}: {_identifier(c)}" for c in shown) + "})"
                   if shown else "'{}'")
        fields.append(f"SELECT {_literal(source)} AS source, CAST(record_id AS VARCHAR) AS record_id, "
                      f"CAST({as_json} AS VARCHAR) AS fields FROM {dataset}")
    joins = []
    if fields:
        joins.append(f"LEFT JOIN ({' UNION ALL '.join(fields)}) f "
                     "ON f.source = m.source AND f.record_id = CAST(m.record_id AS VARCHAR)")
    cluster_joins, clusters = entity_id_joins(engine.exists)
    joins += cluster_joins
    return (
        "SELECT CAST(m.uprn AS VARCHAR) AS uprn, m.source, CAST(m.record_id AS VARCHAR) AS record_id, "
        "CAST(m.tier AS VARCHAR) AS tier, CAST(m.probability AS DOUBLE) AS probability, "
        f"CAST(m.reasons AS VARCHAR) AS reasons, {', '.join(clusters)}, "
        f"{'f.fields' if fields else 'CAST(NULL AS VARCHAR)'} AS fields "
        f"FROM {ADDRESS_MATCHES.name} m {' '.join(joins)} "
        "WHERE m.uprn IS NOT NULL AND m.tier <> 'unmatched' "
        "ORDER BY CAST(m.uprn AS VARCHAR), m.source, CAST(m.record_id AS VARCHAR)")


def publish_property_records(engine: Engine) -> int | None:
    """Write ``out.property_records`` (DuckDB engine only); the rows written, or None if not written."""
    if engine.kind != "duckdb":
        return None
    query = property_records_query(engine)
    if query is None:
        engine.drop(PROPERTY_RECORDS.name)
        return None
    return engine.create_as(PROPERTY_RECORDS.name, query)


def serving_path(database: Path | str) -> Path:
    """Where the serving snapshot of the project's DuckDB file ``database`` lives."""
    database = Path(database)
    return database.with_name(database.stem + SERVING_SUFFIX)


def publish_serving_snapshot(engine: Engine, *, gazetteer: str = "gazetteer") -> Path | None:
    """Write the app's serving snapshot from the published datasets; its path, or None (not DuckDB on a
    file, or no worklist yet). Call outside a transaction: DuckDB attaches files only between them.

    Its tables (schema ``main``): copies of out.worklist, out.property_records, stg.<gazetteer> and
    score.property with ``uprn`` as text (all but the worklist indexed on it), and ``datasets``: every
    dataset of the project's file with its columns, so the app can say which exist while a pipeline
    command holds that file."""
    database = getattr(engine, "path", None)
    if engine.kind != "duckdb" or database is None or not engine.exists(WORKLIST.name):
        return None
    target = serving_path(database)
    building = target.with_name(f"{target.name}.{os.getpid()}.building")
    building.unlink(missing_ok=True)
    copies = {"worklist": WORKLIST.name, "property_records": PROPERTY_RECORDS.name,
              "gazetteer": staged(gazetteer), "property_scores": PROPERTY_SCORES.name}
    engine.execute(f"ATTACH {_literal(str(building))} AS oda_serving_next")
    written = False
    try:
        for table, dataset in copies.items():
            if not engine.exists(dataset):
                continue
            uprn_is_column = "uprn" in engine.query(f"SELECT * FROM {dataset} LIMIT 0").schema.names
            if table == "worklist" or not uprn_is_column:
                engine.execute(f"CREATE TABLE oda_serving_next.main.{table} AS SELECT * FROM {dataset}")
                continue
            engine.execute(f"CREATE TABLE oda_serving_next.main.{table} AS SELECT * REPLACE "
                           f"(CAST(uprn AS VARCHAR) AS uprn) FROM {dataset} ORDER BY CAST(uprn AS VARCHAR)")
            engine.execute(f"CREATE INDEX {table}_uprn ON oda_serving_next.main.{table} (uprn)")
        layers = ", ".join(map(_literal, LAYERS))
        engine.execute("CREATE TABLE oda_serving_next.main.datasets AS SELECT table_schema || '.' || table_name "
                       "AS dataset, list(column_name ORDER BY ordinal_position) AS columns "
                       "FROM information_schema.columns WHERE table_catalog = current_database() "
                       f"AND table_schema IN ({layers}) GROUP BY ALL ORDER BY dataset")
        written = True
    finally:
        engine.execute("DETACH oda_serving_next")
        if not written:
            building.unlink(missing_ok=True)
    os.replace(building, target)  # atomic: a reader has the old file or the new one, never half of one
    return target


def _identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"
