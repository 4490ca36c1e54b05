"""The UK address parser on real-world address shapes, and its properties under re-rendering."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oda.link.address.parse import parse_address
from oda.link.address.postcode import normalise_postcode
from oda.link.address.vocabulary import FLOOR_LEVELS, TOP_FLOOR

SHAPES = [
    # text, sao_key, building name, number, street, town, postcode
    ("Flat 2, 12 Oak Road, London E15 1AA", "2", "", "12", "OAK ROAD", "LONDON", "E15 1AA"),
    ("FLAT 2 12 OAK RD LONDON E151AA", "2", "", "12", "OAK ROAD", "LONDON", "E15 1AA"),
    ("flat2 12 oak rd", "2", "", "12", "OAK ROAD", "", ""),
    ("2, 12 Oak Road", "2", "", "12", "OAK ROAD", "", ""),
    ("12B Oak Road", "", "", "12B", "OAK ROAD", "", ""),
    ("12 b Oak Road", "", "", "12B", "OAK ROAD", "", ""),
    ("Flat B 12 Oak Rd", "B", "", "12", "OAK ROAD", "", ""),
    ("2nd Floor Flat, 12 Oak Road", "F2", "", "12", "OAK ROAD", "", ""),
    ("Second Floor Flat 12 Oak Road", "F2", "", "12", "OAK ROAD", "", ""),
    ("Ground Floor Flat, 3 Church Lane, Bow", "F0", "", "3", "CHURCH LANE", "BOW", ""),
    ("GFF 3 Church Lane", "F0", "", "3", "CHURCH LANE", "", ""),
    ("Basement Flat, 3 Church Lane", "F-1", "", "3", "CHURCH LANE", "", ""),
    ("Lower Ground Floor Flat, 3 Church Lane", "F-1", "", "3", "CHURCH LANE", "", ""),
    ("Top Floor Flat, 5 The Green", "F99", "", "5", "THE GREEN", "", ""),
    ("First Floor Flat 2, 12 Oak Road", "2", "", "12", "OAK ROAD", "", ""),
    ("Flat Above, 12 High Street", "ABOVE", "", "12", "HIGH STREET", "", ""),
    ("Apartment 12, Jubilee Court, Wood Lane", "12", "JUBILEE COURT", "", "WOOD LANE", "", ""),
    ("Apt 03 Kestrel Ho, 20 Oak Rd", "3", "KESTREL HOUSE", "20", "OAK ROAD", "", ""),
    ("Flat 3 Kestrel House 20 Oak Road London", "3", "KESTREL HOUSE", "20", "OAK ROAD", "LONDON", ""),
    ("Kestrel House, Oak Road, London", "", "KESTREL HOUSE", "", "OAK ROAD", "LONDON", ""),
    ("14-16 High St, Bow, London E3 2AB", "", "", "14-16", "HIGH STREET", "LONDON", "E3 2AB"),
    ("14 - 16 High St", "", "", "14-16", "HIGH STREET", "", ""),
    ("12 St Johns Rd", "", "", "12", "SAINT JOHNS ROAD", "", ""),
    ("12 High St London", "", "", "12", "HIGH STREET", "LONDON", ""),
    ("12 High St., London.", "", "", "12", "HIGH STREET", "LONDON", ""),
    ("Unit 4, 10 Mill Lane, E1 6AN", "4", "", "10", "MILL LANE", "", "E1 6AN"),
    ("Room 3, 40 Park Avenue", "3", "", "40", "PARK AVENUE", "", ""),
    ("The Old Rectory, Church Road, Little Snoring", "", "THE OLD RECTORY", "", "CHURCH ROAD", "LITTLE SNORING", ""),
    ("12 Oak Road SW1A OAA", "", "", "12", "OAK ROAD", "", "SW1A 0AA"),
    ("12 Oak Road e1 6an London", "", "", "12", "OAK ROAD", "LONDON", "E1 6AN"),
]


@pytest.mark.parametrize("text,sao,building,number,street,town,postcode", SHAPES)
def test_real_world_shapes(text, sao, building, number, street, town, postcode):
    parsed = parse_address(text)
    assert (parsed.sao_key, parsed.building_name, parsed.building_number, parsed.street, parsed.town,
            parsed.postcode) == (sao, building, number, street, town, postcode)


def test_several_lines_read_like_one():
    lines = parse_address(["Flat 2", "12 Oak Road", "Stratford", "London"], "e15 1aa")
    assert lines == parse_address("Flat 2, 12 Oak Road, Stratford, London, E15 1AA")
    assert (lines.locality, lines.town) == ("STRATFORD", "LONDON")


def test_property_type_words_are_kept_as_evidence():
    assert parse_address("Flat Above Shop, 12 High St").property_words == ("FLAT", "SHOP")
    assert parse_address("Maisonette 2, 4 Elm Grove").property_words == ("MAISONETTE",)


def test_postcode_field_wins_over_text_and_missing_is_empty():
    assert parse_address("12 Oak Road E15 1AA", "E15 1AB").postcode == "E15 1AB"
    assert parse_address("12 Oak Road E15 1AA", "not a postcode").postcode == "E15 1AA"
    assert parse_address("12 Oak Road").postcode == ""


@pytest.mark.parametrize("raw,clean", [
    ("e16an", "E1 6AN"), ("E1  6AN", "E1 6AN"), ("SW1A OAA", "SW1A 0AA"), ("SWIA 0AA", "SW1A 0AA"),
    ("E15 IAA", "E15 1AA"), ("ec1a1bb", "EC1A 1BB"), ("XX1 1XX", ""), ("E1", ""), ("", ""), (None, ""),
])
def test_postcodes_normalised_and_repaired_only_when_unambiguous(raw, clean):
    assert normalise_postcode(raw) == clean


# -- properties -------------------------------------------------------------------------------
STEMS = ["OAK", "KESTREL", "PRIORY", "SAINT ANNES", "MILL", "VICTORIA", "HIGHFIELD", "ASHCOMBE"]
STREET_TYPES = [("ROAD", "Rd"), ("STREET", "St"), ("AVENUE", "Ave"), ("LANE", "Ln"), ("GARDENS", "Gdns"),
                ("CLOSE", "Cl"), ("TERRACE", "Terr"), ("GROVE", "Gr")]
BUILDINGS = ["KESTREL HOUSE", "HERON COURT", "OSPREY LODGE", ""]
POSTCODES = ["E15 1AA", "SW1A 0AA", "N16 7TB", "EC1A 1BB", ""]


@st.composite
def addresses(draw):
    flat = draw(st.one_of(st.just(None), st.integers(1, 40), st.sampled_from("ABCD")))
    number = draw(st.one_of(st.just(None), st.integers(1, 400)))
    building = draw(st.sampled_from(BUILDINGS))
    if number is None and not building:
        number = draw(st.integers(1, 400))
    stem = draw(st.sampled_from(STEMS))
    street_type = draw(st.sampled_from(STREET_TYPES))
    town = draw(st.sampled_from(["LONDON", "STRATFORD", ""]))
    postcode = draw(st.sampled_from(POSTCODES))
    return flat, building, number, stem, street_type, town, postcode


def _render(address, style: int) -> tuple[str, str]:
    flat, building, number, stem, (street_type, short), town, postcode = address
    if stem.startswith("SAINT") and style % 2:
        stem = "ST" + stem[5:]
    street = f"{stem} {short if style % 2 else street_type}"
    flat_word = ["Flat", "FLAT", "Apartment", "Flt"][style % 4]
    parts = [f"{flat_word} {flat}" if flat is not None else "", building.title() if style % 3 else building,
             f"{number} {street}" if number is not None else street, town]
    parts = [p for p in parts if p]
    if style == 4:
        return " ".join(parts + [postcode.replace(" ", "")]), ""
    if style == 5:
        return ", ".join(parts).lower(), postcode.lower()
    return ", ".join(parts), postcode


@settings(max_examples=150, deadline=None)
@given(addresses(), st.integers(0, 5))
def test_any_rendering_parses_back_to_the_same_components(address, style):
    flat, building, number, stem, (street_type, _), town, postcode = address
    text, postcode_field = _render(address, style)
    parsed = parse_address(text, postcode_field)
    assert parsed.sao_key == ("" if flat is None else str(flat))
    assert parsed.number == number
    assert parsed.street == f"{stem} {street_type}"
    assert parsed.building_name == building
    assert parsed.postcode == postcode


@settings(max_examples=150, deadline=None)
@given(addresses(), st.integers(0, 5))
def test_the_normalised_line_is_a_fixed_point(address, style):
    """Parsing the parser's own canonical line gives the same parts (so review keys are stable)."""
    text, postcode_field = _render(address, style)
    parsed = parse_address(text, postcode_field)
    again = parse_address(parsed.single_line())
    assert again.single_line() == parsed.single_line()
    assert (again.sao_key, again.number, again.street, again.postcode) == (
        parsed.sao_key, parsed.number, parsed.street, parsed.postcode)


def test_synthetic_borough_variants_parse_to_their_gazetteer_numbers():
    from oda.link.address.synthetic import make_set

    gazetteer, messy = make_set(400, 5, profile="council_tax")
    clean = {u: parse_address(a, p) for u, a, p in zip(*(gazetteer.column(c).to_pylist()
                                                         for c in ("uprn", "address", "postcode")))}
    agree = total = 0
    for text, postcode, uprn, errors in zip(*(messy.column(c).to_pylist()
                                              for c in ("address", "postcode", "true_uprn", "errors"))):
        if "digits_transposed" in errors or "building_name_only" in errors:
            continue
        total += 1
        agree += parse_address(text, postcode).number == clean[uprn].number
    assert agree / total > 0.995


# -- wider UK forms ---------------------------------------------------------------------------
MORE_SHAPES = [
    # text, sao_key, building name, number, street, town, postcode
    # Scottish tenements: floor/door ("1/2" first floor, second door), Edinburgh "2F1", sides.
    ("Flat 1/2, 25 Dumbarton Road, Glasgow G11 6AA", "1/2", "", "25", "DUMBARTON ROAD", "GLASGOW", "G11 6AA"),
    ("0/1 25 Dumbarton Road, Glasgow", "0/1", "", "25", "DUMBARTON ROAD", "GLASGOW", ""),
    ("Flat 0 / 1, 25 Dumbarton Rd", "0/1", "", "25", "DUMBARTON ROAD", "", ""),
    ("Flat G/L, 10 Main Street", "0/L", "", "10", "MAIN STREET", "", ""),
    ("2F1, 10 Marchmont Road, Edinburgh", "2/1", "", "10", "MARCHMONT ROAD", "EDINBURGH", ""),
    ("3 Left, 10 Main Street", "3/L", "", "10", "MAIN STREET", "", ""),
    ("Flat 3 Left, 10 Main St", "3/L", "", "10", "MAIN STREET", "", ""),
    ("First Floor Right, 10 Main Street", "1/R", "", "10", "MAIN STREET", "", ""),
    ("12 Left Bank Road", "", "", "12", "LEFT BANK ROAD", "", ""),
    # Run-together words.
    ("FLAT2 12 OAK ROAD", "2", "", "12", "OAK ROAD", "", ""),
    ("12OAK ROAD, LONDON", "", "", "12", "OAK ROAD", "LONDON", ""),
    ("12A/OAK ROAD", "", "", "12A", "OAK ROAD", "", ""),
    ("1st Floor Flat, 12 Oak Road", "F1", "", "12", "OAK ROAD", "", ""),
    # Slash ranges.
    ("12/14 High Street", "", "", "12-14", "HIGH STREET", "", ""),
    # Qualifiers before the address, and other common forms.
    ("Ground Floor Flat, 3 Church Lane", "F0", "", "3", "CHURCH LANE", "", ""),
    ("Basement, 3 Church Lane", "F-1", "", "3", "CHURCH LANE", "", ""),
    ("Rear of 12 High Street", "", "", "12", "HIGH STREET", "", ""),
    ("Land at 12 High Street, Bow", "", "", "12", "HIGH STREET", "BOW", ""),
    ("Land adjacent to 14 Mill Lane", "", "", "14", "MILL LANE", "", ""),
    ("Land rear of Kestrel House, Oak Road", "", "KESTREL HOUSE", "", "OAK ROAD", "", ""),
    ("Rear Court, 5 Oak Road", "", "REAR COURT", "5", "OAK ROAD", "", ""),
    ("Unit 3-5, Riverside Estate, Mill Lane", "3-5", "RIVERSIDE ESTATE", "", "MILL LANE", "", ""),
    ("Apartment 12B, Kestrel House, 20 Oak Road", "12B", "KESTREL HOUSE", "20", "OAK ROAD", "", ""),
]


@pytest.mark.parametrize("text,sao,building,number,street,town,postcode", MORE_SHAPES)
def test_wider_uk_forms(text, sao, building, number, street, town, postcode):
    parsed = parse_address(text)
    assert (parsed.sao_key, parsed.building_name, parsed.building_number, parsed.street, parsed.town,
            parsed.postcode) == (sao, building, number, street, town, postcode)


def test_qualifiers_are_kept_as_evidence_not_as_a_building_name():
    assert parse_address("Rear of 12 High Street").property_words == ("REAR",)
    assert "LAND" in parse_address("Land adjacent to 14 Mill Lane").property_words


@pytest.mark.parametrize("text,outward,town", [
    ("12 Oak Road, London SW1A", "SW1A", "LONDON"),
    ("12 Oak Road London N1", "N1", "LONDON"),
    ("12 Oak Road, London, E15", "E15", "LONDON"),
])
def test_an_outward_code_alone_is_evidence_never_a_postcode(text, outward, town):
    parsed = parse_address(text)
    assert (parsed.outward, parsed.postcode, parsed.town) == (outward, "", town)
    assert outward not in parsed.words
    assert parse_address(parsed.single_line()).outward == outward  # it survives the canonical line


@pytest.mark.parametrize("text", ["Flat B1, 3 Oak Road", "3 Oak Road, Unit E2", "Kestrel House, Block W1",
                                  "12 Oak Road, London XX1"])
def test_identifiers_and_non_areas_are_not_outward_codes(text):
    assert parse_address(text).outward == ""


def test_the_outward_code_reaches_the_matcher_tables():
    from oda.link.address.prepare import _structure

    parsed = [parse_address("12 Oak Road, London SW1A"), parse_address("12 Oak Road", "E15 1AA")]
    columns = _structure(parsed)
    assert columns["outward"] == ["SW1A", "E15"]
    assert columns["pc"] == ["", "E15 1AA"]


# -- never invents a number -------------------------------------------------------------------
TEXT_PIECES = ["Flat", "FLAT", "Apt", "Unit", "1/2", "0/1", "G/L", "2F1", "3", "12", "12A", "14-16", "12/14",
               "Left", "Right", "Ground", "Floor", "First", "Basement", "Rear", "of", "Land", "at", "Oak", "Road",
               "Rd", "St", "Kestrel", "House", "London", "SW1A", "E15", "1AA", "E15 1AA", "12OAK", "FLAT2", "Top",
               ",", "/", "-", "&", "."]


def _numbers_in(text: str) -> set[int]:
    import re

    return {int(n) for n in re.findall(r"\d+", text)}


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(TEXT_PIECES), max_size=12), st.sampled_from([None, "", "E15 1AA"]))
def test_the_parser_never_invents_a_flat_or_building_number(pieces, postcode):
    text = " ".join(pieces)
    parsed = parse_address(text, postcode)
    seen = _numbers_in(text)
    for value in (parsed.number, parsed.number_end):
        assert value is None or value in seen
    # A flat key's numbers were written as numbers, or are floors named in words ("Basement Left" is
    # -1/L, "First Floor Left" 1/L, "G/L" 0/L).
    named_floors = {abs(FLOOR_LEVELS[w]) for w in text.upper().split() if w in FLOOR_LEVELS} | {0, TOP_FLOOR}
    assert _numbers_in(parsed.sao_key) <= seen | named_floors
    assert parsed.postcode in ("", "E15 1AA", "SW1A 1AA") or parsed.postcode.replace(" ", "") in text.upper()


@pytest.mark.parametrize("text", [shape[0] for shape in MORE_SHAPES] + ["12 Oak Road, London SW1A"])
def test_the_canonical_line_of_the_wider_forms_is_a_fixed_point(text):
    parsed = parse_address(text)
    again = parse_address(parsed.single_line())
    assert again.single_line() == parsed.single_line()
    assert (again.sao_key, again.building_number, again.street, again.outward) == (
        parsed.sao_key, parsed.building_number, parsed.street, parsed.outward)
