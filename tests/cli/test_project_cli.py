"""`oda init` and `oda check` from the command line, as a user runs them."""

import subprocess
import sys

from tests.project.test_load import BROKEN


def oda(*args: str, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "oda.cli.main", *args], capture_output=True, text=True, cwd=cwd)


def test_check_lists_all_problems_and_exits_2(tmp_path):
    (tmp_path / "oda.toml").write_text(BROKEN)
    result = oda("check", str(tmp_path))
    assert result.returncode == 2
    assert "12 problem(s)" in result.stdout
    assert "did you mean `postcode`?" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_init_then_check_reports_missing_extracts_and_charter(tmp_path):
    project = tmp_path / "borough"
    assert oda("init", str(project)).returncode == 0
    assert (project / "oda.toml").exists() and (project / "sources").is_dir()
    again = oda("init", str(project))
    assert again.returncode == 1 and "already exists; pass --force" in again.stderr
    result = oda("check", str(project))
    assert result.returncode == 2 and "sources.gazetteer.path" in result.stdout


def test_errors_are_one_message_without_traceback(tmp_path):
    result = oda("check", str(tmp_path / "nowhere"))
    assert result.returncode == 2
    assert "no project file" in result.stdout + result.stderr
    assert "Traceback" not in result.stderr


def test_every_command_has_help():
    import typer
    from typer.testing import CliRunner

    from oda.cli.main import app

    group = typer.main.get_command(app)
    paths = []
    for name, command in group.commands.items():
        subcommands = getattr(command, "commands", None)
        paths += [(name, sub) for sub in subcommands] if subcommands else [(name,)]
    assert {("init",), ("check",), ("users", "add")} <= set(paths)
    runner = CliRunner()
    for path in paths:
        result = runner.invoke(app, [*path, "--help"])
        assert result.exit_code == 0, (path, result.output)
        assert "Usage" in result.output, path


def test_check_reports_a_ward_boundary_file_it_cannot_draw(tmp_path):
    from oda.cli.project_commands import init_project

    init_project(tmp_path)
    for name in ("gazetteer.csv", "council_tax.csv", "fire_incidents.xlsx"):
        (tmp_path / "sources" / name).write_bytes(b"")
    text = (tmp_path / "oda.toml").read_text()
    (tmp_path / "oda.toml").write_text(text + '\n[reference]\nward_boundaries = "reference/wards.geojson"\n')
    missing = oda("check", str(tmp_path))
    assert missing.returncode == 2
    assert "reference.ward_boundaries" in missing.stdout and "does not exist" in missing.stdout
    (tmp_path / "reference").mkdir()
    (tmp_path / "reference" / "wards.geojson").write_text("not json")
    broken = oda("check", str(tmp_path))
    assert broken.returncode == 2 and "is not readable GeoJSON" in broken.stdout
    (tmp_path / "reference" / "wards.geojson").write_text(
        '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"ward_name": "Abbey"}, '
        '"geometry": {"type": "Polygon", "coordinates": [[[0, 51], [0.1, 51], [0.1, 51.1], [0, 51]]]}}]}')
    good = oda("check", str(tmp_path))
    assert good.returncode == 0, good.stdout
    assert "ward boundaries readable" in good.stdout
