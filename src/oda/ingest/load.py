"""Ingest one source: read it, check it, and replace its previous load in one transaction.

``raw.<source>`` (grain: one row per loaded source row) gets ``_row_number``, ``record_id``, one text
column per mapped standard field, the attributes in lower_snake_case, ``_postcode_valid`` when a
postcode is mapped, and ``_source``. ``quarantine.<source>`` (one row per row not loaded) gets
``source, row_number, reason, raw``. ``stg.<source>`` is written by standardisation in the same
transaction, and ``meta.loads`` notes what is loaded. If any of that fails, none of it lands.

An unchanged extract (same bytes, same source settings) is skipped unless ``force`` is given.

>>> results = ingest(engine, project, run)      # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.util
from dataclasses import dataclass
from typing import Callable

import pyarrow as pa

from oda.engine.base import Engine
from oda.errors import IngestError, OdaError, ProjectError
from oda.ingest.csv_reader import read_csv
from oda.ingest.excel_reader import read_excel
from oda.ingest.extract import Extract
from oda.ingest.mapping import plan_columns
from oda.ingest.progress import Advance, Reporter
from oda.ingest.reconcile import Reconciliation, reconcile
from oda.ingest.state import LoadState, content_hash, current_loads, file_sha256, record_load, source_config_hash
from oda.ingest.typed_readers import read_database, read_parquet
from oda.ingest.validate import validate
from oda.project.load import LoadedProject
from oda.project.models import SourceDefinition
from oda.runs import RunRecorder


@dataclass(frozen=True)
class _Input:
    """Where a source's rows come from and the hash of their content."""

    location: str
    sha256: str
    read: Callable[[Advance], Extract]
    size: int | None


def standardiser() -> Callable[[Engine, str, SourceDefinition], object] | None:
    """The standardisation stage's per-source entry point, once that stage exists."""
    if importlib.util.find_spec("oda.standardise.stage") is None:
        return None
    from oda.standardise.stage import standardise_source

    return standardise_source


@dataclass(frozen=True)
class IngestReport:
    """What an ingest did: each source's reconciliation, and the messages of sources that failed."""

    results: list[Reconciliation]
    failures: list[str]
    attempted: int

    def raise_for_failures(self) -> None:
        if self.failures:
            others = f" ({len(self.results)} other source(s) ingested)" if self.results else ""
            raise IngestError(f"{len(self.failures)} of {self.attempted} source(s) could not be ingested{others}:\n"
                              + "\n".join(self.failures))


def ingest(engine: Engine, project: LoadedProject, run: RunRecorder, *, sources: list[str] | None = None,
           force: bool = False, reporter: Reporter | None = None) -> IngestReport:
    """Ingest ``sources`` (default: all), each in its own transaction.

    A source that cannot be read does not stop the others; :meth:`IngestReport.raise_for_failures`
    then reports every failure at once.
    """
    reporter = reporter or Reporter(quiet=True)
    names = select_sources(project, sources)
    results: list[Reconciliation] = []
    failures: list[str] = []
    for name in names:
        try:
            results.append(ingest_source(engine, project, name, run, force=force, reporter=reporter))
        except OdaError as exc:
            failures.append(str(exc))
    return IngestReport(results, failures, len(names))


def select_sources(project: LoadedProject, wanted: list[str] | None) -> list[str]:
    declared = list(project.config.sources)
    if not wanted:
        return declared
    unknown = [name for name in wanted if name not in declared]
    if unknown:
        raise ProjectError([f"--source {name}: no source of that name is declared; declared sources are: "
                            f"{', '.join(declared) or 'none'}" for name in unknown], path=str(project.path))
    return list(dict.fromkeys(wanted))


def ingest_source(engine: Engine, project: LoadedProject, name: str, run: RunRecorder, *, force: bool = False,
                  reporter: Reporter | None = None) -> Reconciliation:
    """Load one source (or skip it when unchanged) and record it in ``run``."""
    reporter = reporter or Reporter(quiet=True)
    source = project.config.sources[name]
    config_hash = source_config_hash(source)
    recorded_path = _path_of(project, source)
    with run.step("read", f"raw.{name}") as step:
        origin = _locate(project, name, source)
        if origin.sha256:
            skipped = _skip(engine, name, content_hash(origin.sha256, config_hash), force)
            if skipped:
                step.rows = 0
                return _record_skip(run, name, recorded_path, skipped)
        with reporter.task(f"reading {name}", origin.size, unit="bytes" if origin.size else "rows") as advance:
            extract = origin.read(advance)
        step.rows = extract.rows_read
    sha256 = origin.sha256 or _table_sha256(extract)
    key = content_hash(sha256, config_hash)
    if not origin.sha256:
        skipped = _skip(engine, name, key, force)
        if skipped:
            return _record_skip(run, name, recorded_path, skipped)
    del origin  # it holds a CSV file's bytes

    with run.step("validate", f"raw.{name}") as step:
        with reporter.task(f"checking {name}", None):
            plan = plan_columns(name, source, extract)
            checked = validate(name, source, extract, plan)
        step.rows = checked.loaded.num_rows
    location = extract.location
    del extract  # only the checked tables are needed from here: keep peak memory down

    standardise = standardiser()
    with engine.transaction():
        with run.step("load", f"raw.{name}") as step, reporter.task(f"loading {name}", None):
            step.rows = engine.write(f"raw.{name}", checked.loaded)
        with run.step("quarantine", f"quarantine.{name}") as step:
            step.rows = engine.write(f"quarantine.{name}", checked.quarantined)
        result = reconcile(name, location, checked.rows_read, engine.count(f"raw.{name}"),
                           engine.count(f"quarantine.{name}"))
        if standardise is not None:
            with run.step("standardise", f"stg.{name}") as step, reporter.task(f"standardising {name}", None):
                standardise(engine, name, source)
                step.rows = engine.count(f"stg.{name}") if engine.exists(f"stg.{name}") else None
        record_load(engine, LoadState(
            source=name, content_hash=key, sha256=sha256, config_hash=config_hash, path=recorded_path,
            run_id=run.run_id, loaded_at=dt.datetime.now(dt.timezone.utc), rows_read=result.rows_read,
            rows_loaded=result.rows_loaded, rows_quarantined=result.rows_quarantined,
            standardised=standardise is not None,
        ))
    run.add_input(source=name, path=recorded_path, sha256=sha256, rows_read=result.rows_read,
                  rows_loaded=result.rows_loaded, rows_quarantined=result.rows_quarantined, skipped=False)
    return result


def _path_of(project: LoadedProject, source: SourceDefinition) -> str:
    """The input as recorded in run records: the file's absolute path, or the table or query."""
    if source.path is not None:
        return str(project.resolve(source.path))
    return f"table {source.table}" if source.table else f"query {source.query}"


def _locate(project: LoadedProject, name: str, source: SourceDefinition) -> _Input:
    """How to read the source, and the sha256 of a file's bytes (databases are hashed after reading)."""
    kind = source.resolved_format
    if kind == "sql":
        label = f"database ({source.table or 'query'})"
        return _Input(label, "", lambda advance: read_database(name, source, advance), None)
    assert source.path is not None
    path = project.resolve(source.path)
    if not path.is_file():
        what = "is a folder, not a file" if path.exists() else "does not exist"
        raise IngestError(f"Source `{name}`: file {path} {what}; check [sources.{name}].path "
                          f"(relative to {project.root}) or put the extract there")
    if kind == "csv":
        data = path.read_bytes()
        return _Input(str(path), hashlib.sha256(data).hexdigest(),
                      lambda advance: read_csv(name, source, path, data, advance), len(data))
    if path.stat().st_size == 0:
        raise IngestError(f"Source `{name}`: file {path} is empty (0 bytes); the export may have failed. "
                          "Ask the partner to send it again")
    reader = read_excel if kind == "excel" else read_parquet
    return _Input(str(path), file_sha256(path), lambda advance: reader(name, source, path, advance), None)


def _skip(engine: Engine, name: str, key: str, force: bool) -> LoadState | None:
    """The load in place when it already holds exactly this content (and ``force`` was not given)."""
    if force:
        return None
    state = current_loads(engine).get(name)
    if state and state.content_hash == key and engine.exists(f"raw.{name}"):
        return state
    return None


def _record_skip(run: RunRecorder, name: str, location: str, state: LoadState) -> Reconciliation:
    run.add_input(source=name, path=location, sha256=state.sha256, rows_read=state.rows_read,
                  rows_loaded=state.rows_loaded, rows_quarantined=state.rows_quarantined, skipped=True)
    return Reconciliation(name, location, state.rows_read, state.rows_loaded, state.rows_quarantined, skipped=True)


def _table_sha256(extract: Extract) -> str:
    """A content hash for rows read from a database: their header and values, in order."""
    digest = hashlib.sha256("\x1f".join(extract.header).encode("utf-8"))
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, extract.table.schema) as writer:
        writer.write_table(extract.table)
    digest.update(sink.getvalue().to_pybytes())
    for rejected in extract.rejected:
        digest.update(repr((rejected.row_number, rejected.values)).encode("utf-8"))
    return digest.hexdigest()
