"""Messy addresses → gazetteer UPRNs: the orchestration.

>>> matcher = AddressMatcher().fit(gazetteer)          # a table: uprn, address[, postcode, parent_uprn]
>>> result = matcher.match(addresses)                  # a table: id, address[, postcode, uprn]

Each address gets one row: ``uprn`` (for tiers ``exact`` and ``confident``; empty otherwise),
``probability``, ``tier``, the best ``candidate_uprn`` (also for ``review``), ``runner_up_uprn`` and
the ``margin`` to it (difference in log-odds score), ``reasons``, and ``matched_to_parent`` (the
address names a building but no flat, or a flat the gazetteer does not hold, and the UPRN is the
building's).

All comparisons between records run as SQL through the engine (:mod:`oda.engine`), so the same code
runs on DuckDB and on Spark; parsing runs in Python once per distinct address. Given dataset names
instead of tables, a Spark engine parses the gazetteer and the addresses where they lie, on its
executors (:mod:`~oda.link.address.gazetteer_spark`,
:func:`~oda.link.address.prepare.write_prepared_on_spark`), and :meth:`AddressMatcher.match_to`
writes the answers there too: the driver sees only the gazetteer's word counts.
"""

from __future__ import annotations

import itertools

import pyarrow as pa

from oda.engine.base import Engine
from oda.errors import LinkError
from oda.link.address.candidates import candidate_pairs_sql, wide_street_hits_sql
from oda.link.address.finish import finish_sql
from oda.link.address.gazetteer_spark import prepare_gazetteer_on_spark
from oda.link.address.prepare import (
    PreparedGazetteer,
    WordStatistics,
    prepare_addresses,
    prepare_gazetteer,
    write_prepared_on_spark,
)
from oda.link.address.uprn_check import uprn_check_sql
from oda.link.address.score import (
    NUMBER_LEVEL_SQL,
    POSTCODE_LEVEL_SQL,
    WEIGHTS,
    flat_level_sql,
    logit_sql,
    match_probability_sql,
    tier_sql,
)

_runs = itertools.count()

PLAUSIBLE = 0.5
"""An address whose candidates all cover less than this share of their street (or building name)
goes on to the wider fallback blocking rules."""


BATCH = 100_000
"""Addresses matched at a time: bounds the candidate tables (about 50 pairs per address; scoring
100k addresses' pairs takes about 2.5 GB in DuckDB)."""
PRIVATE_MEMORY = "3GB"
"""Memory cap of the in-memory DuckDB the matcher opens for itself (it spills to disk beyond it)."""
ADDRESS_COLUMNS = ["address", *(f"address_line_{k}" for k in range(1, 6)), "postcode", "uprn", "parent_uprn"]
"""The columns the matcher reads from a dataset (those present), besides its id column."""


def read_columns(engine: Engine, dataset: str, wanted: list[str]) -> pa.Table:
    """The columns of ``dataset`` among ``wanted`` (in that order), read to the driver."""
    present = engine.query(f"SELECT * FROM {dataset} LIMIT 0").column_names
    return engine.read(dataset, [c for c in wanted if c in present])


def _id_column(engine: Engine, dataset: str) -> str:
    """A dataset's record id: ``record_id`` (the pipeline's), else ``id``."""
    present = engine.query(f"SELECT * FROM {dataset} LIMIT 0").column_names
    for name in ("record_id", "id"):
        if name in present:
            return name
    raise LinkError(f"{dataset} has no `record_id` or `id` column; it has {', '.join(present)}. "
                    "Add a column `id` that identifies each record.")


def _on_spark(engine: Engine) -> bool:
    from oda.engine.spark_engine import SparkEngine  # no PySpark import: it is imported lazily

    return isinstance(engine, SparkEngine)


class AddressMatcher:
    """Match addresses to a gazetteer. Parameters are stored; :meth:`fit` does the work.

    ``engine``: where the comparisons run (an in-memory DuckDB engine when omitted).
    ``weights``: log-odds weights per feature (default: the calibrated :data:`WEIGHTS`).
    """

    def __init__(self, engine: Engine | None = None, *, weights: dict[str, float] | None = None):
        self.engine = engine
        self.weights = weights

    def fit(self, gazetteer: pa.Table | str) -> "AddressMatcher":
        """Parse the gazetteer (a table, or a dataset of the engine) and store its tables in the engine.

        ``gazetteer_`` keeps what preparing addresses needs: the prepared gazetteer; or, for a dataset
        on Spark, which is parsed on the executors, only its word statistics (the rest stays there)."""
        if self.engine is None:
            from oda.engine.duckdb_engine import DuckDBEngine

            self.engine_ = DuckDBEngine(memory_limit=PRIVATE_MEMORY)
        else:
            self.engine_ = self.engine
        run = next(_runs)
        self.work_ = {name: f"link.addr_work_{name}_{run}" for name in (
            "gaz", "gaz_tok", "gaz_key", "gaz_keyo", "gaz_bkey", "gaz_bkeyo", "gaz_street", "pc_street", "pc_num", "src", "in", "in_tok",
            "in_btok", "lines", "wide_hits", "cand", "levels", "pairs", "pairs_more", "need")}
        engine = self.engine_
        self.gazetteer_: PreparedGazetteer | WordStatistics
        if isinstance(gazetteer, str) and _on_spark(engine):
            self.gazetteer_ = prepare_gazetteer_on_spark(engine, gazetteer, {
                "records": self.work_["gaz"], "tokens": self.work_["gaz_tok"], "street_keys": self.work_["gaz_key"],
                "building_keys": self.work_["gaz_bkey"], "streets": self.work_["gaz_street"]})
        else:
            if isinstance(gazetteer, str):
                gazetteer = read_columns(engine, gazetteer, ADDRESS_COLUMNS)
            prepared = prepare_gazetteer(gazetteer)
            self.gazetteer_ = prepared
            engine.write(self.work_["gaz"], prepared.records)
            engine.write(self.work_["gaz_tok"], prepared.tokens)
            engine.write(self.work_["gaz_key"], prepared.street_keys)
            engine.write(self.work_["gaz_bkey"], prepared.building_keys)
            engine.write(self.work_["gaz_street"], street_names(prepared.tokens))
        engine.create_as(self.work_["gaz_keyo"], f"""
            SELECT k.g_id, k.num, k.token, g.outward FROM {self.work_['gaz_key']} k
            JOIN {self.work_['gaz']} g ON g.g_id = k.g_id""")
        engine.create_as(self.work_["gaz_bkeyo"], f"""
            SELECT k.*, g.outward FROM {self.work_['gaz_bkey']} k
            JOIN {self.work_['gaz']} g ON g.g_id = k.g_id""")
        engine.create_as(self.work_["pc_street"], f"""
            SELECT DISTINCT g.pc, s.street FROM {self.work_['gaz']} g
            JOIN {self.work_['gaz_street']} s ON s.g_id = g.g_id WHERE g.pc <> ''""")
        engine.create_as(self.work_["pc_num"], f"""
            SELECT DISTINCT pc, num FROM {self.work_['gaz']} WHERE pc <> '' AND num IS NOT NULL""")
        return self

    def match(self, addresses: pa.Table | str, *, features: bool = False) -> pa.Table:
        """One row per address (see the module docstring). ``features=True`` returns instead every
        scored candidate pair with its features (for calibration).

        ``addresses`` is a table, or the name of a dataset in the engine (its id is ``record_id``,
        else ``id``). On Spark a dataset is parsed on the executors and matched in one go (Spark
        spills); otherwise addresses are matched in batches of :data:`BATCH` so that memory stays
        bounded however many there are (the gazetteer's tables are shared by every batch)."""
        if isinstance(addresses, str):
            if _on_spark(self.engine_):
                return self.engine_.query(self._match_on_executors(addresses, features=features))
            addresses = read_columns(self.engine_, addresses, [_id_column(self.engine_, addresses), *ADDRESS_COLUMNS])
        if addresses.num_rows <= BATCH:
            return self._match_batch(addresses, features=features)
        parts = [self._match_batch(addresses.slice(start, BATCH), features=features)
                 for start in range(0, addresses.num_rows, BATCH)]
        return pa.concat_tables(parts)

    def _match_batch(self, addresses: pa.Table, *, features: bool) -> pa.Table:
        engine, work = self.engine_, self.work_
        prepared = prepare_addresses(addresses, self.gazetteer_)
        engine.write(work["in"], prepared.records)
        engine.write(work["in_tok"], prepared.tokens)
        engine.write(work["in_btok"], prepared.building_tokens)
        engine.write(work["lines"], pa.table({
            "i_id": prepared.records.column("i_id"), "id": prepared.ids,
            "normalised_address": pa.array([p.single_line() for p in prepared.parsed], pa.string())}))
        return engine.query(self._answers_sql(work["lines"], features=features))

    def match_to(self, addresses: str, dataset: str) -> None:
        """Write the answers for the addresses of a dataset (see :meth:`match`) to ``dataset``. On
        Spark they are parsed, matched and written on the executors: no row reaches the driver."""
        if _on_spark(self.engine_):
            self.engine_.create_as(dataset, self._match_on_executors(addresses, features=False))
        else:
            self.engine_.write(dataset, self.match(addresses))

    def _match_on_executors(self, dataset: str, *, features: bool) -> str:
        """Match a Spark dataset: number its rows, parse them on the executors into the matcher's
        tables, compare. Returns the SQL of the answers (or of the scored pairs, with ``features``),
        to be run in the engine: nothing about the addresses has reached the driver."""
        engine, work = self.engine_, self.work_
        id_name = _id_column(engine, dataset)
        present = engine.query(f"SELECT * FROM {dataset} LIMIT 0").column_names
        columns = ", ".join(c for c in [id_name, *ADDRESS_COLUMNS] if c in present and c != "parent_uprn")
        # Materialised, so that the row numbers are fixed once (the function is not deterministic
        # if the plan is recomputed).
        engine.create_as(work["src"], f"SELECT {columns}, monotonically_increasing_id() AS i_id FROM {dataset}")
        write_prepared_on_spark(engine, engine.session.table(work["src"]), self.gazetteer_,
                                {"records": work["in"], "tokens": work["in_tok"],
                                 "building_tokens": work["in_btok"], "lines": work["lines"]})
        lines = (f"(SELECT l.i_id, s.{id_name} AS id, l.normalised_address FROM {work['lines']} l "
                 f"JOIN {work['src']} s ON s.i_id = l.i_id)")
        return self._answers_sql(lines, features=features)

    def _answers_sql(self, lines: str, *, features: bool) -> str:
        """Compare the addresses in the working tables ``in*``; the SQL of their answers (see
        :func:`~oda.link.address.finish.finish_sql`; ``lines``: ``i_id, id, normalised_address``),
        or with ``features`` of every scored candidate pair."""
        pairs = self._compare()
        if features:
            return f"SELECT * FROM {pairs} p"
        return finish_sql(self._decide_sql(pairs), lines, self.engine_)

    def _compare(self) -> str:
        """Candidates and scores for the addresses in the working tables ``in*``: the scored pairs (SQL)."""
        engine, work = self.engine_, self.work_
        engine.create_as(work["wide_hits"], wide_street_hits_sql(work, fallback=False))
        engine.create_as(work["cand"], candidate_pairs_sql(work, fallback=False))
        engine.create_as(work["levels"], self._levels_sql(work["cand"]))
        engine.create_as(work["pairs"], self._score_sql(work["levels"]))
        engine.create_as(work["need"], f"""
            SELECT i.i_id FROM {work['in']} i
            WHERE NOT EXISTS (SELECT 1 FROM {work['pairs']} p WHERE p.i_id = i.i_id
                              AND (p.street_cov >= {PLAUSIBLE} OR p.bname_cov >= {PLAUSIBLE}))""")
        if engine.count(work["need"]):
            engine.create_as(work["wide_hits"], wide_street_hits_sql(work, fallback=True))
            engine.create_as(work["cand"], f"""
                SELECT c.i_id, c.g_id FROM ({candidate_pairs_sql(work, fallback=True)}) c
                WHERE NOT EXISTS (SELECT 1 FROM {work['pairs']} p WHERE p.i_id = c.i_id AND p.g_id = c.g_id)""")
            engine.create_as(work["levels"], self._levels_sql(work["cand"]))
            engine.create_as(work["pairs_more"], self._score_sql(work["levels"]))
        else:
            engine.drop(work["pairs_more"])
        return (f"(SELECT * FROM {work['pairs']} UNION ALL SELECT * FROM {work['pairs_more']})"
                if engine.exists(work["pairs_more"]) else work["pairs"])

    def close(self) -> None:
        """Drop the working tables (and the engine, if the matcher opened it)."""
        for dataset in self.work_.values():
            self.engine_.drop(dataset)
        if self.engine is None:
            self.engine_.close()

    # -- SQL ---------------------------------------------------------------------------------
    def _levels_sql(self, candidates: str) -> str:
        """Component levels of each candidate pair; pairs breaking a hard constraint are dropped.

        One join of the pairs with both records: the constraints are tested in ``WHERE`` (number,
        then flat), so the postcode level (an edit distance) is computed only for the pairs kept."""
        work = self.work_
        flat_level = flat_level_sql(f"({NUMBER_LEVEL_SQL})")
        return f"""
        SELECT c.i_id, c.g_id, {NUMBER_LEVEL_SQL} AS num_level, {flat_level} AS flat_level,
               {POSTCODE_LEVEL_SQL} AS pc_level
        FROM {candidates} c JOIN {work['in']} i ON i.i_id = c.i_id JOIN {work['gaz']} g ON g.g_id = c.g_id
        WHERE ({NUMBER_LEVEL_SQL}) <> 'reject' AND ({flat_level}) <> 'reject'
        """

    def _score_sql(self, levels: str) -> str:
        """Word coverages and conflicts of each pair that passed the hard constraints, and its score."""
        work = self.work_
        return f"""
        WITH ok AS (SELECT * FROM {levels}
        ), tm AS (
            -- A gazetteer record has each word once (one field); an address may have a word twice
            -- (two spellings corrected to it): its best factor counts, once. Taken per address
            -- before the join, so the pairs' word rows need no grouping of their own.
            SELECT ok.i_id, ok.g_id, gt.field, t.factor * gt.idf AS w
            FROM ok JOIN (SELECT i_id, token, MAX(factor) AS factor FROM {work['in_tok']}
                          GROUP BY i_id, token) t ON t.i_id = ok.i_id
                    JOIN {work['gaz_tok']} gt ON gt.g_id = ok.g_id AND gt.token = t.token
        ), tw AS (
            SELECT i_id, g_id,
                   SUM(CASE WHEN field = 'S' THEN w ELSE 0 END) AS m_street,
                   SUM(CASE WHEN field = 'B' THEN w ELSE 0 END) AS m_bname,
                   SUM(CASE WHEN field IN ('L', 'P') THEN w ELSE 0 END) AS m_loc,
                   SUM(w) AS m_all,
                   SUM(CASE WHEN field = 'P' THEN 1 ELSE 0 END) AS n_loc
            FROM tm GROUP BY i_id, g_id
        ), f AS (
            SELECT ok.i_id, ok.g_id, ok.num_level, ok.flat_level, ok.pc_level,
                   CASE WHEN g.w_street > 0 THEN COALESCE(tw.m_street, 0) / g.w_street ELSE 0 END AS street_cov,
                   CASE WHEN g.w_street > 0 THEN 0 ELSE 1 END AS street_none,
                   CASE WHEN g.w_bname > 0 THEN COALESCE(tw.m_bname, 0) / g.w_bname ELSE 0 END AS bname_cov,
                   CASE WHEN g.w_bname > 0 THEN 0 ELSE 1 END AS bname_none,
                   CASE WHEN g.w_loc > 0 THEN COALESCE(tw.m_loc, 0) / g.w_loc ELSE 0 END AS loc_cov,
                   LEAST(GREATEST(i.w_in - COALESCE(tw.m_all, 0), 0), 12) AS unexplained,
                   CASE WHEN i.stype <> '||' AND g.last_type <> ''
                             AND i.stype NOT LIKE '%|' || g.last_type || '|%' THEN 1 ELSE 0 END AS type_conflict,
                   CASE WHEN i.n_loc > COALESCE(tw.n_loc, 0) THEN 1 ELSE 0 END AS place_conflict,
                   CASE WHEN ok.flat_level IN ('floor_guess', 'floor_near') AND g.siblings <= 3
                        THEN 1 ELSE 0 END AS floor_small_building,
                   CASE WHEN ok.pc_level NOT IN ('exact', 'missing') AND ps.pc IS NOT NULL AND pn.pc IS NULL
                        THEN 1 ELSE 0 END AS street_at_postcode
            FROM ok JOIN {work['in']} i ON i.i_id = ok.i_id JOIN {work['gaz']} g ON g.g_id = ok.g_id
                    LEFT JOIN tw ON tw.i_id = ok.i_id AND tw.g_id = ok.g_id
                    LEFT JOIN {work['gaz_street']} gs ON gs.g_id = ok.g_id
                    LEFT JOIN {work['pc_street']} ps ON ps.pc = i.pc AND ps.street = gs.street
                    LEFT JOIN {work['pc_num']} pn ON pn.pc = i.pc AND pn.num = i.num
        )
        SELECT f.*, {logit_sql(self.weights or WEIGHTS)} AS score FROM f
        """

    def _decide_sql(self, pairs: str) -> str:
        work = self.work_
        exact = ("b.pc_level = 'exact' AND b.num_level IN ('exact', 'none') AND b.flat_level IN ('exact', 'none') "
                 "AND b.street_cov >= 0.999 AND (b.bname_none = 1 OR b.bname_cov >= 0.999) AND b.unexplained < 1.5")
        probability = match_probability_sql("b.score", "b.others")
        return f"""
        WITH ranked AS (
            SELECT p.*, g.uprn, g.parent_uprn, g.has_children,
                   ROW_NUMBER() OVER (PARTITION BY p.i_id ORDER BY p.score DESC, p.g_id) AS rank,
                   MAX(p.score) OVER (PARTITION BY p.i_id) AS top
            FROM {pairs} p JOIN {work['gaz']} g ON g.g_id = p.g_id
        ), first AS (SELECT * FROM ranked WHERE rank = 1),
        rivals AS (
            -- When the best candidate is a building and the address names no flat, the building's
            -- own flats are not rivals: they are the parts of the answer, not other answers.
            SELECT c.*, ROW_NUMBER() OVER (PARTITION BY c.i_id ORDER BY c.score DESC, c.g_id) AS rival_rank
            FROM ranked c JOIN first f ON f.i_id = c.i_id
            WHERE c.rank > 1 AND NOT (f.flat_level = 'none' AND f.has_children AND c.flat_level = 'input_missing'
                                      AND c.parent_uprn IS NOT NULL AND c.parent_uprn = f.uprn)
        ), others AS (
            SELECT i_id, SUM(exp(score - GREATEST(top, 0.0))) AS others FROM rivals GROUP BY i_id
        ), b AS (SELECT first.*, COALESCE(o.others, 0.0) AS others
                 FROM first LEFT JOIN others o ON o.i_id = first.i_id),
           r AS (SELECT * FROM rivals WHERE rival_rank = 1),
        decided AS (
            SELECT i.i_id, b.uprn AS candidate_uprn, r.uprn AS runner_up_uprn,
                   {probability} AS probability,
                   b.score - COALESCE(r.score, -50.0) AS margin, b.score AS score,
                   b.pc_level, b.num_level, b.flat_level, b.street_cov, b.bname_cov, b.bname_none,
                   b.street_none, b.loc_cov, b.unexplained,
                   CASE WHEN b.uprn IS NULL THEN FALSE
                        WHEN i.unit = '' AND b.has_children THEN TRUE
                        WHEN b.flat_level IN ('candidate_missing', 'candidate_missing_flats') THEN TRUE
                        ELSE FALSE END AS matched_to_parent,
                   CASE WHEN b.uprn IS NULL THEN FALSE WHEN {exact} THEN TRUE ELSE FALSE END AS is_exact
            FROM {work['in']} i LEFT JOIN b ON b.i_id = i.i_id LEFT JOIN r ON r.i_id = i.i_id
        )
        SELECT d.*, {tier_sql('d.probability', 'd.is_exact')} AS tier,
               {uprn_check_sql('i.sup_uprn', 'gs.g_id IS NOT NULL', 'sp.score', 'd.candidate_uprn', 'd.score')}
                   AS uprn_check
        FROM decided d JOIN {work['in']} i ON i.i_id = d.i_id
             LEFT JOIN {work['gaz']} gs ON gs.uprn = i.sup_uprn
             LEFT JOIN {pairs} sp ON sp.i_id = d.i_id AND sp.g_id = gs.g_id
        ORDER BY d.i_id
        """


def street_names(tokens: pa.Table) -> pa.Table:
    """``(g_id, street)``: each gazetteer record's street as its words in order ("PRIORY ROAD"), to
    ask whether a street runs through a postcode (see ``street_at_postcode`` in :mod:`score`)."""
    words: dict[int, list[str]] = {}
    for g, token, field in zip(tokens.column("g_id").to_pylist(), tokens.column("token").to_pylist(),
                               tokens.column("field").to_pylist()):
        if field == "S":
            words.setdefault(g, []).append(token)
    return pa.table({"g_id": pa.array(list(words), pa.int64()),
                     "street": pa.array([" ".join(w) for w in words.values()], pa.string())})
