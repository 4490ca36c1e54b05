"""Build ``feat.property``: one row per dwelling, every family's columns, as of one date.

Every family counts only records dated on or before the as-of date, so the same call with the same
date gives the same features however much data has arrived since (tests add a record after the date
and check nothing changes). A family whose sources are not loaded yields NULL columns (unknown),
not zeros, and is reported as skipped.

>>> build = build_features(engine, as_of=dt.date(2025, 6, 30))     # doctest: +SKIP
>>> build.rows, build.skipped
(9512, ('planning',))
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from oda.datasets import PROPERTY_FEATURES
from oda.engine.base import Engine
from oda.features.context import FeatureContext
from oda.features.dwellings import DWELLINGS, dwellings_sql
from oda.features.registry import FeatureColumn, family
from oda.errors import FeatureError

if TYPE_CHECKING:
    from oda.project.load import LoadedProject

DEFAULT_FAMILIES = ("electoral", "council_tax", "complaints", "benefits", "epc", "planning", "incidents",
                    "licensing", "property", "neighbourhood")


@dataclass(frozen=True)
class FeatureBuild:
    """What a feature run produced."""

    dataset: str
    as_of: dt.date
    rows: int
    built: tuple[str, ...]
    skipped: tuple[str, ...]
    columns: tuple[FeatureColumn, ...]


def parse_as_of(text: str | dt.date | None) -> dt.date:
    """An ISO date (or today when empty), refusing anything else with a clear message."""
    if isinstance(text, dt.date):
        return text
    if not text:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise FeatureError(f"as-of date `{text}` is not YYYY-MM-DD; set [features] as_of in oda.toml or pass "
                           "--as-of 2025-06-30") from None


def build_features(engine: Engine, *, as_of: dt.date, families: tuple[str, ...] | list[str] = DEFAULT_FAMILIES,
                   gazetteer: str = "gazetteer", date_formats: dict[str, list[str]] | None = None,
                   source_names: dict[str, str] | None = None,
                   dataset: str = PROPERTY_FEATURES.name) -> FeatureBuild:
    """Write ``dataset`` (``feat.property`` by default) and ``feat.dwellings`` as of ``as_of``."""
    chosen = [family(name) for name in dict.fromkeys(families)]
    ctx = FeatureContext(engine, as_of, date_formats=date_formats or {}, source_names=source_names or {})
    engine.create_as(DWELLINGS, dwellings_sql(ctx, gazetteer))
    joins, selects, built, skipped, columns = [], [], [], [], []
    for index, fam in enumerate(chosen):
        sql = fam.build(ctx)
        columns.extend(fam.columns)
        if sql is None:
            skipped.append(fam.name)
            selects += [f"CAST(NULL AS DOUBLE) AS {c.name}" for c in fam.columns]
            continue
        built.append(fam.name)
        alias = f"f{index}"
        joins.append(f"LEFT JOIN ({sql}) {alias} ON {alias}.uprn = d.uprn")
        for column in fam.columns:
            value = f"CAST({alias}.{column.name} AS DOUBLE)"
            if column.kind in ("count", "flag"):
                value = f"coalesce({value}, 0.0)"
            selects.append(f"{value} AS {column.name}")
    names = [c.name for c in columns]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise FeatureError(f"feature column(s) {', '.join(duplicates)} are produced by more than one family; "
                           "rename them in one of the families")
    sql = (f"SELECT d.uprn AS uprn, {ctx.today} AS as_of{''.join(', ' + s for s in selects)} "
           f"FROM {DWELLINGS} d {' '.join(joins)}")
    rows = engine.create_as(dataset, sql)
    return FeatureBuild(dataset, as_of, rows, tuple(built), tuple(skipped), tuple(columns))


def build_project_features(engine: Engine, project: "LoadedProject", *, as_of: str | dt.date | None = None,
                           dataset: str = PROPERTY_FEATURES.name) -> FeatureBuild:
    """:func:`build_features` with the project's families, gazetteer, date formats and source names."""
    settings = project.config.features
    return build_features(
        engine,
        as_of=parse_as_of(as_of if as_of is not None else settings.as_of),
        families=settings.families,
        gazetteer=project.config.link.gazetteer,
        date_formats={name: list(source.date_formats) for name, source in project.config.sources.items()},
        source_names=dict(settings.source_names),
        dataset=dataset,
    )
