"""Businesses: a landlord company seen at many homes is one business, and shops stay apart."""

from __future__ import annotations

import pyarrow as pa

from oda.link.entities.resolve import ResolveOptions, resolve


def test_a_landlord_company_billed_at_many_homes_is_one_business():
    words = ["amber", "birch", "cobalt", "delta", "ember", "fable", "garnet", "harbour", "indigo", "juniper",
             "kestrel", "lumen", "meadow", "nimbus", "onyx", "pebble", "quartz", "russet", "saffron", "tundra"]
    kinds = ["cafe", "motors", "barbers", "pharmacy", "bakery"]
    names = [f"{w} {k}" for w in words for k in kinds][:90]
    # ninety shops, each on the rates and in the companies register at an accountant's office
    rates = {"unique_id": [f"r{i}" for i in range(90)], "name": [n.title() for n in names],
             "postcode": [f"E2{i % 9} {i % 7}AB" for i in range(90)], "address": [f"{i} High Street" for i in range(90)]}
    companies = {"unique_id": [f"c{i}" for i in range(90)], "name": [f"{n.upper()} LTD" for n in names],
                 "company_number": [f"{12000000 + i:08d}" for i in range(90)],
                 "postcode": ["WC2H 9JQ"] * 90, "address": ["71-75 Shelton Street"] * 90}
    # one landlord company billed council tax at forty homes, registered at the accountant's
    tax = {"unique_id": [f"t{i}" for i in range(40)], "name": ["Abbot Rentals Ltd"] * 40,
           "postcode": [f"E3{i % 9} {i % 5}CD" for i in range(40)], "address": [f"Flat {i}, {i} Mill Road" for i in range(40)]}
    companies = {k: v + [x] for k, v, x in zip(companies, companies.values(),
                                               ["c-abbot", "ABBOT RENTALS LIMITED", "12999999", "WC2H 9JQ", "71-75 Shelton Street"])}
    # companies with two officers appear twice in the register
    companies = {k: v + [f"{x}-2" if k == "unique_id" else x for x in v[:45]] for k, v in companies.items()}
    inputs = {"rates": pa.table(rates), "companies": pa.table(companies), "council_tax": pa.table(tax)}
    result = resolve(inputs, ResolveOptions(entity="business"))
    c = result.clusters
    cluster = dict(zip(zip(c["source"].to_pylist(), c["unique_id"].to_pylist()), c["cluster_id"].to_pylist()))
    landlord = {cluster[("council_tax", f"t{i}")] for i in range(40)} | {cluster[("companies", "c-abbot")]}
    assert len(landlord) == 1
    assert sum(1 for i in range(90) if cluster[("rates", f"r{i}")] == cluster[("companies", f"c{i}")]) >= 88
    assert cluster[("rates", "r0")] != cluster[("rates", "r1")]
