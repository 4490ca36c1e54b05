"""`oda users add|list|unlock|deactivate` and `oda outcomes import` against the project's SQLite store."""

import os
import subprocess
import sys

import pytest

from oda.errors import PermissionDenied
from oda.store import accounts, audit, open_store, outcomes


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


def test_users_list_unlock_deactivate(tmp_path):
    assert oda("init", str(tmp_path)).returncode == 0
    env = {"ODA_PW": "a long admin password", "ODA_DATABASE_URL": ""}
    for name, role in (("root", "admin"), ("olive", "officer")):
        assert oda("users", "add", name, "--role", role, "-o", "council", "--password-env", "ODA_PW",
                   "-p", str(tmp_path), env=env).returncode == 0
    store = open_store(f"sqlite:///{tmp_path / '.oda' / 'store.sqlite'}")
    for _ in range(accounts.MAX_FAILED_LOGINS):
        with pytest.raises(PermissionDenied):
            accounts.authenticate(store, "olive", "wrong password")
    listed = oda("users", "list", "-p", str(tmp_path), env=env)
    assert listed.returncode == 0, listed.stderr
    olive_line = next(line for line in listed.stdout.splitlines() if "olive" in line)
    assert "officer" in olive_line and "locked until" in olive_line and "never" in olive_line
    assert oda("users", "unlock", "olive", "-p", str(tmp_path), env=env).stdout.strip() == "Unlocked olive."
    assert accounts.authenticate(store, "olive", "a long admin password").username == "olive"
    assert oda("users", "deactivate", "olive", "-p", str(tmp_path), env=env).returncode == 0
    assert "deactivated" in next(line for line in oda("users", "list", "-p", str(tmp_path), env=env)
                                 .stdout.splitlines() if "olive" in line)
    last_admin = oda("users", "deactivate", "root", "-p", str(tmp_path), env=env)
    assert last_admin.returncode == 1 and "`root` is the last active admin" in last_admin.stderr
    assert [e.action for e in audit.search(store, object_id="olive") if e.action.endswith("_user")] == \
        ["deactivate_user", "unlock_user"]
    assert audit.search(store, action="unlock_user")[0].username.startswith("cli:")
    store.close()
