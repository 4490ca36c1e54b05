"""The review queue: decisions are remembered across runs, keyed by the normalised address."""

from __future__ import annotations

import pyarrow as pa

from oda.engine.duckdb_engine import DuckDBEngine
from oda.link.address.match import AddressMatcher
from oda.link.address.review import DECISIONS, record_decision, review_key, review_queue


def _run(gazetteer: pa.Table, path, addresses: list[str]) -> pa.Table:
    engine = DuckDBEngine(path)
    matcher = AddressMatcher(engine).fit(gazetteer)
    result = matcher.match(pa.table({"id": list(range(len(addresses))), "address": addresses}))
    matcher.close()
    engine.close()
    return result


def test_decisions_are_remembered_on_the_next_run(gazetteer, tmp_path):
    database = tmp_path / "oda.duckdb"
    first = _run(gazetteer, database, ["12 High Street, London", "7 Nonesuch Boulevard"])
    queue = review_queue(first)
    assert queue.column("id").to_pylist() == [0]

    engine = DuckDBEngine(database)
    key = queue.column("review_key")[0].as_py()
    record_decision(engine, key, "choose", uprn=1013, decided_by="analyst")
    record_decision(engine, review_key("7 Nonesuch Boulevard"), "reject")
    assert engine.count(DECISIONS) == 2
    engine.close()

    # Typed differently on the next run: the same normalised address, the same decision.
    again = _run(gazetteer, database, ["12 HIGH ST LONDON", "7 nonesuch boulevard", "14 Oak Road"]).to_pylist()
    assert (again[0]["uprn"], again[0]["tier"]) == (1013, "confident")
    assert "analyst chose 1013" in again[0]["reasons"]
    assert (again[1]["uprn"], again[1]["tier"]) == (None, "unmatched")
    assert again[2]["uprn"] == 1005


def test_the_latest_decision_wins_and_accept_keeps_the_suggestion(gazetteer, tmp_path):
    database = tmp_path / "oda.duckdb"
    engine = DuckDBEngine(database)
    key = review_key("12 High Street, London")
    record_decision(engine, key, "reject")
    record_decision(engine, key, "accept", uprn=1012)
    engine.close()
    row = _run(gazetteer, database, ["12 High Street, London"]).to_pylist()[0]
    assert (row["uprn"], row["tier"]) == (1012, "confident")


def test_a_decision_without_its_uprn_is_refused(tmp_path):
    import pytest

    from oda.errors import LinkError

    engine = DuckDBEngine(tmp_path / "oda.duckdb")
    with pytest.raises(LinkError, match="needs the UPRN"):
        record_decision(engine, "k", "choose")
    with pytest.raises(LinkError, match="is not one of"):
        record_decision(engine, "k", "maybe", uprn=1)  # type: ignore[arg-type]
    engine.close()
