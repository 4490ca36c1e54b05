"""Turning address text into the tables the matcher's SQL works on.

Parsing and spelling correction run here, in Python, once per *distinct* address and word; every
comparison between records then runs as SQL in the engine. Both sides become the same columns:

``sao``, ``num``, ``num_end``, ``sfx`` (flat key and building number), ``bname``, ``pc``, ``sector``,
``outward``; plus one row per identifying word (``*_tok``) carrying its rarity in the gazetteer.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

import pyarrow as pa

from oda.errors import LinkError
from oda.link.address.candidates import SpellingIndex
from oda.link.address.parse import ParsedAddress, parse_address
from oda.link.address.postcode import outward_code, sector
from oda.link.address.vocabulary import NOISE_WORDS, STREET_TYPES

UNKNOWN_WORD_WEIGHT = 1.0
"""Rarity weight of a word the gazetteer has never seen and that corrects to nothing (often a town
the gazetteer leaves out, or noise): it counts a little against every candidate, equally."""
KEY_WORDS = 2
"""How many of a street's rarest words are blocking keys."""


def text_column(table: pa.Table, what: str) -> list[str | None]:
    """The address text of each row: ``address``, else ``address_line_1..5`` joined with commas."""
    names = table.column_names
    if "address" in names:
        return [None if v is None else str(v) for v in table.column("address").to_pylist()]
    lines = [n for n in (f"address_line_{k}" for k in range(1, 6)) if n in names]
    if not lines:
        raise LinkError(f"the {what} has no `address` column (nor `address_line_1`..`address_line_5`); "
                        f"it has {', '.join(names)}. Rename the address column to `address`.")
    columns = [table.column(n).to_pylist() for n in lines]
    return [", ".join(str(v) for v in row if v) for row in zip(*columns)]


def optional_column(table: pa.Table, name: str) -> list:
    return table.column(name).to_pylist() if name in table.column_names else [None] * table.num_rows


def _uprn(value: object) -> int | None:
    if value is None:
        return None
    text = str(value).strip()
    if text.endswith(".0"):
        text = text[:-2]
    return int(text) if text.isdigit() else None


def unit_of(p: ParsedAddress) -> tuple[str, int | None, int | None, bool]:
    """The sub-unit of a building, however it is written: ``(unit, rank, floor, from_suffix)``.

    "Flat B, 12" and "12B" are both unit ``B`` of number 12 (the second from a suffix); a letter or a
    number has a rank (B → 2, "2" → 2), so "Flat B" and "Flat 2" can be compared as aliases; a floor
    ("F1") has a floor. "Flat Above" (over a shop) counts as the first floor.
    """
    key = p.sao_key
    if key:
        if key.isdigit():
            return key, int(key), None, False
        if len(key) == 1 and key.isalpha():
            return key, ord(key) - 64, None, False
        if key[0] == "F" and key[1:].lstrip("-").isdigit():
            return key, None, int(key[1:]), False
        if key == "ABOVE":
            return key, None, 1, False
        return key, None, None, False
    if p.number_suffix:
        return p.number_suffix, ord(p.number_suffix) - 64, None, True
    return "", None, None, False


def _reversed_number(number: int | None) -> int | None:
    """12 → 21: the commonest slip in typing a building number (None when it reads the same)."""
    if number is None or number < 10:
        return None
    flipped = int(str(number)[::-1])
    return flipped if flipped != number and str(number)[-1] != "0" else None


def _structure(parsed: list[ParsedAddress]) -> dict[str, list]:
    units = [unit_of(p) for p in parsed]
    return {
        "unit": [u[0] for u in units],
        "unit_rank": [u[1] for u in units],
        "unit_floor": [u[2] for u in units],
        "unit_sfx": [u[3] for u in units],
        "stype": ["|" + "|".join(w for w in p.words if w in STREET_TYPES) + "|" for p in parsed],
        "sao": [p.sao_key for p in parsed],
        "rsfx": [p.number_suffix if p.sao_key else "" for p in parsed],
        "num_rev": [_reversed_number(p.number) for p in parsed],
        "num": [p.number for p in parsed],
        "num_end": [p.number_end for p in parsed],
        "sfx": [p.number_suffix for p in parsed],
        "bname": [p.building_name for p in parsed],
        "pc": [p.postcode for p in parsed],
        "sector": [sector(p.postcode) for p in parsed],
        "outward": [outward_code(p.postcode) for p in parsed],
    }


@dataclass
class PreparedGazetteer:
    """The gazetteer as matcher tables, with its word statistics."""

    records: pa.Table
    tokens: pa.Table
    street_keys: pa.Table
    building_keys: pa.Table
    idf: dict[str, float]
    locality_words: frozenset[str]
    spelling: SpellingIndex


def prepare_gazetteer(table: pa.Table) -> PreparedGazetteer:
    """Parse the gazetteer (``uprn``, ``address``, optional ``postcode``, ``parent_uprn``)."""
    if "uprn" not in table.column_names:
        raise LinkError(f"the gazetteer has no `uprn` column; it has {', '.join(table.column_names)}")
    uprns = [_uprn(v) for v in table.column("uprn").to_pylist()]
    texts = text_column(table, "gazetteer")
    postcodes = optional_column(table, "postcode")
    parsed = [parse_address(t, p) for t, p in zip(texts, postcodes)]
    n = len(parsed)

    fields: list[list[tuple[str, str]]] = []
    df: Counter[str] = Counter()
    for p in parsed:
        seen: dict[str, str] = {}
        for field, text in (("S", p.street), ("B", p.building_name), ("L", p.locality), ("L", p.town)):
            for word in text.split():
                if word not in NOISE_WORDS and word not in seen:
                    seen[word] = field
        fields.append(list(seen.items()))
        df.update(seen.keys())
    idf = {w: math.log((n + 1) / (c + 0.5)) for w, c in df.items()}
    as_place: Counter[str] = Counter(w for words in fields for w, f in words if f == "L")
    # Words that name a locality somewhere but not everywhere ("Highgrove", not "London").
    locality_words = frozenset(w for w, c in as_place.items() if c * 2 > df[w] and c < 0.9 * n)

    tok_g, tok_w, tok_f, tok_idf = [], [], [], []
    # Field codes: S street, B building name, L locality or town, P a locality word that tells
    # places apart (see ``locality_words``).
    w_street, w_bname, w_loc = [0.0] * n, [0.0] * n, [0.0] * n
    key_g, key_num, key_tok = [], [], []
    bkey_g, bkey_tok, bkey_num, bkey_rank, bkey_building = [], [], [], [], []
    for g, (p, words) in enumerate(zip(parsed, fields)):
        street_words = []
        for word, field in words:
            weight = idf[word]
            tok_g.append(g)
            tok_w.append(word)
            tok_f.append("P" if field == "L" and word in locality_words else field)
            tok_idf.append(weight)
            if field == "S":
                w_street[g] += weight
                street_words.append(word)
            elif field == "B":
                w_bname[g] += weight
            else:
                w_loc[g] += weight
        if p.number is not None and street_words:
            distinctive = [w for w in street_words if w not in STREET_TYPES] or street_words
            for word in sorted(distinctive, key=lambda w: -idf[w])[:KEY_WORDS]:
                key_g.append(g)
                key_num.append(p.number)
                key_tok.append(word)
        if p.building_name:
            words_b = [w for w in p.building_name.split() if w in idf]
            if words_b:
                bkey_g.append(g)
                bkey_tok.append(max(words_b, key=lambda w: idf[w]))
                bkey_num.append(p.number)
                bkey_rank.append(unit_of(p)[1])
                bkey_building.append(not p.sao_key)

    parents = optional_column(table, "parent_uprn")
    parent_uprn = [_uprn(v) or None for v in parents]
    if all(v is None for v in parent_uprn):
        parent_uprn = _derive_parents(parsed, uprns)
    has_children = set(v for v in parent_uprn if v)
    position = _positions(parsed, uprns, parent_uprn)
    siblings_of = Counter(v for v in parent_uprn if v)
    records = {"g_id": list(range(n)), "uprn": uprns, "parent_uprn": parent_uprn,
               "has_children": [u in has_children for u in uprns], **_structure(parsed),
               "position": position,
               "siblings": [siblings_of.get(v, 0) if v else 0 for v in parent_uprn],
               "last_type": [p.street.split()[-1] if p.street and p.street.split()[-1] in STREET_TYPES else ""
                             for p in parsed],
               "w_street": w_street, "w_bname": w_bname, "w_loc": w_loc}
    schema_types = {"g_id": pa.int64(), "uprn": pa.int64(), "parent_uprn": pa.int64(), "num": pa.int64(),
                    "num_end": pa.int64(), "unit_rank": pa.int64(), "unit_floor": pa.int64(),
                    "num_rev": pa.int64(), "position": pa.int64(),
                    "siblings": pa.int64()}
    return PreparedGazetteer(
        records=pa.table({k: pa.array(v, type=schema_types.get(k)) for k, v in records.items()}),
        tokens=pa.table({"g_id": pa.array(tok_g, pa.int64()), "token": tok_w, "field": tok_f,
                         "idf": pa.array(tok_idf, pa.float64())}),
        street_keys=pa.table({"g_id": pa.array(key_g, pa.int64()), "num": pa.array(key_num, pa.int64()),
                              "token": pa.array(key_tok, pa.string())}),
        building_keys=pa.table({"g_id": pa.array(bkey_g, pa.int64()), "token": pa.array(bkey_tok, pa.string()),
                                "num": pa.array(bkey_num, pa.int64()),
                                "unit_rank": pa.array(bkey_rank, pa.int64()),
                                "building": pa.array(bkey_building, pa.bool_())}),
        idf=idf,
        locality_words=locality_words,
        spelling=SpellingIndex(dict(df)),
    )


_DWELLING_WORDS = frozenset({"FLAT", "APARTMENT", "MAISONETTE", "STUDIO", "ROOM"})


def _positions(parsed: list[ParsedAddress], uprns: list[int | None],
               parents: list[int | None]) -> list[int | None]:
    """For flats named by floor ("Ground Floor Flat"), their order from the bottom among the
    building's dwellings (1 = lowest), so that "Flat A" or "Flat 1" can be compared with them.
    A floor with no dwelling word ("Ground Floor" under flats) is taken for a shop and not counted."""
    by_parent: dict[int, list[tuple[int, int]]] = {}
    for g, (p, parent) in enumerate(zip(parsed, parents)):
        _, _, floor, _ = unit_of(p)
        if parent and floor is not None and _DWELLING_WORDS.intersection(p.property_words):
            by_parent.setdefault(parent, []).append((floor, g))
    position: list[int | None] = [None] * len(parsed)
    for children in by_parent.values():
        for rank, (_, g) in enumerate(sorted(children), start=1):
            position[g] = rank
    return position


def _derive_parents(parsed: list[ParsedAddress], uprns: list[int | None]) -> list[int | None]:
    """Without a ``parent_uprn`` column, a flat's parent is the record of the same building with no
    flat (same number, building name, street and postcode)."""
    buildings: dict[tuple, int] = {}
    for p, u in zip(parsed, uprns):
        if not p.sao_key and u is not None:
            buildings.setdefault((p.number, p.number_suffix, p.number_end, p.building_name, p.street, p.postcode), u)
    return [
        buildings.get((p.number, p.number_suffix, p.number_end, p.building_name, p.street, p.postcode))
        if p.sao_key else None
        for p in parsed
    ]


@dataclass
class PreparedAddresses:
    records: pa.Table
    tokens: pa.Table
    building_tokens: pa.Table
    parsed: list[ParsedAddress]
    ids: list
    supplied_uprn: list[int | None]


def prepare_addresses(table: pa.Table, gazetteer: PreparedGazetteer) -> PreparedAddresses:
    """Parse messy addresses (``id``, ``address`` or lines, optional ``postcode``, ``uprn``)."""
    id_name = "id" if "id" in table.column_names else "record_id" if "record_id" in table.column_names else None
    if id_name is None:
        raise LinkError(f"the addresses have no `id` column; they have {', '.join(table.column_names)}. "
                        "Add a column `id` that identifies each record.")
    ids = table.column(id_name).to_pylist()
    texts = text_column(table, "addresses")
    postcodes = optional_column(table, "postcode")
    supplied = [_uprn(v) for v in optional_column(table, "uprn")]
    parsed = [parse_address(t, p) for t, p in zip(texts, postcodes)]
    idf, spelling = gazetteer.idf, gazetteer.spelling

    tok_i, tok_t, tok_o, tok_f = [], [], [], []
    w_in = [0.0] * len(parsed)
    n_loc = [0] * len(parsed)
    # Words that may name the building: those of the parsed building name, or every word of an
    # address without a building number (where the parse of names is least sure).
    bkey_i: list[int] = []
    bkey_t: list[str] = []
    locality_words = gazetteer.locality_words
    memo: dict[tuple[str, ...], tuple[list[tuple[str, str, float]], float, int]] = {}
    for i, p in enumerate(parsed):
        words = p.words
        entry = memo.get(words)
        if entry is None:
            rows: list[tuple[str, str, float]] = []
            weight = 0.0
            places = 0
            for word in dict.fromkeys(words):
                options = spelling.corrections(word)
                if options:
                    # A corrected word counts as its least informative reading: "Rosd" is more
                    # likely ROAD than ROSE, and must not count as a rare word left unexplained.
                    weight += min(idf[w] * f for w, f in options)
                    places += any(w in locality_words for w, _ in options)
                    rows.extend((w, word, f) for w, f in options)
                else:
                    weight += UNKNOWN_WORD_WEIGHT
            entry = memo[words] = (rows, weight, places)
        rows, w_in[i], n_loc[i] = entry
        building_words = set(p.building_name.split()) if p.number is not None else None
        for token, orig, factor in rows:
            tok_i.append(i)
            tok_t.append(token)
            tok_o.append(orig)
            tok_f.append(factor)
            if building_words is None or orig in building_words:
                bkey_i.append(i)
                bkey_t.append(token)
    records = {"i_id": list(range(len(parsed))), **_structure(parsed), "w_in": w_in, "n_loc": n_loc,
               "sup_uprn": supplied}
    types = {"i_id": pa.int64(), "num": pa.int64(), "num_end": pa.int64(), "unit_rank": pa.int64(),
             "unit_floor": pa.int64(), "num_rev": pa.int64(), "sup_uprn": pa.int64()}
    return PreparedAddresses(
        records=pa.table({k: pa.array(v, type=types.get(k)) for k, v in records.items()}),
        tokens=pa.table({"i_id": pa.array(tok_i, pa.int64()), "token": pa.array(tok_t, pa.string()),
                         "orig": pa.array(tok_o, pa.string()), "factor": pa.array(tok_f, pa.float64())}),
        building_tokens=pa.table({"i_id": pa.array(bkey_i, pa.int64()), "token": pa.array(bkey_t, pa.string())}),
        parsed=parsed,
        ids=ids,
        supplied_uprn=supplied,
    )
