"""Run records: what every `oda` command that changes data did, written through the engine.

Three datasets, appended to on every run, successful or not:

* ``meta.runs`` — one row per run: ``run_id, command, started_at, ended_at, status, config_hash,
  code_version, error``;
* ``meta.run_inputs`` — one row per input read: ``run_id, source, path, sha256, rows_read,
  rows_loaded, rows_quarantined, skipped``;
* ``meta.run_steps`` — one row per step: ``run_id, step, dataset, rows, seconds``.

The record is kept in memory and written when the run ends, after any failed transaction has been
rolled back, so a failed run is recorded too. Any stage uses the same recorder::

    with record_run(engine, project, "link") as run:
        with run.step("link", "link.address_matches") as step:
            step.rows = engine.create_as("link.address_matches", sql)
"""

from __future__ import annotations

import datetime as dt
import secrets
import subprocess
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

import pyarrow as pa

from oda import __version__

if TYPE_CHECKING:
    from oda.engine.base import Engine
    from oda.project.load import LoadedProject

RUNS = "meta.runs"
RUN_INPUTS = "meta.run_inputs"
RUN_STEPS = "meta.run_steps"

_TIMESTAMP = pa.timestamp("us", tz="UTC")
RUNS_SCHEMA = pa.schema([
    ("run_id", pa.string()), ("command", pa.string()), ("started_at", _TIMESTAMP), ("ended_at", _TIMESTAMP),
    ("status", pa.string()), ("config_hash", pa.string()), ("code_version", pa.string()), ("error", pa.string()),
])
RUN_INPUTS_SCHEMA = pa.schema([
    ("run_id", pa.string()), ("source", pa.string()), ("path", pa.string()), ("sha256", pa.string()),
    ("rows_read", pa.int64()), ("rows_loaded", pa.int64()), ("rows_quarantined", pa.int64()), ("skipped", pa.bool_()),
])
RUN_STEPS_SCHEMA = pa.schema([
    ("run_id", pa.string()), ("step", pa.string()), ("dataset", pa.string()), ("rows", pa.int64()),
    ("seconds", pa.float64()),
])


@lru_cache(maxsize=1)
def code_version() -> str:
    """oda's version, plus the git commit when running from a checkout (``0.1.0+g085a109``)."""
    package = Path(__file__).resolve().parent
    try:
        commit = subprocess.run(["git", "-C", str(package), "rev-parse", "--short", "HEAD"],
                                capture_output=True, text=True, timeout=5, check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return __version__
    return f"{__version__}+g{commit}" if commit else __version__


def new_run_id(now: dt.datetime) -> str:
    """Sortable by time (to the millisecond), unique across processes: ``20261126T130408.123Z-3f9a1c``."""
    return now.strftime("%Y%m%dT%H%M%S.") + f"{now.microsecond // 1000:03d}Z-" + secrets.token_hex(3)


@dataclass
class StepTimer:
    """Set ``rows`` inside a ``run.step(...)`` block; the time is measured for you."""

    rows: int | None = None


@dataclass
class RunRecorder:
    """Collects one run's inputs and steps; :func:`record_run` writes them when the run ends."""

    engine: "Engine"
    command: str
    config_hash: str
    run_id: str
    started_at: dt.datetime
    inputs: list[dict] = field(default_factory=list)
    steps: list[dict] = field(default_factory=list)

    def add_input(self, *, source: str, path: str, sha256: str, rows_read: int, rows_loaded: int,
                  rows_quarantined: int, skipped: bool) -> None:
        self.inputs.append(dict(run_id=self.run_id, source=source, path=path, sha256=sha256, rows_read=rows_read,
                                rows_loaded=rows_loaded, rows_quarantined=rows_quarantined, skipped=skipped))

    def add_step(self, step: str, dataset: str, rows: int | None, seconds: float) -> None:
        self.steps.append(dict(run_id=self.run_id, step=step, dataset=dataset, rows=rows, seconds=round(seconds, 3)))

    @contextmanager
    def step(self, step: str, dataset: str) -> Iterator[StepTimer]:
        """Time a step and record it (only when it completes)."""
        timer = StepTimer()
        started = time.perf_counter()
        yield timer
        self.add_step(step, dataset, timer.rows, time.perf_counter() - started)

    def write(self, status: str, error: str | None = None) -> None:
        """Append this run to the meta datasets, in one transaction."""
        ended = dt.datetime.now(dt.timezone.utc)
        run = dict(run_id=self.run_id, command=self.command, started_at=self.started_at, ended_at=ended,
                   status=status, config_hash=self.config_hash, code_version=code_version(), error=error)
        with self.engine.transaction():
            self.engine.write(RUNS, pa.Table.from_pylist([run], schema=RUNS_SCHEMA), mode="append")
            self.engine.write(RUN_INPUTS, pa.Table.from_pylist(self.inputs, schema=RUN_INPUTS_SCHEMA), mode="append")
            self.engine.write(RUN_STEPS, pa.Table.from_pylist(self.steps, schema=RUN_STEPS_SCHEMA), mode="append")


@contextmanager
def record_run(engine: "Engine", project: "LoadedProject", command: str) -> Iterator[RunRecorder]:
    """Record a run of ``command``: status ``ok``, or ``failed`` with the error's message."""
    started = dt.datetime.now(dt.timezone.utc)
    recorder = RunRecorder(engine=engine, command=command, config_hash=project.config_hash,
                           run_id=new_run_id(started), started_at=started)
    try:
        yield recorder
    except BaseException as exc:
        try:
            recorder.write("failed", f"{type(exc).__name__}: {exc}"[:4000])
        except Exception as record_error:  # noqa: BLE001 - the run's own error is the one to report
            exc.add_note(f"(the run record could not be written either: {record_error})")
        raise
    recorder.write("ok")


def recent_runs(engine: "Engine", limit: int = 10) -> pa.Table:
    """The last ``limit`` runs, newest first (empty when nothing has run)."""
    if not engine.exists(RUNS):
        return RUNS_SCHEMA.empty_table()
    return engine.query(f"SELECT * FROM {RUNS} ORDER BY started_at DESC, run_id DESC LIMIT {int(limit)}")
