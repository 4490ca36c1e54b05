"""Review decisions made in the web app reach the address matcher's decisions dataset, once each."""

from oda.datasets import ADDRESS_REVIEW_DECISIONS
from oda.engine.duckdb_engine import DuckDBEngine
from oda.link.address.review import DECISIONS, decisions
from oda.store import audit
from oda.store.reviews import sync_review_decisions


def decide(store, key, decision, uprn=""):
    audit.record(store, username="ana", role="analyst", action="review_address", object_type="address_review",
                 object_id=key, detail={"decision": decision, "uprn": uprn, "source": "epc", "record_id": "7"})


def test_decisions_sync_once_and_the_latest_wins(store, tmp_path):
    engine = DuckDBEngine(tmp_path / "oda.duckdb")
    decide(store, "k1", "accept", "100021000527")
    decide(store, "k2", "reject")
    assert sync_review_decisions(engine, store) == 2
    assert sync_review_decisions(engine, store) == 0
    assert engine.count(DECISIONS) == 2
    written = engine.query(f"SELECT * FROM {DECISIONS} LIMIT 0").schema.names
    assert list(ADDRESS_REVIEW_DECISIONS.columns) == written
    assert decisions(engine) == {"k1": ("accept", 100021000527), "k2": ("reject", None)}
    engine.close()
