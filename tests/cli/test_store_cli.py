"""`oda users add` and `oda outcomes import` against the project's SQLite store."""

import os
import subprocess
import sys

from oda.store import accounts, open_store, outcomes


def oda(*args, env=None):
    return subprocess.run([sys.executable, "-m", "oda.cli.main", *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})})


def test_users_add_then_sign_in(tmp_path):
    assert oda("init", str(tmp_path)).returncode == 0
    env = {"ODA_PW": "a long admin password", "ODA_DATABASE_URL": ""}
    result = oda("users", "add", "admin", "--role", "admin", "-o", "council", "--password-env", "ODA_PW",
                 "-p", str(tmp_path), env=env)
    assert result.returncode == 0, result.stderr
    again = oda("users", "add", "admin", "--role", "admin", "-o", "council", "--password-env", "ODA_PW",
                "-p", str(tmp_path), env=env)
    assert again.returncode == 1 and "user `admin` already exists" in again.stderr
    store = open_store(f"sqlite:///{tmp_path / '.oda' / 'store.sqlite'}")
    assert accounts.authenticate(store, "admin", "a long admin password").role == "admin"
    store.close()


def test_outcomes_import(tmp_path):
    assert oda("init", str(tmp_path)).returncode == 0
    csv_file = tmp_path / "visits.csv"
    csv_file.write_text("uprn,visit_date,outcome,notes\n10001,2026-02-01,hmo_confirmed,6 tenants\n")
    result = oda("outcomes", "import", str(csv_file), "-o", "council", "-p", str(tmp_path),
                 env={"ODA_DATABASE_URL": ""})
    assert result.returncode == 0, result.stderr
    store = open_store(f"sqlite:///{tmp_path / '.oda' / 'store.sqlite'}")
    assert [(v.uprn, v.outcome) for v in outcomes.current_outcomes(store)] == [("10001", "hmo_confirmed")]
    store.close()
