"""DuckDB: the default engine. Embedded, one database file per project, nothing to start."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import duckdb
import pyarrow as pa

from oda.engine.base import LAYERS, Dialect, Engine, MonthStyle, WriteMode, split_dataset
from oda.errors import EngineError


class DuckDBDialect(Dialect):
    name = "duckdb"

    def regexp_replace_all(self, expr: str, pattern: str, replacement: str) -> str:
        return f"regexp_replace({expr}, {self.string_literal(pattern)}, {self.string_literal(replacement)}, 'g')"

    def string_literal(self, value: str) -> str:
        return "'" + value.replace("'", "''") + "'"

    def quote_identifier(self, name: str) -> str:
        return '"' + name.replace('"', '""') + '"'

    def regexp_matches(self, expr: str, pattern: str) -> str:
        return f"regexp_matches({expr}, {self.string_literal(pattern)})"

    def regexp_extract(self, expr: str, pattern: str, group: int = 0) -> str:
        return f"nullif(regexp_extract({expr}, {self.string_literal(pattern)}, {int(group)}), '')"

    def try_ymd_date(self, expr: str, month_style: MonthStyle = "number") -> str:
        month = {"number": "%m", "short_name": "%b", "full_name": "%B"}[month_style]
        return f"CAST(try_strptime({expr}, '%Y-{month}-%d') AS DATE)"

    def add_days(self, date_expr: str, days_expr: str) -> str:
        return f"CAST({date_expr} + CAST({days_expr} AS INTEGER) AS DATE)"

    def sorted_distinct_text(self, expr: str) -> str:
        return f"string_agg(DISTINCT {expr}, ', ' ORDER BY {expr})"


class DuckDBEngine(Engine):
    """Datasets live as tables in schemas named after their layer, in one DuckDB file.

    ``path=None`` gives an in-memory database (for notebooks and quick experiments).
    """

    kind = "duckdb"

    def __init__(self, path: str | Path | None = None, *, memory_limit: str = "", threads: int = 0):
        self.dialect = DuckDBDialect()
        self.path = Path(path) if path else None
        if self.path:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        # No extension downloads: councils are offline.
        config: dict[str, str | int] = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}
        if memory_limit:
            config["memory_limit"] = memory_limit
        if threads:
            config["threads"] = threads
        try:
            self.connection = duckdb.connect(str(self.path) if self.path else ":memory:", config=config)
        except duckdb.IOException as exc:
            raise EngineError(
                f"cannot open the project database {self.path}: {exc}. Another oda process may hold it; "
                "stop it (or `oda serve`) and try again"
            ) from None
        self._run("SET enable_progress_bar = false")  # DuckDB's bar would draw over oda's own output
        for layer in LAYERS:
            self._run(f"CREATE SCHEMA IF NOT EXISTS {layer}")
        self._in_transaction = False

    def _run(self, sql: str, parameters: list | None = None) -> None:
        """Execute a statement to completion (DuckDB 2 keeps a pending result until it is consumed)."""
        self.connection.execute(sql, parameters).complete()

    def _rows(self, sql: str, parameters: list | None = None) -> list[tuple]:
        return self.connection.execute(sql, parameters).fetchall()

    # -- writing ---------------------------------------------------------------------------
    def write(self, dataset: str, data: pa.Table | pa.RecordBatchReader, *, mode: WriteMode = "replace") -> int:
        split_dataset(dataset)
        view = f"_oda_incoming_{id(data)}"
        self.connection.register(view, data)
        try:
            if mode == "append" and self.exists(dataset):
                before = self.count(dataset)
                self._run(f"INSERT INTO {dataset} BY NAME SELECT * FROM {view}")
                return self.count(dataset) - before
            self._run(f"CREATE OR REPLACE TABLE {dataset} AS SELECT * FROM {view}")
        finally:
            self.connection.unregister(view)
        return self.count(dataset)

    def create_as(self, dataset: str, query: str) -> int:
        split_dataset(dataset)
        self._run(f"CREATE OR REPLACE TABLE {dataset} AS {query}")
        return self.count(dataset)

    def drop(self, dataset: str) -> None:
        split_dataset(dataset)
        self._run(f"DROP TABLE IF EXISTS {dataset}")

    @contextmanager
    def transaction(self) -> Iterator[None]:
        if self._in_transaction:
            yield
            return
        self._run("BEGIN TRANSACTION")
        self._in_transaction = True
        try:
            yield
        except BaseException:
            self._run("ROLLBACK")
            raise
        else:
            self._run("COMMIT")
        finally:
            self._in_transaction = False

    # -- reading ---------------------------------------------------------------------------
    def query(self, sql: str) -> pa.Table:
        return self.connection.sql(sql).to_arrow_table()

    def execute(self, sql: str) -> None:
        self._run(sql)

    def read(self, dataset: str, columns: list[str] | None = None) -> pa.Table:
        split_dataset(dataset)
        if not self.exists(dataset):
            raise EngineError(f"dataset `{dataset}` does not exist yet: run the stage that writes it first")
        selected = ", ".join(f'"{c}"' for c in columns) if columns else "*"
        return self.query(f"SELECT {selected} FROM {dataset}")

    def exists(self, dataset: str) -> bool:
        layer, table = split_dataset(dataset)
        rows = self._rows(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = ?",
            [layer, table],
        )
        return bool(rows[0][0])

    def count(self, dataset: str) -> int:
        split_dataset(dataset)
        return int(self._rows(f"SELECT count(*) FROM {dataset}")[0][0])

    def datasets(self, layer: str | None = None) -> list[str]:
        rows = self._rows(
            "SELECT table_schema || '.' || table_name FROM information_schema.tables "
            "WHERE table_schema IN (SELECT unnest(?)) ORDER BY 1",
            [[layer] if layer else list(LAYERS)],
        )
        return [r[0] for r in rows]

    def close(self) -> None:
        self.connection.close()
