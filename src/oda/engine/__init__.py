"""The engine interface and its two implementations (DuckDB by default, Spark for scale)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from oda.engine.base import Dialect, Engine, split_dataset

if TYPE_CHECKING:
    from oda.project.load import LoadedProject

__all__ = ["Dialect", "Engine", "open_engine", "split_dataset"]


def open_engine(project: "LoadedProject") -> Engine:
    """The engine a project declares in ``[engine]``, holding that project's datasets."""
    settings = project.config.engine
    if settings.kind == "spark":
        from oda.engine.spark_engine import SparkEngine

        return SparkEngine(
            warehouse=project.resolve(settings.spark_warehouse),
            master=settings.spark_master,
        )
    from oda.engine.duckdb_engine import DuckDBEngine

    return DuckDBEngine(project.resolve(settings.database), memory_limit=settings.memory_limit,
                        threads=settings.threads)
