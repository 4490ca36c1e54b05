"""The words of UK addresses: abbreviations, sub-building words, floors, property types.

Everything here is data. The parser (:mod:`oda.link.address.parse`) reads these tables; keeping them
apart means a council can see, and argue with, exactly which words oda treats as what.
"""

from __future__ import annotations

# Abbreviation → full word. Applied to whole tokens after upper-casing and punctuation removal.
# ``ST`` is handled by the parser (SAINT before a name, STREET otherwise).
ABBREVIATIONS: dict[str, str] = {
    "RD": "ROAD", "RAOD": "ROAD",
    "STR": "STREET", "STRT": "STREET",
    "AVE": "AVENUE", "AV": "AVENUE", "AVN": "AVENUE", "AVENEU": "AVENUE",
    "LN": "LANE",
    "CL": "CLOSE", "CLS": "CLOSE",
    "CRES": "CRESCENT", "CRESC": "CRESCENT", "CRS": "CRESCENT", "CR": "CRESCENT",
    "CT": "COURT", "CRT": "COURT",
    "DR": "DRIVE", "DRV": "DRIVE",
    "GDNS": "GARDENS", "GDN": "GARDEN", "GRDNS": "GARDENS",
    "GRN": "GREEN", "GR": "GROVE", "GRV": "GROVE",
    "PL": "PLACE", "PLC": "PLACE",
    "SQ": "SQUARE", "SQR": "SQUARE",
    "TER": "TERRACE", "TERR": "TERRACE", "TCE": "TERRACE",
    "PDE": "PARADE", "PARA": "PARADE",
    "WY": "WAY",
    "HSE": "HOUSE", "HO": "HOUSE",
    "BLDG": "BUILDING", "BLDGS": "BUILDINGS",
    "MNS": "MANSIONS", "MANS": "MANSIONS",
    "EST": "ESTATE",
    "PK": "PARK",
    "HTS": "HEIGHTS",
    "MT": "MOUNT",
    "CNR": "CORNER",
    "WLK": "WALK",
    "MWS": "MEWS",
    "VLS": "VILLAS",
    "COTT": "COTTAGE", "COTTS": "COTTAGES",
    "HL": "HILL",
    "BDWY": "BROADWAY",
    "CTS": "COURTS",
    "RW": "ROW",
    "APPROACH": "APPROACH", "APP": "APPROACH",
    "GT": "GREAT", "LT": "LITTLE", "LWR": "LOWER", "UPR": "UPPER",
    "NTH": "NORTH", "STH": "SOUTH",
}
"""Only unambiguous expansions."""

DIRECTIONS = {"N": "NORTH", "S": "SOUTH", "E": "EAST", "W": "WEST"}
"""Single-letter directions, expanded only before a street type ("Park Rd N")."""

STREET_TYPES = frozenset({
    "ROAD", "STREET", "AVENUE", "LANE", "CLOSE", "CRESCENT", "DRIVE", "GARDENS", "GROVE", "PLACE",
    "SQUARE", "TERRACE", "PARADE", "WAY", "WALK", "MEWS", "ROW", "HILL", "RISE", "VALE", "VIEW",
    "GREEN", "PARK", "COURT", "APPROACH", "BROADWAY", "CAUSEWAY", "CHASE", "CIRCUS", "EMBANKMENT",
    "ESPLANADE", "GATE", "GROUNDS", "PASSAGE", "PATH", "PAVEMENT", "QUAY", "WHARF", "YARD", "END",
    "BANK", "BOULEVARD", "DALE", "FIELDS", "HEIGHTS", "LEA", "MEAD", "ORCHARD", "PROMENADE", "RIDE",
    "RIDGE", "WOOD", "WALKWAY", "CROFT", "CORNER", "CROSS", "FOLD", "GLADE", "GREENWAY", "HOLLOW",
    "LINK", "MOUNT", "RISE", "SIDE", "TOP", "VILLAS", "WYND", "BYPASS", "DRIFT", "ESTATE", "DOWNS",
})
"""Words that end a street name. Used to find where the street stops when there are no commas."""

BUILDING_WORDS = frozenset({
    "HOUSE", "COURT", "MANSIONS", "LODGE", "BUILDING", "BUILDINGS", "TOWER", "TOWERS", "HALL",
    "COTTAGE", "COTTAGES", "FARM", "FARMHOUSE", "BLOCK", "CENTRE", "CENTER", "CHAMBERS", "POINT",
    "HEIGHTS", "APARTMENTS", "WORKS", "MILL", "STUDIOS", "VILLA", "PLAZA", "WHARF", "BARN",
    "EXCHANGE", "ARCADE", "YARD", "PAVILION", "RESIDENCE", "PARADE", "ESTATE", "LOFTS",
})
"""Words that end a building name ("Kestrel House", "Jubilee Court")."""

SUB_BUILDING_WORDS: dict[str, str] = {
    "FLAT": "FLAT", "FLT": "FLAT", "FLATS": "FLAT",
    "APARTMENT": "APARTMENT", "APT": "APARTMENT", "APTS": "APARTMENT", "APPT": "APARTMENT",
    "UNIT": "UNIT", "UNITS": "UNIT",
    "ROOM": "ROOM", "RM": "ROOM", "BEDSIT": "ROOM",
    "STUDIO": "STUDIO",
    "MAISONETTE": "MAISONETTE", "MAIS": "MAISONETTE",
    "SUITE": "SUITE", "STE": "SUITE",
    "OFFICE": "OFFICE",
    "SHOP": "SHOP",
    "WORKSHOP": "UNIT",
    "PLOT": "PLOT",
    "BLOCK": "BLOCK", "BLK": "BLOCK",
}
"""Words that introduce a sub-building identifier ("Flat 2", "Unit 3B", "Apartment 12")."""

FLOOR_LEVELS: dict[str, int] = {
    "BASEMENT": -1, "LOWER": -1, "LGF": -1, "BSMT": -1,
    "GROUND": 0, "GRD": 0, "GND": 0, "G": 0,
    "FIRST": 1, "1ST": 1,
    "SECOND": 2, "2ND": 2,
    "THIRD": 3, "3RD": 3,
    "FOURTH": 4, "4TH": 4,
    "FIFTH": 5, "5TH": 5,
    "SIXTH": 6, "6TH": 6,
    "SEVENTH": 7, "7TH": 7,
    "EIGHTH": 8, "8TH": 8,
    "NINTH": 9, "9TH": 9,
    "TENTH": 10, "10TH": 10,
}
"""Ordinal words naming a floor: "Second Floor Flat" is floor 2. "Lower ground" is -1."""

FLOOR_FLAT_ABBREVIATIONS: dict[str, int] = {
    "GFF": 0, "GFLAT": 0, "FFF": 1, "FFLAT": 1, "SFF": 2, "TFF": 3, "LGFF": -1, "BSMT": -1,
}
"""Estate-agent shorthand: GFF = ground floor flat, FFF = first floor flat, SFF, TFF."""

FLOOR_WORDS = frozenset({"FLOOR", "FLR", "FLOORS"})
TOP_WORDS = frozenset({"TOP"})
TOP_FLOOR = 99
""""Top floor flat" has no number; it is kept as its own code, distinct from every numbered floor."""

PROPERTY_TYPE_WORDS = frozenset({
    "FLAT", "APARTMENT", "MAISONETTE", "STUDIO", "BEDSIT", "ROOM", "HOUSE", "BUNGALOW", "COTTAGE",
    "FARMHOUSE", "SHOP", "UNIT", "OFFICE", "WORKSHOP", "GARAGE", "STORE", "WAREHOUSE", "PUB",
    "HOSTEL", "ANNEXE", "ANNEX", "CHALET", "CARAVAN", "HOUSEBOAT", "LAND", "PLOT",
})
"""Words that say what kind of property it is. Kept as evidence (``property_words``), never as
the name of a street."""

NOISE_WORDS = frozenset({"THE", "OF", "AND", "AT", "C/O", "CO", "REAR", "OFF", "NR", "NEAR", "ADJ",
                         "ADJACENT", "LAND", "TO", "IN", "UK", "UNITED", "KINGDOM", "ENGLAND"})
"""Words that carry no identifying weight when comparing addresses."""

SIDE_WORDS: dict[str, str] = {"LEFT": "L", "RIGHT": "R", "MIDDLE": "M", "MID": "M", "CENTRE": "M"}
"""The door of a tenement flat named by its side: "3 Left" is the flat on the left of the third floor
(key ``3/L``, the same as Glasgow's "3/L"); "First Floor Right" is ``1/R``."""

QUALIFIER_WORDS = frozenset({"REAR", "LAND", "SITE", "PART", "ADJACENT", "ADJ", "ADJOINING", "BEHIND", "NEXT",
                             "OF", "AT", "TO"})
"""Words of a phrase that places a property relative to an address ("Rear of", "Land at", "Land
adjacent to"): kept as evidence, never as a building name."""
LINKING_WORDS = frozenset({"OF", "AT", "TO"})
"""The words that end such a phrase."""
