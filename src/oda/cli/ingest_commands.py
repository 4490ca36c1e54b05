"""`oda ingest`, `oda run` and `oda status`.

Exit codes: 0 when everything ran, 1 when a stage failed (the message says which source and why),
2 when the project itself is invalid.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from oda.engine import open_engine
from oda.errors import UsageError
from oda.engine.base import Engine
from oda.ingest.progress import Reporter
from oda.ingest.state import content_hash, current_loads, file_sha256, source_config_hash
from oda.pipeline import STAGES, StageContext, run_ingest, run_pipeline
from oda.project.load import LoadedProject, load_project
from oda.runs import recent_runs, record_run

out = Console(soft_wrap=True)

_PROJECT = typer.Argument(None, help="Project folder or oda.toml (default: here).")


def register(app: typer.Typer) -> None:
    @app.command("ingest")
    def ingest_command(
        project: Optional[Path] = _PROJECT,
        source: Optional[list[str]] = typer.Option(None, "--source", "-s", help="Only this source (repeatable)."),
        force: bool = typer.Option(False, "--force", help="Reload sources even when their file is unchanged."),
        quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bars or tables."),
    ) -> None:
        """Load extracts into raw.*: every row loaded or quarantined.

        Rows that cannot be used go to quarantine.* with the reason; unchanged extracts are skipped.
        """
        loaded = load_project(project)
        with open_engine(loaded) as engine, record_run(engine, loaded, "ingest") as run:
            run_ingest(StageContext(loaded, engine, run, Reporter(quiet=quiet), force=force, sources=source or None))

    @app.command("run", help="Run every stage in order: " + ", ".join(s.name for s in STAGES) + ".")
    def run_command(
        project: Optional[Path] = _PROJECT,
        force: bool = typer.Option(False, "--force", help="Reload sources even when their file is unchanged."),
        quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bars or tables."),
        only: Optional[str] = typer.Option(None, "--only", metavar="STAGE[,STAGE]",
                                           help="Run just these stages (in pipeline order), e.g. --only resolve."),
        start: Optional[str] = typer.Option(None, "--from", metavar="STAGE",
                                            help="Run from this stage to the end, e.g. --from link."),
    ) -> None:
        stages = select_stages(only, start)
        loaded = load_project(project)
        reporter = Reporter(quiet=quiet)
        with open_engine(loaded) as engine, record_run(engine, loaded, "run") as run:
            run_pipeline(StageContext(loaded, engine, run, reporter, force=force), stages)
        reporter.say(f"Run {run.run_id} finished: " + ", ".join(stage.name for stage in stages) + ".")

    @app.command("status")
    def status_command(project: Optional[Path] = _PROJECT) -> None:
        """What has run, rows per dataset, stale sources, match and entity quality, last runs.

        A source is stale when its file or its settings changed since it was last loaded. On a synthetic
        borough (a truth/ folder beside oda.toml) entity quality includes precision and recall against it.
        """
        loaded = load_project(project, check_files=False)
        with open_engine(loaded) as engine:
            out.print(sources_table(loaded, engine))
            if not engine.datasets():
                out.print(f"Nothing has run yet: `oda ingest {project or '.'}` loads the sources.")
                return
            out.print(datasets_table(engine))
            if engine.exists("link.address_matches"):
                from oda.cli.link_commands import quality_table
                from oda.link.address.stage import match_quality

                out.print(quality_table(match_quality(engine)))
            if engine.exists("link.person_clusters") or engine.exists("link.business_clusters"):
                from oda.cli.entity_tables import borough_truth_folder, entity_quality_table
                from oda.link.entities.quality import entity_quality

                truth = borough_truth_folder(loaded.root)
                out.print(entity_quality_table(entity_quality(engine, truth), truth))
            out.print(runs_table(engine))


def select_stages(only: str | None, start: str | None) -> list:
    """The stages `oda run --only/--from` names, in pipeline order; a clear error for an unknown name."""
    names = [stage.name for stage in STAGES]

    def known(name: str) -> str:
        name = name.strip()
        if name not in names:
            raise UsageError(f"there is no stage `{name}`; the stages are {', '.join(names)}")
        return name

    if only and start:
        raise UsageError("give --only or --from, not both")
    if only:
        wanted = {known(name) for name in only.split(",") if name.strip()}
        if not wanted:
            raise UsageError("--only needs at least one stage name, e.g. --only resolve")
        return [stage for stage in STAGES if stage.name in wanted]
    if start:
        return STAGES[names.index(known(start)):]
    return list(STAGES)


def source_state(project: LoadedProject, engine: Engine) -> dict[str, str]:
    """Each source's state: ``current``, ``not loaded``, ``stale: ...`` or why it cannot be told."""
    loads = current_loads(engine)
    states = {}
    for name, source in project.config.sources.items():
        state = loads.get(name)
        if state is None:
            states[name] = "not loaded"
            continue
        if source.path is None:
            states[name] = "loaded (database source: changes are found when `oda ingest` reads it)"
            continue
        path = project.resolve(source.path)
        if not path.is_file():
            states[name] = f"stale: file {path} is missing"
            continue
        sha256 = file_sha256(path)
        config_hash = source_config_hash(source)
        if state.content_hash == content_hash(sha256, config_hash):
            states[name] = "current"
        elif state.sha256 != sha256:
            states[name] = "stale: the file has changed since it was loaded"
        else:
            states[name] = f"stale: [sources.{name}] settings have changed since it was loaded"
    return states


def sources_table(project: LoadedProject, engine: Engine) -> Table:
    loads = current_loads(engine)
    table = Table(title=f"Sources of {project.config.name}")
    for column in ("source", "loaded at", "read", "loaded", "quarantined", "state"):
        table.add_column(column, justify="right" if column in ("read", "loaded", "quarantined") else "left")
    for name, state_text in source_state(project, engine).items():
        load = loads.get(name)
        if load is None:
            table.add_row(name, "—", "", "", "", state_text)
        else:
            table.add_row(name, f"{load.loaded_at:%Y-%m-%d %H:%M}", f"{load.rows_read:,}", f"{load.rows_loaded:,}",
                          f"{load.rows_quarantined:,}", state_text)
    return table


def datasets_table(engine: Engine) -> Table:
    table = Table(title="Datasets")
    table.add_column("dataset")
    table.add_column("rows", justify="right")
    for dataset in engine.datasets():
        table.add_row(dataset, f"{engine.count(dataset):,}")
    return table


def runs_table(engine: Engine, limit: int = 10) -> Table:
    table = Table(title=f"Last {limit} runs")
    for column in ("run", "command", "started", "seconds", "status"):
        table.add_column(column)
    for run in recent_runs(engine, limit).to_pylist():
        seconds = (run["ended_at"] - run["started_at"]).total_seconds()
        status = run["status"] if not run["error"] else f"{run['status']}: {run['error'][:120]}"
        table.add_row(run["run_id"], run["command"], f"{run['started_at']:%Y-%m-%d %H:%M:%S}", f"{seconds:.1f}",
                      status)
    return table
