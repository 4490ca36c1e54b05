"""The serving read model: out.property_records and the serving snapshot published with a worklist.

What the app shows must not depend on how it reads it (the snapshot or joining the datasets per
request); a worklist published while the app runs must reach it; and the app must keep serving the
worklist and property pages while a pipeline command holds the project's file.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import textwrap

import pyarrow as pa
import pytest
from fastapi.testclient import TestClient

from oda.act.property_records import publish_property_records, publish_serving_snapshot, serving_path
from oda.act.worklist import publish_worklist
from oda.datasets import PROPERTY_RECORDS, WORKLIST
from oda.engine.duckdb_engine import DuckDBEngine
from oda.errors import EngineError
from oda.project.models import WorklistSettings
from oda.store import accounts
from oda.web import create_app
from oda.web.data import ProjectData, plain
from oda.web.settings import WebSettings
from tests.web.borough import build_borough
from tests.web.conftest import PASSWORD, sign_in


def _publish(database) -> None:
    """What publishing a worklist writes for the app, after ``out.worklist`` itself."""
    engine = DuckDBEngine(database)
    try:
        publish_property_records(engine)
        publish_serving_snapshot(engine)
    finally:
        engine.close()


def _shown(view) -> dict:
    """A property view as the page shows it: every value as text."""
    return {
        "gazetteer": {k: plain(v) for k, v in view.gazetteer.items()},
        "score": {k: plain(v) for k, v in (view.score or {}).items()},
        "reasons": view.reasons,
        "records": {source: [(r.record_id, r.tier, r.probability, r.reasons, r.person_id, r.business_id,
                              {k: plain(v) for k, v in r.fields.items()}) for r in records]
                    for source, records in sorted(view.records.items())},
    }


@pytest.fixture
def borough(tmp_path):
    root = tmp_path / "borough"
    uprns = build_borough(root, properties=30, per_organisation=8)
    return root, root / ".oda" / "oda.duckdb", uprns


def test_the_snapshot_shows_what_joining_the_datasets_shows(borough):
    _root, database, uprns = borough
    joined = ProjectData(database)
    expected = {u: _shown(joined.property(u)) for u in uprns["council"] + uprns["unlisted"][:5]}
    worklist = joined.worklist(organisation_scope=None)
    joined.close()
    assert not serving_path(database).exists()

    _publish(database)
    served = ProjectData(database)
    try:
        assert served.serving.has("property_records") and served.serving.has("worklist")
        assert served.worklist(organisation_scope=None) == worklist
        for uprn, shown in expected.items():
            assert _shown(served.property(uprn)) == shown, uprn
        assert sum(len(rs) for rs in served.property(uprns["council"][0]).records.values()) == 4
        assert served.property("999999999") is None
        assert served.property_organisations(uprns["council"][0]) == {"council"}
        assert served.property_organisations(uprns["fire"][0]) == {"fire"}
        assert served.property_organisations(uprns["unlisted"][0]) == set()
    finally:
        served.close()


def test_published_records_are_one_row_per_linked_record_ordered_by_uprn(borough):
    _root, database, _uprns = borough
    _publish(database)
    engine = DuckDBEngine(database)
    try:
        linked = engine.query("SELECT count(*) AS n FROM link.address_matches "
                              "WHERE tier <> 'unmatched' AND uprn IS NOT NULL").to_pylist()[0]["n"]
        table = engine.read(PROPERTY_RECORDS.name)
        assert table.num_rows == linked
        assert tuple(table.schema.names) == PROPERTY_RECORDS.columns
        assert table.column("uprn").to_pylist() == sorted(table.column("uprn").to_pylist())
        assert not any('"_row"' in f or '"uprn"' in f for f in table.column("fields").to_pylist())
    finally:
        engine.close()


def test_a_worklist_published_while_the_app_runs_reaches_it(borough):
    _root, database, uprns = borough
    _publish(database)
    data = ProjectData(database)
    data.change_check_seconds = 0  # look at the files on every call, not once a second
    try:
        before = data.worklist(organisation_scope="council")
        assert [r.uprn for r in before] == uprns["council"]
        first_snapshot = data.serving._opened

        # A new worklist: the council's list reversed under a new id, written as `oda worklist` writes it.
        engine = DuckDBEngine(database)
        table = engine.read(WORKLIST.name)
        rows = [r for r in table.to_pylist() if r["organisation"] == "council"][::-1]
        for rank, row in enumerate(rows, start=1):
            row.update(rank=rank, worklist_id="council-2026-12")
        engine.write(WORKLIST.name, pa.Table.from_pylist(rows, schema=table.schema))
        publish_serving_snapshot(engine)
        engine.close()

        after = data.worklist(organisation_scope="council")
        assert [r.uprn for r in after] == uprns["council"][::-1]
        assert {r.worklist_id for r in after} == {"council-2026-12"}
        assert data.property_organisations(uprns["fire"][0]) == set()  # the fire list was not republished
        assert data.serving._opened is not first_snapshot and first_snapshot.retired
    finally:
        data.close()


HOLD_THE_FILE = textwrap.dedent("""
    import sys, duckdb
    connection = duckdb.connect(sys.argv[1])  # read-write: what a pipeline command holds while it runs
    print("holding", flush=True)
    sys.stdin.read()
""")


def test_pages_are_served_from_the_snapshot_while_a_pipeline_command_holds_the_file(borough, store):
    root, database, uprns = borough
    _publish(database)
    holder = subprocess.Popen([sys.executable, "-c", HOLD_THE_FILE, str(database)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "holding"
        accounts.add_user(store, "olive", PASSWORD, role="officer", organisation="council")
        data = ProjectData(database)
        app = create_app(root, store=store, settings=WebSettings(secret_key="test-secret-" + "x" * 32), data=data)
        with TestClient(app, follow_redirects=False) as client:
            assert sign_in(client, "olive").status_code == 303
            worklist = client.get("/worklist")
            assert worklist.status_code == 200 and uprns["council"][0] in worklist.text
            page = client.get(f"/property/{uprns['council'][0]}")
            assert page.status_code == 200 and "Resident00 Surname0" in page.text
            with pytest.raises(EngineError, match="cannot open the project database"):
                data.linkage_quality()  # the project's file itself is held: only the snapshot could serve
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)


def test_publishing_a_worklist_writes_what_the_running_app_reads(borough):
    _root, database, uprns = borough
    engine = DuckDBEngine(database)
    engine.execute("CREATE TABLE feat.dwellings AS SELECT uprn, parent_uprn, classification, address, postcode, "
                   "ward, 'Test Street' AS street, lat, lon, NULL AS imd_decile FROM stg.gazetteer")
    engine.execute("CREATE TABLE feat.property AS SELECT uprn, 0 AS licensed_now FROM stg.gazetteer")
    engine.close()
    data = ProjectData(database)
    data.change_check_seconds = 0
    try:
        assert [r.uprn for r in data.worklist(organisation_scope="council")] == uprns["council"]  # the builder's
        engine = DuckDBEngine(database)
        worklist = publish_worklist(engine, WorklistSettings(exploration_share=0.0), as_of=dt.date(2026, 11, 20),
                                    capacity=5, organisation="council")
        engine.close()

        served = data.worklist(organisation_scope="council")
        assert {r.worklist_id for r in served} == {worklist.worklist_id}
        assert [r.uprn for r in served] == worklist.table.column("uprn").to_pylist()
        assert served[0].uprn == uprns["council"][0]  # the borough's scores fall with the UPRN
        assert data.serving.has("property_records") and data.serving.has("datasets")
        records = data.property(served[0].uprn).records
        assert {s: len(rs) for s, rs in records.items()} == {"companies": 1, "council_tax": 2, "fire_incidents": 1}
    finally:
        data.close()
