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
→ ``"F-1"``; "Top Floor Flat" → ``"F99"``. Scottish tenement flats are floor/door: "Flat 1/2" →
``"1/2"``, "G/L" → ``"0/L"``, Edinburgh's "2F1" → ``"2/1"``, "3 Left" → ``"3/L"``.

Also read: words run together ("FLAT2", "12OAK ROAD"), slash ranges ("12/14" is 12-14), a lone
outward code ("London SW1A" → ``outward``, never completed into a postcode), and "Rear of" / "Land
at" before an address (kept in ``property_words``, not taken for a building name).

For tables, :func:`parse_addresses` parses a batch (once per distinct address, no cache to fill).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple, Sequence

from oda.link.address.postcode import AREAS, normalise_postcode
from oda.link.address.vocabulary import (
    ABBREVIATIONS,
    BUILDING_WORDS,
    FLOOR_FLAT_ABBREVIATIONS,
    FLOOR_LEVELS,
    FLOOR_WORDS,
    LINKING_WORDS,
    NOISE_WORDS,
    PROPERTY_TYPE_WORDS,
    QUALIFIER_WORDS,
    SIDE_WORDS,
    STREET_TYPES,
    SUB_BUILDING_WORDS,
    TOP_FLOOR,
)

_RANGE_DASH = re.compile(r"(\d)\s*-\s*(\d)")
_NOT_KEPT = re.compile(r"[^A-Z0-9,\-/ ]")
_SLASH = re.compile(r"(?<![A-Z0-9])([0-9G])\s*/\s*([0-9LRM])(?![A-Z0-9])|(?<![A-Z0-9])(\d+)\s*/\s*(\d+)(?![A-Z0-9])|/")
"""A slash: a Scottish tenement position ("1/2" first floor, second door; "0/1"; "G/L" ground left),
a range of numbers ("12/14" is 12-14), or a separator ("12A/OAK ROAD")."""
_GLUED_NUMBER = re.compile(r"\b(\d+)([A-Z]{3,})\b")
"""A building number run into the next word: "12OAK ROAD" (not "12A", "1ST", "2ND": at most two letters)."""
_MAYBE_GLUED_NUMBER = re.compile(r"\d[A-Z]{3}")
_MAYBE_EDINBURGH_LOOSE = re.compile(r"[0-9G]F[0-9]")
"""Cheap test for ``_MAYBE_EDINBURGH`` (a word boundary makes a search three times slower)."""
_LOOSE_DASH = re.compile(r"(?<!\d)-|-(?!\d)")
_GLUED_SUB = re.compile(r"\b(FLAT|FLT|APARTMENT|APT|UNIT|ROOM|RM|NO)(\d)")
_MAYBE_GLUED = re.compile(r"[TMO]\d")
"""Cheap test for ``_GLUED_SUB``: one of its words' last letters directly followed by a digit."""
_NUMBER = re.compile(r"^(\d+)([A-Z]?)(?:\2)?(?:-(\d+)([A-Z]?))?$")
"""A building number: "12", "12A", "14-16", and "12AA" (a doubled suffix letter, a common slip)."""
_DIGITS = frozenset("0123456789")
_DIGIT_PAIRS = frozenset([str(n) for n in range(100)] + [f"0{n}" for n in range(10)])
"""A floor number as written ("3", "03", "12")."""
_IDENTIFIER = re.compile(r"^(?:\d+[A-Z]?|[A-Z]|[A-Z]\d+|\d+-\d+)$")

_POSITION_WORDS = {"ABOVE": "ABOVE", "OVER": "ABOVE", "UPSTAIRS": "ABOVE", "REAR": "REAR", "BACK": "REAR",
                   "FRONT": "FRONT", "DOWNSTAIRS": "F0"}
"""Sub-buildings named by where they are: "Flat Above" (over a shop), "Rear Flat"."""

_SUB_WORDS = {k: v for k, v in SUB_BUILDING_WORDS.items() if v != "BLOCK"}

_POSITION_TOKEN = re.compile(r"^([0-9G])/([0-9LRM])$|^([0-9G])F([0-9])$")
"""Scottish tenement flats: floor and door, "1/2" (Glasgow: first floor, second door), "0/1", "G/L"
(ground, left), "2F1" (Edinburgh: second floor, flat 1)."""
_MAYBE_EDINBURGH = re.compile(r"\b[0-9G]F[0-9]\b")
_OUTWARD_ONLY = re.compile(r"^([A-Z]{1,2})[0-9][0-9A-Z]?$")


def _position_key(token: str) -> str:
    """The canonical key of a tenement position token ("G/L" → "0/L", "2F1" → "2/1"), or ""."""
    match = _POSITION_TOKEN.match(token)
    if match is None:
        return ""
    floor = match.group(1) or match.group(3)
    door = match.group(2) or match.group(4)
    return f"{'0' if floor == 'G' else floor}/{door}"


def _strip_qualifiers(words: list[str]) -> tuple[list[str], list[str]]:
    """"Rear of", "Land at", "Land adjacent to" before a building: (the building's words, the qualifier
    words kept as evidence). Only a leading run ending in OF/AT/TO (or the whole name) is a qualifier,
    so that "Rear Court" stays a building name."""
    end = 0
    while end < len(words) and words[end] in QUALIFIER_WORDS:
        end += 1
    if end and (end == len(words) or words[end - 1] in LINKING_WORDS):
        return words[end:], [w for w in words[:end] if w not in LINKING_WORDS]
    return words, []


class ParsedAddress(NamedTuple):
    """One address in parts. Empty strings and ``None`` mean "not given".

    A named tuple rather than a dataclass: the matcher builds one per distinct address, hundreds of
    thousands at a time, and a tuple is several times cheaper to make (and to send to another process)."""

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
    outward: str = ""
    """An outward code written without its inward half ("London SW1A" → "SW1A"): evidence of the
    area, never completed into a postcode (``postcode`` stays empty unless a full one was given)."""

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
        parts = (self.sub_building, self.building_name, first, self.locality, self.town,
                 self.postcode or self.outward)
        return ", ".join(p for p in parts if p)


_SEPARATOR_TABLE = str.maketrans({";": ",", "\n": ",", "\r": ",", "\t": ",", "|": ",", "'": None, "\u2019": None,
                                  ".": " ", "(": " ", ")": " ", "&": " ", '"': " ", "#": " "})


_KEPT = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789,-/ ")
_SEPARATOR_BYTES = bytes(ord(_SEPARATOR_TABLE.get(c, chr(c)) or " ") for c in range(128)) + bytes(range(128, 256))
_NOT_KEPT_BYTES = bytes(c if chr(c) in _KEPT else ord(" ") for c in range(128)) + bytes(range(128, 256))
_SEPARATED_AND_KEPT_BYTES = _SEPARATOR_BYTES.translate(_NOT_KEPT_BYTES)
"""For ASCII text, ``_SEPARATOR_TABLE`` and the ``_NOT_KEPT`` filter as byte tables: a C pass each instead
of a per-character dictionary look-up or a regex (a few microseconds per address, times millions)."""


def _slash(match: re.Match) -> str:
    floor, door, first, last = match.groups()
    if floor is not None:
        return f"{floor}/{door}"
    if first is not None:
        return f"{first}-{last}" if int(last) > int(first) else f"{first} {last}"
    return " "


def _normalise_text(text: str) -> str:
    text = text.upper()
    if "/" in text:
        text = _SLASH.sub(_slash, text)
    if text.isascii():
        data = text.encode("ascii")
        if b"-" not in data:
            text = data.translate(_SEPARATED_AND_KEPT_BYTES, b"'").decode("ascii")
        else:
            text = data.translate(_SEPARATOR_BYTES, b"'").decode("ascii")
            text = _RANGE_DASH.sub(r"\1-\2", text)
            text = _LOOSE_DASH.sub(" ", text).encode("ascii").translate(_NOT_KEPT_BYTES).decode("ascii")
    else:
        text = text.translate(_SEPARATOR_TABLE)
        if "-" in text:
            text = _RANGE_DASH.sub(r"\1-\2", text)
            text = _LOOSE_DASH.sub(" ", text)
        text = _NOT_KEPT.sub(" ", text)
    return text


def _separate_glued(text: str) -> str:
    """"12OAK ROAD" → "12 OAK ROAD", "FLAT2" → "FLAT 2"."""
    text = _GLUED_NUMBER.sub(r"\1 \2", text) if _MAYBE_GLUED_NUMBER.search(text) else text
    return _GLUED_SUB.sub(r"\1 \2", text) if _MAYBE_GLUED.search(text) else text


_OUTWARD_LIKE = re.compile(r"^[A-Z0-9]{1,2}[0-9OIL][A-Z0-9]?$")
_INWARD_LIKE = re.compile(r"^[0-9OIL][A-Z]{2}$")
_GLUED_LIKE = re.compile(r"^[A-Z0-9]{2,4}[0-9OIL][A-Z]{2}$")


def _take_postcode(tokens: list[list[str]]) -> str:
    """Find and remove a postcode among the last few tokens (it may be split or glued)."""
    if not tokens:
        return ""
    last = tokens[-1]
    if len(last) >= 2 and len(last[-1]) == 3:
        # The common case, "..., LONDON E15 1AA": the same test as the first step of the loop below.
        token, previous = last[-1], last[-2]
        if (_INWARD_LIKE.match(token) and _OUTWARD_LIKE.match(previous)
                and (previous[-1].isdigit() or previous[-2].isdigit() or token[0].isdigit())):
            postcode = normalise_postcode(previous + token)
            if postcode:
                del last[-2:]
                return postcode
    n = len(tokens)
    # The last five tokens, from the end, as (segment, index); segments are never empty.
    flat = [(s, i) for s in range(n - 1, max(n - 6, -1), -1)
            for i in range(len(tokens[s]) - 1, max(len(tokens[s]) - 6, -1), -1)]
    for k in range(min(4, len(flat))):
        s, i = flat[k]
        token = tokens[s][i]
        size = len(token)
        if size == 3 and k + 1 < len(flat) and _INWARD_LIKE.match(token):
            ps, pi = flat[k + 1]
            previous = tokens[ps][pi]
            if _OUTWARD_LIKE.match(previous) and (previous[-1].isdigit() or previous[-2].isdigit()
                                                 or token[0].isdigit()):
                postcode = normalise_postcode(previous + token)
                if postcode:
                    del tokens[s][i]
                    del tokens[ps][pi]
                    return postcode
        elif 5 <= size <= 7 and _GLUED_LIKE.match(token) and not token.isalpha():
            postcode = normalise_postcode(token)
            if postcode:
                del tokens[s][i]
                return postcode
    return ""


def _take_outward(tokens: list[list[str]]) -> str:
    """Find and remove an outward code ending the address without its inward half ("London SW1A").

    Only the very last word, after at least one other word that is not a number or a flat word
    ("Flat B1" and "Unit E2" keep their identifiers), and only in a real postcode area."""
    if not tokens:
        return ""
    last = tokens[-1]
    token = last[-1]
    if not 2 <= len(token) <= 4 or token in _DIGIT_PAIRS:
        return ""
    match = _OUTWARD_ONLY.match(token)
    if match is None or match.group(1) not in AREAS:
        return ""
    previous = last[-2] if len(last) >= 2 else tokens[-2][-1] if len(tokens) >= 2 else ""
    if not previous or previous[0] in _DIGITS or previous in _SUB_WORDS or previous in SUB_BUILDING_WORDS \
            or previous in _FLOOR_STARTS:
        return ""
    del last[-1]
    if not last:
        del tokens[-1]
    return token


_EXPANDABLE = frozenset(ABBREVIATIONS) | {"ST"}


def _expand(tokens: list[list[str]]) -> None:
    """Expand abbreviations in place; "ST" is SAINT before a name and STREET after one."""
    for seg in tokens:
        if _EXPANDABLE.isdisjoint(seg):
            continue
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


_SUB_BUILDING_TRIGGERS = _FLOOR_STARTS | frozenset(_SUB_WORDS) | PROPERTY_TYPE_WORDS | frozenset(SIDE_WORDS)
"""Words that may start a sub-building phrase or be a property-type word; a segment with none is kept as is."""


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


def parse_addresses(texts: Sequence[str | None], postcodes: Sequence[str | None] | None = None) -> list[ParsedAddress]:
    """Parse many addresses (single lines) with their postcode fields: one parse per distinct pair.

    The batch form of :func:`parse_address` for preparing tables: repeated addresses share one
    :class:`ParsedAddress`, and no per-call cache is consulted or filled."""
    if postcodes is None:
        postcodes = [None] * len(texts)
    done: dict[tuple[str, str], ParsedAddress] = {}
    out = []
    for text, postcode in zip(texts, postcodes):
        key = (text or "", postcode or "")
        parsed = done.get(key)
        if parsed is None:
            parsed = done[key] = _parse.__wrapped__(*key)
        out.append(parsed)
    return out


@lru_cache(maxsize=1 << 16)
def _parse(text: str, postcode_field: str) -> ParsedAddress:
    normalised = _separate_glued(_normalise_text(text))
    tokens = [seg for part in normalised.split(",") if (seg := part.split())]
    found_postcode = _take_postcode(tokens)
    outward = "" if found_postcode else _take_outward(tokens)
    postcode = normalise_postcode(postcode_field) or found_postcode
    positional = "/" in normalised or (_MAYBE_EDINBURGH_LOOSE.search(normalised) is not None
                                       and _MAYBE_EDINBURGH.search(normalised) is not None)
    _expand(tokens)

    # Sub-building: "FLAT 2", "2ND FLOOR FLAT", "GFF", anywhere in the address.
    sub_words: list[str] = []
    sao_key = ""
    floor: int | None = None
    property_words: list[str] = []
    kept: list[list[str]] = []
    for seg in tokens:
        if not seg:
            continue
        if not positional and _SUB_BUILDING_TRIGGERS.isdisjoint(seg):
            kept.append(seg)  # the common case: nothing here names a sub-building or a property type
            continue
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
                if i < len(seg) and seg[i] in SIDE_WORDS and not sao_key:
                    sao_key = f"{floor}/{SIDE_WORDS[seg[i]]}"  # "First Floor Left" is "1/L"
                    sub_words.append(seg[i])
                    i += 1
                continue
            if positional and not sao_key and (position := _position_key(token)):
                sao_key = position
                sub_words.append(token)
                i += 1
                continue
            if (token in _DIGIT_PAIRS and not sao_key and i + 1 < len(seg) and seg[i + 1] in SIDE_WORDS
                    and (i + 2 == len(seg) or seg[i + 2][0] in _DIGITS)):
                sao_key = f"{int(token)}/{SIDE_WORDS[seg[i + 1]]}"  # "3 Left, 10 Main Street"
                sub_words.extend(seg[i:i + 2])
                i += 2
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
                if not sao_key and nxt and positional and (position := _position_key(nxt)):
                    sao_key = position
                    sub_words.extend((kind, nxt))
                    property_words.append(kind)
                    i += 2
                    continue
                if not sao_key and nxt and _IDENTIFIER.match(nxt):
                    sao_key = _canonical_identifier(nxt)
                    sub_words.extend((kind, nxt))
                    property_words.append(kind)
                    i += 2
                    if nxt in _DIGIT_PAIRS and i < len(seg) and seg[i] in SIDE_WORDS:
                        sao_key = f"{int(nxt)}/{SIDE_WORDS[seg[i]]}"  # "Flat 3 Left"
                        sub_words.append(seg[i])
                        i += 1
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
    positions = [(s, i) for s, seg in enumerate(kept) for i, t in enumerate(seg)
                 if t[0] <= "9" and _NUMBER.match(t)]  # tokens never start with "-" or "/"
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
            building += [w for w in seg if w]
        building += [w for w in kept[s][:i] if w]
        after = [w for w in kept[s][i + 1:] if w]
        later = [seg for part in kept[s + 1:] if (seg := [w for w in part if w])]
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
        segments = [seg for part in kept if (seg := [w for w in part if w])]
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
    building, qualifiers = _strip_qualifiers(building) if building and building[0] in QUALIFIER_WORDS else (building, [])
    property_words.extend(qualifiers)
    locality = " ".join(" ".join(seg) for seg in rest_segments[:-1])
    town = " ".join(rest_segments[-1]) if rest_segments else ""
    words = tuple([w for part in (building, street, *rest_segments) for w in part if w not in NOISE_WORDS])
    return ParsedAddress(" ".join(sub_words), sao_key, " ".join(building), number, suffix, end, " ".join(street),
                         locality, town, postcode, tuple(dict.fromkeys(property_words)) if property_words else (),
                         words, outward)
