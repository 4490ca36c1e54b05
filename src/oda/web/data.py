"""Read-only queries on the pipeline's datasets in the project's DuckDB file.

DuckDB allows one writer or many readers per file, so the app holds a read-only connection to the
project's file only while it is answering a query, and closes it as soon as no request needs it:
pipeline commands can write to the file while ``oda serve`` runs. The pages officers use all day (the
worklist and property pages) read the **serving snapshot** instead when one has been published with
the worklist (:mod:`oda.act.property_records`): a second file, replaced atomically, on which the app
keeps a connection open (:mod:`oda.web.serving`), so they neither pay for opening the project's file
nor stop while a pipeline command writes to it; a property's linked records are one indexed look-up.

Worklists and property views are cached, and the cache is dropped when either file changes (their size
and time are looked at once a second). A page that needs the project's file while a pipeline command is
writing to it gets a 503 page asking to reload shortly.

Datasets that do not exist yet give empty results, so the app is useful from the first ``oda ingest``.
"""

from __future__ import annotations

import json
import threading
import time
from collections import defaultdict
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Iterator

import duckdb

from oda.act.property_records import HIDDEN_RECORD_FIELDS, entity_id_joins, serving_path
from oda.datasets import ADDRESS_MATCHES, PROPERTY_RECORDS, PROPERTY_SCORES, RUNS, WORKLIST
from oda.errors import EngineError
from oda.web.geometry import convex_hull
from oda.web.serving import ServingSnapshot

PERSON_NAME_FIELDS = ("title", "first_name", "middle_names", "surname", "full_name")
EVENT_FIELDS = ("start_date", "end_date", "event_date")
CACHE_ENTRIES = 5000
CHANGE_CHECK_SECONDS = 1.0


@dataclass(frozen=True)
class WorklistRow:
    worklist_id: str
    rank: int
    uprn: str
    address: str
    ward: str
    street: str
    lat: float | None
    lon: float | None
    score: float
    band: str
    reasons: tuple[str, ...]
    exploration: bool
    organisation: str


@dataclass(frozen=True)
class LinkedRecord:
    source: str
    record_id: str
    tier: str
    probability: float | None
    reasons: tuple[str, ...]
    fields: dict[str, Any]
    person_id: str | None = None
    business_id: str | None = None


@dataclass(frozen=True)
class PropertyView:
    uprn: str
    gazetteer: dict[str, Any]
    score: dict[str, Any] | None
    reasons: tuple[str, ...]
    records: dict[str, list[LinkedRecord]] = field(default_factory=dict)


def parse_reasons(value: Any) -> tuple[str, ...]:
    """Reasons arrive as a JSON list of sentences (or already as a list)."""
    if value is None:
        return ()
    if isinstance(value, (list, tuple)):
        return tuple(str(v) for v in value)
    text = str(value).strip()
    if text.startswith("["):
        try:
            return tuple(str(v) for v in json.loads(text))
        except json.JSONDecodeError:
            pass
    return (text,) if text else ()


class ProjectData:
    """The app's read-only window on the project's DuckDB file."""

    def __init__(self, path: Path, *, gazetteer: str = "gazetteer"):
        self.path = Path(path)
        self.gazetteer = f"stg.{gazetteer}"
        self._lock = threading.RLock()
        self._connection: duckdb.DuckDBPyConnection | None = None
        self._users = 0
        self._tables: dict[str, tuple[str, ...]] | None = None
        self._cache: dict[tuple, Any] = {}
        self._computing: dict[tuple, threading.Lock] = {}
        self._seen: tuple | None = None
        self._checked = float("-inf")
        self.change_check_seconds = CHANGE_CHECK_SECONDS
        self.serving = ServingSnapshot(serving_path(self.path))

    # -- connection and cache -----------------------------------------------------------------------

    def _fingerprint(self) -> tuple:
        """What changes when a pipeline command writes: the file's and its write-ahead log's size and time."""
        parts = []
        for path in (self.path, self.path.with_name(self.path.name + ".wal")):
            try:
                stat = path.stat()
                parts.append((stat.st_mtime_ns, stat.st_size))
            except FileNotFoundError:
                parts.append(None)
        return (*parts, self.serving.identity())

    def _check_for_changes(self) -> None:
        """Forget everything cached once either file has changed (looked at most once a second)."""
        now = time.monotonic()
        if now - self._checked < self.change_check_seconds:
            return
        with self._lock:
            self._checked = now
            fingerprint = self._fingerprint()
            if fingerprint != self._seen:
                self._seen = fingerprint
                self.serving.refresh()
                self._cache = {}
                self._tables = None

    def _served(self, table: str, columns: tuple[str, ...] = ()) -> str | None:
        """The serving snapshot's name for ``table`` if the snapshot holds it (with these columns), else None."""
        return self.serving.table(table) if self.serving.has(table, columns) else None

    def _cached(self, key: tuple, compute, *, reads_project_file: bool = True):
        """``compute()`` once per key until the file changes; concurrent requests for a key wait for one.
        ``reads_project_file``: hold one connection to the project's file for all of compute's queries."""
        self._check_for_changes()
        try:
            return self._cache[key]
        except KeyError:
            pass
        with self._lock:
            key_lock = self._computing.setdefault(key, threading.Lock())
        with key_lock:
            if key in self._cache:
                return self._cache[key]
            with self._using() if reads_project_file else nullcontext():
                value = compute()
            if len(self._cache) >= CACHE_ENTRIES:
                self._cache.clear()
            self._cache[key] = value
        with self._lock:
            self._computing.pop(key, None)
        return value

    def warm(self, organisations: list[str]) -> None:
        """Fill the cache with what every officer asks for first: the worklists and the ward outlines."""
        self._check_for_changes()
        with self._using() if self._served("worklist") is None else nullcontext():
            for organisation in [None, *organisations]:
                self.worklist(organisation_scope=organisation)
            self.ward_boundaries()

    @contextmanager
    def _using(self) -> Iterator[duckdb.DuckDBPyConnection | None]:
        """A read-only connection for the duration; closed as soon as nobody uses it, so that pipeline
        commands can write to the file between requests."""
        with self._lock:
            if self._connection is None and self.path.exists():
                try:
                    self._connection = duckdb.connect(str(self.path), read_only=True, config={
                        "autoinstall_known_extensions": False, "autoload_known_extensions": False})
                except duckdb.Error as exc:
                    raise EngineError(f"cannot open the project database {self.path} to read: {exc}. A pipeline "
                                      "command is probably writing to it; reload the page when it has finished") \
                        from None
            self._users += 1
            connection = self._connection
        try:
            yield connection
        finally:
            with self._lock:
                self._users -= 1
                if self._users == 0 and self._connection is not None:
                    self._connection.close()
                    self._connection = None

    def _metadata(self) -> dict[str, tuple[str, ...]]:
        """Every dataset and its columns; while a pipeline command holds the project's file, as they were
        when the serving snapshot was published (if there is one)."""
        self._check_for_changes()
        if self._tables is None:
            columns: dict[str, list[str]] = defaultdict(list)
            try:
                rows = self._query("SELECT table_schema, table_name, column_name FROM information_schema.columns "
                                   "ORDER BY table_schema, table_name, ordinal_position")
            except EngineError:
                served = self._served("datasets")
                if served is None:
                    raise
                self._tables = {r["dataset"]: tuple(r["columns"]) for r in self.serving.rows(
                    f"SELECT dataset, columns FROM {served}")}
                return self._tables
            for r in rows:
                columns[f"{r['table_schema']}.{r['table_name']}"].append(r["column_name"])
            self._tables = {name: tuple(cols) for name, cols in columns.items()}
        return self._tables

    def close(self) -> None:
        """Forget the cache and close the serving snapshot; the next query reads the files again."""
        with self._lock:
            self._cache = {}
            self._tables = None
            self._seen = None
            self._checked = float("-inf")
        self.serving.close()

    reopen = close

    def has(self, dataset: str) -> bool:
        return dataset in self._metadata()

    def columns(self, dataset: str) -> tuple[str, ...]:
        return self._metadata().get(dataset, ())

    def rows(self, sql: str, parameters: list | None = None) -> list[dict[str, Any]]:
        self._check_for_changes()
        return self._query(sql, parameters)

    def _query(self, sql: str, parameters: list | None = None) -> list[dict[str, Any]]:
        with self._using() as connection:
            if connection is None:
                return []
            cursor = connection.cursor()
            try:
                cursor.execute(sql, parameters or [])
                names = [d[0] for d in cursor.description]
                return [dict(zip(names, row)) for row in cursor.fetchall()]
            finally:
                cursor.close()

    # -- worklists ----------------------------------------------------------------------------------

    def worklist(self, *, organisation_scope: str | None, ward: str | None = None) -> list[WorklistRow]:
        """The worklist in rank order: one organisation's when scoped, every organisation's otherwise."""
        self._check_for_changes()
        served = self._served("worklist")
        return self._cached(("worklist", organisation_scope, ward),
                            lambda: self._worklist(organisation_scope, ward, served),
                            reads_project_file=served is None)

    def _worklist(self, organisation_scope: str | None, ward: str | None, served: str | None) -> list[WorklistRow]:
        if served is None and not self.has(WORKLIST.name):
            return []
        where, parameters = ["TRUE"], []
        if organisation_scope is not None:
            where.append("organisation = ?")
            parameters.append(organisation_scope)
        if ward:
            where.append("ward = ?")
            parameters.append(ward)
        rows = (self.serving.rows if served else self.rows)(
            "SELECT worklist_id, rank, CAST(uprn AS VARCHAR) AS uprn, address, ward, street, lat, lon, score, band, "
            f"reasons, exploration, organisation FROM {served or WORKLIST.name} WHERE {' AND '.join(where)} "
            "ORDER BY organisation, rank", parameters)
        return [WorklistRow(str(r["worklist_id"]), int(r["rank"]), r["uprn"], r["address"] or "", r["ward"] or "",
                            r["street"] or "", _float(r["lat"]), _float(r["lon"]), float(r["score"] or 0),
                            str(r["band"] or ""), parse_reasons(r["reasons"]), bool(r["exploration"]),
                            str(r["organisation"])) for r in rows]

    def wards(self, *, organisation_scope: str | None) -> list[str]:
        """The wards on the worklist, for the ward filter: worked out once per published worklist."""
        return self._cached(("worklist_wards", organisation_scope), lambda: sorted(
            {r.ward for r in self.worklist(organisation_scope=organisation_scope) if r.ward}), reads_project_file=False)

    def worklist_uprns(self, *, organisation_scope: str | None) -> list[str]:
        """The worklist's UPRNs in rank order (to ask the store what officers have done with them)."""
        return self._cached(("worklist_uprns", organisation_scope), lambda: [
            r.uprn for r in self.worklist(organisation_scope=organisation_scope)], reads_project_file=False)

    def property_organisations(self, uprn: str) -> set[str]:
        """The organisations whose worklists hold this property (the officers who may open it), from the
        cached worklists: no query per property."""
        return set(self._cached(("organisations",), self._organisations_by_uprn, reads_project_file=False)
                   .get(str(uprn), ()))

    def _organisations_by_uprn(self) -> dict[str, frozenset[str]]:
        organisations: dict[str, set[str]] = defaultdict(set)
        for row in self.worklist(organisation_scope=None):
            organisations[row.uprn].add(row.organisation)
        return {uprn: frozenset(names) for uprn, names in organisations.items()}

    # -- one property -------------------------------------------------------------------------------

    def property(self, uprn: str) -> PropertyView | None:
        self._check_for_changes()
        if self._served("property_records"):
            return self._cached(("property", uprn), lambda: self._served_property(uprn), reads_project_file=False)
        return self._cached(("property", uprn), lambda: self._property(uprn))

    def _served_property(self, uprn: str) -> PropertyView | None:
        """The property from the serving snapshot: three indexed look-ups and the cached worklists."""
        gazetteer = self._served_one("gazetteer", uprn)
        score = self._served_one("property_scores", uprn)
        on_worklist = [r for r in self.worklist(organisation_scope=None) if r.uprn == uprn][:1]
        if gazetteer is None and score is None and not on_worklist:
            return None
        details = gazetteer or ({"address": on_worklist[0].address, "ward": on_worklist[0].ward,
                                 "lat": on_worklist[0].lat, "lon": on_worklist[0].lon} if on_worklist
                                else {"uprn": uprn})
        return PropertyView(uprn, details, score, parse_reasons(score.get("reasons") if score else None),
                            self._published_records(self.serving.rows, self.serving.table("property_records"), uprn))

    def _served_one(self, table: str, uprn: str) -> dict[str, Any] | None:
        served = self._served(table)
        rows = self.serving.rows(f"SELECT * FROM {served} WHERE uprn = ? LIMIT 1", [uprn]) if served else []
        return rows[0] if rows else None

    def _property(self, uprn: str) -> PropertyView | None:
        gazetteer = self._one(self.gazetteer, uprn)
        score = self._one(PROPERTY_SCORES.name, uprn)
        if gazetteer is None and score is None and not self.property_organisations(uprn):
            return None
        worklist = self.rows(f"SELECT address, ward, lat, lon FROM {WORKLIST.name} WHERE CAST(uprn AS VARCHAR) = ? "
                             "LIMIT 1", [uprn]) if self.has(WORKLIST.name) else []
        details = gazetteer or (worklist[0] if worklist else {"uprn": uprn})
        return PropertyView(uprn, details, score, parse_reasons(score.get("reasons") if score else None),
                            self.linked_records(uprn))

    def _one(self, dataset: str, uprn: str) -> dict[str, Any] | None:
        if not self.has(dataset):
            return None
        rows = self.rows(f"SELECT * FROM {dataset} WHERE CAST(uprn AS VARCHAR) = ? LIMIT 1", [uprn])
        return rows[0] if rows else None

    def linked_records(self, uprn: str) -> dict[str, list[LinkedRecord]]:
        """Every record matched to the property, grouped by source, with its tier and its fields: from
        ``out.property_records`` once published, else joined here."""
        if self.has(PROPERTY_RECORDS.name):
            return self._published_records(self.rows, PROPERTY_RECORDS.name, uprn)
        if not self.has(ADDRESS_MATCHES.name):
            return {}
        joins, clusters = entity_id_joins(self.has)
        matches = self.rows(
            f"SELECT m.source, CAST(m.record_id AS VARCHAR) AS record_id, m.tier, m.probability, m.reasons, "
            f"{', '.join(clusters)} FROM {ADDRESS_MATCHES.name} m {' '.join(joins)} "
            "WHERE CAST(m.uprn AS VARCHAR) = ? AND m.tier <> 'unmatched' ORDER BY m.source, m.record_id", [uprn])
        grouped: dict[str, list[LinkedRecord]] = defaultdict(list)
        by_source: dict[str, list[dict]] = defaultdict(list)
        for m in matches:
            by_source[m["source"]].append(m)
        for source, source_matches in by_source.items():
            fields = self._source_fields(source, [m["record_id"] for m in source_matches])
            for m in source_matches:
                grouped[source].append(LinkedRecord(
                    source, m["record_id"], str(m["tier"]), _float(m["probability"]), parse_reasons(m["reasons"]),
                    fields.get(m["record_id"], {}), m["person_id"], m["business_id"]))
        return dict(grouped)

    @staticmethod
    def _published_records(rows, table: str, uprn: str) -> dict[str, list[LinkedRecord]]:
        """One range look-up on a table shaped like ``out.property_records`` (fields as a JSON object)."""
        grouped: dict[str, list[LinkedRecord]] = defaultdict(list)
        for r in rows(f"SELECT source, record_id, tier, probability, reasons, person_id, business_id, fields "
                      f"FROM {table} WHERE uprn = ? ORDER BY source, record_id", [uprn]):
            fields = {k: v for k, v in json.loads(r["fields"] or "{}").items()
                      if v is not None and k not in HIDDEN_RECORD_FIELDS}
            grouped[r["source"]].append(LinkedRecord(
                r["source"], r["record_id"], str(r["tier"]), _float(r["probability"]), parse_reasons(r["reasons"]),
                fields, r["person_id"], r["business_id"]))
        return dict(grouped)

    def _source_fields(self, source: str, record_ids: list[str]) -> dict[str, dict[str, Any]]:
        dataset = f"stg.{source}"
        if not record_ids or not self.has(dataset) or "record_id" not in self.columns(dataset):
            return {}
        rows = self.rows(f"SELECT * FROM {dataset} WHERE CAST(record_id AS VARCHAR) IN (SELECT unnest(?))",
                         [record_ids])
        return {str(r["record_id"]): {k: v for k, v in r.items() if k not in HIDDEN_RECORD_FIELDS and v is not None}
                for r in rows}

    # -- map ----------------------------------------------------------------------------------------

    def ward_boundaries(self) -> dict:
        """Ward outlines as GeoJSON: the convex hull of each ward's gazetteer points (no polygons are held)."""
        self._check_for_changes()
        served = self._served("gazetteer", ("ward", "lat", "lon"))
        return self._cached(("wards",), lambda: self._ward_boundaries(served), reads_project_file=served is None)

    def _ward_boundaries(self, served: str | None) -> dict:
        features = []
        if served or (self.has(self.gazetteer) and {"ward", "lat", "lon"} <= set(self.columns(self.gazetteer))):
            points: dict[str, list[tuple[float, float]]] = defaultdict(list)
            for r in (self.serving.rows if served else self.rows)(
                    f"SELECT ward, lon, lat FROM {served or self.gazetteer} "
                    "WHERE ward IS NOT NULL AND lat IS NOT NULL AND lon IS NOT NULL"):
                points[str(r["ward"])].append((float(r["lon"]), float(r["lat"])))
            for ward, ward_points in sorted(points.items()):
                hull = convex_hull(ward_points)
                if len(hull) >= 3:
                    ring = [list(p) for p in hull] + [list(hull[0])]
                    features.append({"type": "Feature", "properties": {"ward": ward, "properties": len(ward_points)},
                                     "geometry": {"type": "Polygon", "coordinates": [ring]}})
        return {"type": "FeatureCollection", "features": features}

    # -- analysts -----------------------------------------------------------------------------------

    def linkage_quality(self) -> list[dict[str, Any]]:
        """Per source: records, and how many matched at each tier."""
        if not self.has(ADDRESS_MATCHES.name):
            return []
        return self.rows(
            f"SELECT source, count(*) AS records, "
            "count(*) FILTER (WHERE tier = 'exact') AS exact, count(*) FILTER (WHERE tier = 'confident') AS confident, "
            "count(*) FILTER (WHERE tier = 'review') AS review, "
            "count(*) FILTER (WHERE tier = 'unmatched') AS unmatched, "
            "avg(probability) FILTER (WHERE tier <> 'unmatched') AS mean_probability "
            f"FROM {ADDRESS_MATCHES.name} GROUP BY source ORDER BY source")

    def review_queue(self, limit: int = 100) -> list[dict[str, Any]]:
        """Matches an analyst should decide, least certain first, with both candidate addresses."""
        with self._using():
            return self._review_queue(limit)

    def _review_queue(self, limit: int) -> list[dict[str, Any]]:
        gazetteer_join = ""
        address_columns = "NULL AS uprn_address, NULL AS runner_up_address"
        if self.has(self.gazetteer):
            gazetteer_join = (f"LEFT JOIN {self.gazetteer} g1 ON CAST(g1.uprn AS VARCHAR) = CAST(m.uprn AS VARCHAR) "
                              f"LEFT JOIN {self.gazetteer} g2 ON CAST(g2.uprn AS VARCHAR) = "
                              "CAST(m.runner_up_uprn AS VARCHAR)")
            address_columns = "g1.address AS uprn_address, g2.address AS runner_up_address"
        # The link stage keys a decision by the normalised address, so one decision settles every record
        # typed that way; without that column, each record is its own item.
        key = ("m.review_key" if "review_key" in self.columns(ADDRESS_MATCHES.name)
               else "m.source || '/' || CAST(m.record_id AS VARCHAR)")
        rows = self.rows(
            f"SELECT {key} AS key, m.source, CAST(m.record_id AS VARCHAR) AS record_id, "
            "CAST(m.uprn AS VARCHAR) AS uprn, m.probability, CAST(m.runner_up_uprn AS VARCHAR) AS runner_up_uprn, "
            f"m.margin, m.reasons, {address_columns} FROM {ADDRESS_MATCHES.name} m {gazetteer_join} "
            "WHERE m.tier = 'review' ORDER BY m.probability, m.source, m.record_id")
        queue: dict[str, dict[str, Any]] = {}
        for row in rows:
            if row["key"] in queue:
                queue[row["key"]]["records"] += 1
                continue
            if len(queue) == limit:
                continue
            row["records"] = 1
            row["reasons"] = parse_reasons(row["reasons"])
            fields = self._source_fields(row["source"], [row["record_id"]]).get(row["record_id"], {})
            row["input_address"] = fields.get("address") or ", ".join(
                str(fields[k]) for k in ("address_line_1", "address_line_2", "address_line_3", "postcode")
                if fields.get(k))
            queue[row["key"]] = row
        return list(queue.values())

    def runs(self, limit: int = 100) -> list[dict[str, Any]]:
        if not self.has(RUNS.name):
            return []
        return self.rows(f"SELECT * FROM {RUNS.name} ORDER BY started_at DESC LIMIT ?", [limit])

    def run_steps(self, run_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
        if not run_ids or not self.has("meta.run_steps"):
            return {}
        steps: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for r in self.rows("SELECT * FROM meta.run_steps WHERE run_id IN (SELECT unnest(?))", [run_ids]):
            steps[r["run_id"]].append(r)
        return dict(steps)

    def score_bands(self) -> dict[str, str]:
        """uprn → band for every scored property (to compare bands with recorded outcomes)."""
        if not self.has(PROPERTY_SCORES.name):
            return {}
        return {r["uprn"]: str(r["band"]) for r in self.rows(
            f"SELECT CAST(uprn AS VARCHAR) AS uprn, band FROM {PROPERTY_SCORES.name}")}


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def plain(value: Any) -> str:
    """A cell value as text for pages and exports."""
    if value is None:
        return ""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)


# -- people and businesses (the entity pages) -------------------------------------------------------
# Read from the resolve stage's datasets: link.person_clusters / link.business_clusters (which records
# make up an entity), link.person_pairs / link.business_pairs (why they were linked) and the single
# views out.person_addresses, out.business_profile and out.business_concentration. Each part is
# optional, so the pages work on a project where only some of them have been written.

@dataclass(frozen=True)
class EntityRecord:
    """One source record that is part of a resolved person or business."""

    source: str
    record_id: str
    uprn: str | None
    match_probability: float | None
    joint: bool  # the entity is the record's second (joint) person
    fields: dict[str, Any]


def _entity_datasets(entity: str) -> tuple[str, str, str]:
    """(clusters dataset, pairs dataset, id column) of ``person`` or ``business``."""
    from oda.datasets import BUSINESS_CLUSTERS, BUSINESS_PAIRS, PERSON_CLUSTERS, PERSON_PAIRS

    if entity == "person":
        return PERSON_CLUSTERS.name, PERSON_PAIRS.name, "person_id"
    if entity == "business":
        return BUSINESS_CLUSTERS.name, BUSINESS_PAIRS.name, "business_id"
    raise ValueError(f"entity must be person or business, not {entity!r}")


def _entity_records(self: ProjectData, entity: str, entity_id: str) -> list[EntityRecord]:
    """The records that make up one entity, with each record's property (the cluster's UPRN, else the
    confident address match) and its staged fields; cached until the file changes."""
    return self._cached(("entity_records", entity, entity_id), lambda: _read_entity_records(self, entity, entity_id))


def _read_entity_records(self: ProjectData, entity: str, entity_id: str) -> list[EntityRecord]:
    clusters, _, id_column = _entity_datasets(entity)
    if not self.has(clusters):
        return []
    columns = set(self.columns(clusters))
    joint = "joint_person_id" in columns
    match_uprn = "NULL"
    join = ""
    if self.has(ADDRESS_MATCHES.name):
        join = (f"LEFT JOIN {ADDRESS_MATCHES.name} m ON m.source = c.source AND CAST(m.record_id AS VARCHAR) = "
                "CAST(c.record_id AS VARCHAR) AND m.tier IN ('exact', 'confident')")
        match_uprn = "CAST(m.uprn AS VARCHAR)"
    uprn = f"coalesce(CAST(c.uprn AS VARCHAR), {match_uprn})" if "uprn" in columns else match_uprn
    probability = "CAST(c.match_probability AS DOUBLE)" if "match_probability" in columns else "NULL"
    is_joint = f"c.{id_column} IS DISTINCT FROM ?" if joint else "FALSE"
    where = f"c.{id_column} = ?" + (" OR c.joint_person_id = ?" if joint else "")
    parameters = [entity_id] * (3 if joint else 1)
    rows = self.rows(
        f"SELECT c.source, CAST(c.record_id AS VARCHAR) AS record_id, {uprn} AS uprn, {probability} AS "
        f"match_probability, {is_joint} AS joint FROM {clusters} c {join} WHERE {where} "
        "ORDER BY c.source, record_id", parameters)
    by_source: dict[str, list[str]] = defaultdict(list)
    for r in rows:
        by_source[r["source"]].append(r["record_id"])
    fields = {source: self._source_fields(source, ids) for source, ids in by_source.items()}
    return [EntityRecord(r["source"], r["record_id"], r["uprn"], _float(r["match_probability"]), bool(r["joint"]),
                         fields[r["source"]].get(r["record_id"], {})) for r in rows]


def _entity_organisations(self: ProjectData, entity: str, entity_id: str) -> set[str]:
    """The organisations whose worklists hold a property this entity's records name (who may open it)."""
    found: set[str] = set()
    for record in self.entity_records(entity, entity_id):
        if record.uprn:
            found |= self.property_organisations(record.uprn)
    return found


def _entity_pairs(self: ProjectData, entity: str, entity_id: str) -> list[dict[str, Any]]:
    """The scored links inside one entity (both records ended in it), weakest first: where an over-link shows."""
    _, pairs, id_column = _entity_datasets(entity)
    if not self.has(pairs):
        return []
    return self._cached(("entity_pairs", entity, entity_id), lambda: self.rows(
        f"SELECT source_l, CAST(record_id_l AS VARCHAR) AS record_id_l, source_r, "
        f"CAST(record_id_r AS VARCHAR) AS record_id_r, match_probability, match_weight, explanation "
        f"FROM {pairs} WHERE {id_column} = ? ORDER BY match_weight, source_l, record_id_l, source_r, record_id_r",
        [entity_id]))


def _single_view_rows(self: ProjectData, dataset: str, where: str = "TRUE", parameters: list | None = None,
                      order: str = "") -> list[dict[str, Any]]:
    """Rows of an ``out.*`` single view (empty when the resolve stage has not written it)."""
    if not self.has(dataset):
        return []
    return self.rows(f"SELECT * FROM {dataset} WHERE {where} {('ORDER BY ' + order) if order else ''}",
                     parameters)


def _person_addresses(self: ProjectData, person_id: str) -> list[dict[str, Any]]:
    """A person's addresses over time, earliest first (``out.person_addresses``)."""
    from oda.datasets import PERSON_ADDRESSES

    return self._cached(("person_addresses", person_id), lambda: _single_view_rows(
        self, PERSON_ADDRESSES.name, "person_id = ?", [person_id], "first_seen NULLS LAST, CAST(uprn AS VARCHAR)"))


def _person_names(self: ProjectData, person_ids: list[str]) -> dict[str, str]:
    """person_id → the person's most common name (``out.person_addresses``), for the ids given."""
    from oda.datasets import PERSON_ADDRESSES

    if not person_ids or not self.has(PERSON_ADDRESSES.name):
        return {}
    return dict(self._cached(("person_names", tuple(person_ids)), lambda: {r["person_id"]: r["name"] for r in self.rows(
        f"SELECT person_id, mode(name) AS name FROM {PERSON_ADDRESSES.name} WHERE person_id IN (SELECT unnest(?)) "
        "GROUP BY person_id", [person_ids]) if r["name"]}))


def _business_profiles(self: ProjectData, business_id: str | None = None) -> list[dict[str, Any]]:
    """``out.business_profile``: one business, or every business with the most events at its premises first."""
    from oda.datasets import BUSINESS_PROFILE

    if business_id is not None:
        return self._cached(("business_profile", business_id), lambda: _single_view_rows(
            self, BUSINESS_PROFILE.name, "business_id = ?", [business_id]))
    return self._cached(("business_profiles",), lambda: _single_view_rows(
        self, BUSINESS_PROFILE.name, order="events_at_premises DESC, records DESC, business_id"))


def _business_concentration(self: ProjectData) -> list[dict[str, Any]]:
    """``out.business_concentration``: the share of events at business premises held by the top 5% of businesses."""
    from oda.datasets import BUSINESS_CONCENTRATION

    return self._cached(("business_concentration",), lambda: _single_view_rows(
        self, BUSINESS_CONCENTRATION.name, order="source = 'all' DESC, source"))


def _addresses(self: ProjectData, uprns: list[str]) -> dict[str, str]:
    """uprn → the gazetteer's address, for the UPRNs given."""
    if not uprns or not self.has(self.gazetteer):
        return {}
    return self._cached(("addresses", tuple(uprns)), lambda: {r["uprn"]: r["address"] for r in self.rows(
        f"SELECT CAST(uprn AS VARCHAR) AS uprn, address FROM {self.gazetteer} "
        "WHERE CAST(uprn AS VARCHAR) IN (SELECT unnest(?))", [uprns])})


def _search_people(self: ProjectData, words: list[str], limit: int) -> list[dict[str, Any]]:
    """People (``out.person_addresses``) whose name holds every word (case-insensitive), with their
    addresses counted and the latest one shown; at most ``limit``, by name."""
    from oda.datasets import PERSON_ADDRESSES

    if not words or not self.has(PERSON_ADDRESSES.name):
        return []
    matches = " AND ".join("contains(upper(name), ?)" for _ in words)
    return self.rows(
        f"""SELECT person_id, min(name) FILTER (WHERE {matches}) AS name, count(DISTINCT uprn) AS addresses,
                   arg_max(address, coalesce(last_seen, first_seen)) AS latest_address,
                   max(coalesce(last_seen, first_seen)) AS last_seen
              FROM {PERSON_ADDRESSES.name}
             GROUP BY person_id HAVING bool_or({matches})
             ORDER BY name, person_id LIMIT ?""", [*[w.upper() for w in words] * 2, limit])


def _search_businesses(self: ProjectData, words: list[str], limit: int) -> list[dict[str, Any]]:
    """Businesses (``out.business_profile``) whose name or company number holds every word."""
    from oda.datasets import BUSINESS_PROFILE

    if not words or not self.has(BUSINESS_PROFILE.name):
        return []
    matches = " AND ".join("contains(upper(coalesce(name, '') || ' ' || coalesce(CAST(company_number AS VARCHAR), "
                           "'')), ?)" for _ in words)
    return self.rows(f"SELECT * FROM {BUSINESS_PROFILE.name} WHERE {matches} ORDER BY name, business_id LIMIT ?",
                     [*[w.upper() for w in words], limit])


ProjectData.search_people = _search_people
ProjectData.search_businesses = _search_businesses
ProjectData.entity_records = _entity_records
ProjectData.entity_organisations = _entity_organisations
ProjectData.entity_pairs = _entity_pairs
ProjectData.person_addresses = _person_addresses
ProjectData.person_names = _person_names
ProjectData.business_profiles = _business_profiles
ProjectData.business_concentration = _business_concentration
ProjectData.addresses = _addresses
