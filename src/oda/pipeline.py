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
    needs_charter: bool = False
    """Stages that score or publish; `oda run` skips them, saying why, while the charter has gaps."""


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


def run_link(ctx: StageContext) -> object:
    """Match every address-bearing source's records to gazetteer UPRNs (link.address_matches)."""
    from oda.link.address.stage import run_link_stage
    from oda.store.db import open_store
    from oda.store.reviews import sync_review_decisions

    store = open_store(project_root=ctx.project.root)
    try:
        synced = sync_review_decisions(ctx.engine, store)
    finally:
        store.close()
    if synced:
        ctx.reporter.say(f"  {synced} address review decision(s) from the web app will be applied")
    return run_link_stage(ctx)


def run_resolve(ctx: StageContext) -> object:
    """Resolve people and businesses across sources (link.person_clusters, link.business_clusters) and
    build the single views of properties, people and businesses (out.property_people, ...)."""
    from oda.link.entities.stage import run_resolve_stage

    return run_resolve_stage(ctx)


def run_score(ctx: StageContext) -> object:
    """Build feat.property and score every dwelling (score.property); refuses while the charter has gaps."""
    from oda.score.stage import score_project
    from oda.store.outcomes import project_outcomes

    ctx.project.require_charter("score")
    result = score_project(ctx.engine, ctx.project, outcomes=project_outcomes(ctx.project.root), run=ctx.run)
    ctx.reporter.say(f"  score.property: {result.rows:,} dwellings scored by `{result.method}` "
                     f"(model {result.model_version})")
    return result


def run_worklist(ctx: StageContext) -> object:
    """Publish the ranked worklist with its random exploration slice (out.worklist)."""
    from oda.act.worklist import publish_project_worklist

    ctx.project.require_charter("publish a worklist")
    with ctx.run.step("worklist", "out.worklist") as step:
        worklist = publish_project_worklist(ctx.engine, ctx.project)
        step.rows = worklist.capacity
    ctx.reporter.say(f"  out.worklist {worklist.worklist_id}: {worklist.capacity} of {worklist.eligible:,} eligible "
                     f"({worklist.exploration} drawn at random for measurement)")
    return worklist


STAGES: list[Stage] = [
    Stage("ingest", "read extracts into raw.* (rows that fail checks into quarantine.*)", run_ingest),
    Stage("standardise", "parse addresses, names, dates and identifiers into stg.*", run_standardise),
    Stage("link", "match every record's address to a property (UPRN)", run_link),
    Stage("resolve", "the same person and business across sources, and their single views", run_resolve),
    Stage("score", "features per dwelling, rule baseline and learned model, with reasons", run_score,
          needs_charter=True),
    Stage("worklist", "ranked worklist with a random exploration slice", run_worklist, needs_charter=True),
]


def run_pipeline(ctx: StageContext, stages: list[Stage] | None = None) -> dict[str, object]:
    """Run ``stages`` (default: all) in order; the first failure stops the run and propagates.

    Stages that score or publish are skipped, with the charter's gaps named, while it is incomplete:
    ingest and linkage may run while a project is being set up, scoring may not.
    """
    results: dict[str, object] = {}
    gaps = ctx.project.config.charter.missing()
    for stage in stages or STAGES:
        if stage.needs_charter and gaps:
            ctx.reporter.say(f"▸ {stage.name}: skipped — the charter is incomplete ({', '.join(gaps)}); "
                             f"fill in [charter] in {ctx.project.path} to score and publish")
            continue
        ctx.reporter.say(f"▸ {stage.name}: {stage.description}")
        results[stage.name] = stage.run(ctx)
    return results
