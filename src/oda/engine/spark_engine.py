"""Apache Spark: the engine for regions that outgrow one machine.

Each dataset is a folder of Parquet files, ``<warehouse>/<layer>/<table>/``; the folder is the
truth. Spark's catalog is only an index over it: the session uses the in-memory catalog (no Hive,
no Derby ``metastore_db`` in the working directory) and every engine registers its warehouse's
folders as tables in databases named after the layers, so ``raw.council_tax`` means the same in
Spark SQL as in DuckDB and data persists across processes.

Replacing a dataset never touches the live folder until the new version is complete: new files go
to ``<warehouse>/_staging/<pid>-<id>/``, and publishing renames folders. A commit journal in
``<warehouse>/_journal/`` makes a multi-dataset publish finish even if the process died half-way;
the next engine to open the warehouse finishes it and discards the staging of processes that are
gone (never that of one still running).

The session runs with Spark 4's ANSI mode left ON: a plain ``CAST`` that fails is an error on both
engines, as in DuckDB, and code that wants NULL says so with ``TRY_CAST`` or the dialect's
``try_*`` expressions.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import threading
import uuid
import warnings
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

import pyarrow as pa
import pyarrow.parquet as pq

from oda.engine.base import LAYERS, Dialect, Engine, MonthStyle, WriteMode, split_dataset
from oda.errors import EngineError

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

_ROWS_PER_FILE = 1_000_000
_ROWS_PER_GROUP = 128 * 1024
_STAGING = "_staging"
_JOURNAL = "_journal"


class SparkDialect(Dialect):
    name = "spark"

    def regexp_replace_all(self, expr: str, pattern: str, replacement: str) -> str:
        return f"regexp_replace({expr}, {self.string_literal(pattern)}, {self.string_literal(_java_replacement(replacement))})"

    def string_literal(self, value: str) -> str:
        # Spark unescapes backslashes inside literals, so they are doubled to survive as written.
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"

    def quote_identifier(self, name: str) -> str:
        return "`" + name.replace("`", "``") + "`"

    def regexp_matches(self, expr: str, pattern: str) -> str:
        return f"({expr} RLIKE {self.string_literal(pattern)})"

    def regexp_extract(self, expr: str, pattern: str, group: int = 0) -> str:
        return f"nullif(regexp_extract({expr}, {self.string_literal(pattern)}, {int(group)}), '')"

    def try_ymd_date(self, expr: str, month_style: MonthStyle = "number") -> str:
        month = {"number": "M", "short_name": "MMM", "full_name": "MMMM"}[month_style]
        return f"try_to_date({expr}, 'yyyy-{month}-d')"

    def add_days(self, date_expr: str, days_expr: str) -> str:
        return f"date_add({date_expr}, CAST({days_expr} AS INTEGER))"

    def sorted_distinct_text(self, expr: str) -> str:
        return f"nullif(array_join(array_sort(collect_set({expr})), ', '), '')"


def _java_replacement(replacement: str) -> str:
    """An RE2-style replacement (``\\1`` for a group) in Java's syntax (``$1``)."""
    out, i = [], 0
    while i < len(replacement):
        char = replacement[i]
        if char == "\\" and i + 1 < len(replacement):
            following = replacement[i + 1]
            out.append(f"${following}" if following.isdigit() else "\\" + following)
            i += 2
            continue
        out.append("\\$" if char == "$" else "\\\\" if char == "\\" else char)
        i += 1
    return "".join(out)


# ---------------------------------------------------------------------------------------------
# One Spark session per process, shared by every engine that asks for the same master.
# ---------------------------------------------------------------------------------------------

_DEFAULT_CONF = {
    "spark.sql.catalogImplementation": "in-memory",
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.shuffle.partitions": "4",
    "spark.driver.memory": "2g",
    "spark.driver.host": "127.0.0.1",
    "spark.driver.bindAddress": "127.0.0.1",
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.ansi.enabled": "true",
    "spark.sql.parquet.outputTimestampType": "TIMESTAMP_MICROS",
    "spark.hadoop.mapreduce.fileoutputcommitter.marksuccessfuljobs": "false",
    "spark.hadoop.parquet.enable.summary-metadata": "false",
}


@dataclass
class _Shared:
    master: str
    session: "SparkSession"
    scratch: Path
    users: int = 0
    catalog_owner: int | None = None
    registered: set[str] = field(default_factory=set)

    @property
    def alive(self) -> bool:
        """False once someone stopped the session (``SparkSession.stop()`` elsewhere in the process)."""
        return getattr(self.session.sparkContext, "_jsc", None) is not None


def _similarity_jar() -> str:
    """Splink's string-similarity UDFs (jaro_winkler, damerau_levenshtein), shipped inside splink: no download."""
    from splink.backends.spark import similarity_jar_location

    return similarity_jar_location()


_lock = threading.RLock()
_shared: dict[str, _Shared] = {}


def _acquire(master: str, conf: dict[str, str]) -> _Shared:
    with _lock:
        if master in _shared and not _shared[master].alive:
            stale = _shared.pop(master)
            shutil.rmtree(stale.scratch, ignore_errors=True)
        if master not in _shared:
            if _shared:
                other = next(iter(_shared))
                raise EngineError(
                    f"a Spark session on `{other}` is already running in this process, so one on `{master}` "
                    "cannot start: close the engines using it first, or use the same master"
                )
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", FutureWarning)  # pyspark's note about pandas 3
                from pyspark.sql import SparkSession

            # Spark's own warehouse dir (empty databases) goes to a scratch folder, not the cwd.
            scratch = Path(tempfile.mkdtemp(prefix="oda-spark-"))
            if master.startswith("local"):
                # Python run on executors (mapInArrow, UDFs) must use this interpreter, the one with oda
                # installed, not whatever `python3` is first on the PATH (PySpark's default).
                os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
            builder = SparkSession.builder.master(master).appName("oda")
            defaults = {**_DEFAULT_CONF, "spark.sql.warehouse.dir": str(scratch / "catalog"),
                        "spark.jars": _similarity_jar()}
            for key, value in {**defaults, **conf}.items():
                builder = builder.config(key, value)
            session = builder.getOrCreate()
            session.sparkContext.setLogLevel("ERROR")
            if master.startswith("local"):
                # Also when getOrCreate returned a context made before the variable was set.
                session.sparkContext.pythonExec = os.environ["PYSPARK_PYTHON"]
            for layer in LAYERS:
                # An explicit location, in case getOrCreate returned a session someone else configured.
                session.sql(f"CREATE DATABASE IF NOT EXISTS {layer} LOCATION '{scratch / 'catalog' / layer}'")
            _shared[master] = _Shared(master, session, scratch)
        shared = _shared[master]
        shared.users += 1
        return shared


def _release(shared: _Shared) -> None:
    with _lock:
        shared.users -= 1
        if shared.users > 0:
            return
        if _shared.get(shared.master) is shared:
            del _shared[shared.master]
        if shared.alive:
            shared.session.stop()
        shutil.rmtree(shared.scratch, ignore_errors=True)


def _spark_safe(schema: pa.Schema) -> pa.Schema:
    """The schema Spark can read back from Parquet: no null-typed, dictionary or view columns."""

    def safe(data_type: pa.DataType) -> pa.DataType:
        if pa.types.is_null(data_type) or pa.types.is_large_string(data_type) or pa.types.is_string_view(data_type):
            return pa.string()
        if pa.types.is_large_binary(data_type) or pa.types.is_binary_view(data_type):
            return pa.binary()
        if pa.types.is_dictionary(data_type):
            return safe(data_type.value_type)
        return data_type

    return pa.schema([field.with_type(safe(field.type)) for field in schema], metadata=None)


def _batches(data: pa.Table | pa.RecordBatchReader) -> Iterator[pa.RecordBatch]:
    if isinstance(data, pa.Table):
        yield from data.to_batches(max_chunksize=_ROWS_PER_FILE)
    else:
        yield from data


def _conform(batch: pa.RecordBatch, schema: pa.Schema, dataset: str) -> pa.RecordBatch:
    """``batch`` with ``schema``'s columns in order (missing ones NULL), as an append needs."""
    names = set(schema.names)
    extra = [name for name in batch.schema.names if name not in names]
    if extra:
        raise EngineError(
            f"cannot append to `{dataset}`: it has no column(s) {', '.join(extra)}. "
            "Write with mode='replace' to change its columns"
        )
    columns = []
    for field in schema:
        if field.name in batch.schema.names:
            columns.append(batch.column(field.name).cast(field.type))
        else:
            columns.append(pa.nulls(batch.num_rows, field.type))
    return pa.RecordBatch.from_arrays(columns, schema=schema)


def _write_parquet(folder: Path, schema: pa.Schema, batches: Iterator[pa.RecordBatch], *, empty_file: bool) -> int:
    """Write ``batches`` as Parquet files in ``folder``: row groups of a useful size, files of at most
    :data:`_ROWS_PER_FILE` rows. ``empty_file`` writes one file even when there are no rows, so that
    the dataset keeps its columns. Returns the number of rows written."""
    writer: pq.ParquetWriter | None = None
    in_file = written = pending_rows = 0
    pending: list[pa.RecordBatch] = []

    def flush() -> None:
        nonlocal writer, in_file, pending_rows
        if writer is None:
            writer = pq.ParquetWriter(folder / f"part-{uuid.uuid4().hex}.parquet", schema, compression="snappy",
                                      coerce_timestamps="us", allow_truncated_timestamps=True)
        if pending:
            writer.write_table(pa.Table.from_batches(pending, schema))
            in_file += pending_rows
            pending.clear()
            pending_rows = 0
        if in_file >= _ROWS_PER_FILE:
            writer.close()
            writer, in_file = None, 0

    try:
        for batch in batches:
            pending.append(batch)
            pending_rows += batch.num_rows
            written += batch.num_rows
            if pending_rows >= _ROWS_PER_GROUP:
                flush()
        if pending or (empty_file and written == 0):
            flush()
    finally:
        if writer is not None:
            writer.close()
    return written


def _parquet_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.parquet") if not p.name.startswith((".", "_")))


class SparkEngine(Engine):
    """Datasets as Parquet folders under ``warehouse``, queried with Spark SQL.

    >>> engine = SparkEngine(Path(".oda/spark"))              # doctest: +SKIP
    >>> engine.write("raw.council_tax", arrow_table)          # doctest: +SKIP
    >>> engine.query("SELECT count(*) AS n FROM raw.council_tax")  # doctest: +SKIP

    ``conf`` adds Spark settings (``spark.executor.memory="4g"``); settings that only apply when
    the JVM starts take effect for the first engine of a process.
    """

    kind = "spark"

    def __init__(self, warehouse: str | Path, master: str = "local[2]", **conf: Any):
        self.dialect = SparkDialect()
        self.warehouse = Path(warehouse).resolve()
        self.master = master
        self.warehouse.mkdir(parents=True, exist_ok=True)
        self._recover()
        self._conf = {k: str(v) for k, v in conf.items()}
        self._staged: dict[str, Path | None] | None = None
        self._tx_dir: Path | None = None
        self._closed = False
        self._connect()

    def _connect(self) -> None:
        self._shared = _acquire(self.master, self._conf)
        # Runtime settings are per engine: each engine has its own session on the shared context.
        self.session = self._shared.session.newSession()
        for key, value in self._conf.items():
            if self.session.conf.isModifiable(key):
                self.session.conf.set(key, value)
        self._sync_catalog()

    # -- where datasets live ---------------------------------------------------------------
    def _live(self, dataset: str) -> Path:
        layer, table = split_dataset(dataset)
        return self.warehouse / layer / table

    def _location(self, dataset: str) -> Path | None:
        """The folder ``dataset`` is read from now (its staged version inside a transaction)."""
        if self._staged is not None and dataset in self._staged:
            return self._staged[dataset]
        live = self._live(dataset)
        return live if live.is_dir() and _parquet_files(live) else None

    def _new_staging(self, dataset: str) -> Path:
        root = self._tx_dir or self.warehouse / _STAGING / _owned_name()
        layer, table = split_dataset(dataset)
        folder = root / layer / f"{table}-{uuid.uuid4().hex[:8]}"
        folder.mkdir(parents=True)
        return folder

    # -- the catalog index -----------------------------------------------------------------
    def _sync_catalog(self) -> None:
        """Make the shared catalog show this engine's datasets (another engine may have used it)."""
        if self._shared.catalog_owner == id(self):
            return
        with _lock:
            for dataset in sorted(self._shared.registered):
                self.session.sql(f"DROP TABLE IF EXISTS {dataset}")
            self._shared.registered.clear()
            for dataset in self.datasets():
                self._register(dataset)
            self._shared.catalog_owner = id(self)

    def _register(self, dataset: str) -> None:
        self._unregister(dataset)
        location = self._location(dataset)
        if location is not None:
            self.session.sql(
                f"CREATE TABLE {dataset} USING parquet LOCATION {self.dialect.string_literal(str(location))}"
            )
            self._shared.registered.add(dataset)

    def _unregister(self, dataset: str) -> None:
        self.session.sql(f"DROP TABLE IF EXISTS {dataset}")
        self._shared.registered.discard(dataset)

    def _ready(self) -> None:
        if self._closed:
            raise EngineError(f"the Spark engine on {self.warehouse} is closed: open a new one")
        if not self._shared.alive:
            _release(self._shared)
            self._connect()
        self._sync_catalog()

    # -- publishing --------------------------------------------------------------------------
    def _publish(self, changes: dict[str, Path | None]) -> None:
        """Swap staged folders in for the live ones (``None`` drops the dataset)."""
        journal = self.warehouse / _JOURNAL / f"{_owned_name()}.json"
        journal.parent.mkdir(exist_ok=True)
        entries = {name: str(path) if path else None for name, path in changes.items()}
        journal.write_text(json.dumps(entries))
        self._apply_journal(entries)
        journal.unlink()

    def _apply_journal(self, entries: dict[str, str | None]) -> None:
        for dataset, staged in entries.items():
            live = self._live(dataset)
            if staged is not None and not Path(staged).is_dir():
                continue  # already swapped in before an interruption
            if live.exists():
                trash = live.with_name(f".{live.name}.old-{uuid.uuid4().hex[:8]}")
                os.replace(live, trash)
                shutil.rmtree(trash, ignore_errors=True)
            if staged is not None:
                live.parent.mkdir(parents=True, exist_ok=True)
                os.replace(staged, live)

    def _recover(self) -> None:
        """Finish the commits and discard the staging of processes that died (not of live ones:
        another process may be writing to this warehouse now)."""
        for journal in sorted((self.warehouse / _JOURNAL).glob("*.json")):
            if not _owner_alive(journal.stem):
                self._apply_journal(json.loads(journal.read_text()))
                journal.unlink()
        staging = self.warehouse / _STAGING
        if staging.is_dir():
            for folder in staging.iterdir():
                if not _owner_alive(folder.name):
                    shutil.rmtree(folder, ignore_errors=True)
            if not any(staging.iterdir()):
                staging.rmdir()
        for trash in self.warehouse.glob("*/.*.old-*"):
            shutil.rmtree(trash, ignore_errors=True)

    def _store(self, dataset: str, staged: Path) -> None:
        """Make ``staged`` the current version of ``dataset`` (now, or at commit)."""
        if self._staged is not None:
            previous = self._staged.get(dataset)
            if previous is not None and previous != staged:
                shutil.rmtree(previous, ignore_errors=True)
            self._staged[dataset] = staged
        else:
            self._publish({dataset: staged})
            shutil.rmtree(staged.parent.parent, ignore_errors=True)
        self._register(dataset)

    # -- writing ---------------------------------------------------------------------------
    def write(self, dataset: str, data: pa.Table | pa.RecordBatchReader, *, mode: WriteMode = "replace") -> int:
        split_dataset(dataset)
        self._ready()
        current = self._location(dataset)
        appending = mode == "append" and current is not None
        staged = self._new_staging(dataset)
        target_schema: pa.Schema | None = None
        if appending:
            files = _parquet_files(current)
            target_schema = _spark_safe(pq.read_schema(files[0]))
            for file in files:
                _link_or_copy(file, staged / file.name)
        schema = target_schema or _spark_safe(data.schema)
        batches = (_conform(b, schema, dataset) if appending else b.cast(schema) for b in _batches(data))
        try:
            written = _write_parquet(staged, schema, batches, empty_file=not appending)
        except BaseException:
            shutil.rmtree(staged, ignore_errors=True)
            raise
        self._store(dataset, staged)
        return written

    def create_as(self, dataset: str, query: str) -> int:
        split_dataset(dataset)
        self._ready()
        staged = self._new_staging(dataset)
        try:
            self.session.sql(query).write.mode("overwrite").parquet(str(staged))
        except BaseException:
            shutil.rmtree(staged, ignore_errors=True)
            raise
        self._store(dataset, staged)
        return self.count(dataset)

    def drop(self, dataset: str) -> None:
        split_dataset(dataset)
        self._ready()
        if self._staged is not None:
            previous = self._staged.get(dataset)
            if previous is not None:
                shutil.rmtree(previous, ignore_errors=True)
            self._staged[dataset] = None
        elif self._live(dataset).exists():
            self._publish({dataset: None})
        self._unregister(dataset)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Writes and drops inside land together at the end, or not at all.

        Queries inside see the new versions. Statements run with :meth:`execute` are not covered.
        """
        if self._staged is not None:
            yield
            return
        self._ready()
        self._staged = {}
        self._tx_dir = self.warehouse / _STAGING / _owned_name()
        try:
            yield
        except BaseException:
            changed = list(self._staged)
            self._staged = None
            shutil.rmtree(self._tx_dir, ignore_errors=True)
            for dataset in changed:
                self._register(dataset)
            raise
        else:
            changes = self._staged
            self._staged = None
            self._publish(changes)
            for dataset in changes:
                self._register(dataset)
            shutil.rmtree(self._tx_dir, ignore_errors=True)
        finally:
            self._staged = None
            self._tx_dir = None

    # -- reading ---------------------------------------------------------------------------
    def query(self, sql: str) -> pa.Table:
        self._ready()
        frame = self.session.sql(sql)
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", "PySpark does not yet fully support pandas", FutureWarning)
            return frame.toArrow()

    def execute(self, sql: str) -> None:
        self._ready()
        self.session.sql(sql)

    def read(self, dataset: str, columns: list[str] | None = None) -> pa.Table:
        split_dataset(dataset)
        if not self.exists(dataset):
            raise EngineError(f"dataset `{dataset}` does not exist yet: run the stage that writes it first")
        selected = ", ".join(self.dialect.quote_identifier(c) for c in columns) if columns else "*"
        return self.query(f"SELECT {selected} FROM {dataset}")

    def exists(self, dataset: str) -> bool:
        split_dataset(dataset)
        return self._location(dataset) is not None

    def count(self, dataset: str) -> int:
        split_dataset(dataset)
        if not self.exists(dataset):
            raise EngineError(f"dataset `{dataset}` does not exist yet: run the stage that writes it first")
        return int(self.query(f"SELECT count(*) AS n FROM {dataset}").column("n")[0].as_py())

    def datasets(self, layer: str | None = None) -> list[str]:
        found: set[str] = set()
        for name in [layer] if layer else LAYERS:
            folder = self.warehouse / name
            if folder.is_dir():
                found.update(f"{name}.{table.name}" for table in folder.iterdir()
                             if table.is_dir() and not table.name.startswith("."))
        if self._staged is not None:
            found.update(d for d in self._staged if layer is None or d.startswith(f"{layer}."))
        return sorted(d for d in found if self._location(d) is not None)

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        if self._shared.catalog_owner == id(self):
            self._shared.catalog_owner = None
        _release(self._shared)


def _owned_name() -> str:
    """A unique name for staging or a journal that says which process owns it."""
    return f"{os.getpid()}-{uuid.uuid4().hex}"


def _owner_alive(name: str) -> bool:
    """Whether the process that named ``name`` with :func:`_owned_name` is still running."""
    pid = name.split("-", 1)[0]
    if not pid.isdigit():
        return False
    if int(pid) == os.getpid():
        return True  # another engine in this process may be writing
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _link_or_copy(source: Path, target: Path) -> None:
    """Parquet files are never modified in place, so a hard link is as good as a copy."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)
