"""Scoring a candidate pair, component by component, and turning scores into decisions.

Each pair gets a **level** per component — postcode (exact / one slip off / same sector /
same outward code / different / missing), building number, sub-building (flat) — and three
**word coverages**, weighted by how rare each word is in the gazetteer (inverse document
frequency): how much of the gazetteer street the messy address mentions, how much of the building
name, how much of the locality and town, and how much of the messy address the gazetteer record
does *not* explain. "High Street" is weak evidence; "Kestrel House" is strong.

Numbers and flats are **hard constraints**: a pair whose building numbers or flats disagree is never
a candidate ("Flat 2, 12 Oak Road" is never Flat 3 or number 14). Some disagreements are not
disagreements: "12B" and "Flat B, 12" are the same place written two ways (level ``cross``), and
"3 Jubilee Court" is very often Flat 3 in Jubilee Court (``as_flat``).

The score is a log-odds: a weighted sum of the levels and coverages (:data:`WEIGHTS`). The weights
were fitted by logistic regression on candidate pairs from synthetic messy addresses whose true
UPRN is known (``benchmarks/address/calibrate.py``, a different seed and gazetteer from every test
and benchmark set), so ``sigmoid(score)`` is a calibrated probability that the pair is a match.
The record's match probability then accounts for its competitors: with best score ``s1`` and the
others ``sk``, ``p = e^s1 / (1 + Σ e^sk)`` (a conditional logit with a "none of these" option, which
is also how the weights are fitted), so two equally good candidates make a coin toss.
"""

from __future__ import annotations

from typing import Literal

Tier = Literal["exact", "confident", "review", "unmatched"]

NUMBER_LEVEL_SQL = """CASE
    WHEN i.num IS NULL AND g.num IS NULL THEN 'none'
    WHEN i.num = g.num AND COALESCE(i.num_end, -1) = COALESCE(g.num_end, -1) AND i.rsfx = g.rsfx THEN 'exact'
    WHEN i.num = g.num AND i.rsfx = g.rsfx THEN 'range_partial'
    WHEN i.num = g.num AND (i.rsfx = '' OR g.rsfx = '') THEN 'suffix_missing'
    WHEN g.num_end IS NOT NULL AND i.num > g.num AND i.num <= g.num_end AND i.unit = '' THEN 'in_range'
    WHEN i.num_rev = g.num AND COALESCE(i.num_end, -1) = COALESCE(g.num_end, -1) AND i.rsfx = g.rsfx THEN 'transposed'
    WHEN i.num IS NULL THEN 'input_missing'
    WHEN g.bname <> '' AND i.unit = '' AND g.unit_rank = i.num THEN 'as_flat'
    WHEN g.num IS NULL THEN 'candidate_missing'
    ELSE 'reject' END"""
"""Building numbers. A number's letter suffix is compared as the flat ("12B" is unit B of 12) unless
the address also names a flat ("Flat 2, 12B"), when it is part of the number."""

_FLAT_LEVEL_CASE = """CASE
    WHEN {num_level} = 'as_flat' THEN 'alias'
    WHEN i.unit = '' AND g.unit = '' THEN 'none'
    WHEN i.unit = g.unit AND i.unit_sfx = g.unit_sfx THEN 'exact'
    WHEN i.unit = g.unit THEN 'cross'
    WHEN i.unit = '' THEN 'input_missing'
    WHEN g.unit = '' AND g.has_children THEN 'candidate_missing_flats'
    WHEN g.unit = '' THEN 'candidate_missing'
    WHEN i.unit_rank = g.unit_rank THEN 'alias'
    WHEN i.unit_floor = g.unit_floor THEN 'alias'
    WHEN i.unit_rank = g.position THEN 'position'
    WHEN i.unit_floor IS NOT NULL AND g.unit_rank IS NOT NULL AND g.unit_rank = i.unit_floor + 1 THEN 'floor_guess'
    WHEN g.unit_floor IS NOT NULL AND i.unit_rank IS NOT NULL AND i.unit_rank = g.unit_floor + 1 THEN 'floor_guess'
    WHEN i.unit_floor IS NOT NULL AND g.unit_rank IS NOT NULL
         AND g.unit_rank BETWEEN i.unit_floor AND i.unit_floor + 2 THEN 'floor_near'
    WHEN g.unit_floor IS NOT NULL AND i.unit_rank IS NOT NULL
         AND i.unit_rank BETWEEN g.unit_floor AND g.unit_floor + 2 THEN 'floor_near'
    ELSE 'reject' END"""


def flat_level_sql(num_level: str = "num_level") -> str:
    """:data:`FLAT_LEVEL_SQL` with the number level given as an expression (``num_level``: a column
    of that name), so that both levels can be computed in one pass over the pairs."""
    return _FLAT_LEVEL_CASE.format(num_level=num_level)


FLAT_LEVEL_SQL = flat_level_sql()
"""Sub-buildings. Hard disagreements (Flat 2 / Flat 3, first / second floor) are rejected. The same
unit written two ways ("12B" / "Flat B, 12") is ``cross``; a letter and a number of the same rank
("Flat B" / "Flat 2") are ``alias``; a letter or number and a flat named by its floor are compared by
the flat's order from the bottom among the building's flats (``position``: "Flat A" is the lowest);
a floor and a flat number are compared by the usual order
(ground floor = 1 = A: ``floor_guess``, one off: ``floor_near``) — weak evidence that leaves the
decision to the rest of the address and to the other flats in the building."""

POSTCODE_LEVEL_SQL = """CASE
    WHEN i.pc = '' THEN 'missing'
    WHEN g.pc = '' THEN 'missing'
    WHEN i.pc = g.pc THEN 'exact'
    WHEN levenshtein(i.pc, g.pc) <= 1 THEN 'near'
    WHEN length(i.pc) = length(g.pc)
         AND substr(i.pc, 1, length(i.pc) - 2) = substr(g.pc, 1, length(g.pc) - 2)
         AND substr(i.pc, length(i.pc) - 1, 1) = substr(g.pc, length(g.pc), 1)
         AND substr(i.pc, length(i.pc), 1) = substr(g.pc, length(g.pc) - 1, 1) THEN 'near'
    WHEN i.sector = g.sector THEN 'sector'
    WHEN i.outward = g.outward THEN 'outward'
    ELSE 'different' END"""
"""Postcodes. A mistyped postcode usually differs by one character or has its last two letters
swapped (``near``: "E22 4ZH" for "E22 4HZ"); a neighbour's postcode usually shares the sector."""

LEVELS: dict[str, tuple[str, ...]] = {
    "pc": ("exact", "sector", "near", "outward", "different", "missing"),
    "num": ("exact", "none", "transposed", "range_partial", "suffix_missing", "in_range", "input_missing", "as_flat",
            "candidate_missing"),
    "flat": ("exact", "none", "cross", "alias", "position", "floor_guess", "floor_near", "input_missing",
             "candidate_missing", "candidate_missing_flats"),
}
COVERAGES = ("street_cov", "street_none", "bname_cov", "bname_none", "loc_cov", "unexplained", "type_conflict",
             "place_conflict", "floor_small_building", "street_at_postcode")
"""Continuous features: coverage of the candidate's street / building name / locality+town by the
messy address (0–1; ``*_none`` is 1 when the candidate has no such part), and the rarity-weighted
amount of the messy address the candidate does not explain (capped at 12); ``type_conflict`` is 1
when the messy address names a street type (Road, Avenue, ...) and none of them is the candidate's;
``place_conflict`` when it names a locality (a word the gazetteer uses for some places, not all) that
the candidate is not in; ``floor_small_building`` marks a floor-versus-flat guess in a building of
three flats or fewer (where "ground floor" is usually the first flat); ``street_at_postcode`` is 1 when
the address's postcode holds no address with its building number (so it is probably wrong), is not
the candidate's, but the candidate's street runs through it (a neighbour's postcode, typed by
mistake, still points at the right street in the right ward)."""

WEIGHTS: dict[str, float] = {
    "intercept": -2.761,
    "pc:exact": 1.835,
    "pc:sector": -0.434,
    "pc:near": 0.526,
    "pc:outward": -1.990,
    "pc:different": -0.880,
    "pc:missing": 0.910,
    "num:exact": 2.033,
    "num:none": 1.447,
    "num:transposed": -2.114,
    "num:range_partial": -0.015,
    "num:suffix_missing": 0.875,
    "num:in_range": -0.006,
    "num:input_missing": 0.131,
    "num:as_flat": -1.139,
    "num:candidate_missing": -1.244,
    "flat:exact": 4.049,
    "flat:none": 2.334,
    "flat:cross": 1.281,
    "flat:alias": 1.532,
    "flat:position": 1.483,
    "flat:floor_guess": -0.287,
    "flat:floor_near": -1.518,
    "flat:input_missing": -1.114,
    "flat:candidate_missing": -1.860,
    "flat:candidate_missing_flats": -5.934,
    "street_cov": 0.897,
    "street_none": 0.000,
    "bname_cov": 1.242,
    "bname_none": 1.343,
    "loc_cov": 0.102,
    "unexplained": -2.166,
    "type_conflict": -1.586,
    "place_conflict": -0.234,
    "floor_small_building": -0.913,
    "street_at_postcode": -0.217,
}
"""Log-odds weights, fitted by ``benchmarks/address/calibrate.py --properties 50000 --seed 424242``
(five sources' error profiles, 266k addresses including some whole buildings, 3% of units held out of the
gazetteer so that "no match" is learnt too). The borough must be large enough to repeat street names
across wards and outward codes (at 14k properties it has one outward code, and ``pc:different`` is never
seen). Re-run it after changing a feature, and paste its output here."""


def logit_sql(weights: dict[str, float] = WEIGHTS) -> str:
    """The score of a pair as one SQL expression over its feature columns."""
    terms = [f"{weights['intercept']:.6f}"]
    for component, levels in LEVELS.items():
        cases = " ".join(
            f"WHEN '{level}' THEN {weights.get(f'{component}:{level}', 0.0):.6f}" for level in levels
        )
        terms.append(f"(CASE {component}_level {cases} ELSE 0 END)")
    terms += [f"{weights.get(name, 0.0):.6f} * {name}" for name in COVERAGES]
    return " + ".join(terms)


def match_probability_sql(best: str, others: str) -> str:
    """The record's match probability ``e^s1 / (1 + Σ e^sk)`` as SQL, given the best score and
    ``others`` = Σ e^(sk - max(s1, 0)) over the other candidates (computed stably)."""
    top = f"GREATEST({best}, 0.0)"
    return f"exp({best} - {top}) / (exp({best} - {top}) + {others} + exp(-{top}))"


CONFIDENT = 0.65
"""A match at or above this probability is accepted without review. Chosen on the calibration set
(not a test set): the lowest round threshold whose precision there is at least 99.6%."""
REVIEW = 0.2
"""Below this the best candidate is not worth an analyst's time: the record is unmatched."""


def tier_sql(probability: str, exact: str) -> str:
    return (f"CASE WHEN {probability} IS NULL THEN 'unmatched' "
            f"WHEN {exact} AND {probability} >= {CONFIDENT} THEN 'exact' "
            f"WHEN {probability} >= {CONFIDENT} THEN 'confident' "
            f"WHEN {probability} >= {REVIEW} THEN 'review' ELSE 'unmatched' END")
