"""`oda init` and `oda check`: scaffold a project and validate one."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from oda.errors import OdaError, ProjectError
from oda.project.load import PROJECT_FILE, load_project

TEMPLATES = ("hmo",)
out = Console(soft_wrap=True)


def template_text(template: str, name: str) -> str:
    """The commented `oda.toml` of a template, with the project's name filled in."""
    if template not in TEMPLATES:
        raise OdaError(f"unknown template `{template}`; choose one of: {', '.join(TEMPLATES)}")
    text = resources.files("oda.project.templates").joinpath(f"{template}.toml").read_text("utf-8")
    return text.replace("{name}", name)


def init_project(directory: Path, template: str = "hmo", *, force: bool = False) -> Path:
    """Write a commented `oda.toml` (and an empty `sources/` folder) into ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / PROJECT_FILE
    if target.exists() and not force:
        raise OdaError(f"{target} already exists; pass --force to overwrite it, or choose another folder")
    name = re.sub(r"[^a-z0-9_]+", "_", directory.resolve().name.lower()).strip("_") or "project"
    target.write_text(template_text(template, name), encoding="utf-8")
    (directory / "sources").mkdir(exist_ok=True)
    return target


def ward_boundaries_problem(loaded) -> str | None:
    """Why the project's declared ward boundary file cannot be drawn (missing, not GeoJSON, no ward
    names...), or None. Checked here rather than when loading: only the web app's map needs the file,
    so `oda run` goes on without it, but `oda check` should say so before an analyst opens the map."""
    reference = loaded.config.reference
    if not reference.ward_boundaries:
        return None
    from oda.web.ward_boundaries import read_ward_boundaries

    try:
        read_ward_boundaries(loaded.resolve(reference.ward_boundaries), name_property=reference.ward_name_property,
                             code_property=reference.ward_code_property)
    except ProjectError as exc:
        return "; ".join(exc.problems)
    return None


def register(app: typer.Typer) -> None:
    @app.command("init")
    def init_command(
        directory: Path = typer.Argument(..., help="Folder for the new project (created if missing)."),
        template: str = typer.Option("hmo", "--template", "-t", help=f"One of: {', '.join(TEMPLATES)}."),
        force: bool = typer.Option(False, "--force", help="Overwrite an existing oda.toml."),
    ) -> None:
        """Scaffold a commented oda.toml, charter first."""
        target = init_project(directory, template, force=force)
        out.print(f"Created {target}.")
        out.print("Next: fill in \\[charter], put the extracts in sources/, map their columns, then "
                  f"`oda check {directory}`.")

    @app.command("check")
    def check_command(
        project: Optional[Path] = typer.Argument(None, help="Project folder or oda.toml (default: here)."),
    ) -> None:
        """Validate a project and report every problem at once."""
        try:
            loaded = load_project(project)
        except ProjectError as exc:
            out.print(f"[red]✗[/] {exc.path or project}: {len(exc.problems)} problem(s)", highlight=False)
            for problem in exc.problems:
                out.print(f"  - {problem}", markup=False, highlight=False)
            raise typer.Exit(2) from None
        config = loaded.config
        table = Table(title=f"{config.name} — {loaded.path}", show_header=True)
        table.add_column("source")
        table.add_column("organisation")
        table.add_column("agreement")
        table.add_column("describes")
        table.add_column("format")
        for name, source in config.sources.items():
            table.add_row(name, source.organisation, source.agreement, source.describes, source.resolved_format)
        out.print(table)
        gaps = config.charter.missing()
        if gaps:
            out.print("[yellow]![/] The charter is incomplete; oda will ingest and link but will not score "
                      "or publish until these are filled in:", highlight=False)
            for gap in gaps:
                out.print(f"  - {gap}", markup=False, highlight=False)
        else:
            out.print("[green]✓[/] charter complete; governance signed off.")
        out.print(f"[green]✓[/] {len(config.sources)} source(s) valid.")
        problem = ward_boundaries_problem(loaded)
        if problem:
            out.print(f"[red]✗[/] reference.ward_boundaries: {problem}", highlight=False)
            raise typer.Exit(2)
        if config.reference.ward_boundaries:
            out.print("[green]✓[/] ward boundaries readable.")
