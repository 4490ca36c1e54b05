"""`oda serve` and an app for a project whose pipeline has not run yet."""

from __future__ import annotations

import typer
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from oda.cli import serve_commands
from oda.store import accounts
from oda.web import create_app
from oda.web.settings import WebSettings
from tests.web.borough import PROJECT_TOML
from tests.web.conftest import PASSWORD, sign_in


def test_serve_command_is_registered_with_its_options():
    app = typer.Typer()
    serve_commands.register(app)

    @app.callback()
    def _root() -> None:
        """Needed so that `serve` stays a named sub-command."""

    result = CliRunner().invoke(app, ["serve", "--help"])
    assert result.exit_code == 0, result.output
    for option in ("--host", "--port", "PROJECT"):
        assert option in result.output
    assert "127.0.0.1" in result.output and "8000" in result.output


def test_a_project_without_pipeline_output_still_serves_useful_pages(tmp_path, store):
    (tmp_path / "oda.toml").write_text(PROJECT_TOML, encoding="utf-8")
    accounts.add_user(store, "olive", PASSWORD, role="officer", organisation="council")
    accounts.add_user(store, "ann", PASSWORD, role="analyst", organisation="council")
    app = create_app(tmp_path, store=store, settings=WebSettings(secret_key="s" * 40))
    officer = TestClient(app, follow_redirects=False)
    sign_in(officer, "olive")
    assert "No worklist has been published yet" in officer.get("/worklist").text
    assert officer.get("/map/wards.geojson").json() == {"type": "FeatureCollection", "features": []}
    assert officer.get("/property/100000").status_code == 403
    analyst = TestClient(app, follow_redirects=False)
    sign_in(analyst, "ann")
    assert "run <code>oda link</code>" in analyst.get("/analyst/linkage").text
    assert analyst.get("/property/100000").status_code == 404
    assert "No runs recorded yet" in analyst.get("/analyst/runs").text


def test_session_secret_is_kept_private_in_the_project(tmp_path, monkeypatch):
    monkeypatch.delenv("ODA_SECRET_KEY", raising=False)
    first = WebSettings.from_environment(tmp_path)
    assert WebSettings.from_environment(tmp_path).secret_key == first.secret_key
    assert (tmp_path / ".oda" / "web-secret").stat().st_mode & 0o077 == 0
    monkeypatch.setenv("ODA_TILE_URL", "https://{s}.tiles.example.gov.uk/{z}/{x}/{y}.png")
    assert WebSettings.from_environment(tmp_path).tile_origin == "https://*.tiles.example.gov.uk"


def test_pipeline_can_write_while_the_app_runs_and_the_app_sees_the_new_data(tmp_path, store, monkeypatch):
    import duckdb

    from oda.web import data as data_module
    from tests.web.borough import build_borough

    monkeypatch.setattr(data_module, "CHANGE_CHECK_SECONDS", 0.0)
    build_borough(tmp_path, properties=6, per_organisation=3)
    accounts.add_user(store, "olive", PASSWORD, role="officer", organisation="council")
    app = create_app(tmp_path, store=store, settings=WebSettings(secret_key="s" * 40))
    officer = TestClient(app, follow_redirects=False)
    sign_in(officer, "olive")
    assert "1 Test Street" in officer.get("/worklist").text
    with duckdb.connect(str(tmp_path / ".oda" / "oda.duckdb")) as writer:  # a pipeline command, mid-serve
        writer.execute("UPDATE out.worklist SET address = 'Renamed House' WHERE uprn = '100000'")
    page = officer.get("/worklist").text
    assert "Renamed House" in page and "1 Test Street" not in page
