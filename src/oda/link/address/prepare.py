"""Turning address text into the tables the matcher's SQL works on.

Parsing and spelling correction run here, in Python, once per *distinct* address and word; every
comparison between records then runs as SQL in the engine. Both sides become the same columns:

``sao``, ``num``, ``num_end``, ``sfx`` (flat key and building number), ``bname``, ``pc``, ``sector``,
``outward``; plus one row per identifying word (``*_tok``) carrying its rarity in the gazetteer.
"""

from __future__ import annotations

import gc
import math
import uuid
import warnings
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache

import pyarrow as pa
import pyarrow.compute as pc

from oda.errors import LinkError
from oda.link.address.candidates import SpellingIndex
from oda.link.address.parse import ParsedAddress, parse_addresses
from oda.link.address.postcode import outward_code, sector
from oda.link.address.vocabulary import NOISE_WORDS, STREET_TYPES

UNKNOWN_WORD_WEIGHT = 1.0
"""Rarity weight of a word the gazetteer has never seen and that corrects to nothing (often a town
the gazetteer leaves out, or noise): it counts a little against every candidate, equally."""
KEY_WORDS = 2
"""How many of a street's rarest words are blocking keys."""


@contextmanager
def _without_cyclic_gc():
    """Pause Python's cycle collector while building the tables.

    Preparing a gazetteer makes millions of small lists, tuples and strings, none in a reference cycle;
    the collector would otherwise walk every one of them again each time a few hundred more are made,
    which cost a third of the parsing time. Reference counting still frees everything as usual."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


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


def _uprns(table: pa.Table | pa.RecordBatch, name: str) -> list[int | None]:
    """The column ``name`` as UPRNs (:func:`_uprn` of each value; ``None`` for every row if absent).
    Integer columns, the usual case, are read as they are, without a round trip through text."""
    if name not in table.schema.names:
        return [None] * table.num_rows
    column = table.column(name)
    if pa.types.is_integer(column.type):
        return [v if v is None or v >= 0 else None for v in column.to_pylist()]
    return [_uprn(v) for v in column.to_pylist()]


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
    return _unit_of_key(p.sao_key, p.number_suffix)


@lru_cache(maxsize=4096)
def _unit_of_key(key: str, suffix: str) -> tuple[str, int | None, int | None, bool]:
    """:func:`unit_of` from the two parts it reads (few distinct pairs: cached)."""
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
    if suffix:
        return suffix, ord(suffix) - 64, None, True
    return "", None, None, False


def _reversed_number(number: int | None) -> int | None:
    """12 → 21: the commonest slip in typing a building number (None when it reads the same)."""
    if number is None or number < 10:
        return None
    flipped = int(str(number)[::-1])
    return flipped if flipped != number and str(number)[-1] != "0" else None


def _street_types(words: tuple[str, ...], memo: dict[tuple[str, ...], str]) -> str:
    found = memo.get(words)
    if found is None:
        found = memo[words] = "|" + "|".join([w for w in words if w in STREET_TYPES]) + "|"
    return found


def _structure(parsed: list[ParsedAddress]) -> dict[str, list]:
    units = [_unit_of_key(p.sao_key, p.number_suffix) for p in parsed]
    memo: dict[tuple[str, ...], str] = {}
    return {
        "unit": [u[0] for u in units],
        "unit_rank": [u[1] for u in units],
        "unit_floor": [u[2] for u in units],
        "unit_sfx": [u[3] for u in units],
        "stype": [_street_types(p.words, memo) for p in parsed],
        "sao": [p.sao_key for p in parsed],
        "rsfx": [p.number_suffix if p.sao_key else "" for p in parsed],
        "num_rev": [_reversed_number(p.number) if p.number is not None and p.number >= 10 else None for p in parsed],
        "num": [p.number for p in parsed],
        "num_end": [p.number_end for p in parsed],
        "sfx": [p.number_suffix for p in parsed],
        "bname": [p.building_name for p in parsed],
        "pc": [p.postcode for p in parsed],
        "sector": [sector(p.postcode) for p in parsed],
        # An outward code written alone ("London SW1A") is evidence of the area too.
        "outward": [outward_code(p.postcode) or p.outward for p in parsed],
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
    with _without_cyclic_gc():
        return _prepare_gazetteer(table)


def _prepare_gazetteer(table: pa.Table) -> PreparedGazetteer:
    if "uprn" not in table.column_names:
        raise LinkError(f"the gazetteer has no `uprn` column; it has {', '.join(table.column_names)}")
    uprns = _uprns(table, "uprn")
    texts = text_column(table, "gazetteer")
    postcodes = optional_column(table, "postcode")
    parsed = parse_addresses(texts, postcodes)
    n = len(parsed)

    # Word statistics. The words of an address depend only on its street, building name, locality and
    # town, which the flats of a building and the houses of a street share: work once per distinct
    # combination ("place"), count per address.
    place_of = [(p.street, p.building_name, p.locality, p.town) for p in parsed]
    place_count = Counter(place_of)
    place_fields: dict[tuple[str, str, str, str], list[tuple[str, str]]] = {}
    df: Counter[str] = Counter()
    as_place: Counter[str] = Counter()
    for place, count in place_count.items():
        seen: dict[str, str] = {}
        for field, text in zip("SBLL", place):
            for word in text.split():
                if word not in NOISE_WORDS and word not in seen:
                    seen[word] = field
        place_fields[place] = list(seen.items())
        for word, field in seen.items():
            df[word] += count
            if field == "L":
                as_place[word] += count
    idf = {w: math.log((n + 1) / (c + 0.5)) for w, c in df.items()}
    # Words that name a locality somewhere but not everywhere ("Highgrove", not "London").
    locality_words = frozenset(w for w, c in as_place.items() if c * 2 > df[w] and c < 0.9 * n)

    # Per place: its token rows (word, field code, rarity), the weights of its parts, and the
    # street words that are blocking keys. Field codes: S street, B building name, L locality or
    # town, P a locality word that tells places apart (see ``locality_words``).
    place_rows: dict[tuple[str, str, str, str], tuple] = {}
    for place, words in place_fields.items():
        rows, street_words = [], []
        weights = {"S": 0.0, "B": 0.0, "L": 0.0}
        for word, field in words:
            weight = idf[word]
            rows.append((word, "P" if field == "L" and word in locality_words else field, weight))
            weights[field] += weight
            if field == "S":
                street_words.append(word)
        distinctive = [w for w in street_words if w not in STREET_TYPES] or street_words
        street_keys = sorted(distinctive, key=lambda w: -idf[w])[:KEY_WORDS]
        building_words = [w for w in place[1].split() if w in idf]
        building_key = max(building_words, key=lambda w: idf[w]) if building_words else None
        place_rows[place] = (rows, weights["S"], weights["B"], weights["L"], street_keys, building_key)

    tok_g, tok_w, tok_f, tok_idf = [], [], [], []
    w_street, w_bname, w_loc = [0.0] * n, [0.0] * n, [0.0] * n
    key_g, key_num, key_tok = [], [], []
    bkey_g, bkey_tok, bkey_num, bkey_rank, bkey_building = [], [], [], [], []
    for g, (p, place) in enumerate(zip(parsed, place_of)):
        rows, w_street[g], w_bname[g], w_loc[g], street_keys, building_key = place_rows[place]
        for word, field, weight in rows:
            tok_g.append(g)
            tok_w.append(word)
            tok_f.append(field)
            tok_idf.append(weight)
        # Every record's street keys, with its number (NULL when it has none: the number rules
        # never join on it, the borough-wide building rule (3w) still finds its street).
        for word in street_keys:
            key_g.append(g)
            key_num.append(p.number)
            key_tok.append(word)
        if building_key is not None:
            bkey_g.append(g)
            bkey_tok.append(building_key)
            bkey_num.append(p.number)
            bkey_rank.append(unit_of(p)[1])
            bkey_building.append(not p.sao_key)

    parent_uprn = [v or None for v in _uprns(table, "parent_uprn")]
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


@dataclass(frozen=True)
class WordStatistics:
    """What preparing messy addresses needs from the gazetteer: word rarities, the words that name
    places, and the spelling index. Small and picklable, so it can be shipped to Spark executors."""

    idf: dict[str, float]
    locality_words: frozenset[str]
    spelling: SpellingIndex

    @classmethod
    def of(cls, gazetteer: PreparedGazetteer) -> "WordStatistics":
        return cls(gazetteer.idf, gazetteer.locality_words, gazetteer.spelling)


ADDRESS_RECORD_SCHEMA = pa.schema([
    ("i_id", pa.int64()), ("unit", pa.string()), ("unit_rank", pa.int64()), ("unit_floor", pa.int64()),
    ("unit_sfx", pa.bool_()), ("stype", pa.string()), ("sao", pa.string()), ("rsfx", pa.string()),
    ("num_rev", pa.int64()), ("num", pa.int64()), ("num_end", pa.int64()), ("sfx", pa.string()),
    ("bname", pa.string()), ("pc", pa.string()), ("sector", pa.string()), ("outward", pa.string()),
    ("w_in", pa.float64()), ("n_loc", pa.int64()), ("sup_uprn", pa.int64()),
])
"""The matcher's table of messy addresses (one row per address)."""
NESTED_TOKEN_SCHEMA = pa.schema([
    ("tok_token", pa.list_(pa.string())), ("tok_orig", pa.list_(pa.string())),
    ("tok_factor", pa.list_(pa.float64())), ("btok_token", pa.list_(pa.string())),
])
"""Each address's word rows as lists: gazetteer word, the word as written, its factor; and the words
that may name its building. Flattened, they are the matcher's token tables."""
PREPARED_BATCH_SCHEMA = pa.schema([*ADDRESS_RECORD_SCHEMA, *NESTED_TOKEN_SCHEMA,
                                   ("normalised_address", pa.string())])
"""What :func:`prepare_address_batch` returns: records, nested tokens, and the canonical line."""


def prepare_addresses(table: pa.Table, gazetteer: PreparedGazetteer) -> PreparedAddresses:
    """Parse messy addresses (``id``, ``address`` or lines, optional ``postcode``, ``uprn``)."""
    with _without_cyclic_gc():
        return _prepare_addresses(table, WordStatistics.of(gazetteer))


def _ids(table: pa.Table | pa.RecordBatch) -> list:
    names = table.schema.names
    id_name = "id" if "id" in names else "record_id" if "record_id" in names else None
    if id_name is None:
        raise LinkError(f"the addresses have no `id` column; they have {', '.join(names)}. "
                        "Add a column `id` that identifies each record.")
    return table.column(id_name).to_pylist()


def _prepare_addresses(table: pa.Table, statistics: WordStatistics) -> PreparedAddresses:
    ids = _ids(table)
    texts = text_column(table, "addresses")
    postcodes = optional_column(table, "postcode")
    supplied = _uprns(table, "uprn")
    parsed = parse_addresses(texts, postcodes)
    columns, nested = _address_columns(list(range(len(parsed))), parsed, supplied, statistics)
    records = pa.table(columns, schema=ADDRESS_RECORD_SCHEMA)
    i_id = records.column("i_id")

    def flat(*names: str) -> pa.Table:
        lists = [pa.array(nested[name], NESTED_TOKEN_SCHEMA.field(name).type) for name in names]
        parents = pc.list_parent_indices(lists[0])
        return pa.table({"i_id": i_id.take(parents), **{name.split("_", 1)[1]: column.flatten()
                                                         for name, column in zip(names, lists)}})

    return PreparedAddresses(
        records=records,
        tokens=flat("tok_token", "tok_orig", "tok_factor"),
        building_tokens=flat("btok_token"),
        parsed=parsed,
        ids=ids,
        supplied_uprn=supplied,
    )


_NO_ROWS: tuple[list, list, list, list] = ([], [], [], [])


def _address_columns(i_ids: list[int], parsed: list[ParsedAddress], supplied: list[int | None],
                     statistics: WordStatistics) -> tuple[dict[str, list], dict[str, list]]:
    """The records' columns (:data:`ADDRESS_RECORD_SCHEMA`) and each address's token lists
    (:data:`NESTED_TOKEN_SCHEMA`). Lists are shared between addresses with the same words."""
    idf, spelling, locality_words = statistics.idf, statistics.spelling, statistics.locality_words
    n = len(parsed)
    w_in = [0.0] * n
    n_loc = [0] * n
    per_row: list[tuple[list, list, list, list]] = [_NO_ROWS] * n
    memo: dict[tuple[str, ...], tuple[list[tuple[str, str, float]], float, int]] = {}
    # Per distinct word: its token rows, its weight, whether it names a place.
    word_memo: dict[str, tuple[list[tuple[str, str, float]], float, bool]] = {}
    # Per distinct (words, building words): the token rows as columns, and the building-key tokens.
    rows_memo: dict[tuple, tuple[list[str], list[str], list[float], list[str]]] = {}
    for i, p in enumerate(parsed):
        words = p.words
        entry = memo.get(words)
        if entry is None:
            rows: list[tuple[str, str, float]] = []
            weight = 0.0
            places = 0
            for word in dict.fromkeys(words):
                info = word_memo.get(word)
                if info is None:
                    options = spelling.corrections(word)
                    if options:
                        # A corrected word counts as its least informative reading: "Rosd" is more
                        # likely ROAD than ROSE, and must not count as a rare word left unexplained.
                        info = ([(w, word, f) for w, f in options], min(idf[w] * f for w, f in options),
                                any(w in locality_words for w, _ in options))
                    else:
                        info = ([], UNKNOWN_WORD_WEIGHT, False)
                    word_memo[word] = info
                word_rows, word_weight, is_place = info
                weight += word_weight
                places += is_place
                rows += word_rows
            entry = memo[words] = (rows, weight, places)
        rows, w_in[i], n_loc[i] = entry
        if not rows:
            continue
        # Words that may name the building: those of the parsed building name, or, for an address
        # without a building number (where the parse of names is least sure), every word but those
        # of its street: "Oak" of "Flat 3, Oak Road" is not looked for among the building names
        # ("Oak Court"), which in a large borough found thousands of hopeless candidates.
        key = (words, p.building_name, p.street if p.number is None else None)
        columns = rows_memo.get(key)
        if columns is None:
            columns = rows_memo[key] = (
                [t for t, _, _ in rows], [o for _, o, _ in rows], [f for _, _, f in rows],
                [t for t, o, _ in rows if _may_name_building(o, p)])
        per_row[i] = columns
    records = {"i_id": i_ids, **_structure(parsed), "w_in": w_in, "n_loc": n_loc, "sup_uprn": supplied}
    nested = {name: [row[k] for row in per_row] for k, name in enumerate(NESTED_TOKEN_SCHEMA.names)}
    return records, nested


def _may_name_building(word: str, p: ParsedAddress) -> bool:
    """Whether ``word`` of address ``p`` is looked for among the gazetteer's building names: a word of
    its building name; with no building number, any word that is not only a street word."""
    if word in p.building_name.split():
        return True
    return p.number is None and word not in p.street.split()


def prepare_address_batch(batch: pa.RecordBatch | pa.Table, statistics: WordStatistics) -> pa.RecordBatch:
    """Prepare one batch of messy addresses where it lies (a Spark executor, another process).

    ``batch`` has ``i_id`` (the matcher's row number, unique across batches), ``address`` or
    ``address_line_1..5``, and optionally ``postcode`` and ``uprn``. The result has the columns of
    :data:`PREPARED_BATCH_SCHEMA`, row for row: the same values :func:`prepare_addresses` gives."""
    with _without_cyclic_gc():
        texts = text_column(batch, "addresses")
        parsed = parse_addresses(texts, optional_column(batch, "postcode"))
        supplied = _uprns(batch, "uprn")
        columns, nested = _address_columns(batch.column("i_id").to_pylist(), parsed, supplied, statistics)
        return pa.RecordBatch.from_pydict(
            {**columns, **nested, "normalised_address": [p.single_line() for p in parsed]},
            schema=PREPARED_BATCH_SCHEMA)


def prepare_addresses_spark(frame, gazetteer: PreparedGazetteer | WordStatistics):
    """Prepare a Spark DataFrame of messy addresses on the executors (``mapInArrow``), not the driver.

    ``frame`` has ``i_id`` (unique, e.g. ``monotonically_increasing_id()``), ``address`` or
    ``address_line_1..5``, optionally ``postcode`` and ``uprn``. Returns a DataFrame with the
    columns of :data:`PREPARED_BATCH_SCHEMA`; :func:`flat_token_sql` turns its nested token lists
    into the matcher's token tables. The parser is the same pure-Python function as on DuckDB, so
    the values are the same; only the gazetteer's word statistics travel to the executors."""
    statistics = gazetteer if isinstance(gazetteer, WordStatistics) else WordStatistics.of(gazetteer)
    # Which interpreter the workers run is the Spark engine's business (it points local masters'
    # workers at this one: see oda.engine.spark_engine).

    def prepare(batches):
        for batch in batches:
            yield prepare_address_batch(batch, statistics)

    wanted = [c for c in ("i_id", "address", *(f"address_line_{k}" for k in range(1, 6)), "postcode", "uprn")
              if c in frame.columns]
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "PySpark does not yet fully support pandas", FutureWarning)
        return frame.select(*wanted).mapInArrow(prepare, _spark_ddl(PREPARED_BATCH_SCHEMA))


def write_prepared_on_spark(engine, frame, gazetteer: PreparedGazetteer | WordStatistics,
                            targets: dict[str, str]) -> None:
    """Prepare ``frame`` (see :func:`prepare_addresses_spark`) on the executors of ``engine`` (a
    Spark engine) and write the matcher's tables to ``targets["records"]``, ``targets["tokens"]``
    and ``targets["building_tokens"]``, and ``i_id, normalised_address`` to ``targets["lines"]``.
    The addresses are parsed once (into a staging dataset next to the records); nothing is brought
    to the driver."""
    view = f"oda_prepared_{uuid.uuid4().hex}"
    staging = f"{targets['records']}_nested"
    prepare_addresses_spark(frame, gazetteer).createOrReplaceTempView(view)
    try:
        engine.create_as(staging, f"SELECT * FROM {view}")
    finally:
        engine.session.catalog.dropTempView(view)
    try:
        for part, sql in flat_token_sql(staging).items():
            engine.create_as(targets[part], sql)
        engine.create_as(targets["lines"], f"SELECT i_id, normalised_address FROM {staging}")
    finally:
        engine.drop(staging)


_SPARK_TYPES = {pa.int64(): "BIGINT", pa.string(): "STRING", pa.float64(): "DOUBLE", pa.bool_(): "BOOLEAN"}


def _spark_ddl(schema: pa.Schema) -> str:
    """``i_id BIGINT, tok_token ARRAY<STRING>, ...``: the schema as Spark declares it."""
    def spark_type(data_type: pa.DataType) -> str:
        if pa.types.is_list(data_type):
            return f"ARRAY<{spark_type(data_type.value_type)}>"
        return _SPARK_TYPES[data_type]
    return ", ".join(f"`{field.name}` {spark_type(field.type)}" for field in schema)


def flat_token_sql(prepared: str) -> dict[str, str]:
    """SQL (Spark) turning a prepared table's nested token lists into the matcher's tables:
    ``records``, ``tokens`` (``i_id, token, orig, factor``) and ``building_tokens`` (``i_id, token``)."""
    return {
        "records": f"SELECT {', '.join(ADDRESS_RECORD_SCHEMA.names)} FROM {prepared}",
        "tokens": f"""SELECT i_id, t.tok_token AS token, t.tok_orig AS orig, t.tok_factor AS factor
                      FROM {prepared} LATERAL VIEW inline(arrays_zip(tok_token, tok_orig, tok_factor)) t""",
        "building_tokens": f"SELECT i_id, token FROM {prepared} LATERAL VIEW explode(btok_token) t AS token",
    }
