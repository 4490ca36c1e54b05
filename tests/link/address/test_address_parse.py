"""The UK address parser on real-world address shapes, and its properties under re-rendering."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oda.link.address.parse import parse_address
from oda.link.address.postcode import normalise_postcode

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
