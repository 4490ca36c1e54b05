"""Resolve people or businesses across sources with Splink: train without labels, predict, cluster.

>>> res = resolve({"tax": tax, "electors": electors}, ResolveOptions(entity="person"))  # doctest: +SKIP
>>> res.clusters.column_names                                                         # doctest: +SKIP
['source', 'unique_id', 'cluster_id']

The same settings run on DuckDB (default) or Spark (``engine="spark"`` with a session); clustering
and id assignment run on the scored pairs as Arrow and numpy arrays (no Python object per pair),
the same code whichever engine scored them, so both engines give the same entities.
"""

from __future__ import annotations

import logging
import math
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Iterator, Literal, Mapping

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from oda.errors import LinkError
from oda.link.entities.clusters import (Guardrail, Key, RecordFacts, cluster_arrays, component_labels,
                                        stable_ids)
from oda.link.entities.fields import STANDARD_FIELDS, Entity, Field, co_resident_column, fields_for
from oda.link.entities.prepare import prepare
from oda.link.entities.settings import LinkType, build_settings, training_plan, with_parameters

DEFAULT_THRESHOLD = 0.5
#: Pairs scored below this are not kept: they explain nothing a user would ask about.
KEEP_PAIRS_ABOVE = 0.01
#: Clusters larger than this are not completed with every within-cluster pair (quadratic cost).
COMPLETE_UP_TO = 60

logger = logging.getLogger(__name__)
EngineKind = Literal["duckdb", "spark"]
_ID_PREFIX = {"person": "P", "business": "B"}


@dataclass(frozen=True)
class ResolveOptions:
    """What to resolve and how. The defaults are the ones benchmarked."""

    entity: Entity = "person"
    extra_fields: tuple[Field, ...] = ()
    link_type: LinkType | None = None
    threshold: float = DEFAULT_THRESHOLD
    engine: EngineKind = "duckdb"
    guardrail: Guardrail | None = Guardrail()
    #: Refuse merges that put a contradiction in one person (see :class:`~oda.link.entities.clusters.RecordFacts`).
    cannot_link: bool = True
    seed: int = 42
    u_max_pairs: float = 5e5
    em_max_pairs: float | None = None

    def resolved_link_type(self, n_inputs: int) -> LinkType:
        if self.link_type:
            if self.link_type != "dedupe_only" and n_inputs < 2:
                raise LinkError(f"link type `{self.link_type}` needs two or more inputs; got {n_inputs}. "
                                "Pass more inputs or use dedupe_only")
            return self.link_type
        return "dedupe_only" if n_inputs == 1 else "link_and_dedupe"


@dataclass
class Resolution:
    """The outcome: entities, the scored pairs behind them, and the trained model."""

    records: pa.Table
    pairs: pa.Table
    clusters: pa.Table
    model: dict[str, Any]
    fields: list[Field]
    threshold: float
    seconds: dict[str, float] = field(default_factory=dict)

    def links(self) -> pa.Table:
        """Pairs at or above the threshold: ``source_l, unique_id_l, source_r, unique_id_r, match_probability``."""
        kept = self.pairs.filter(pc.greater_equal(self.pairs["match_probability"], self.threshold))
        return kept.select(["source_dataset_l", "unique_id_l", "source_dataset_r", "unique_id_r",
                            "match_probability", "match_weight"]).rename_columns(
            ["source_l", "unique_id_l", "source_r", "unique_id_r", "match_probability", "match_weight"])


def splink_spark_jar() -> str:
    """The jar of Splink's string-similarity functions, which a Spark session must load (``spark.jars``)."""
    from splink.backends.spark import similarity_jar_location

    return similarity_jar_location()


def _db_api(engine: EngineKind, spark: Any):
    if engine == "spark":
        if spark is None:
            raise LinkError("engine `spark` needs a Spark session: pass spark=SparkSession; "
                            "or use the default engine `duckdb`")
        from splink import SparkAPI

        jar = splink_spark_jar()
        if jar not in spark.sparkContext.getConf().get("spark.jars", ""):
            raise LinkError(
                "the Spark session lacks Splink's similarity functions (jaro_winkler, damerau_levenshtein): "
                f"start it with .config('spark.jars', '{jar}') — see oda.link.entities.resolve.splink_spark_jar()"
            )
        # Splink breaks long query lineages by checkpointing; without a checkpoint folder, persist.
        has_checkpoint_dir = spark.sparkContext.getCheckpointDir() is not None
        return SparkAPI(spark_session=spark, break_lineage_method=None if has_checkpoint_dir else "persist")
    from splink import DuckDBAPI

    return DuckDBAPI()


def _to_arrow(sdf: Any, source: str | None = None, leave_out: frozenset[str] = frozenset()) -> pa.Table:
    """A Splink result as Arrow, without the columns ``leave_out``. Deduplicating one input, Splink
    leaves out the source columns; ``source`` names it so that every pair carries both sources
    whatever the link type."""
    if type(sdf).__name__ == "SparkDataFrame":
        frame = sdf.as_spark_dataframe()
        table = frame.select(*[c for c in frame.columns if c not in leave_out]).toArrow()
    else:
        relation = sdf.as_duckdbpyrelation()
        kept = [c for c in relation.columns if c not in leave_out]
        table = relation.project(", ".join('"' + c.replace('"', '""') + '"' for c in kept)).to_arrow_table()
    for side in ("_l", "_r"):
        if source is not None and f"source_dataset{side}" not in table.column_names:
            table = table.append_column(f"source_dataset{side}", pa.array([source] * table.num_rows, pa.string()))
    return table


def _train(linker: Any, options: ResolveOptions, fields: list[Field], records: pa.Table) -> None:
    plan = training_plan(options.entity, fields)
    linker.training.estimate_probability_two_random_records_match(
        list(plan.deterministic_rules), recall=plan.deterministic_recall)
    linker.training.estimate_u_using_random_sampling(max_pairs=options.u_max_pairs, seed=options.seed)
    _u_of_exact_org_names_on_distinct_names(linker, records, fields, options.u_max_pairs)
    with _em_probabilities_floored():
        for rule in plan.em_rules:
            linker.training.estimate_parameters_using_expectation_maximisation(rule, max_pairs=options.em_max_pairs)
    _date_disagreement_from_the_cleanest_session(linker, fields)
    _floor_partial_agreement_at_disagreement(linker, fields)


def _date_disagreement_from_the_cleanest_session(linker: Any, fields: list[Field]) -> None:
    """Take the "nothing alike" m of a date comparison from the EM session that found it lowest.

    Within a session's blocking rule, different people who agree on the blocked fields (namesakes in
    a block on both names) can be taken into EM's "match" class; they can only raise how often that
    class disagrees on a date of birth, never lower it. Splink's median over sessions lets two
    swamped sessions decide: at 100k dwellings the weight fell to -1.5 (-19 at 20k) though the
    session blocked on surname and postcode still found one person's dates (almost) never unlike.
    """
    dates = {f.column for f in fields if f.kind == "date"}
    for comparison in linker._settings_obj.comparisons:
        if comparison.output_column_name not in dates:
            continue
        floor = [level for level in comparison.comparison_levels if not level.is_null_level][-1]
        found = [t["probability"] for t in floor._trained_m_probabilities if isinstance(t["probability"], float)]
        if len(found) >= 2:
            floor.m_probability = max(min(found), _EM_FLOOR)


#: Kinds whose levels run from "the same" down to "nothing alike" (middle names and titles do not).
_GRADED_KINDS = ("forename", "surname", "name", "org_name", "date", "postcode", "address", "id", "email", "phone")


def _floor_partial_agreement_at_disagreement(linker: Any, fields: list[Field]) -> None:
    """Give no level of a graded comparison less weight than its "nothing alike" level.

    Partial agreement (surnames Jaro-Winkler 0.8 apart) is never stronger evidence against a match
    than no agreement at all; yet a level that no EM session can estimate (its field is fixed by
    every session's blocking rule, or it is rare) keeps no m, or an m EM drove to the floor, and
    weighs far below "nothing alike" (seen: -73 against -5). Such levels take the else level's weight.
    """
    from splink.internals.constants import LEVEL_NOT_OBSERVED_TEXT

    graded = {f.column for f in fields if f.kind in _GRADED_KINDS}
    for comparison in linker._settings_obj.comparisons:
        if comparison.output_column_name not in graded:
            continue
        levels = [level for level in comparison.comparison_levels if not level.is_null_level]
        floor = levels[-1]
        if not floor.m_probability or not floor.u_probability:
            continue
        ratio = floor.m_probability / floor.u_probability
        for level in levels[:-1]:
            u = level.u_probability
            if not u:
                continue
            m = level.m_probability
            if m is None or level._m_probability == LEVEL_NOT_OBSERVED_TEXT or m / u < ratio:
                level.m_probability = min(1.0, u * ratio)


def _u_of_exact_org_names_on_distinct_names(linker: Any, records: pa.Table, fields: list[Field],
                                            max_pairs: float) -> None:
    """Re-estimate u of "same organisation name" on the distinct names, not on random records.

    Random record pairs overstate how often two *different* businesses share a name: a landlord
    company billed at forty properties gives 780 same-name pairs, all of them one business, and
    the prior (estimated from the same pairs) cancels what the name says. Among distinct names no
    pair agrees exactly, so u is the most that such a sample could have missed: three in the
    number of distinct-name pairs (the "rule of three" 95% bound for an event never seen). The
    sampled u is kept when it is already lower.
    """
    for f in fields:
        if f.kind != "org_name":
            continue
        distinct = pc.count_distinct(records[f.column]).as_py()
        if distinct < 2:
            continue
        bound = 3.0 / min(distinct * (distinct - 1) / 2, max_pairs)
        for comparison in linker._settings_obj.comparisons:
            if comparison.output_column_name != f.column:
                continue
            exact = next(level for level in comparison.comparison_levels if not level.is_null_level)
            sampled = exact.u_probability
            if bound < 1 and (sampled is None or sampled > bound):
                exact.u_probability = bound
                # Splink sets u to the median of its estimates after each training step: replace them.
                exact._trained_u_probabilities = [{"probability": bound, "description": "distinct names",
                                                   "m_or_u": "u"}]


#: Floor for an m or u that EM drives to exactly zero: a strong "not a match" signal, not an infinite one.
_EM_FLOOR = 1e-6


@contextmanager
def _em_probabilities_floored() -> Iterator[None]:
    """While EM runs, floor m and u probabilities that come out as exactly 0.

    EM drives a level's m to 0 when the level is seen only among non-matches (a family's different
    first names at one address); Splink 5 then refuses the value (it cannot be represented) and stops
    the whole session. Splink computes these proportions in one function, which is wrapped here.
    """
    from splink.internals import expectation_maximisation as em

    original = em.compute_proportions_for_new_parameters

    def floored(df_params: Any) -> list[dict[str, Any]]:
        records = original(df_params)
        for record in records:
            if record["output_column_name"] == "_probability_two_random_records_match":
                continue
            for key in ("m_probability", "u_probability"):
                if record.get(key) is not None and record[key] < 1e-300:
                    record[key] = _EM_FLOOR
        return records

    em.compute_proportions_for_new_parameters = floored
    try:
        yield
    finally:
        em.compute_proportions_for_new_parameters = original


def resolve(
    inputs: Mapping[str, pa.Table],
    options: ResolveOptions = ResolveOptions(),
    *,
    spark: Any = None,
    previous: Mapping[Key, str] | None = None,
    model: dict[str, Any] | None = None,
) -> Resolution:
    """Resolve the records of ``inputs`` (name → table with ``unique_id``) into entities.

    ``previous`` maps (source, unique_id) to the entity id of an earlier run so that ids carry
    forward; ``model`` is a trained model (``Resolution.model``) to reuse instead of training.
    """
    from splink import Linker

    if not inputs:
        raise LinkError("no input to resolve: pass one or more tables")
    seconds: dict[str, float] = {}
    start = time.perf_counter()
    columns = sorted({c for t in inputs.values() for c in t.column_names})
    fields = fields_for(columns, options.entity, list(options.extra_fields))
    link_type = options.resolved_link_type(len(inputs))
    records = prepare(inputs, fields)
    seconds["prepare"] = time.perf_counter() - start

    db_api = _db_api(options.engine, spark)
    if link_type == "dedupe_only":
        tables = [db_api.register(records, dataset_display_name="records")]
    else:
        tables = [db_api.register(records.filter(pc.equal(records["source_dataset"], name)),
                                  dataset_display_name=f"input_{i}") for i, name in enumerate(inputs)]
    settings = build_settings(options.entity, fields, link_type)
    if model is not None:
        settings = with_parameters(settings, model, db_api.sql_dialect.sql_dialect_str)
    linker = Linker(tables, settings, log_level=logging.ERROR)
    t = time.perf_counter()
    if model is None:
        _train(linker, options, fields, records)
    seconds["train"] = time.perf_counter() - t

    t = time.perf_counter()
    predicted = linker.inference.predict(threshold_match_probability=KEEP_PAIRS_ABOVE)
    single = next(iter(inputs)) if link_type == "dedupe_only" else None
    helpers = _helper_pair_columns(fields)
    pairs = _to_arrow(predicted, single, helpers)
    # The engine's copy of the pairs is not needed again; at a million records it is a gigabyte.
    predicted.drop_table_from_database_and_remove_from_cache()
    seconds["predict"] = time.perf_counter() - t

    t = time.perf_counter()
    record_keys = _record_keys(records["source_dataset"], records["unique_id"])
    pairs = _complete_clusters(linker, db_api, records, record_keys, pairs, options.threshold, single, helpers)
    left, right = _pair_indices(pairs, record_keys)
    probability = pairs["match_probability"].to_numpy(zero_copy_only=False)
    if options.guardrail is not None:
        probability = np.where(_household_links(pairs, fields), 0.0, probability)
    facts = None
    if options.cannot_link and options.entity == "person":
        dob_weight = _disagreement_weight(linker, "dob")
        facts = record_facts(records, fields, dob_weight is not None and dob_weight <= CANNOT_LINK_AT_WEIGHT)
    labels = cluster_arrays(records.num_rows, left, right, probability, options.threshold, options.guardrail, facts)
    keys: list[Key] = list(zip(records["source_dataset"].to_pylist(), records["unique_id"].to_pylist()))
    ids = stable_ids(keys, labels.tolist(), _ID_PREFIX[options.entity], previous)
    del keys
    clusters = pa.table({"source": records["source_dataset"], "unique_id": records["unique_id"],
                         "cluster_id": pa.array(ids, pa.string())})
    seconds["cluster"] = time.perf_counter() - t
    seconds["total"] = time.perf_counter() - start
    trained = linker.misc.save_model_to_json()
    db_api.delete_tables_created_by_splink_from_db()
    return Resolution(records, pairs, clusters, trained, fields, options.threshold, seconds)


def _helper_pair_columns(fields: list[Field]) -> frozenset[str]:
    """Both sides of the derived columns (nickname forms, address words, co-residents): comparisons
    need them, the scored pairs do not (nobody reads them there), and at a million records they
    are a third of the pairs' memory."""
    helpers = [h for f in fields for h in f.helper_columns] + [c for c in [co_resident_column(fields)] if c]
    return frozenset(f"{h}{side}" for h in helpers for side in ("_l", "_r"))


def _disagreement_weight(linker: Any, column: str) -> float | None:
    """The trained weight (log2 m/u) of the "nothing alike" level of ``column``'s comparison."""
    for comparison in linker._settings_obj.comparisons:
        if comparison.output_column_name == column:
            level = [lv for lv in comparison.comparison_levels if not lv.is_null_level][-1]
            m, u = level.m_probability, level.u_probability
            return math.log2(m / u) if m and u else None
    return None


#: Suffix of the ``unique_id`` of the second person a joint record names (joint liability; written by
#: ``project_records``, kept apart from the first person by the clustering).
SECOND_PERSON = "#2"


#: A field whose "nothing alike" level weighs this little (one person's records disagree on it 250
#: times less often than two strangers') is a cannot-link in clustering. FEBRL's dates weigh -4.
CANNOT_LINK_AT_WEIGHT = -8.0


def record_facts(records: pa.Table, fields: list[Field], dates_of_birth_decide: bool = True) -> RecordFacts:
    """What each prepared person record says that one person cannot contradict (for the clustering).

    Only the standard fields count (``uprn``, ``resident_from``/``resident_to``, ``dob``,
    ``middle_name``): a column added with ``--field`` may hold a date that is not a birth date.
    Dates of birth count only when ``dates_of_birth_decide`` (the trained model finds that one
    person's records almost never disagree on it; FEBRL's corrupted dates do, the council's not).
    """
    n = records.num_rows
    standard = STANDARD_FIELDS["person"]
    kinds = {f.kind: f.column for f in fields if standard.get(f.column) == f.kind}

    def column(kind: str) -> pa.ChunkedArray | None:
        return records[kinds[kind]] if kind in kinds else None

    def codes(values: pa.ChunkedArray | None) -> np.ndarray:
        if values is None:
            return np.full(n, -1, np.int64)
        indices = pc.dictionary_encode(values).combine_chunks().indices
        return pc.fill_null(indices, -1).to_numpy(zero_copy_only=False).astype(np.int64)

    def days(values: pa.ChunkedArray | None) -> np.ndarray:
        if values is None:
            return np.full(n, np.nan)
        return pc.cast(values, pa.float64()).to_numpy(zero_copy_only=False).astype(np.float64)

    start, end = days(column("period_start")), days(column("period_end"))
    born = column("date").to_pylist() if "date" in kinds and dates_of_birth_decide else [None] * n
    middle = column("middle_name").to_pylist() if "middle_name" in kinds else [None] * n
    return RecordFacts(codes(column("uprn")), start, end, born, middle, _partners(records))


def _partners(records: pa.Table) -> np.ndarray:
    """For the second person of a joint record (``<id>#2``), the position of the first; -1 elsewhere."""
    ids = records["unique_id"]
    second = pc.ends_with(ids, SECOND_PERSON)
    out = np.full(records.num_rows, -1, np.int64)
    if not pc.any(second).as_py():
        return out
    first_ids = pc.utf8_slice_codeunits(ids, 0, -len(SECOND_PERSON))
    keys = _record_keys(records["source_dataset"], records["unique_id"])
    value_set = pa.concat_arrays(keys.chunks) if keys.num_chunks != 1 else keys.chunk(0)
    found = pc.index_in(_record_keys(records["source_dataset"], first_ids), value_set=value_set)
    found = pc.if_else(second, found, None)
    return pc.fill_null(found, -1).to_numpy(zero_copy_only=False).astype(np.int64)


def _household_links(pairs: pa.Table, fields: list[Field]) -> Any:
    """Links that join two people of one household: at one place, first names nothing alike.

    The model weighs each field apart, but among strangers a shared surname and a shared address go
    together (a family), so a rare surname at one address can outweigh two different first names.
    One person's records do not carry two unrelated first names at one address; such links are
    kept in the pairs (and explained) but not followed when clustering — part of the guardrail.
    """
    forename = next((f.column for f in fields if f.kind == "forename"), None)
    if forename is None or f"gamma_{forename}" not in pairs.column_names or "mw_place" not in pairs.column_names:
        return np.zeros(pairs.num_rows, bool)
    different_first = pc.equal(pairs[f"gamma_{forename}"], 0)
    same_place = pc.greater(pairs["mw_place"], 0.0)
    return pc.fill_null(pc.and_(different_first, same_place), False).to_numpy(zero_copy_only=False)


def _record_keys(source: pa.ChunkedArray, unique_id: pa.ChunkedArray) -> pa.ChunkedArray:
    """One text key per record (source, unit separator, id), to look records up without Python tuples."""
    return pc.binary_join_element_wise(source, unique_id, "\x1f")


def _pair_indices(pairs: pa.Table, record_keys: pa.ChunkedArray) -> tuple[Any, Any]:
    """The record positions of each pair's two sides, as integer arrays."""
    value_set = pa.concat_arrays(record_keys.chunks) if record_keys.num_chunks != 1 else record_keys.chunk(0)
    sides = []
    for side in ("_l", "_r"):
        found = pc.index_in(_record_keys(pairs[f"source_dataset{side}"], pairs[f"unique_id{side}"]),
                            value_set=value_set)
        sides.append(found.to_numpy(zero_copy_only=False).astype("int64"))
    return sides[0], sides[1]


def _complete_clusters(linker: Any, db_api: Any, records: pa.Table, record_keys: pa.ChunkedArray, pairs: pa.Table,
                       threshold: float, single: str | None, leave_out: frozenset[str] = frozenset()) -> pa.Table:
    """Score the within-cluster pairs blocking did not produce, so the guardrail counts real support.

    Only clusters (connected components at the threshold) of three to :data:`COMPLETE_UP_TO`
    records are completed; pairs of two have nothing missing.
    """
    strong = pairs.filter(pc.greater_equal(pairs["match_probability"], threshold))
    if strong.num_rows == 0:
        return pairs
    left, right = _pair_indices(strong, record_keys)
    labels = component_labels(records.num_rows, left, right)
    sizes = np.bincount(labels, minlength=records.num_rows)[labels]
    wanted = np.flatnonzero((sizes >= 3) & (sizes <= COMPLETE_UP_TO))
    if wanted.size == 0:
        return pairs
    members = records.take(pa.array(wanted, pa.int64())).append_column(
        "cluster_id", pa.array(labels[wanted], pa.int64()))
    registered = db_api.register(members, dataset_display_name=f"__oda_clusters_{wanted.size}")
    scored = linker.inference._score_missing_cluster_edges(registered, threshold_match_probability=KEEP_PAIRS_ABOVE)
    extra = _to_arrow(scored, single, leave_out)
    scored.drop_table_from_database_and_remove_from_cache()
    registered.drop_table_from_database_and_remove_from_cache(force_non_splink_table=True)
    del members
    if extra.num_rows == 0:
        return pairs
    shared = [c for c in pairs.column_names if c in extra.column_names]
    extra = extra.select(shared).cast(pairs.select(shared).schema)
    con = duckdb.connect(config={"autoinstall_known_extensions": False, "autoload_known_extensions": False})
    try:
        con.register("pairs", pairs.select(["source_dataset_l", "unique_id_l", "source_dataset_r", "unique_id_r"]))
        con.register("extra", extra)
        fresh = con.sql("""
            SELECT e.* FROM extra e
            ANTI JOIN pairs p ON p.source_dataset_l = e.source_dataset_l AND p.unique_id_l = e.unique_id_l
                             AND p.source_dataset_r = e.source_dataset_r AND p.unique_id_r = e.unique_id_r
            ANTI JOIN pairs q ON q.source_dataset_l = e.source_dataset_r AND q.unique_id_l = e.unique_id_r
                             AND q.source_dataset_r = e.source_dataset_l AND q.unique_id_r = e.unique_id_l
            ORDER BY e.source_dataset_l, e.unique_id_l, e.source_dataset_r, e.unique_id_r
        """).to_arrow_table()
    finally:
        con.close()
    return pa.concat_tables([pairs.select(shared), fresh.cast(pairs.select(shared).schema)])
