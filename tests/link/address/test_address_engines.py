"""The same matcher code on DuckDB and on Spark gives the same answers."""

from __future__ import annotations

import pyarrow as pa
import pytest

import oda.link.address.gazetteer_spark as gazetteer_spark
import oda.link.address.prepare as prepare_module
from oda.link.address.match import AddressMatcher
from oda.link.address.review import record_decision, review_key
from oda.link.address.stage import MATCHES, link_addresses
from oda.link.address.synthetic import make_set
from tests.engine_fixtures import both_engines, engine, engine_kind, spark_keepalive  # noqa: F401 - fixtures

ADDRESSES = ["Flat 2, 12 Oak Road", "14 Oka Raod", "Kestrel House, Oak Road", "12 High Street, London",
             "12B Elm Grove", "7 Nonesuch Boulevard", "Ground Floor Flat, 30 Mill Lane"]
EXPECTED = [1003, 1005, 1007, None, 1016, None, 1021]


def test_matching_runs_on_each_engine(engine, gazetteer):  # noqa: F811
    matcher = AddressMatcher(engine).fit(gazetteer)
    result = matcher.match(pa.table({"id": list(range(len(ADDRESSES))), "address": ADDRESSES,
                                     "postcode": ["E15 1AA", "", "", "", "E15 3CC", "", "E15 4DE"]}))
    matcher.close()
    assert result.column("uprn").to_pylist() == EXPECTED
    assert result.column("tier").to_pylist()[3] == "review"
    assert not any(name.startswith("link.addr_work") for name in engine.datasets("link"))


def _borough_sources() -> dict[str, pa.Table]:
    """A small synthetic borough as standardised datasets: the gazetteer, a source with one address
    column (some records arriving with a UPRN to check) and one with address lines."""
    gazetteer, messy = make_set(300, 7, profile="council_tax")
    n = messy.num_rows
    half = n // 2
    supplied = [u if k % 5 == 0 else None for k, u in enumerate(messy.column("true_uprn").to_pylist())]
    one_line = pa.table({"record_id": [f"ct{k}" for k in range(half)],
                         "address": messy.column("address").slice(0, half),
                         "postcode": messy.column("postcode").slice(0, half),
                         "uprn": pa.array(supplied[:half], pa.int64())})
    parts = [a.split(", ") for a in messy.column("address").slice(half).to_pylist()]
    lines = {f"address_line_{k}": [p[k - 1] if len(p) >= k else None for p in parts] for k in range(1, 4)}
    lines["address_line_3"] = [", ".join(p[2:]) or None for p in parts]
    in_lines = pa.table({"record_id": [f"eh{k}" for k in range(n - half)], **lines,
                         "postcode": messy.column("postcode").slice(half)})
    return {"gazetteer": gazetteer.append_column("record_id", pa.array([f"g{k}" for k in range(gazetteer.num_rows)])),
            "council_tax": one_line, "env_health_requests": in_lines}


@pytest.mark.spark
def test_link_stage_matches_alike_on_spark_and_duckdb_and_spark_parses_on_executors(both_engines, monkeypatch):  # noqa: F811
    """The same link.address_matches on both engines, review decisions and supplied UPRNs included;
    on Spark the driver process parses nothing (the gazetteer and the sources are parsed by Python
    workers on the executors)."""
    sources = _borough_sources()
    parsed_here: list[int] = []
    original = prepare_module.parse_addresses

    def spy(texts, postcodes):
        parsed_here.append(len(texts))
        return original(texts, postcodes)

    monkeypatch.setattr(prepare_module, "parse_addresses", spy)
    monkeypatch.setattr(gazetteer_spark, "parse_addresses", spy)
    council_tax = sources["council_tax"].to_pylist()
    decided = {council_tax[1]["record_id"]: ("reject", None),
               council_tax[2]["record_id"]: ("choose", sources["gazetteer"].column("uprn")[0].as_py()),
               council_tax[5]["record_id"]: ("accept", council_tax[5]["uprn"] or 1)}
    keys = {row["record_id"]: review_key(row["address"], row["postcode"]) for row in council_tax}
    matches, driver_parsed = [], []
    for each in both_engines:
        for name, table in sources.items():
            each.write(f"stg.{name}", table)
        for record_id, (decision, uprn) in decided.items():
            record_decision(each, keys[record_id], decision, uprn=uprn)
        parsed_here.clear()
        summary = link_addresses(each, "gazetteer", {name: True for name in sources})
        driver_parsed.append(sum(parsed_here))
        assert {name: s["records"] for name, s in summary.items()} == {
            name: t.num_rows for name, t in sources.items() if name != "gazetteer"}
        matches.append(each.query(f"SELECT * FROM {MATCHES}").sort_by([("source", "ascending"),
                                                                         ("record_id", "ascending")]))
    duck, spark = matches
    gazetteer_rows = sources["gazetteer"].num_rows
    assert driver_parsed == [gazetteer_rows + duck.num_rows, 0]
    assert duck.num_rows == spark.num_rows == sum(t.num_rows for t in sources.values()) - gazetteer_rows
    for column in ("source", "record_id", "uprn", "tier", "candidate_uprn", "runner_up_uprn", "review_key",
                   "matched_to_parent", "uprn_check", "reasons"):
        assert duck.column(column).to_pylist() == spark.column(column).to_pylist(), column
    for column in ("probability", "margin"):
        for d, s in zip(duck.column(column).to_pylist(), spark.column(column).to_pylist()):
            assert (d is None and s is None) or abs(d - s) <= 1e-9, column
    rows = {(r["source"], r["record_id"]): r for r in spark.to_pylist()}
    for record_id, (decision, uprn) in decided.items():
        row = rows[("council_tax", record_id)]
        assert (row["tier"], row["uprn"]) == (("unmatched", None) if decision == "reject" else ("confident", uprn))
        assert "; analyst " in row["reasons"]
    assert {"confirmed", "none"} <= set(spark.column("uprn_check").to_pylist())
    tiers = set(duck.column("tier").to_pylist())
    assert {"exact", "confident"} <= tiers  # a real workload, not all unmatched
    assert not any(name.startswith("link.addr_work") for name in both_engines[1].datasets("link"))
