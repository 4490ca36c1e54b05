"""The stages of `oda run`, in data-flow order.

``STAGES`` is the single ordered list; a new stage adds one :class:`Stage` entry here, in its place
(link after standardise, features after link, ...). Each stage is a callable taking the
:class:`StageContext` and doing its work through ``ctx.engine``, recording its steps on ``ctx.run``.

>>> [stage.name for stage in STAGES][:2]
['ingest', 'standardise']
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from oda.engine.base import Engine
from oda.ingest.load import ingest, standardiser
from oda.ingest.progress import Reporter
from oda.ingest.reconcile import reconciliation_table
from oda.ingest.state import current_loads, mark_standardised
from oda.project.load import LoadedProject
from oda.runs import RunRecorder


@dataclass(frozen=True)
class StageContext:
    """What every stage is given: the project, its engine, the run being recorded, and options."""

    project: LoadedProject
    engine: Engine
    run: RunRecorder
    reporter: Reporter = field(default_factory=lambda: Reporter(quiet=True))
    force: bool = False
    sources: list[str] | None = None


@dataclass(frozen=True)
class Stage:
    name: str
    description: str
    run: Callable[[StageContext], object]


def run_ingest(ctx: StageContext) -> object:
    """Load every (changed) source into raw.*, quarantine.* and, in the same transaction, stg.*."""
    report = ingest(ctx.engine, ctx.project, ctx.run, sources=ctx.sources, force=ctx.force, reporter=ctx.reporter)
    if report.results:
        ctx.reporter.show(reconciliation_table(report.results))
    report.raise_for_failures()
    return report


def run_standardise(ctx: StageContext) -> list[str]:
    """Standardise sources whose raw load has no matching stg.* yet (loaded before standardisation existed)."""
    standardise = standardiser()
    if standardise is None:
        return []
    done = []
    loads = current_loads(ctx.engine)
    for name, source in ctx.project.config.sources.items():
        if ctx.sources and name not in ctx.sources:
            continue
        state = loads.get(name)
        if state is None or (state.standardised and ctx.engine.exists(f"stg.{name}")):
            continue
        with ctx.engine.transaction(), ctx.run.step("standardise", f"stg.{name}") as step:
            standardise(ctx.engine, name, source)
            step.rows = ctx.engine.count(f"stg.{name}") if ctx.engine.exists(f"stg.{name}") else None
            mark_standardised(ctx.engine, name)
        done.append(name)
    return done


STAGES: list[Stage] = [
    Stage("ingest", "read extracts into raw.* (rows that fail checks into quarantine.*)", run_ingest),
    Stage("standardise", "parse addresses, names, dates and identifiers into stg.*", run_standardise),
]


def run_pipeline(ctx: StageContext, stages: list[Stage] | None = None) -> dict[str, object]:
    """Run ``stages`` (default: all) in order; the first failure stops the run and propagates."""
    results: dict[str, object] = {}
    for stage in stages or STAGES:
        ctx.reporter.say(f"▸ {stage.name}: {stage.description}")
        results[stage.name] = stage.run(ctx)
    return results
