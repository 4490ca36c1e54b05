"""A UK address parser: free text (one line or several) → BS7666-style components.

>>> a = parse_address("Flat 2, 12a Oak Rd, Stratford, London e151aa")
>>> (a.sao_key, a.number, a.number_suffix, a.street, a.locality, a.town, a.postcode)
('2', 12, 'A', 'OAK ROAD', 'STRATFORD', 'LONDON', 'E15 1AA')

The parser is rule based and pure Python. It is built for volume: results are cached per distinct
input (extracts repeat the same address many times, usually close together) and no rule
backtracks. It never guesses a flat or a building number it did not see — the matcher treats those
as hard evidence — but it is tolerant about everything else: where the street ends and the town
begins only decides which field a word is shown in, while matching compares the words themselves.

Sub-buildings get a canonical key, ``sao_key``, so that different spellings of the same flat agree:
"Flat 2", "Apartment 2", "FLT 02" → ``"2"``; "Flat B" → ``"B"``; "Second Floor Flat", "2nd Flr Flat"
→ ``"F2"`` (a floor, never the same as flat 2); "Ground Floor Flat", "GFF" → ``"F0"``; "Basement Flat"
→ ``"F-1"``; "Top Floor Flat" → ``"F99"``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

from oda.link.address.postcode import normalise_postcode
from oda.link.address.vocabulary import (
    ABBREVIATIONS,
    BUILDING_WORDS,
    FLOOR_FLAT_ABBREVIATIONS,
    FLOOR_LEVELS,
    FLOOR_WORDS,
    NOISE_WORDS,
    PROPERTY_TYPE_WORDS,
    STREET_TYPES,
    SUB_BUILDING_WORDS,
    TOP_FLOOR,
)

_RANGE_DASH = re.compile(r"(\d)\s*-\s*(\d)")
_NOT_KEPT = re.compile(r"[^A-Z0-9,\- ]")
_LOOSE_DASH = re.compile(r"(?<!\d)-|-(?!\d)")
_GLUED_SUB = re.compile(r"\b(FLAT|FLT|APARTMENT|APT|UNIT|ROOM|RM|NO)(\d)")
_NUMBER = re.compile(r"^(\d+)([A-Z]?)(?:\2)?(?:-(\d+)([A-Z]?))?$")
"""A building number: "12", "12A", "14-16", and "12AA" (a doubled suffix letter, a common slip)."""
_IDENTIFIER = re.compile(r"^(?:\d+[A-Z]?|[A-Z]|[A-Z]\d+|\d+-\d+)$")

_POSITION_WORDS = {"ABOVE": "ABOVE", "OVER": "ABOVE", "UPSTAIRS": "ABOVE", "REAR": "REAR", "BACK": "REAR",
                   "FRONT": "FRONT", "DOWNSTAIRS": "F0"}
"""Sub-buildings named by where they are: "Flat Above" (over a shop), "Rear Flat"."""

_SUB_WORDS = {k: v for k, v in SUB_BUILDING_WORDS.items() if v != "BLOCK"}


@dataclass(frozen=True, slots=True)
class ParsedAddress:
    """One address in parts. Empty strings and ``None`` mean "not given"."""

    sub_building: str = ""
    """As written, normalised: "FLAT 2", "SECOND FLOOR FLAT"."""
    sao_key: str = ""
    """Canonical sub-building key used for matching: "2", "2A", "B", "F2" (floor 2), ""."""
    building_name: str = ""
    number: int | None = None
    number_suffix: str = ""
    number_end: int | None = None
    street: str = ""
    locality: str = ""
    town: str = ""
    postcode: str = ""
    property_words: tuple[str, ...] = ()
    """Words that say what kind of property this is (FLAT, MAISONETTE, SHOP, ...), kept as evidence."""
    words: tuple[str, ...] = ()
    """The identifying words (building name, street, locality, town), for token comparison."""

    @property
    def building_number(self) -> str:
        """"12", "12A", "14-16" (or "")."""
        if self.number is None:
            return ""
        text = f"{self.number}{self.number_suffix}"
        return f"{text}-{self.number_end}" if self.number_end is not None else text

    def single_line(self) -> str:
        """The address as one canonical line: "FLAT 2, 12A OAK ROAD, LONDON, E15 1AA"."""
        first = " ".join(p for p in (self.building_number, self.street) if p)
        parts = (self.sub_building, self.building_name, first, self.locality, self.town, self.postcode)
        return ", ".join(p for p in parts if p)


_SEPARATOR_TABLE = str.maketrans({";": ",", "\n": ",", "\r": ",", "\t": ",", "|": ",", "'": None, "\u2019": None,
                                  ".": " ", "/": " ", "(": " ", ")": " ", "&": " ", '"': " ", "#": " "})


def _normalise_text(text: str) -> str:
    text = text.upper().translate(_SEPARATOR_TABLE)
    if "-" in text:
        text = _RANGE_DASH.sub(r"\1-\2", text)
        text = _LOOSE_DASH.sub(" ", text)
    text = _NOT_KEPT.sub(" ", text)
    return _GLUED_SUB.sub(r"\1 \2", text)


_OUTWARD_LIKE = re.compile(r"^[A-Z0-9]{1,2}[0-9OIL][A-Z0-9]?$")
_INWARD_LIKE = re.compile(r"^[0-9OIL][A-Z]{2}$")
_GLUED_LIKE = re.compile(r"^[A-Z0-9]{2,4}[0-9OIL][A-Z]{2}$")


def _take_postcode(tokens: list[list[str]]) -> str:
    """Find and remove a postcode among the last few tokens (it may be split or glued)."""
    flat: list[tuple[int, int]] = []
    for s in range(len(tokens) - 1, -1, -1):
        for i in range(len(tokens[s]) - 1, -1, -1):
            flat.append((s, i))
            if len(flat) == 5:
                break
        if len(flat) == 5:
            break
    for k, (s, i) in enumerate(flat[:4]):
        token = tokens[s][i]
        if _INWARD_LIKE.match(token) and k + 1 < len(flat):
            ps, pi = flat[k + 1]
            previous = tokens[ps][pi]
            if _OUTWARD_LIKE.match(previous) and (previous[-1].isdigit() or previous[-2].isdigit()
                                                 or token[0].isdigit()):
                postcode = normalise_postcode(previous + token)
                if postcode:
                    del tokens[s][i]
                    del tokens[ps][pi]
                    return postcode
        if _GLUED_LIKE.match(token) and any(c.isdigit() for c in token):
            postcode = normalise_postcode(token)
            if postcode:
                del tokens[s][i]
                return postcode
    return ""


def _expand(tokens: list[list[str]]) -> None:
    """Expand abbreviations in place; "ST" is SAINT before a name and STREET after one."""
    for seg in tokens:
        for i, token in enumerate(seg):
            if token == "ST":
                following = seg[i + 1] if i + 1 < len(seg) else ""
                before = seg[i - 1] if i > 0 else ""
                saint = following.isalpha() and following not in STREET_TYPES and (
                    not before or before[0].isdigit() or before in _SUB_WORDS
                )
                seg[i] = "SAINT" if saint else "STREET"
            elif token in ABBREVIATIONS:
                seg[i] = ABBREVIATIONS[token]


def _canonical_identifier(identifier: str) -> str:
    """"02" → "2", "2a" → "2A", "B" → "B", "A1" → "A1"."""
    if identifier[0].isdigit():
        digits = identifier.rstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        return str(int(digits.split("-")[0])) + identifier[len(digits):] if "-" not in digits else identifier
    return identifier


_FLOOR_STARTS = frozenset(FLOOR_FLAT_ABBREVIATIONS) | frozenset(FLOOR_LEVELS) | {"LOWER", "TOP", "BASEMENT"}


def _floor_at(seg: list[str], i: int) -> tuple[int, int] | None:
    """A floor phrase starting at ``seg[i]``: (level, tokens used), else None."""
    token = seg[i]
    if token not in _FLOOR_STARTS:
        return None
    nxt = seg[i + 1] if i + 1 < len(seg) else ""
    if token in FLOOR_FLAT_ABBREVIATIONS:
        return FLOOR_FLAT_ABBREVIATIONS[token], 1
    if token == "LOWER" and nxt in ("GROUND", "GRD", "GND") and i + 2 < len(seg) and seg[i + 2] in FLOOR_WORDS:
        return -1, 3
    if token in FLOOR_LEVELS and nxt in FLOOR_WORDS:
        return FLOOR_LEVELS[token], 2
    if token == "TOP" and (nxt in FLOOR_WORDS or nxt in _SUB_WORDS):
        return TOP_FLOOR, 2 if nxt in FLOOR_WORDS else 1
    if token == "BASEMENT" and (nxt in _SUB_WORDS or nxt == "" or i == 0):
        return -1, 1
    return None


def _is_number(token: str) -> bool:
    return token[0].isdigit() and bool(_NUMBER.match(token))


def _split_street(words: list[str]) -> tuple[list[str], list[str]]:
    """Split a run of words without commas into (street, rest) after the street-type word."""
    for i in range(1, len(words)):
        if words[i] in STREET_TYPES:
            end = i + 1
            while end < len(words) and words[end] in STREET_TYPES and end - i < 2:
                end += 1
            return words[:end], words[end:]
    return words, []


def _split_building(words: list[str]) -> tuple[list[str], list[str]]:
    """Split a run of words into (building name, rest) after a building word, if a street follows."""
    for i in range(1, len(words) - 1):
        if words[i] in BUILDING_WORDS and any(w in STREET_TYPES for w in words[i + 2:] or words[i + 1:]):
            return words[: i + 1], words[i + 1:]
    return [], words


def parse_address(text: str | Sequence[str] | None, postcode: str | None = None) -> ParsedAddress:
    """Parse one address. ``text`` is a single line or a sequence of lines; ``postcode`` is a separate
    postcode field if the source has one (it wins over a postcode found in the text when valid)."""
    if text is None:
        text = ""
    if not isinstance(text, str):
        text = ", ".join(line for line in text if line)
    return _parse(text, postcode or "")


@lru_cache(maxsize=1 << 16)
def _parse(text: str, postcode_field: str) -> ParsedAddress:
    normalised = _normalise_text(text)
    tokens = [seg.split() for seg in normalised.split(",")]
    tokens = [seg for seg in tokens if seg]
    found_postcode = _take_postcode(tokens)
    postcode = normalise_postcode(postcode_field) or found_postcode
    _expand(tokens)

    # Sub-building: "FLAT 2", "2ND FLOOR FLAT", "GFF", anywhere in the address.
    sub_words: list[str] = []
    sao_key = ""
    floor: int | None = None
    property_words: list[str] = []
    kept: list[list[str]] = []
    for seg in tokens:
        out: list[str] = []
        i = 0
        while i < len(seg):
            token = seg[i]
            floor_phrase = _floor_at(seg, i) if token in _FLOOR_STARTS and floor is None else None
            if floor_phrase is not None and floor is None:
                floor, used = floor_phrase
                sub_words.extend(seg[i:i + used])
                i += used
                if i < len(seg) and seg[i] in _SUB_WORDS:
                    property_words.append(_SUB_WORDS[seg[i]])
                    sub_words.append(_SUB_WORDS[seg[i]])
                    i += 1
                continue
            if token in _SUB_WORDS:
                kind = _SUB_WORDS[token]
                nxt = seg[i + 1] if i + 1 < len(seg) else ""
                if nxt == "NO" and i + 2 < len(seg):
                    i += 1
                    nxt = seg[i + 1]
                if not sao_key and nxt in _POSITION_WORDS:
                    sao_key = _POSITION_WORDS[nxt]
                    sub_words.extend((kind, nxt))
                    property_words.append(kind)
                    i += 2
                    continue
                if not sao_key and nxt and _IDENTIFIER.match(nxt):
                    sao_key = _canonical_identifier(nxt)
                    sub_words.extend((kind, nxt))
                    property_words.append(kind)
                    i += 2
                    continue
                if kind in PROPERTY_TYPE_WORDS:
                    property_words.append(kind)
                    i += 1
                    continue
            if token in PROPERTY_TYPE_WORDS and token not in BUILDING_WORDS and token not in STREET_TYPES:
                property_words.append(token)
                i += 1
                continue
            out.append(token)
            i += 1
        if out:
            kept.append(out)

    # Building number(s): the first number followed by words is the PAO; a number before it with no
    # sub-building word is a flat ("2, 12 Oak Road", "2 12 Oak Road").
    positions = [(s, i) for s, seg in enumerate(kept) for i, t in enumerate(seg) if t[0].isdigit() and _is_number(t)]
    number = end = None
    suffix = ""
    pao_at: tuple[int, int] | None = None
    if positions:
        if not sao_key and len(positions) >= 2:
            s, i = positions[0]
            sao_key = _canonical_identifier(kept[s][i])
            sub_words.append(kept[s][i])
            kept[s][i] = ""
            positions = positions[1:]
        pao_at = positions[0]
        s, i = pao_at
        match = _NUMBER.match(kept[s][i])
        assert match is not None
        number, suffix = int(match.group(1)), match.group(2)
        if match.group(3) and int(match.group(3)) > number:
            end = int(match.group(3))
        kept[s][i] = ""
        following = kept[s][i + 1] if i + 2 < len(kept[s]) else ""
        if not suffix and len(following) == 1 and following.isalpha():
            suffix = kept[s][i + 1]
            kept[s][i + 1] = ""
        for s2, i2 in positions[1:]:
            kept[s2][i2] = ""

    if floor is not None:
        if not sao_key:
            sao_key = f"F{floor}"

    building: list[str] = []
    street: list[str] = []
    rest_segments: list[list[str]] = []
    if pao_at is not None:
        s, i = pao_at
        for seg in kept[:s]:
            building.extend(w for w in seg if w)
        building.extend(w for w in kept[s][:i] if w)
        after = [w for w in kept[s][i + 1:] if w]
        later = [[w for w in seg if w] for seg in kept[s + 1:]]
        later = [seg for seg in later if seg]
        if after:
            street, tail = _split_street(after) if not later else (after, [])
            if tail:
                later.insert(0, tail)
        elif later:
            first = later.pop(0)
            street, tail = _split_street(first) if not later else (first, [])
            if tail:
                later.insert(0, tail)
        rest_segments = later
    else:
        segments = [[w for w in seg if w] for seg in kept]
        segments = [seg for seg in segments if seg]
        if len(segments) >= 2:
            building_part, remainder = _split_building(segments[0])
            if building_part:
                building, segments[0] = building_part, remainder
                street = segments.pop(0)
            elif segments[0][-1] in BUILDING_WORDS or segments[0][-1] not in STREET_TYPES:
                building = segments.pop(0)
                street = segments.pop(0)
            else:
                street = segments.pop(0)
            rest_segments = segments
        elif segments:
            building, remainder = _split_building(segments[0])
            street, tail = _split_street(remainder)
            if not building and not tail and street and street[-1] in BUILDING_WORDS:
                building, street = street, []
            rest_segments = [tail] if tail else []
    locality = " ".join(" ".join(seg) for seg in rest_segments[:-1])
    town = " ".join(rest_segments[-1]) if rest_segments else ""
    words = tuple(w for part in (building, street, *rest_segments) for w in part if w not in NOISE_WORDS)
    return ParsedAddress(
        sub_building=" ".join(sub_words),
        sao_key=sao_key,
        building_name=" ".join(building),
        number=number,
        number_suffix=suffix,
        number_end=end,
        street=" ".join(street),
        locality=locality,
        town=town,
        postcode=postcode,
        property_words=tuple(dict.fromkeys(property_words)),
        words=words,
    )
