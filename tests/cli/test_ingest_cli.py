"""`oda ingest`, `oda status` and `oda run` from the command line, as a user runs them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from oda.cli.main import main
from tests.ingest.conftest import PREAMBLE, source_toml


@pytest.fixture
def oda(capsys, monkeypatch):
    """Run `oda ...` in this process (as the console script does) and capture what it prints."""
    monkeypatch.setenv("COLUMNS", "200")

    def run(*args: str) -> subprocess.CompletedProcess:
        capsys.readouterr()
        code = main(list(args))
        captured = capsys.readouterr()
        return subprocess.CompletedProcess(args, code, captured.out, captured.err)

    return run


def write_project(root: Path) -> None:
    (root / "gazetteer.csv").write_text("UPRN,Address,Postcode\n100,1 High St,N1 1AA\n101,2 High St,N1 1AB\n",
                                        encoding="utf-8")
    (root / "ct.csv").write_text("Ref,Surname,Postcode\n1,Smith,N1 1AA\n2,Jones,bad\n2,Dup,N1 1AA\n3\n",
                                 encoding="utf-8")
    (root / "oda.toml").write_text(
        PREAMBLE
        + source_toml("gazetteer", "gazetteer.csv", {"record_id": "UPRN", "uprn": "UPRN", "address": "Address",
                                                     "postcode": "Postcode"}, describes="property")
        + source_toml("council_tax", "ct.csv", {"record_id": "Ref", "surname": "Surname", "postcode": "Postcode"}),
        encoding="utf-8",
    )


def test_ingest_prints_reconciliation_then_skips_unchanged(tmp_path: Path, oda):
    write_project(tmp_path)

    first = oda("ingest", str(tmp_path))

    assert first.returncode == 0, first.stderr
    assert "rows read = loaded + quarantined" in first.stdout
    line = next(line for line in first.stdout.splitlines() if "council_tax" in line)
    assert line.split("│")[1:5] == [" council_tax ", "    4 ", "      2 ", "           2 "]
    second = oda("ingest", str(tmp_path), "--source", "council_tax")
    assert second.returncode == 0
    assert "unchanged, skipped" in second.stdout and "gazetteer" not in second.stdout


def test_quiet_prints_nothing(tmp_path: Path):
    write_project(tmp_path)

    result = subprocess.run([sys.executable, "-m", "oda.cli.main", "ingest", str(tmp_path), "--quiet"],
                            capture_output=True, text=True)

    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_unreadable_source_exits_1_with_one_message(tmp_path: Path, oda):
    write_project(tmp_path)
    (tmp_path / "ct.csv").write_text("Ref,Surname\n1,Smith\n", encoding="utf-8")

    result = oda("ingest", str(tmp_path))

    assert result.returncode == 1
    assert "1 of 2 source(s) could not be ingested (1 other source(s) ingested):" in result.stderr
    assert ("Source `council_tax` is missing column `Postcode` (mapped from postcode). No similar header. "
            "Fix [sources.council_tax.columns] or add postcode to optional.") in result.stderr
    assert "Traceback" not in result.stderr
    assert "gazetteer" in result.stdout  # the source that did load is still reconciled


def test_invalid_project_exits_2(tmp_path: Path, oda):
    write_project(tmp_path)

    assert oda("ingest", str(tmp_path), "--source", "council_taxx").returncode == 2
    (tmp_path / "oda.toml").write_text("name = 3\n", encoding="utf-8")
    assert oda("ingest", str(tmp_path)).returncode == 2


def test_status_shows_stale_sources_counts_and_runs(tmp_path: Path, oda):
    write_project(tmp_path)
    assert oda("run", str(tmp_path), "--quiet").returncode == 0
    with (tmp_path / "ct.csv").open("a", encoding="utf-8") as handle:
        handle.write("4,Brown,N1 1AA\n")

    result = oda("status", str(tmp_path))

    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "stale: the file has changed since it was loaded" in next(line for line in lines if "council_tax " in line)
    assert "current" in next(line for line in lines if "│ gazetteer " in line)
    assert any("raw.council_tax" in line and " 2 " in line for line in lines)
    assert any("quarantine.council_tax" in line and " 2 " in line for line in lines)
    assert any(" run " in line and " ok " in line for line in lines)


def test_run_skips_scoring_while_the_charter_is_incomplete(tmp_path: Path, oda):
    write_project(tmp_path)
    result = oda("run", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "score: skipped — the charter is incomplete (charter.problem" in result.stdout
    assert "worklist: skipped" in result.stdout


def test_run_only_and_from_choose_stages_in_pipeline_order(tmp_path: Path, oda):
    write_project(tmp_path)
    result = oda("run", str(tmp_path), "--only", "link,ingest")
    assert result.returncode == 0, result.stderr
    assert "▸ ingest" in result.stdout and "▸ link" in result.stdout
    assert result.stdout.index("▸ ingest") < result.stdout.index("▸ link")
    assert "▸ standardise" not in result.stdout and "▸ resolve" not in result.stdout
    assert "finished: ingest, link." in result.stdout

    result = oda("run", str(tmp_path), "--from", "score")
    assert result.returncode == 0, result.stderr
    assert "▸ ingest" not in result.stdout and "score: skipped" in result.stdout


def test_run_names_the_stages_when_one_is_unknown(tmp_path: Path, oda):
    write_project(tmp_path)
    result = oda("run", str(tmp_path), "--only", "scoring")
    assert result.returncode == 2
    assert "there is no stage `scoring`; the stages are ingest, standardise, link, resolve" in result.stdout + result.stderr
