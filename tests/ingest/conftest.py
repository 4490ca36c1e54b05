"""Small extracts and projects written into a temporary folder, ingested into a real DuckDB file."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest

from oda.engine.duckdb_engine import DuckDBEngine
from oda.ingest.load import IngestReport, ingest
from oda.project.load import LoadedProject, load_project
from oda.runs import record_run

PREAMBLE = """
name = "test_borough"

[organisations.council]
name = "Test Borough Council"

[agreements.share]
title = "Council data sharing"
parties = ["council"]
purposes = ["hmo_licensing"]
lawful_basis = "public_task"
retention_days = 365
"""


def source_toml(name: str, location: str, columns: dict[str, str], **settings: object) -> str:
    """A ``[sources.<name>]`` section; ``location`` is a path, or ``db|<url>|<table>``."""
    lines = [f"[sources.{name}]", 'organisation = "council"', 'agreement = "share"',
             f'describes = "{settings.pop("describes", "person")}"']
    if location.startswith("db|"):
        _, url, table = location.split("|")
        lines += [f'url = "{url}"', f'table = "{table}"']
    else:
        lines.append(f'path = "{location}"')
    for key, value in settings.items():
        if isinstance(value, str):
            lines.append(f'{key} = "{value}"')
        elif isinstance(value, list):
            lines.append(f"{key} = [" + ", ".join(f'"{v}"' for v in value) + "]")
        else:
            lines.append(f"{key} = {value}")
    lines.append("columns = { " + ", ".join(f'{k} = "{v}"' for k, v in columns.items()) + " }")
    return "\n".join(lines) + "\n"


@pytest.fixture
def make_project(tmp_path: Path) -> Callable[..., LoadedProject]:
    """Write ``oda.toml`` with the given source sections (the first is the gazetteer) and load it."""

    def make(*sections: str, check_files: bool = False) -> LoadedProject:
        first = sections[0].split("]", 1)[0].removeprefix("[sources.")
        text = PREAMBLE + f'\n[link]\ngazetteer = "{first}"\n\n' + "\n".join(sections)
        (tmp_path / "oda.toml").write_text(text, encoding="utf-8")
        return load_project(tmp_path, check_files=check_files)

    return make


@pytest.fixture
def engine(tmp_path: Path):
    with DuckDBEngine(tmp_path / ".oda" / "oda.duckdb") as duck:
        yield duck


def run_ingest(engine: DuckDBEngine, project: LoadedProject, **options: object) -> IngestReport:
    """One recorded `oda ingest` run through the Python API."""
    with record_run(engine, project, "ingest") as run:
        return ingest(engine, project, run, **options)


def run_ingest_ok(engine: DuckDBEngine, project: LoadedProject, **options: object) -> IngestReport:
    """As `oda ingest` does: any failure fails the run (and is recorded as such)."""
    with record_run(engine, project, "ingest") as run:
        report = ingest(engine, project, run, **options)
        report.raise_for_failures()
    return report


def only_failure(engine: DuckDBEngine, project: LoadedProject) -> str:
    """The one failure message of an ingest that should fail."""
    report = run_ingest(engine, project)
    assert len(report.failures) == 1, report.failures
    return report.failures[0]
