"""`oda features`, `oda score`, `oda worklist` and `oda evaluate`."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

out = Console(soft_wrap=True)

PROJECT_ARG = typer.Argument(None, help="Project folder or oda.toml (default: here).")


def _open(project_path: Optional[Path]):
    from oda.engine import open_engine
    from oda.project.load import load_project

    project = load_project(project_path)
    return project, open_engine(project)


def features_command(project_path: Optional[Path] = PROJECT_ARG,
                     as_of: Optional[str] = typer.Option(None, "--as-of", help="YYYY-MM-DD (default: [features] as_of)."),
                     list_only: bool = typer.Option(False, "--list", help="Document every feature family and exit.")) -> None:
    """Build feat.property: signals per dwelling, as of a date.

    One row per dwelling, from every linked source; nothing dated after the as-of date is counted.
    """
    from oda.features.build import build_project_features
    from oda.runs import record_run

    if list_only:
        from oda.features.registry import describe

        typer.echo(describe())
        return

    project, engine = _open(project_path)
    with engine, record_run(engine, project, "features") as run:
        with run.step("features", "feat.property") as step:
            build = build_project_features(engine, project, as_of=as_of)
            step.rows = build.rows
    out.print(f"feat.property: {build.rows:,} dwellings as of {build.as_of}; families built: "
              f"{', '.join(build.built) or 'none'}" + (f"; skipped (source not loaded): {', '.join(build.skipped)}"
                                                       if build.skipped else ""))


def score_command(project_path: Optional[Path] = PROJECT_ARG,
                  as_of: Optional[str] = typer.Option(None, "--as-of", help="YYYY-MM-DD (default: [features] as_of).")) -> None:
    """Score every dwelling by rules and model, with reasons.

    Writes score.property. Labels come from inspections, the licence register and the outcomes
    officers recorded since the last run; unknown outcomes are never treated as negative.
    """
    from oda.runs import record_run
    from oda.score.stage import score_project

    from oda.store.outcomes import project_outcomes

    project, engine = _open(project_path)
    project.require_charter("score")
    outcomes = project_outcomes(project.root)
    with engine, record_run(engine, project, "score") as run:
        result = score_project(engine, project, outcomes=outcomes, as_of=as_of, run=run)
    counts = result.label_counts
    out.print(f"score.property: {result.rows:,} dwellings scored as of {result.as_of} by `{result.method}`, "
              f"model {result.model_version}")
    out.print(f"labels seen: {counts['positive_inspections']} HMOs found and {counts['negative_inspections']} not "
              f"found by inspection, {counts['licence_register']} on the licence register, "
              f"{counts['unknown_visits']} visits with no finding (unknown, not negative); "
              f"{counts['visits_from_store']} visits from recorded outcomes")


def worklist_command(project_path: Optional[Path] = PROJECT_ARG,
                     capacity: Optional[int] = typer.Option(None, "--capacity", "-n", help="Visits on the list."),
                     organisation: str = typer.Option("", "--organisation", "-o", help="Organisation the list is for."),
                     export: list[Path] = typer.Option([], "--export", "-e",
                                                       help="Write the list to .csv, .xlsx or .geojson (repeatable)."),
                     ) -> None:
    """Draw a ranked worklist with a random exploration slice.

    Eligible properties (not licensed, not recently inspected, not excluded), ranked and cut to
    capacity; exports to CSV, Excel or GeoJSON are audit-logged.
    """
    from oda.act.export import export_worklist
    from oda.act.worklist import grouped, publish_project_worklist

    project, engine = _open(project_path)
    project.require_charter("publish a worklist")
    settings = project.config.worklist
    with engine:
        worklist = publish_project_worklist(engine, project, capacity=capacity, organisation=organisation)
    table = grouped(worklist.table, settings.group_by)
    for path in export:
        export_worklist(table, path)
        _audit_export(project, worklist.worklist_id, path, table.num_rows)
        out.print(f"wrote {path}")
    out.print(f"out.worklist {worklist.worklist_id}: {worklist.capacity} properties of {worklist.eligible:,} eligible "
              f"({worklist.exploration} drawn at random for measurement), grouped by {settings.group_by}")


def evaluate_command(project_path: Optional[Path] = PROJECT_ARG,
                     truth: Optional[Path] = typer.Option(None, "--truth", help="A synthetic borough's folder (has truth/)."),
                     json_out: Optional[Path] = typer.Option(None, "--json", help="Write the report as JSON here."),
                     html_out: Optional[Path] = typer.Option(None, "--html", help="Write the report as HTML here."),
                     capacity: Optional[int] = typer.Option(None, "--capacity", "-n", help="Visits (default: [worklist] capacity)."),
                     no_backtest: bool = typer.Option(False, "--no-backtest", help="Skip the time-split backtest."),
                     ) -> None:
    """Evaluate methods at capacity; fairness; ATRS draft.

    Model, rules, complaint-driven practice and random at the same capacity; the exploration
    slice's unbiased estimate; a time-split backtest; fairness by ward and deprivation decile.
    """
    from oda.evaluate.evaluation import evaluate_project
    from oda.evaluate.report import write_report

    from oda.store.outcomes import project_outcomes

    project, engine = _open(project_path)
    outcomes = project_outcomes(project.root)
    with engine:
        result = evaluate_project(engine, project, truth_dir=truth, capacity=capacity, outcomes=outcomes,
                                  backtest_horizons=() if no_backtest else (365,))
    html_out = html_out or (None if json_out else project.root / "evaluation.html")
    write_report(result, html_path=html_out, json_path=json_out)
    print_evaluation(result)
    for path in (json_out, html_out):
        if path:
            out.print(f"wrote {path}")


def print_evaluation(result: dict) -> None:
    """The headline table: every method at the same capacity, and the exploration slice's estimate."""
    table = Table(title=f"Methods at capacity {result['capacity']} ({result['eligible']:,} eligible)")
    for column in ("method", "precision (truth)", "recall (truth)", "hit rate (recorded visits)"):
        table.add_column(column)
    for name, m in result["methods"].items():
        table.add_row(name, _pct(m.get("precision_at_capacity")), _pct(m.get("recall_at_capacity")),
                      _pct(m.get("label_hit_rate")))
    out.print(table)
    e = result["exploration"]
    out.print(f"exploration slice: {e['hits']}/{e['visited']} = {_pct(e['estimate'])} "
              f"(95% CI {_pct(e['ci_low'])}–{_pct(e['ci_high'])})"
              + (f"; true rate {_pct(e['true_rate'])}" if "true_rate" in e else ""))


def _audit_export(project, worklist_id: str, path: Path, rows: int) -> None:
    """Every export of personal data goes in the append-only audit log, with who ran it."""
    import getpass

    from oda.store import audit
    from oda.store.db import open_store

    store = open_store(project_root=project.root)
    try:
        audit.record(store, username=f"cli:{getpass.getuser()}", role="analyst", action="export",
                     object_type="worklist", object_id=worklist_id, detail={"path": str(path), "rows": rows})
    finally:
        store.close()


def _pct(value: object) -> str:
    return "–" if value is None else f"{100 * float(value):.1f}%"  # type: ignore[arg-type]


def register(app: typer.Typer) -> None:
    app.command("features")(features_command)
    app.command("score")(score_command)
    app.command("worklist")(worklist_command)
    app.command("evaluate")(evaluate_command)
