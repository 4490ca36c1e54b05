"""The same matcher code on DuckDB and on Spark gives the same answers."""

from __future__ import annotations

import pyarrow as pa

from oda.link.address.match import AddressMatcher
from tests.engine_fixtures import engine, engine_kind, spark_keepalive  # noqa: F401 - fixtures

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
