"""Engines for tests: a real DuckDB file and a real local Spark session, behind the same fixtures.

``engine`` runs a test once per engine; the Spark run is marked ``spark`` (deselect with
``-m "not spark"``). One Spark session serves the whole test run: ``spark_keepalive`` holds it open
so that closing a test's engine does not stop it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pyarrow as pa
import pytest

from oda.engine.base import Engine
from oda.engine.duckdb_engine import DuckDBEngine

ENGINE_KINDS = [pytest.param("duckdb", id="duckdb"), pytest.param("spark", id="spark", marks=pytest.mark.spark)]


@pytest.fixture(scope="session")
def spark_keepalive(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    pytest.importorskip("pyspark")
    from oda.engine.spark_engine import SparkEngine

    keeper = SparkEngine(tmp_path_factory.mktemp("spark-keepalive"))
    yield keeper
    keeper.close()


def open_test_engine(kind: str, folder: Path, request: pytest.FixtureRequest) -> Engine:
    """A fresh engine of ``kind`` storing its datasets under ``folder``."""
    if kind == "duckdb":
        return DuckDBEngine(folder / "oda.duckdb")
    request.getfixturevalue("spark_keepalive")
    from oda.engine.spark_engine import SparkEngine

    return SparkEngine(folder / "spark")


@pytest.fixture(params=ENGINE_KINDS)
def engine_kind(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def engine(engine_kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Engine]:
    opened = open_test_engine(engine_kind, tmp_path, request)
    yield opened
    opened.close()


@pytest.fixture
def both_engines(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[tuple[Engine, Engine]]:
    """A DuckDB and a Spark engine side by side, to compare their answers (mark the test ``spark``)."""
    duck = open_test_engine("duckdb", tmp_path / "duck", request)
    spark = open_test_engine("spark", tmp_path / "spark", request)
    yield duck, spark
    duck.close()
    spark.close()


def evaluate(engine: Engine, inputs: list[str | None], **expressions: str) -> list[dict]:
    """Each SQL expression (over column ``x``) on each input, in input order.

    >>> evaluate(engine, ["a", None], upper="upper(x)")  # doctest: +SKIP
    [{'x': 'a', 'upper': 'A'}, {'x': None, 'upper': None}]
    """
    engine.write("raw.cases", pa.table({"i": list(range(len(inputs))), "x": pa.array(inputs, pa.string())}))
    selected = ", ".join(f"{expr} AS {name}" for name, expr in expressions.items())
    rows = engine.query(f"SELECT i, x, {selected} FROM raw.cases ORDER BY i").to_pylist()
    return [{k: v for k, v in row.items() if k != "i"} for row in rows]
