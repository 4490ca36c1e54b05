"""Test data: a FEBRL4 subset with hand-made hard cases added (nickname, initial, swaps, DOB typos)."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc
from oda.link.entities.febrl import FEBRL_FIELDS, load  # noqa: F401  (re-exported for the tests)
from oda.link.entities.fields import parse_field_option

EXTRA = tuple(parse_field_option(f) for f in FEBRL_FIELDS)
BASE = {"street_number": "7", "address_1": "kestrel avenue", "address_2": "orchard view", "suburb": "mossvale",
        "state": "nsw", "soc_sec_id": None}

# Each case: a record in source a and its partner in source b, differing in one hard way.
CASES = {
    "nickname": ({"first_name": "robert", "surname": "quennell", "dob": "19700512", "postcode": "2577"},
                 {"first_name": "bob", "surname": "quennell", "dob": "19700512", "postcode": "2577"}),
    "initial": ({"first_name": "margarita", "surname": "oyelaran", "dob": "19621103", "postcode": "2578"},
                {"first_name": "m", "surname": "oyelaran", "dob": "19621103", "postcode": "2578"}),
    "swapped": ({"first_name": "tamsin", "surname": "wakeling", "dob": "19811224", "postcode": "2579"},
                {"first_name": "wakeling", "surname": "tamsin", "dob": "19811224", "postcode": "2579"}),
    "day_month": ({"first_name": "oriel", "surname": "pendarves", "dob": "19750304", "postcode": "2580"},
                  {"first_name": "oriel", "surname": "pendarves", "dob": "19750403", "postcode": "2580"}),
    "digits": ({"first_name": "lucasta", "surname": "trevithick", "dob": "19880615", "postcode": "2581"},
               {"first_name": "lucasta", "surname": "trevithick", "dob": "19880651", "postcode": "2581"}),
}


def febrl4_subset(n: int) -> dict[str, pa.Table]:
    """The first ``n`` records of FEBRL4a and their true partners in FEBRL4b."""
    a = load("dataset4a").slice(0, n)
    b = load("dataset4b")
    b = b.filter(pc.is_in(b["truth"], a["truth"]))
    return {"a": a, "b": b}


def with_cases(tables: dict[str, pa.Table]) -> dict[str, pa.Table]:
    out = {}
    for side, name in ((0, "a"), (1, "b")):
        rows = [{**BASE, **case[side], "unique_id": f"case-{key}-{name}", "truth": f"case-{key}"}
                for key, case in CASES.items()]
        extra = pa.Table.from_pylist(rows, schema=tables[name].schema)
        out[name] = pa.concat_tables([tables[name], extra])
    return out


def truth_of(tables: dict[str, pa.Table]) -> dict[tuple[str, str], str]:
    return {(name, u): t for name, table in tables.items()
            for u, t in zip(table["unique_id"].to_pylist(), table["truth"].to_pylist())}


def without_truth(tables: dict[str, pa.Table]) -> dict[str, pa.Table]:
    return {k: v.drop_columns(["truth"]) for k, v in tables.items()}


