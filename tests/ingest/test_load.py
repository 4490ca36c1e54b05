"""Idempotent, transactional loads, and the run records they leave."""

from __future__ import annotations

from pathlib import Path

import pytest

import oda.ingest.load as load_module
from oda.errors import OdaError, StandardiseError
from tests.ingest.conftest import run_ingest, run_ingest_ok, source_toml

COLUMNS = {"record_id": "Ref", "surname": "Surname"}


def write(tmp_path: Path, *rows: str) -> None:
    (tmp_path / "ct.csv").write_text("Ref,Surname\n" + "".join(f"{row}\n" for row in rows), encoding="utf-8")


def test_unchanged_file_is_skipped_and_changed_file_replaces(tmp_path: Path, make_project, engine):
    write(tmp_path, "1,Smith", "2,Jones")
    project = make_project(source_toml("ct", "ct.csv", COLUMNS))
    first = run_ingest_ok(engine, project).results[0]

    second = run_ingest_ok(engine, project).results[0]

    assert not first.skipped and second.skipped
    assert (second.rows_read, second.rows_loaded) == (2, 2)
    write(tmp_path, "1,Smith", "2,Jones", "3,Brown", "3,Dup")
    third = run_ingest_ok(engine, project).results[0]
    assert not third.skipped
    assert engine.count("raw.ct") == 3 and engine.count("quarantine.ct") == 1


def test_force_reloads_and_settings_change_reloads(tmp_path: Path, make_project, engine):
    write(tmp_path, "1,Smith")
    project = make_project(source_toml("ct", "ct.csv", COLUMNS))
    run_ingest_ok(engine, project)

    assert not run_ingest_ok(engine, project, force=True).results[0].skipped
    changed = make_project(source_toml("ct", "ct.csv", COLUMNS, description="now described"))
    assert not run_ingest_ok(engine, changed).results[0].skipped


def test_failure_after_loading_keeps_the_last_good_load(tmp_path: Path, make_project, engine, monkeypatch):
    write(tmp_path, "1,Smith", "2,Jones")
    project = make_project(source_toml("ct", "ct.csv", COLUMNS))
    run_ingest_ok(engine, project)
    assert engine.count("stg.ct") == 2
    write(tmp_path, "1,Smith", "2,Jones", "3,Brown", "3,Again")
    standardise = load_module.standardiser()

    def standardise_then_fail(engine, name, source):
        standardise(engine, name, source)  # raw.ct, quarantine.ct and stg.ct are all replaced by now
        raise StandardiseError("standardisation blew up")

    monkeypatch.setattr(load_module, "standardiser", lambda: standardise_then_fail)
    report = run_ingest(engine, project)

    assert report.failures == ["standardisation blew up"]
    assert engine.query("SELECT record_id FROM raw.ct ORDER BY 1").to_pylist() == [{"record_id": "1"},
                                                                                   {"record_id": "2"}]
    assert engine.count("quarantine.ct") == 0 and engine.count("stg.ct") == 2
    monkeypatch.undo()
    # The file is still seen as changed, so the next run loads it.
    assert not run_ingest_ok(engine, project).results[0].skipped
    assert (engine.count("raw.ct"), engine.count("quarantine.ct"), engine.count("stg.ct")) == (3, 1, 3)


def test_run_records(tmp_path: Path, make_project, engine):
    write(tmp_path, "1,Smith", "", "1,Again")
    (tmp_path / "broken.csv").write_bytes(b"")
    project = make_project(source_toml("ct", "ct.csv", COLUMNS), source_toml("broken", "broken.csv", COLUMNS))

    with pytest.raises(OdaError, match="1 of 2 source"):
        run_ingest_ok(engine, project)
    run_ingest_ok(engine, project, sources=["ct"])

    runs = engine.query("SELECT * FROM meta.runs ORDER BY started_at").to_pylist()
    assert [(r["command"], r["status"]) for r in runs] == [("ingest", "failed"), ("ingest", "ok")]
    assert runs[0]["config_hash"] == project.config_hash
    assert runs[0]["code_version"].startswith("0.1.0")
    assert "Source `broken`: file" in runs[0]["error"]
    assert runs[0]["ended_at"] >= runs[0]["started_at"]
    inputs = engine.query("SELECT i.* FROM meta.run_inputs i JOIN meta.runs USING (run_id) "
                          "ORDER BY started_at").to_pylist()
    assert [(i["run_id"], i["source"], i["rows_read"], i["rows_loaded"], i["rows_quarantined"], i["skipped"])
            for i in inputs] == [(runs[0]["run_id"], "ct", 2, 1, 1, False), (runs[1]["run_id"], "ct", 2, 1, 1, True)]
    assert len(inputs[0]["sha256"]) == 64 and inputs[0]["path"] == str(tmp_path / "ct.csv")
    steps = engine.query(f"SELECT step, dataset, rows FROM meta.run_steps WHERE run_id = '{runs[0]['run_id']}' "
                         "ORDER BY seconds IS NULL, step").to_pylist()
    assert {(s["step"], s["dataset"], s["rows"]) for s in steps} >= {
        ("read", "raw.ct", 2), ("load", "raw.ct", 1), ("quarantine", "quarantine.ct", 1),
    }


def test_run_standardises_sources_loaded_before_standardisation_existed(tmp_path: Path, make_project, engine,
                                                                        monkeypatch):
    from oda.pipeline import StageContext, run_standardise
    from oda.runs import record_run

    write(tmp_path, "1,Smith", "2,Jones")
    project = make_project(source_toml("ct", "ct.csv", COLUMNS))
    monkeypatch.setattr(load_module, "standardiser", lambda: None)
    run_ingest_ok(engine, project)
    monkeypatch.undo()
    assert engine.exists("raw.ct") and not engine.exists("stg.ct")

    with record_run(engine, project, "run") as run:
        assert run_standardise(StageContext(project, engine, run)) == ["ct"]
        assert run_standardise(StageContext(project, engine, run)) == []  # nothing left to catch up

    assert engine.count("stg.ct") == 2
