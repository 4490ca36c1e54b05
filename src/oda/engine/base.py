"""The one small interface every stage goes through, whichever engine runs it.

Stages read named datasets and write named datasets. A dataset's name carries its layer —
``raw.council_tax``, ``stg.addresses``, ``link.address_matches`` — and the same name is used in SQL
on both engines (a DuckDB schema, a Spark database). Stage code never asks which engine it is on:
where the SQL dialects differ, it asks ``engine.dialect`` for the expression.

Data crosses the boundary as Apache Arrow (tables or record-batch readers for streams).
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from contextlib import contextmanager
from typing import Iterator, Literal

import pyarrow as pa

from oda.errors import EngineError

LAYERS = ("raw", "quarantine", "stg", "link", "feat", "score", "out", "meta")
_DATASET = re.compile(r"^(?P<layer>[a-z]+)\.(?P<table>[a-z][a-z0-9_]*)$")

WriteMode = Literal["replace", "append"]


def split_dataset(name: str) -> tuple[str, str]:
    """``"raw.council_tax"`` → ``("raw", "council_tax")``, refusing names outside the layers."""
    match = _DATASET.match(name)
    if not match or match["layer"] not in LAYERS:
        raise EngineError(
            f"dataset name `{name}` is not `<layer>.<table>` with a layer in {', '.join(LAYERS)} "
            "and a lower_snake_case table name"
        )
    return match["layer"], match["table"]


class Dialect(ABC):
    """SQL expressions that differ between engines. Each returns a SQL fragment."""

    name: str

    @abstractmethod
    def try_parse_date(self, expr: str, strftime_format: str) -> str:
        """``expr`` (text) parsed with a strftime-style format, NULL when it does not parse."""

    @abstractmethod
    def regexp_replace_all(self, expr: str, pattern: str, replacement: str) -> str:
        """Replace every match of a (Java/RE2-compatible) regex."""

    @abstractmethod
    def string_literal(self, value: str) -> str:
        """A quoted SQL string literal."""


class Engine(ABC):
    """An analytical engine holding a project's datasets."""

    kind: str
    dialect: Dialect

    # -- writing ---------------------------------------------------------------------------
    @abstractmethod
    def write(self, dataset: str, data: pa.Table | pa.RecordBatchReader, *, mode: WriteMode = "replace") -> int:
        """Store Arrow data as ``dataset``; return the number of rows written."""

    @abstractmethod
    def create_as(self, dataset: str, query: str) -> int:
        """``CREATE OR REPLACE`` ``dataset`` from a SQL query; return its row count."""

    @abstractmethod
    def drop(self, dataset: str) -> None:
        """Remove ``dataset`` if it exists."""

    @contextmanager
    @abstractmethod
    def transaction(self) -> Iterator[None]:
        """All writes inside either all land or none do (the last good load stays in place)."""

    # -- reading ---------------------------------------------------------------------------
    @abstractmethod
    def query(self, sql: str) -> pa.Table:
        """Run a query and return its result."""

    @abstractmethod
    def execute(self, sql: str) -> None:
        """Run a statement for its effect."""

    @abstractmethod
    def read(self, dataset: str, columns: list[str] | None = None) -> pa.Table:
        """The whole of ``dataset`` (or some of its columns)."""

    @abstractmethod
    def exists(self, dataset: str) -> bool: ...

    @abstractmethod
    def count(self, dataset: str) -> int: ...

    @abstractmethod
    def datasets(self, layer: str | None = None) -> list[str]:
        """Names of stored datasets, optionally of one layer, sorted."""

    @abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> "Engine":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
