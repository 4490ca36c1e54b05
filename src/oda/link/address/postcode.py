"""UK postcodes: normalise, and repair where the repair is unambiguous.

``normalise_postcode("e16an") == "E1 6AN"``; ``normalise_postcode("SW1A OAA") == "SW1A 0AA"`` (a letter
O where the inward code must have a digit); ``normalise_postcode("XX1 1XX")`` is ``""`` (no such area).
A repair is made only when exactly one reading is a valid postcode in a real postcode area.
Valid postcodes and the inward-digit repair come from :mod:`oda.standardise.postcodes` (the same
rules as standardisation); the outward-code repairs (SWIA → SW1A) are the matcher's addition.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import product

from oda.standardise.postcodes import AREAS as STANDARD_AREAS
from oda.standardise.postcodes import normalise_postcode as standard_postcode

AREAS = frozenset(STANDARD_AREAS)
"""The 124 postcode areas of the UK, Channel Islands and Isle of Man."""

_OUTWARD = re.compile(r"^([A-Z]{1,2})([0-9])([0-9A-Z]?)$")
_INWARD = re.compile(r"^[0-9][ABD-HJLNP-UW-Z]{2}$")
_SWAPS = {"O": "O0", "0": "0O", "I": "I1", "1": "1I", "L": "L1"}
_COMPACT = re.compile(r"[^A-Z0-9]")


def _valid(outward: str, inward: str) -> bool:
    match = _OUTWARD.match(outward)
    return bool(match) and match.group(1) in AREAS and bool(_INWARD.match(inward))


@lru_cache(maxsize=1 << 18)
def normalise_postcode(text: str | None) -> str:
    """The postcode in ``text`` as ``"OUTWARD INWARD"``, repaired if unambiguous, else ``""``."""
    if not text:
        return ""
    standard = standard_postcode(text)
    if standard:
        return standard
    compact = _COMPACT.sub("", text.upper())
    if not 5 <= len(compact) <= 7:
        return ""
    outward, inward = compact[:-3], compact[-3:]
    if _valid(outward, inward):
        return f"{outward} {inward}"
    readings = set()
    for chars in product(*(_SWAPS.get(c, c) for c in compact)):
        candidate = "".join(chars)
        out, inw = candidate[:-3], candidate[-3:]
        if _valid(out, inw):
            readings.add(f"{out} {inw}")
    return readings.pop() if len(readings) == 1 else ""


def outward_code(postcode: str) -> str:
    """``"E1 6AN"`` → ``"E1"``."""
    return postcode.split(" ", 1)[0] if postcode else ""


def sector(postcode: str) -> str:
    """``"E1 6AN"`` → ``"E1 6"`` (a postcode sector: a few thousand addresses)."""
    return postcode[:-2] if postcode else ""


def looks_like_postcode(token: str) -> bool:
    """Whether a token (or two tokens run together) could be a postcode once repaired."""
    return 5 <= len(token) <= 7 and any(c.isdigit() for c in token) and bool(normalise_postcode(token))
