"""UK postcodes in the canonical ``"AA9A 9AA"`` form: upper case, one space before the inward code.

Anything that is not a postcode once spaces and punctuation are removed becomes NULL (SQL) or
``None`` (Python). One repair is made, the one that cannot be wrong: the inward code always starts
with a digit, so a letter O, I or L there is read as 0, 1 or 1 (``"SW1A OAA"`` → ``"SW1A 0AA"``).

>>> normalise_postcode(" sw1a-1aa ")
'SW1A 1AA'
>>> normalise_postcode("XX1 1XX") is None
True
"""

from __future__ import annotations

import re

from oda.engine.base import Dialect
from oda.standardise.text import as_text

AREAS = (
    "AB AL B BA BB BD BH BL BN BR BS BT CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN DT DY E EC "
    "EH EN EX FK FY G GL GU GY HA HD HG HP HR HS HU HX IG IM IP IV JE KA KT KW KY L LA LD LE LL LN LS LU "
    "M ME MK ML N NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM S SA SE SG SK SL SM SN SO SP SR SS "
    "ST SW SY TA TD TF TN TQ TR TS TW UB W WA WC WD WF WN WR WS WV YO ZE"
).split()
"""The 124 postcode areas of the UK, Channel Islands and Isle of Man."""

POSTCODE_PATTERN = (
    "^(GIR 0AA|(" + "|".join(sorted(AREAS, key=lambda a: (-len(a), a))) + ")[0-9][0-9A-Z]? [0-9][ABD-HJLNP-UW-Z]{2})$"
)
"""A canonical postcode: a real area, a district, one space, the inward code (RE2/Java/Python regex)."""

_VALID = re.compile(POSTCODE_PATTERN)
_NOT_ALNUM = re.compile(r"[^A-Za-z0-9]")
_INWARD_DIGIT = str.maketrans("OIL", "011")


def normalise_postcode(text: str | None) -> str | None:
    """The postcode in ``text`` in canonical form, or ``None`` when it is not a valid UK postcode."""
    if text is None:
        return None
    compact = _NOT_ALNUM.sub("", str(text)).upper()
    if not 5 <= len(compact) <= 7:
        return None
    candidate = f"{compact[:-3]} {compact[-3].translate(_INWARD_DIGIT)}{compact[-2:]}"
    return candidate if _VALID.match(candidate) else None


def postcode_spaced(dialect: Dialect, expr: str) -> str:
    """Step 1 of :func:`postcode_sql`: letters and digits only, upper case, a space before the last three."""
    compact = f"upper({dialect.regexp_replace_all(as_text(expr), '[^A-Za-z0-9]', '')})"
    return (
        f"(CASE WHEN length({compact}) BETWEEN 5 AND 7 THEN "
        f"substr({compact}, 1, length({compact}) - 3) || ' ' || "
        f"translate(substr({compact}, length({compact}) - 2, 1), 'OIL', '011') || "
        f"substr({compact}, length({compact}) - 1) END)"
    )


def postcode_checked(dialect: Dialect, spaced: str) -> str:
    """Step 2 of :func:`postcode_sql`: the spaced text if it is a valid postcode, else NULL."""
    return f"(CASE WHEN {dialect.regexp_matches(spaced, POSTCODE_PATTERN)} THEN {spaced} END)"


def postcode_sql(dialect: Dialect, expr: str) -> str:
    """SQL for :func:`normalise_postcode`: the same answer on every engine."""
    return postcode_checked(dialect, postcode_spaced(dialect, expr))
