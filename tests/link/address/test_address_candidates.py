"""Blocking in a large borough: the building-name rules find the building, not every building that
shares a word with the address."""

from __future__ import annotations

import pyarrow as pa
import pytest

from oda.link.address.candidates import WIDE_LIMIT
from oda.link.address.match import AddressMatcher
from oda.link.address.prepare import prepare_addresses, prepare_gazetteer

from .conftest import match_one

BIRDS = ["KITE", "LARK", "WREN"]
KINDS = ["TOWER", "MANSIONS", "LODGE", "POINT", "COURT", "HOUSE", "APARTMENTS", "BUILDINGS"]
STREETS = ["POPLAR STREET", "CAMBRIDGE CRESCENT", "TENNYSON AVENUE", "GLADSTONE LANE", "VICTORIA WALK",
           "RECTORY ROAD", "LINDEN STREET", "PEMBROKE SQUARE"]


def _many_bird_buildings() -> pa.Table:
    """For each bird, 8 kinds × 8 streets = 64 buildings ("KITE TOWER, 3 POPLAR STREET"), each with
    flats 1–4, in postcodes spread over 16 outward codes: every "Flat 1, Kite ..." address shares
    its rarest building word with 64 buildings and 64 flats 1, more than :data:`WIDE_LIMIT`."""
    rows, uprn = [], 20_000
    for b, bird in enumerate(BIRDS):
        for k, kind in enumerate(KINDS):
            for s, street in enumerate(STREETS):
                outward = f"E{20 + (k * 8 + s) % 16}"
                pc = f"{outward} {1 + s}{'ABDEFGHJ'[k]}{'PQRSTUWX'[b]}"
                number = 1 + 2 * b
                rows.append((uprn, f"{bird} {kind}, {number} {street}, LONDON", pc, None))
                parent, uprn = uprn, uprn + 1
                for flat in range(1, 5):
                    rows.append((uprn, f"FLAT {flat}, {bird} {kind}, {number} {street}, LONDON", pc, parent))
                    uprn += 1
    # An Oak Road with no building number for its flats' address, and an Oak Court elsewhere.
    rows.append((30_001, "FLAT 3, OAK COURT, 9 ELM GROVE, LONDON", "E40 1AA", None))
    rows.append((30_002, "FLAT 3, 4 OAK ROAD, LONDON", "E41 2BB", None))
    rows.append((30_003, "KESTREL HOUSE, 2 MILL LANE, LONDON", "E42 3CC", None))
    # A block with no building number, named like 64 others.
    rows.append((30_004, "KITE TOWER, SOMERFORD STREET, LONDON", "E43 4DD", None))
    rows.append((30_005, "FLAT 2, KITE TOWER, SOMERFORD STREET, LONDON", "E43 4DD", 30_004))
    return pa.table({"uprn": [r[0] for r in rows], "address": [r[1] for r in rows],
                     "postcode": [r[2] for r in rows], "parent_uprn": pa.array([r[3] for r in rows], pa.int64())})


@pytest.fixture(scope="module")
def birds() -> tuple[AddressMatcher, dict[str, int]]:
    gazetteer = _many_bird_buildings()
    matcher = AddressMatcher().fit(gazetteer)
    uprn_of = dict(zip(gazetteer.column("address").to_pylist(), gazetteer.column("uprn").to_pylist()))
    yield matcher, uprn_of
    matcher.close()


def _building_tokens(address: str) -> set[str]:
    gazetteer = prepare_gazetteer(_many_bird_buildings())
    prepared = prepare_addresses(pa.table({"id": ["r1"], "address": [address], "postcode": [""]}), gazetteer)
    return set(prepared.building_tokens.column("token").to_pylist())


def test_a_street_word_is_not_looked_for_among_building_names():
    # No building number: every word may name the building, except the street's.
    assert "OAK" not in _building_tokens("Flat 3, Oak Road, London")
    assert "ROAD" not in _building_tokens("Flat 3, Oak Road, London")
    # A word the address gives as its building name still is.
    assert "OAK" in _building_tokens("Flat 3, Oak Court, Elm Grove, London")
    assert {"KITE", "TOWER"} <= _building_tokens("Flat 1, Kite Tower, 5 Poplar Street")


def test_a_street_named_like_a_building_does_not_find_the_building(birds):
    matcher, _ = birds
    pairs = matcher.match(pa.table({"id": ["r1"], "address": ["Flat 3, Oak Road, London"],
                                    "postcode": [""]}), features=True)
    assert 30_001 not in set(_uprns(matcher, pairs))


def _uprns(matcher: AddressMatcher, pairs: pa.Table) -> list[int]:
    uprn = matcher.gazetteer_.records.column("uprn").to_pylist()
    return [uprn[g] for g in pairs.column("g_id").to_pylist()]


@pytest.mark.parametrize("address,expected", [
    ("Flat 1, Kite Tower, Poplar Street", "FLAT 1, KITE TOWER, 1 POPLAR STREET, LONDON"),
    ("FLAT 4 LARK LODGE, GLADSTONE LN", "FLAT 4, LARK LODGE, 3 GLADSTONE LANE, LONDON"),
    ("Apartment 2, Wren Mansions, Rectory Road, London", "FLAT 2, WREN MANSIONS, 5 RECTORY ROAD, LONDON"),
    ("Flat 2, Kite Tower, Somerford St", "FLAT 2, KITE TOWER, SOMERFORD STREET, LONDON"),   # no number
])
def test_without_a_postcode_the_capped_building_rule_keeps_the_right_flat(birds, address, expected):
    matcher, uprn_of = birds
    row = match_one(matcher, address, "")
    assert row["uprn"] == uprn_of[expected], row["reasons"]
    # 64 buildings and 64 flats of the same number share the bird: the candidates stay within the cap.
    pairs = matcher.match(pa.table({"id": ["r1"], "address": [address], "postcode": [""]}), features=True)
    assert 0 < pairs.num_rows <= WIDE_LIMIT
    assert uprn_of[expected] in _uprns(matcher, pairs)


def test_without_a_postcode_or_street_a_building_named_once_is_still_found(birds):
    # Few buildings share the word: all are kept, though the address names no street.
    row = match_one(birds[0], "Kestrel House, London", "")
    assert row["candidate_uprn"] == 30_003, row["reasons"]
