"""Preparing the gazetteer on Spark executors: the same tables as :func:`~oda.link.address.prepare.prepare_gazetteer`,
without collecting the gazetteer to the driver.

Three steps, each where its data lies:

1. the executors parse each record (``mapInArrow``, the same parser) into its structure columns and
   its identifying words in order (``place_words``: each word once, with its field S, B or L);
2. Spark counts the words (``document frequency``) and only those counts reach the driver, which turns
   them into the :class:`~oda.link.address.prepare.WordStatistics` (rarities, locality words, spelling
   index) exactly as the DuckDB path does;
3. the executors, given the statistics, make each record's token rows, part weights and blocking
   keys (``mapInArrow`` again, with the same arithmetic in the same order), and SQL derives what needs
   the whole gazetteer: parents, ``has_children``, sibling counts and the order of flats named by floor.

Record ids (``g_id``) number the dataset's rows in the order it is read, as on DuckDB, so ties between
candidates are broken alike.
"""

from __future__ import annotations

import math
import uuid
import warnings

import pyarrow as pa

from oda.errors import LinkError
from oda.link.address.candidates import SpellingIndex
from oda.link.address.parse import parse_addresses
from oda.link.address.prepare import (
    _DWELLING_WORDS,
    KEY_WORDS,
    WordStatistics,
    _spark_ddl,
    _structure,
    _uprns,
    _without_cyclic_gc,
    optional_column,
    text_column,
)
from oda.link.address.vocabulary import NOISE_WORDS, STREET_TYPES

PARSED_SCHEMA = pa.schema([
    ("g_id", pa.int64()), ("uprn", pa.int64()), ("sup_parent", pa.int64()),
    ("unit", pa.string()), ("unit_rank", pa.int64()), ("unit_floor", pa.int64()), ("unit_sfx", pa.bool_()),
    ("stype", pa.string()), ("sao", pa.string()), ("rsfx", pa.string()), ("num_rev", pa.int64()),
    ("num", pa.int64()), ("num_end", pa.int64()), ("sfx", pa.string()), ("bname", pa.string()),
    ("pc", pa.string()), ("sector", pa.string()), ("outward", pa.string()),
    ("last_type", pa.string()), ("street", pa.string()), ("dwelling", pa.bool_()),
    ("words", pa.list_(pa.string())), ("fields", pa.list_(pa.string())),
])
"""Step 1's rows: the record's columns (as in the gazetteer's records table), what deriving parents
and floor positions needs, and its identifying words with their fields."""
TOKEN_SCHEMA = pa.schema([
    ("g_id", pa.int64()), ("tok_token", pa.list_(pa.string())), ("tok_field", pa.list_(pa.string())),
    ("tok_idf", pa.list_(pa.float64())), ("w_street", pa.float64()), ("w_bname", pa.float64()),
    ("w_loc", pa.float64()), ("street_keys", pa.list_(pa.string())), ("building_key", pa.string()),
    ("street_name", pa.string()),
])
"""Step 3's rows: the record's token rows as lists, the weights of its parts, its blocking keys, and its
street as its words in order (see :func:`~oda.link.address.match.street_names`)."""
RECORD_COLUMNS = ["g_id", "uprn", "parent_uprn", "has_children", "unit", "unit_rank", "unit_floor", "unit_sfx",
                  "stype", "sao", "rsfx", "num_rev", "num", "num_end", "sfx", "bname", "pc", "sector", "outward",
                  "position", "siblings", "last_type", "w_street", "w_bname", "w_loc"]
"""The gazetteer's records table, column for column as :func:`prepare_gazetteer` makes it."""


def parse_gazetteer_batch(batch: pa.RecordBatch | pa.Table) -> pa.RecordBatch:
    """Step 1 for one batch (``g_id``, ``uprn``, ``address`` or lines, optional ``postcode``, ``parent_uprn``)."""
    with _without_cyclic_gc():
        parsed = parse_addresses(text_column(batch, "gazetteer"), optional_column(batch, "postcode"))
        words, fields = [], []
        memo: dict[tuple[str, str, str, str], tuple[list[str], list[str]]] = {}
        for p in parsed:
            place = (p.street, p.building_name, p.locality, p.town)
            entry = memo.get(place)
            if entry is None:
                seen: dict[str, str] = {}
                for field, text in zip("SBLL", place):
                    for word in text.split():
                        if word not in NOISE_WORDS and word not in seen:
                            seen[word] = field
                entry = memo[place] = (list(seen), list(seen.values()))
            words.append(entry[0])
            fields.append(entry[1])
        columns = {
            "g_id": batch.column("g_id").to_pylist(), "uprn": _uprns(batch, "uprn"),
            "sup_parent": [v or None for v in _uprns(batch, "parent_uprn")], **_structure(parsed),
            "last_type": [p.street.split()[-1] if p.street and p.street.split()[-1] in STREET_TYPES else ""
                          for p in parsed],
            "street": [p.street for p in parsed],
            "dwelling": [bool(_DWELLING_WORDS.intersection(p.property_words)) for p in parsed],
            "words": words, "fields": fields,
        }
        return pa.RecordBatch.from_pydict(columns, schema=PARSED_SCHEMA)


def token_batch(batch: pa.RecordBatch | pa.Table, statistics: WordStatistics) -> pa.RecordBatch:
    """Step 3 for one batch of step 1's rows (``g_id``, ``words``, ``fields``, ``bname``): the same
    rows, sums and keys as :func:`~oda.link.address.prepare.prepare_gazetteer` makes per place."""
    idf, locality_words = statistics.idf, statistics.locality_words
    out: dict[str, list] = {name: [] for name in TOKEN_SCHEMA.names}
    memo: dict[tuple, tuple] = {}
    for g, words, fields, bname in zip(*(batch.column(c).to_pylist() for c in ("g_id", "words", "fields", "bname"))):
        place = (tuple(words), tuple(fields), bname)
        entry = memo.get(place)
        if entry is None:
            tokens, kinds, rarities, street_words = [], [], [], []
            weights = {"S": 0.0, "B": 0.0, "L": 0.0}
            for word, field in zip(words, fields):
                weight = idf[word]
                tokens.append(word)
                kinds.append("P" if field == "L" and word in locality_words else field)
                rarities.append(weight)
                weights[field] += weight
                if field == "S":
                    street_words.append(word)
            distinctive = [w for w in street_words if w not in STREET_TYPES] or street_words
            street_keys = sorted(distinctive, key=lambda w: -idf[w])[:KEY_WORDS]
            building_words = [w for w in (bname or "").split() if w in idf]
            building_key = max(building_words, key=lambda w: idf[w]) if building_words else None
            entry = memo[place] = (tokens, kinds, rarities, weights["S"], weights["B"], weights["L"],
                                   street_keys, building_key, " ".join(street_words) if street_words else None)
        for name, value in zip(TOKEN_SCHEMA.names, (g, *entry)):
            out[name].append(value)
    return pa.RecordBatch.from_pydict(out, schema=TOKEN_SCHEMA)


def _map(frame, function, schema: pa.Schema):
    def run(batches):
        for batch in batches:
            yield function(batch)

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "PySpark does not yet fully support pandas", FutureWarning)
        return frame.mapInArrow(run, _spark_ddl(schema))


def _create_from_frame(engine, dataset: str, frame) -> None:
    view = f"oda_gazetteer_{uuid.uuid4().hex}"
    frame.createOrReplaceTempView(view)
    try:
        engine.create_as(dataset, f"SELECT * FROM {view}")
    finally:
        engine.session.catalog.dropTempView(view)


def word_statistics_sql(parsed: str) -> str:
    """Per word: in how many records it is an identifying word, how many as a locality or town, and
    where it first appears (record, then position) — the order the DuckDB path meets words in."""
    return f"""
        SELECT w.word, COUNT(*) AS df, SUM(CASE WHEN w.field = 'L' THEN 1 ELSE 0 END) AS as_place,
               MIN(w.g_id * 1000 + w.pos) AS first_seen
        FROM (SELECT g_id, t.pos, t.word, fields[t.pos] AS field
              FROM {parsed} LATERAL VIEW posexplode(words) t AS pos, word) w
        GROUP BY w.word ORDER BY first_seen"""


def statistics_from_counts(counts: pa.Table, n: int) -> WordStatistics:
    """The word statistics from the document frequencies (``word, df, as_place`` in first-seen order)
    of a gazetteer of ``n`` records: the same formulas as :func:`prepare_gazetteer`."""
    df = dict(zip(counts.column("word").to_pylist(), counts.column("df").to_pylist()))
    as_place = {w: c for w, c in zip(counts.column("word").to_pylist(), counts.column("as_place").to_pylist()) if c}
    idf = {w: math.log((n + 1) / (c + 0.5)) for w, c in df.items()}
    locality_words = frozenset(w for w, c in as_place.items() if c * 2 > df[w] and c < 0.9 * n)
    return WordStatistics(idf, locality_words, SpellingIndex(df))


def records_sql(parsed: str, tokens: str, derive_parents: bool) -> str:
    """The records table from step 1's and step 3's rows; parents (derived, when the gazetteer has no
    ``parent_uprn``: a flat's parent is the first record of the same building with no flat), children,
    siblings and floor positions need the whole gazetteer and are SQL."""
    if derive_parents:
        parents = f"""
            SELECT f.g_id, b.uprn AS parent_uprn FROM {parsed} f
            JOIN (SELECT num, sfx, num_end, bname, street, pc, uprn FROM (
                      SELECT num, sfx, num_end, bname, street, pc, uprn,
                             ROW_NUMBER() OVER (PARTITION BY num, sfx, num_end, bname, street, pc ORDER BY g_id) AS k
                      FROM {parsed} WHERE COALESCE(sao, '') = '' AND uprn IS NOT NULL) x WHERE k = 1) b
              ON b.num IS NOT DISTINCT FROM f.num AND b.sfx IS NOT DISTINCT FROM f.sfx
             AND b.num_end IS NOT DISTINCT FROM f.num_end AND b.bname IS NOT DISTINCT FROM f.bname
             AND b.street IS NOT DISTINCT FROM f.street AND b.pc IS NOT DISTINCT FROM f.pc
            WHERE COALESCE(f.sao, '') <> ''"""
    else:
        parents = f"SELECT g_id, sup_parent AS parent_uprn FROM {parsed} WHERE sup_parent IS NOT NULL"
    return f"""
        WITH par AS ({parents}),
        r AS (SELECT p.*, par.parent_uprn FROM {parsed} p LEFT JOIN par ON par.g_id = p.g_id),
        kids AS (SELECT parent_uprn, COUNT(*) AS n FROM r WHERE parent_uprn IS NOT NULL GROUP BY parent_uprn),
        pos AS (SELECT g_id, ROW_NUMBER() OVER (PARTITION BY parent_uprn ORDER BY unit_floor, g_id) AS position
                FROM r WHERE parent_uprn IS NOT NULL AND unit_floor IS NOT NULL AND dwelling)
        SELECT r.g_id, r.uprn, r.parent_uprn, c.parent_uprn IS NOT NULL AS has_children,
               r.unit, r.unit_rank, r.unit_floor, r.unit_sfx, r.stype, r.sao, r.rsfx, r.num_rev, r.num,
               r.num_end, r.sfx, r.bname, r.pc, r.sector, r.outward,
               CAST(pos.position AS BIGINT) AS position, CAST(COALESCE(s.n, 0) AS BIGINT) AS siblings,
               r.last_type, t.w_street, t.w_bname, t.w_loc
        FROM r JOIN {tokens} t ON t.g_id = r.g_id
             LEFT JOIN pos ON pos.g_id = r.g_id
             LEFT JOIN kids s ON s.parent_uprn = r.parent_uprn
             LEFT JOIN kids c ON c.parent_uprn = r.uprn
        ORDER BY r.g_id"""


def prepare_gazetteer_on_spark(engine, dataset: str, targets: dict[str, str]) -> WordStatistics:
    """Prepare the gazetteer ``dataset`` of ``engine`` (a Spark engine) on its executors and write
    ``targets["records"]``, ``["tokens"]``, ``["street_keys"]`` and ``["building_keys"]`` (the tables
    of :class:`~oda.link.address.prepare.PreparedGazetteer`), and ``["streets"]`` (``g_id, street``). Returns the word statistics, the only
    part that reaches the driver."""
    present = engine.query(f"SELECT * FROM {dataset} LIMIT 0").column_names
    if "uprn" not in present:
        raise LinkError(f"the gazetteer has no `uprn` column; it has {', '.join(present)}")
    wanted = [c for c in ("uprn", "address", *(f"address_line_{k}" for k in range(1, 6)), "postcode",
                          "parent_uprn") if c in present]
    base = targets["records"]
    numbered, parsed, tokens = f"{base}_numbered", f"{base}_parsed", f"{base}_tokens"
    try:
        # Row numbers in read order (as the DuckDB path's), fixed once by materialising.
        engine.create_as(numbered, f"""
            SELECT {', '.join(wanted)}, ROW_NUMBER() OVER (ORDER BY m) - 1 AS g_id
            FROM (SELECT *, monotonically_increasing_id() AS m FROM {dataset}) d""")
        _create_from_frame(engine, parsed, _map(engine.session.table(numbered), parse_gazetteer_batch, PARSED_SCHEMA))
        n = engine.count(parsed)
        statistics = statistics_from_counts(engine.query(word_statistics_sql(parsed)), n)
        _create_from_frame(engine, tokens, _map(engine.session.table(parsed).select("g_id", "words", "fields", "bname"),
                                                lambda batch: token_batch(batch, statistics), TOKEN_SCHEMA))
        derive = engine.query(f"SELECT COUNT(sup_parent) AS n FROM {parsed}").column(0)[0].as_py() == 0
        engine.create_as(targets["records"], records_sql(parsed, tokens, derive))
        engine.create_as(targets["tokens"], f"""
            SELECT g_id, t.tok_token AS token, t.tok_field AS field, t.tok_idf AS idf
            FROM {tokens} LATERAL VIEW inline(arrays_zip(tok_token, tok_field, tok_idf)) t""")
        engine.create_as(targets["street_keys"], f"""
            SELECT p.g_id, p.num, k.token FROM {parsed} p JOIN {tokens} t ON t.g_id = p.g_id
                 LATERAL VIEW explode(t.street_keys) k AS token""")
        engine.create_as(targets["building_keys"], f"""
            SELECT p.g_id, t.building_key AS token, p.num, p.unit_rank, COALESCE(p.sao, '') = '' AS building
            FROM {parsed} p JOIN {tokens} t ON t.g_id = p.g_id WHERE t.building_key IS NOT NULL""")
        engine.create_as(targets["streets"], f"SELECT g_id, street_name AS street FROM {tokens} "
                                             "WHERE street_name IS NOT NULL")
        return statistics
    finally:
        for work in (numbered, parsed, tokens):
            engine.drop(work)
