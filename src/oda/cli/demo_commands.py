"""`oda demo`: the synthetic borough end to end, then the web app.

Generates a borough (or reuses one generated with the same settings), runs every pipeline stage on
it, prints what each stage produced, creates demo accounts, and serves the app.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table


out = Console(soft_wrap=True)

DEMO_PASSWORD = "demo-password-123"
DEMO_ACCOUNTS = (
    ("admin", "admin", "council"),
    ("analyst", "analyst", "council"),
    ("officer", "officer", "council"),
    ("governance", "governance", "council"),
    ("fire.officer", "officer", "fire"),
)


def prepare_borough(directory: Path, properties: int, seed: int, *, fresh: bool) -> Path:
    """The borough's folder, generated unless one with the same settings is already there."""
    borough = directory / "borough"
    stamp = directory / "settings.json"
    settings = {"properties": properties, "seed": seed}
    if fresh or not stamp.exists() or json.loads(stamp.read_text()) != settings or not (borough / "oda.toml").exists():
        shutil.rmtree(directory, ignore_errors=True)
        directory.mkdir(parents=True)
        from oda.synth import generate_borough

        out.print(f"Generating a synthetic borough of {properties:,} dwellings (seed {seed}) in {borough} …")
        summary = generate_borough(borough, properties=properties, seed=seed)
        for line in summary.lines():
            out.print(f"  {line}", markup=False, highlight=False)
        stamp.write_text(json.dumps(settings))
    else:
        out.print(f"Reusing the synthetic borough in {borough}.")
    return borough


def create_demo_accounts(borough: Path) -> list[tuple[str, str, str]]:
    """Demo accounts with one known password, for trying the app; skipped when they already exist."""
    from oda.store import accounts, open_store

    store = open_store(project_root=borough)
    created = []
    try:
        for username, role, organisation in DEMO_ACCOUNTS:
            if accounts.get_account(store, username) is None:
                accounts.add_user(store, username, DEMO_PASSWORD, role=role, organisation=organisation,
                                  display_name=username.replace(".", " ").title())
            created.append((username, role, organisation))
    finally:
        store.close()
    return created


def register(app: typer.Typer) -> None:
    @app.command("demo")
    def demo_command(
        properties: int = typer.Option(10_000, "--properties", help="Dwellings in the synthetic borough."),
        seed: int = typer.Option(1, "--seed"),
        directory: Path = typer.Option(Path("demo"), "--dir", help="Where the demo borough and its data go."),
        fresh: bool = typer.Option(False, "--fresh", help="Regenerate the borough even if one exists."),
        serve: bool = typer.Option(True, "--serve/--no-serve", help="Start the web app at the end."),
        host: str = typer.Option("127.0.0.1", "--host"),
        port: int = typer.Option(8000, "--port"),
    ) -> None:
        """Generate the synthetic borough, run every stage on it, then serve the web app."""
        from oda.cli.score_commands import print_evaluation
        from oda.engine import open_engine
        from oda.evaluate.evaluation import evaluate_project
        from oda.evaluate.report import write_report
        from oda.ingest.progress import Reporter
        from oda.pipeline import STAGES, StageContext, run_pipeline
        from oda.project.load import load_project
        from oda.runs import record_run

        borough = prepare_borough(directory, properties, seed, fresh=fresh)
        project = load_project(borough)
        reporter = Reporter(quiet=False)
        with open_engine(project) as engine, record_run(engine, project, "demo") as run:
            run_pipeline(StageContext(project, engine, run, reporter))
            out.print(datasets_summary(engine))
            result = evaluate_project(engine, project, truth_dir=borough, backtest_horizons=())
        out.print(f"Ran: {', '.join(stage.name for stage in STAGES)}.")
        write_report(result, html_path=borough / "evaluation.html", json_path=borough / "evaluation.json")
        out.print("How the methods compare against the borough's hidden truth "
                  "(a real council never has this; it is why the borough is synthetic):")
        print_evaluation(result)
        out.print(f"Full report: {borough / 'evaluation.html'}")
        accounts_made = create_demo_accounts(borough)
        table = Table(title=f"Demo accounts (password for all: {DEMO_PASSWORD})")
        for column in ("username", "role", "organisation"):
            table.add_column(column)
        for row in accounts_made:
            table.add_row(*row)
        out.print(table)
        if serve:
            _serve(borough, host, port)


def datasets_summary(engine) -> Table:
    table = Table(title="What the pipeline produced")
    table.add_column("dataset")
    table.add_column("rows", justify="right")
    for name in engine.datasets():
        if name.startswith(("raw.", "quarantine.")):
            continue
        table.add_row(name, f"{engine.count(name):,}")
    return table


def _serve(borough: Path, host: str, port: int) -> None:
    from oda.cli.serve_commands import serve_command

    serve_command(borough, host=host, port=port, workers=1)
