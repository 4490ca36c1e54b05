"""The app's long-lived, read-only connection to the serving snapshot the pipeline publishes with a worklist.

Why a snapshot and not the project's DuckDB file: DuckDB lets a file be opened by one writer or many
readers, never both, so a connection the app kept open on the project's file would stop every pipeline
command (see :mod:`oda.act.property_records`). The snapshot is replaced by an atomic rename, which
leaves this connection on the old file until :meth:`ServingSnapshot.refresh` sees the path change and
opens the new one; queries already running finish on the old file, which is closed after them.

Each query runs on its own cursor (a DuckDB connection is not safe to share between threads; its
cursors are, and they share one database instance, so its cache of blocks and indexes survives).
"""

from __future__ import annotations

import os
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

import duckdb

DUCKDB_CONFIG = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}
ALIAS = "snapshot"


def file_identity(path: Path) -> tuple[int, int, int] | None:
    """What changes when the file at ``path`` is replaced or rewritten: inode, time and size."""
    try:
        stat = os.stat(path)
    except FileNotFoundError:
        return None
    return stat.st_ino, stat.st_mtime_ns, stat.st_size


@dataclass
class _Opened:
    connection: duckdb.DuckDBPyConnection
    identity: tuple[int, int, int]
    tables: dict[str, tuple[str, ...]]
    users: int = 0
    retired: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)


class ServingSnapshot:
    """Read-only queries on ``path`` (``<project>.serving.duckdb``), or nothing when it does not exist."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._lock = threading.Lock()
        self._opened: _Opened | None = None

    def identity(self) -> tuple[int, int, int] | None:
        return file_identity(self.path)

    def refresh(self) -> None:
        """Open the file now at the path if it is not the one open (cheap when nothing changed)."""
        identity = self.identity()
        with self._lock:
            current = self._opened
            if current is not None and current.identity == identity:
                return
            self._opened = self._open(identity) if identity else None
        if current is not None:
            self._retire(current)

    def tables(self) -> dict[str, tuple[str, ...]]:
        """The snapshot's tables and their columns (empty without a snapshot)."""
        opened = self._current()
        return opened.tables if opened else {}

    def has(self, table: str, columns: tuple[str, ...] = ()) -> bool:
        """Whether the snapshot holds ``table`` (with these columns)."""
        held = self.tables().get(table)
        return held is not None and set(columns) <= set(held)

    @staticmethod
    def table(name: str) -> str:
        """A snapshot table's name as queries must write it."""
        return f"{ALIAS}.main.{name}"

    def rows(self, sql: str, parameters: list | None = None) -> list[dict[str, Any]]:
        with self._use() as opened:
            if opened is None:
                return []
            cursor = opened.connection.cursor()
            try:
                cursor.execute(sql, parameters or [])
                names = [d[0] for d in cursor.description]
                return [dict(zip(names, row)) for row in cursor.fetchall()]
            finally:
                cursor.close()

    def close(self) -> None:
        with self._lock:
            current, self._opened = self._opened, None
        if current is not None:
            self._retire(current)

    # -- internals ------------------------------------------------------------------------------------

    def _current(self) -> _Opened | None:
        if self._opened is None:
            self.refresh()
        return self._opened

    def _open(self, identity: tuple[int, int, int]) -> _Opened | None:
        # Attached to a private in-memory database rather than opened with duckdb.connect(path): DuckDB
        # caches one database per path in a process, so connecting to the path again while the old file
        # is still open would hand back the old file's data.
        connection = duckdb.connect(":memory:", config=DUCKDB_CONFIG)
        try:
            connection.execute(f"ATTACH '{_quoted(self.path)}' AS {ALIAS} (READ_ONLY)")
        except duckdb.Error:
            connection.close()
            return None  # replaced again while opening, or unreadable: the app reads the project's file
        tables: dict[str, list[str]] = {}
        for table, column in connection.execute(
                "SELECT table_name, column_name FROM duckdb_columns() WHERE database_name = ? "
                "AND schema_name = 'main' ORDER BY table_name, column_index", [ALIAS]).fetchall():
            tables.setdefault(table, []).append(column)
        return _Opened(connection, identity, {t: tuple(c) for t, c in tables.items()})

    @contextmanager
    def _use(self) -> Iterator[_Opened | None]:
        """The open snapshot, counted as in use (so a refresh closes it only after this query)."""
        if self._opened is None:
            self.refresh()
        with self._lock:
            opened = self._opened
            if opened is not None:
                with opened.lock:
                    opened.users += 1
        try:
            yield opened
        finally:
            if opened is not None:
                with opened.lock:
                    opened.users -= 1
                    last = opened.retired and opened.users == 0
                if last:
                    opened.connection.close()

    @staticmethod
    def _retire(opened: _Opened) -> None:
        """Close a replaced snapshot now, or when the last query on it finishes."""
        with opened.lock:
            opened.retired = True
            idle = opened.users == 0
        if idle:
            opened.connection.close()


def _quoted(path: Path) -> str:
    return str(path).replace("'", "''")
