"""The worklist page asks the store only about properties officers have worked, and pages over the
cached list: it must show exactly what building every row's state and filtering it would show, on
both stores. And with no ping per checkout, a PostgreSQL connection the server has closed must still
not fail the next request."""

from __future__ import annotations

import itertools
import time
from datetime import date

import pytest
from sqlalchemy import create_engine, text

from oda.store import outcomes
from oda.web import queries
from oda.web.permissions import Access
from oda.web.routes import worklist as worklist_route
from oda.web.worklists import STATUSES, Filters, select, worklist_items
from tests.databases import POSTGRES_ADMIN_URL
from tests.web.conftest import csrf_token


def _work_some_properties(store, council: list[str]) -> None:
    """Assigned to olive, to ann, reassigned from olive to ann, visited with and without an assignment."""
    for uprn, assignee in ((council[0], "olive"), (council[1], "ann"), (council[2], "olive"), (council[2], "ann"),
                           (council[4], "olive"), (council[7], "olive")):
        queries.assign(store, worklist_id="wl-test", uprn=uprn, assignee=assignee)
    for uprn in (council[4], council[5]):
        outcomes.record_outcome(store, uprn=uprn, organisation="council", visit_date=date(2026, 1, 5),
                                outcome="no_access", recorded_by="olive")


class _Olive:
    """Just what the worklist functions read of an officer's access."""

    organisation_scope = "council"
    username = "olive"


def test_worked_properties_are_the_latest_assignee_and_any_visit(app, store, borough):
    council = borough[1]["council"]
    _work_some_properties(store, council)
    worked = queries.worked_properties(store, council)
    assert {u: (w.assignee, w.status) for u, w in worked.items()} == {
        council[0]: ("olive", "assigned"), council[1]: ("ann", "assigned"), council[2]: ("ann", "assigned"),
        council[4]: ("olive", "visited"), council[5]: ("", "visited"), council[7]: ("olive", "assigned")}
    assert queries.worked_properties(store, council[8:]) == {}
    assert queries.worked_properties(store, []) == {}


def test_every_filter_matches_building_each_rows_state(app, store, borough, project_data):
    council = borough[1]["council"]
    _work_some_properties(store, council)
    access: Access = _Olive()  # type: ignore[assignment]
    reference = worklist_items(project_data, store, access)
    worked = queries.worked_properties(store, project_data.worklist_uprns(organisation_scope="council"))
    wards = ["", *project_data.wards(organisation_scope="council"), "Nowhere"]
    for ward, status, assignee in itertools.product(wards, ["", *STATUSES], ["", "me", "nobody", "ann", "zed"]):
        filters = Filters(ward, status, assignee)
        expected = [(i.row.uprn, i.assignee, i.status) for i in select(reference, filters, "olive")]
        rows = worklist_route._matching(project_data, "council", filters, worked, "olive")
        shown = [(i.row.uprn, i.assignee, i.status) for i in worklist_route._items(rows, worked)]
        assert shown == expected, filters
    assert len(worklist_route._matching(project_data, "council", Filters(), worked, "olive")) == len(council)


def test_page_counts_and_lists_come_from_the_worked_properties(client_for, store, borough):
    council = borough[1]["council"]
    _work_some_properties(store, council)
    page = client_for("olive").get("/worklist").text
    assert f"{len(council)} of a capacity of" in page
    mine = page.split("Assigned to you, not yet visited")[1].split("</dd>")[0]
    assert mine.endswith(">2")  # council[0] and council[7]; council[4] is visited
    assert '<option value="ann"' in page  # olive herself is "Assigned to me"
    assert "No properties match these filters." in client_for("olive").get("/worklist?ward=Nowhere").text
    fred_page = client_for("fred").get("/worklist").text  # another organisation's worklist, no work on it
    assert all(f"/property/{uprn}" not in fred_page for uprn in council)
    assert '<option value="ann"' not in fred_page


@pytest.mark.postgres
@pytest.mark.parametrize("store", ["postgresql"], indirect=True)
def test_a_terminated_postgresql_connection_does_not_fail_the_next_request(client_for, store, borough):
    officer = client_for("olive")
    assert officer.get("/worklist").status_code == 200
    database = store.engine.url.database
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            killed = connection.execute(text(
                "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = :name AND pid <> pg_backend_pid()"), {"name": database}).scalar()
            assert killed >= 1, "the app held no pooled connection to terminate"
            deadline = time.monotonic() + 10
            while connection.execute(text("SELECT count(*) FROM pg_stat_activity WHERE datname = :name"),
                                     {"name": database}).scalar() and time.monotonic() < deadline:
                time.sleep(0.05)
    finally:
        admin.dispose()
    page = officer.get("/worklist")
    assert page.status_code == 200 and "Worklist" in page.text
    uprn = borough[1]["council"][3]
    assert officer.post(f"/worklist/{uprn}/assign", data={"csrf_token": csrf_token(page.text),
                                                         "next": "/worklist"}).status_code == 303
    assert queries.worked_properties(store, [uprn])[uprn].assignee == "olive"


@pytest.mark.postgres
@pytest.mark.parametrize("store", ["postgresql"], indirect=True)
def test_a_read_is_repeated_once_on_a_connection_that_died_after_checkout(store):
    """The second line of defence, for a connection that dies between the socket check and the query:
    without the check, a read on a terminated connection fails once and then succeeds on a fresh one."""
    from sqlalchemy import event

    from oda.store import db

    assert queries.signed_in_account(store, "nobody", "no-session") is None  # one pooled connection
    event.remove(store.engine, "checkout", db._closed_by_server)
    with store.engine.connect() as connection:
        backend = connection.execute(text("SELECT pg_backend_pid()")).scalar()
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            assert connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": backend}).scalar()
            deadline = time.monotonic() + 10
            while connection.execute(text("SELECT count(*) FROM pg_stat_activity WHERE pid = :pid"),
                                     {"pid": backend}).scalar() and time.monotonic() < deadline:
                time.sleep(0.05)
    finally:
        admin.dispose()
    attempts = []

    def read():
        attempts.append(1)
        with store.engine.connect() as connection:
            return connection.execute(text("SELECT 42")).scalar()

    assert db.retry_on_disconnect(read) == 42 and len(attempts) == 2
