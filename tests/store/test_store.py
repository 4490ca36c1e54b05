"""The operational store on real SQLite and PostgreSQL: accounts, outcomes with history, the audit log."""

from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import DBAPIError

from oda.errors import PermissionDenied, StoreError
from oda.store import accounts, audit, outcomes
from oda.store.db import upgrade
from oda.store.schema import Base


def test_migrations_create_exactly_the_declared_schema(store):
    inspector = inspect(store.engine)
    tables = set(inspector.get_table_names()) - {"alembic_version"}
    assert tables == set(Base.metadata.tables)
    for name, table in Base.metadata.tables.items():
        assert {c["name"] for c in inspector.get_columns(name)} == set(table.columns.keys()), name
    upgrade(store)  # a second upgrade is a no-op, not an error


def test_password_is_hashed_and_checked(store):
    accounts.add_user(store, "ayesha", "correct horse battery", role="officer", organisation="council")
    with store.engine.connect() as connection:
        stored = connection.execute(text("SELECT password_hash FROM users WHERE username='ayesha'")).scalar_one()
    assert stored.startswith("scrypt$") and "correct horse" not in stored
    account = accounts.authenticate(store, "ayesha", "correct horse battery")
    assert (account.role, account.organisation) == ("officer", "council")
    with pytest.raises(PermissionDenied, match="username or password is not right"):
        accounts.authenticate(store, "ayesha", "wrong password!!")
    with pytest.raises(PermissionDenied, match="username or password is not right"):
        accounts.authenticate(store, "nobody", "whatever it is")


def test_account_locks_after_repeated_failures_then_unlocks(store):
    accounts.add_user(store, "tom", "a long enough password", role="analyst", organisation="council")
    start = datetime.now(timezone.utc)
    for _ in range(accounts.MAX_FAILED_LOGINS):
        with pytest.raises(PermissionDenied):
            accounts.authenticate(store, "tom", "not the password", now=start)
    with pytest.raises(PermissionDenied, match="locked"):
        accounts.authenticate(store, "tom", "a long enough password", now=start + timedelta(minutes=1))
    later = start + accounts.LOCKOUT + timedelta(seconds=1)
    assert accounts.authenticate(store, "tom", "a long enough password", now=later).username == "tom"


def test_bad_accounts_are_refused_with_reasons(store):
    with pytest.raises(StoreError, match="role `boss` does not exist"):
        accounts.add_user(store, "x", "long enough password", role="boss", organisation="council")
    with pytest.raises(StoreError, match="too short"):
        accounts.add_user(store, "x", "short", role="officer", organisation="council")
    accounts.add_user(store, "x", "long enough password", role="officer", organisation="council")
    with pytest.raises(StoreError, match="already exists"):
        accounts.add_user(store, "x", "long enough password", role="officer", organisation="council")


def test_outcome_edits_keep_history_and_feed_scoring(store):
    first = outcomes.record_outcome(store, uprn="100023", organisation="council", visit_date=date(2026, 3, 2),
                                    outcome="no_access", recorded_by="ayesha", notes="nobody home")
    edited = outcomes.edit_outcome(store, first.visit_key, recorded_by="ayesha", outcome="hmo_confirmed",
                                   visit_date=date(2026, 3, 9), notes="second visit: 7 tenants")
    outcomes.record_outcome(store, uprn="100099", organisation="council", visit_date=date(2026, 1, 5),
                            outcome="not_hmo", recorded_by="ben")
    assert [v.outcome for v in outcomes.history(store, first.visit_key)] == ["no_access", "hmo_confirmed"]
    assert edited.version == 2
    table = outcomes.outcomes_table(store)
    assert sorted(zip(table["uprn"].to_pylist(), table["outcome"].to_pylist())) == [
        ("100023", "hmo_confirmed"), ("100099", "not_hmo")]


def test_outcomes_are_validated(store):
    with pytest.raises(StoreError, match="not one of hmo_confirmed"):
        outcomes.record_outcome(store, uprn="1", organisation="c", visit_date=date(2026, 1, 1),
                                outcome="maybe", recorded_by="a")
    with pytest.raises(StoreError, match="in the future"):
        outcomes.record_outcome(store, uprn="1", organisation="c", visit_date=date.today() + timedelta(days=3),
                                outcome="not_hmo", recorded_by="a")


def test_outcomes_import_checks_every_row_first(store, tmp_path):
    good = tmp_path / "good.csv"
    good.write_text("uprn,visit_date,outcome,notes\n1,2026-01-02,not_hmo,\n2,2026-01-03,hmo_confirmed,big\n")
    assert outcomes.import_outcomes_csv(store, good, organisation="council", recorded_by="import") == 2
    bad = tmp_path / "bad.csv"
    bad.write_text("uprn,visit_date,outcome\n3,2026-01-02,not_hmo\n4,02/01/2026,not_hmo\n")
    with pytest.raises(StoreError, match="line 3: visit_date '02/01/2026' is not YYYY-MM-DD"):
        outcomes.import_outcomes_csv(store, bad, organisation="council", recorded_by="import")
    assert len(outcomes.current_outcomes(store)) == 2  # nothing from the bad file was stored


def test_audit_log_is_searchable_and_append_only(store):
    audit.record(store, username="ayesha", role="officer", action="view_property", object_type="property",
                 object_id="100023", remote_addr="127.0.0.1")
    audit.record(store, username="gita", role="governance", action="export", object_type="audit_log",
                 object_id="all", detail={"rows": 1})
    assert [e.action for e in audit.search(store)] == ["export", "view_property"]
    only = audit.search(store, username="ayesha")
    assert len(only) == 1 and only[0].object_id == "100023" and only[0].remote_addr == "127.0.0.1"
    assert audit.count(store, action="view_property", object_id="100023") == 1
    assert "view_property" in audit.export_csv(only)
    for statement in ("UPDATE audit_log SET username = 'someone else'", "DELETE FROM audit_log"):
        with pytest.raises(DBAPIError, match="append-only"):
            with store.engine.begin() as connection:
                connection.execute(text(statement))
    assert audit.count(store) == 2
