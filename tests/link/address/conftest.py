"""A small hand-made gazetteer whose traps are known, padded with ordinary streets for realistic
word statistics."""

from __future__ import annotations

import pyarrow as pa
import pytest

from oda.link.address.match import AddressMatcher

TRAPS = [
    # uprn, address, postcode, parent
    (1001, "12 OAK ROAD, STRATFORD, LONDON", "E15 1AA", None),
    (1002, "FLAT 1, 12 OAK ROAD, STRATFORD, LONDON", "E15 1AA", 1001),
    (1003, "FLAT 2, 12 OAK ROAD, STRATFORD, LONDON", "E15 1AA", 1001),
    (1004, "FLAT 3, 12 OAK ROAD, STRATFORD, LONDON", "E15 1AA", 1001),
    (1005, "14 OAK ROAD, STRATFORD, LONDON", "E15 1AA", None),
    (1006, "16 OAK ROAD, STRATFORD, LONDON", "E15 1AB", None),
    (1007, "KESTREL HOUSE, 20 OAK ROAD, STRATFORD, LONDON", "E15 1AB", None),
    (1008, "FLAT 1, KESTREL HOUSE, 20 OAK ROAD, STRATFORD, LONDON", "E15 1AB", 1007),
    (1009, "FLAT 2, KESTREL HOUSE, 20 OAK ROAD, STRATFORD, LONDON", "E15 1AB", 1007),
    (1010, "FLAT 3, KESTREL HOUSE, 20 OAK ROAD, STRATFORD, LONDON", "E15 1AB", 1007),
    (1011, "12 OAK AVENUE, STRATFORD, LONDON", "E15 2BB", None),
    (1012, "12 HIGH STREET, STRATFORD, LONDON", "E15 1XY", None),
    (1013, "12 HIGH STREET, BOW, LONDON", "E3 2AB", None),
    (1014, "12 ELM GROVE, STRATFORD, LONDON", "E15 3CC", None),
    (1015, "12A ELM GROVE, STRATFORD, LONDON", "E15 3CC", None),
    (1016, "12B ELM GROVE, STRATFORD, LONDON", "E15 3CC", None),
    (1017, "22 OAK ROAD, STRATFORD, LONDON", "E15 1AB", None),
    (1018, "FLAT 1, 22 OAK ROAD, STRATFORD, LONDON", "E15 1AB", 1017),
    (1019, "FLAT 3, 22 OAK ROAD, STRATFORD, LONDON", "E15 1AB", 1017),
    (1020, "14-16 MILL LANE, STRATFORD, LONDON", "E15 4DD", None),
    (1021, "GROUND FLOOR FLAT, 30 MILL LANE, STRATFORD, LONDON", "E15 4DE", 1023),
    (1022, "FIRST FLOOR FLAT, 30 MILL LANE, STRATFORD, LONDON", "E15 4DE", 1023),
    (1023, "30 MILL LANE, STRATFORD, LONDON", "E15 4DE", None),
    (1024, "18 WORDSWORTH CRESCENT, STRATFORD, LONDON", "E15 5EE", None),
]
FILLER_STREETS = ["VICTORIA ROAD", "ALBERT STREET", "CHURCH LANE", "PARK AVENUE", "STATION ROAD",
                  "WORDSWORTH CRESCENT", "QUEENS ROAD", "KINGS ROAD", "MANOR GROVE", "GREEN LANE"]


def gazetteer_rows() -> list[tuple[int, str, str, int | None]]:
    rows = list(TRAPS)
    uprn = 5000
    for s, street in enumerate(FILLER_STREETS):
        for number in range(1, 41):
            if street == "WORDSWORTH CRESCENT" and number == 18:
                continue
            rows.append((uprn, f"{number} {street}, STRATFORD, LONDON", f"E15 {6 + s}{'ABCDEFGH'[number // 6]}Z",
                         None))
            uprn += 1
    return rows


@pytest.fixture(scope="session")
def gazetteer() -> pa.Table:
    rows = gazetteer_rows()
    return pa.table({"uprn": [r[0] for r in rows], "address": [r[1] for r in rows],
                     "postcode": [r[2] for r in rows], "parent_uprn": pa.array([r[3] for r in rows], pa.int64())})


@pytest.fixture(scope="session")
def matcher(gazetteer: pa.Table) -> AddressMatcher:
    return AddressMatcher().fit(gazetteer)


def match_one(matcher: AddressMatcher, address: str, postcode: str = "", uprn: int | None = None) -> dict:
    table = pa.table({"id": ["r1"], "address": [address], "postcode": [postcode],
                      "uprn": pa.array([uprn], pa.int64())})
    return matcher.match(table).to_pylist()[0]
