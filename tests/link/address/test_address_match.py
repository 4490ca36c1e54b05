"""The matcher's promises, each on an address built to test it."""

from __future__ import annotations

import pyarrow as pa
import pytest

from oda.link.address.match import AddressMatcher

from .conftest import match_one


@pytest.mark.parametrize("address,postcode", [
    ("Flat 2, 12 Oak Road, Stratford", "E15 1AA"),
    ("FLAT 2 12 OAK RD", ""),
    ("Flat 2, 12 Oak Road", "E15 1AB"),          # the neighbouring postcode
    ("Flat 2, 12 Oak Road", "E15 1AX"),          # a postcode that does not exist
    ("flt 02, 12 oak rd, london", "E151AA"),
    ("2, 12 Oak Road", ""),
])
def test_flat_two_at_twelve_is_flat_two_at_twelve(matcher, address, postcode):
    row = match_one(matcher, address, postcode)
    assert row["uprn"] == 1003
    assert row["tier"] in ("exact", "confident")


@pytest.mark.parametrize("address", ["Flat 2, 12 Oak Road", "Flat 2, 14 Oak Road", "Flat 2, 22 Oak Road",
                                     "Flat 4, 12 Oak Road"])
def test_a_flat_is_never_matched_to_another_flat_or_number(matcher, address):
    row = match_one(matcher, address, "E15 1AA")
    wrong = {"Flat 2, 12 Oak Road": {1002, 1004, 1005},
             "Flat 2, 14 Oak Road": {1003, 1002, 1004, 1001},
             "Flat 2, 22 Oak Road": {1018, 1019, 1003},
             "Flat 4, 12 Oak Road": {1002, 1003, 1004}}[address]
    assert row["uprn"] not in wrong
    assert row["candidate_uprn"] not in wrong


def test_another_street_with_the_same_flat_and_number_is_not_accepted_without_review(matcher):
    row = match_one(matcher, "Flat 2, 12 Oak Avenue", "")
    assert row["uprn"] is None
    assert row["tier"] in ("review", "unmatched")


def test_flat_two_of_a_building_without_one_goes_to_the_building_flagged(matcher):
    row = match_one(matcher, "Flat 2, 22 Oak Road", "E15 1AB")
    assert row["candidate_uprn"] == 1017
    assert row["matched_to_parent"] is True
    assert row["tier"] in ("review", "unmatched")


def test_exact_address_is_tier_exact(matcher):
    row = match_one(matcher, "14 Oak Road, Stratford, London", "E15 1AA")
    assert (row["uprn"], row["tier"]) == (1005, "exact")
    assert row["probability"] > 0.95


@pytest.mark.parametrize("address,postcode,uprn", [
    ("14 Oak Road, London", "", 1005),                       # no postcode
    ("14 Oak Road", "E15 1AB", 1005),                        # neighbouring postcode
    ("14 Oak Road", "E15 A1A", 1005),                        # garbled postcode
    ("14 Oka Raod, Stratford", "", 1005),                     # two typos, no postcode
    ("18 Wordswroth Cres", "", 1024),                        # a typo in a rare word
    ("18 Wordsworth Crescent", "N1 9ZZ", 1024),              # a postcode from elsewhere entirely
    ("12B Elm Grove", "E15 3CC", 1016),
    ("Flat B, 12 Elm Grove", "E15 3CC", 1016),               # same unit written the other way
    ("12 Elm Grove", "E15 3CC", 1014),
    ("14-16 Mill Lane", "", 1020),
    ("Apartment 3, Kestrel House, Oak Rd", "", 1010),        # building name and flat, no number
    ("3 Kestrel House, Oak Road", "E15 1AB", 1010),          # "3 Kestrel House" is flat 3
    ("Ground Floor Flat, 30 Mill Lane", "E15 4DE", 1021),
    ("1st Floor Flat 30 Mill Ln", "", 1022),
])
def test_messy_addresses_find_their_property(matcher, address, postcode, uprn):
    row = match_one(matcher, address, postcode)
    assert row["uprn"] == uprn, row["reasons"]


def test_a_building_without_a_flat_is_matched_to_the_parent_and_flagged(matcher):
    row = match_one(matcher, "Kestrel House, Oak Road, Stratford", "")
    assert row["uprn"] == 1007
    assert row["matched_to_parent"] is True
    assert "parent" in row["reasons"]
    row = match_one(matcher, "12 Oak Road", "E15 1AA")
    assert (row["uprn"], row["matched_to_parent"]) == (1001, True)


def test_an_ambiguous_address_goes_to_review_with_its_runner_up(matcher):
    row = match_one(matcher, "12 High Street, London", "")
    assert row["tier"] == "review"
    assert row["uprn"] is None
    assert {row["candidate_uprn"], row["runner_up_uprn"]} == {1012, 1013}
    assert row["margin"] < 1.0


def test_an_address_from_nowhere_is_unmatched(matcher):
    row = match_one(matcher, "7 Nonesuch Boulevard, Atlantis", "ZE9 9ZZ")
    assert (row["uprn"], row["tier"]) == (None, "unmatched")


def test_each_record_carries_probability_tier_runner_up_margin_and_reasons(matcher):
    row = match_one(matcher, "Flat 2, 12 Oak Road", "E15 1AA")
    assert 0.0 <= row["probability"] <= 1.0
    assert row["runner_up_uprn"] is not None and row["margin"] > 0
    assert "flat exact" in row["reasons"] and "number exact" in row["reasons"]


def test_supplied_uprns_are_checked_not_trusted(matcher):
    wrong = match_one(matcher, "Flat 2, 12 Oak Road", "E15 1AA", uprn=1005)
    assert (wrong["uprn"], wrong["uprn_check"]) == (1003, "contradicted")
    unknown = match_one(matcher, "Flat 2, 12 Oak Road", "E15 1AA", uprn=999999)
    assert (unknown["uprn"], unknown["uprn_check"]) == (1003, "unknown")
    right = match_one(matcher, "Flat 2, 12 Oak Road", "E15 1AA", uprn=1003)
    assert (right["uprn"], right["uprn_check"]) == (1003, "confirmed")
    sibling = match_one(matcher, "Flat 2, 12 Oak Road", "E15 1AA", uprn=1004)
    assert sibling["uprn_check"] == "contradicted" and sibling["uprn"] == 1003


def test_many_records_keep_their_ids_and_order(matcher):
    table = pa.table({"id": [10, 11, 12], "address": ["14 Oak Road", None, "16 Oak Road"],
                      "postcode": ["E15 1AA", None, ""]})
    result = matcher.match(table)
    assert result.column("id").to_pylist() == [10, 11, 12]
    assert result.column("uprn").to_pylist() == [1005, None, 1006]


def test_address_lines_are_accepted_instead_of_one_line(gazetteer):
    matcher = AddressMatcher().fit(gazetteer)
    table = pa.table({"record_id": ["a"], "address_line_1": ["Flat 2"], "address_line_2": ["12 Oak Road"],
                      "address_line_3": ["Stratford"], "postcode": ["E15 1AA"]})
    assert matcher.match(table).column("uprn").to_pylist() == [1003]
    matcher.close()


def test_missing_columns_are_reported_clearly(gazetteer):
    from oda.errors import LinkError

    with pytest.raises(LinkError, match="no `uprn` column"):
        AddressMatcher().fit(gazetteer.drop(["uprn"]))
    matcher = AddressMatcher().fit(gazetteer)
    with pytest.raises(LinkError, match="no `id` column"):
        matcher.match(pa.table({"address": ["14 Oak Road"]}))


def test_matching_in_batches_gives_the_same_answers(matcher, monkeypatch):
    import oda.link.address.match as match_module

    table = pa.table({"id": list(range(6)), "address": ["Flat 2, 12 Oak Road", "14 Oak Road", "12B Elm Grove",
                                                        "7 Nowhere", "Kestrel House, Oak Road", "12 High St"],
                      "postcode": ["E15 1AA", "", "E15 3CC", "", "", ""]})
    whole = matcher.match(table)
    monkeypatch.setattr(match_module, "BATCH", 4)
    batched = matcher.match(table)
    assert batched.select(["id", "uprn", "tier", "candidate_uprn"]) == whole.select(["id", "uprn", "tier",
                                                                                     "candidate_uprn"])


# -- A borough whose street names repeat across wards -------------------------------------------------

LOCALITIES = ["ASHCOMBE", "BROOKFIELD", "CANALSIDE", "DENHAM", "ELMSTEAD", "FERNHILL", "GLENWOOD", "HATTON",
              "IVYDALE", "JUNIPER", "KINGSBRIDGE", "LOWER HALE", "MILLFIELDS", "NORTHWOLD", "OAKMERE",
              "PENROSE", "QUARRY HILL", "RIVERSIDE", "STANTON", "THORNBURY", "UPTON", "VALEWOOD",
              "WOODBERRY", "YARDLEY", "ZETLAND"]
"""25 wards, each in its own outward code (E31..E55), each with a Priory Road whose number 12 has
four flats: "Flat 3, 12 Priory Road" exists 25 times, 100 flats of the same number and street."""


def _repeated_streets() -> pa.Table:
    rows, uprn = [], 7000
    for w, place in enumerate(LOCALITIES):
        outward = f"E{31 + w}"
        for number in range(1, 21):
            pc = f"{outward} {1 + number // 10}{'ABDEFGHJ'[number % 8]}{'PQRSTUWX'[number % 5]}"
            rows.append((uprn, f"{number} PRIORY ROAD, {place}, LONDON", pc, None))
            parent, uprn = uprn, uprn + 1
            if number == 12:
                for flat in range(1, 5):
                    rows.append((uprn, f"FLAT {flat}, 12 PRIORY ROAD, {place}, LONDON", pc, parent))
                    uprn += 1
            rows.append((uprn, f"{number} {place.split()[0]} AVENUE, {place}, LONDON", f"{outward} 9ZZ", None))
            uprn += 1
    # Two Willow Roads in the same outward code, in different sectors.
    rows.append((9001, "5 WILLOW ROAD, ASHCOMBE, LONDON", "E31 7QD", None))
    rows.append((9002, "5 WILLOW ROAD, ASHCOMBE, LONDON", "E31 4QP", None))
    return pa.table({"uprn": [r[0] for r in rows], "address": [r[1] for r in rows],
                     "postcode": [r[2] for r in rows], "parent_uprn": pa.array([r[3] for r in rows], pa.int64())})


@pytest.fixture(scope="module")
def repeated() -> tuple[AddressMatcher, dict[str, int]]:
    gazetteer = _repeated_streets()
    matcher = AddressMatcher().fit(gazetteer)
    uprn_of = dict(zip(gazetteer.column("address").to_pylist(), gazetteer.column("uprn").to_pylist()))
    yield matcher, uprn_of
    matcher.close()


@pytest.mark.parametrize("postcode,uprn", [
    ("E31 7DQ", 9001),   # the last two letters swapped
    ("E31 7QE", 9001),   # one letter wrong
    ("E31 4PQ", 9002),
])
def test_a_postcode_one_slip_away_still_matches(repeated, postcode, uprn):
    matcher, _ = repeated
    row = match_one(matcher, "5 Willow Road, London", postcode)
    assert row["uprn"] == uprn, row["reasons"]
    assert "postcode near" in row["reasons"]


def test_a_capped_common_street_still_finds_the_right_flat(repeated):
    from oda.link.address.candidates import WIDE_LIMIT

    matcher, uprn_of = repeated
    row = match_one(matcher, "Flat 3, 12 Priory Rd, Penrose", "")
    assert row["uprn"] == uprn_of["FLAT 3, 12 PRIORY ROAD, PENROSE, LONDON"], row["reasons"]
    # 100 flats share the number and street: the candidates stay within the cap.
    pairs = matcher.match(pa.table({"id": ["r1"], "address": ["Flat 3, 12 Priory Road, Penrose"],
                                    "postcode": [""]}), features=True)
    assert 0 < pairs.num_rows <= WIDE_LIMIT


def test_without_postcode_or_locality_a_repeated_street_is_not_guessed(repeated):
    matcher, _ = repeated
    row = match_one(matcher, "Flat 3, 12 Priory Road, London", "")
    assert row["uprn"] is None
    assert row["tier"] in ("review", "unmatched")


def test_a_postcode_blocks_within_its_outward_code(repeated):
    matcher, uprn_of = repeated
    row = match_one(matcher, "Flat 3, 12 Priory Road", "E44 2GS")  # a real postcode of ward 14, wrong unit
    assert row["uprn"] == uprn_of[f"FLAT 3, 12 PRIORY ROAD, {LOCALITIES[13]}, LONDON"], row["reasons"]
    pairs = matcher.match(pa.table({"id": ["r1"], "address": ["Flat 3, 12 Priory Road"],
                                    "postcode": ["E44 2GS"]}), features=True)
    assert pairs.num_rows < 10


def test_a_postcode_that_holds_the_number_blocks_within_its_sector(repeated):
    matcher, _ = repeated
    # E31 4QP holds a number 5: the Willow Road of sector E31 7 (same outward code) is not a candidate.
    row = match_one(matcher, "5 Willow Road, London", "E31 4QP")
    assert row["uprn"] == 9002, row["reasons"]
    assert row["runner_up_uprn"] is None, row["reasons"]


def test_a_sector_without_the_street_falls_back_to_the_outward_code(repeated):
    matcher, _ = repeated
    # E31 1GP is 5 Priory Road's postcode: its sector has no Willow Road, so both Willow Roads of
    # the outward code are found, and nothing in the address tells them apart.
    row = match_one(matcher, "5 Willow Road, London", "E31 1GP")
    assert {row["candidate_uprn"], row["runner_up_uprn"]} == {9001, 9002}, row["reasons"]
    assert row["uprn"] is None
