"""Resolve people or businesses across sources with Splink: train without labels, predict, cluster.

>>> res = resolve({"tax": tax, "electors": electors}, ResolveOptions(entity="person"))  # doctest: +SKIP
>>> res.clusters.column_names                                                         # doctest: +SKIP
['source', 'unique_id', 'cluster_id']

The same settings run on DuckDB (default) or Spark (``engine="spark"`` with a session); clustering
and id assignment are plain Python over the scored pairs, so both engines give the same entities.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Iterator, Literal, Mapping

import pyarrow as pa
import pyarrow.compute as pc

from oda.errors import LinkError
from oda.link.entities.clusters import Guardrail, Key, cluster, components, stable_ids
from oda.link.entities.fields import Entity, Field, fields_for
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


def _to_arrow(sdf: Any, source: str | None = None) -> pa.Table:
    """A Splink result as Arrow. Deduplicating one input, Splink leaves out the source columns;
    ``source`` names it so that every pair carries both sources whatever the link type."""
    if type(sdf).__name__ == "SparkDataFrame":
        table = sdf.as_spark_dataframe().toArrow()
    else:
        table = sdf.as_duckdbpyrelation().to_arrow_table()
    for side in ("_l", "_r"):
        if source is not None and f"source_dataset{side}" not in table.column_names:
            table = table.append_column(f"source_dataset{side}", pa.array([source] * table.num_rows, pa.string()))
    return table


def _train(linker: Any, options: ResolveOptions, fields: list[Field]) -> None:
    plan = training_plan(options.entity, fields)
    linker.training.estimate_probability_two_random_records_match(
        list(plan.deterministic_rules), recall=plan.deterministic_recall)
    linker.training.estimate_u_using_random_sampling(max_pairs=options.u_max_pairs, seed=options.seed)
    with _em_probabilities_floored():
        for rule in plan.em_rules:
            linker.training.estimate_parameters_using_expectation_maximisation(rule, max_pairs=options.em_max_pairs)


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
        _train(linker, options, fields)
    seconds["train"] = time.perf_counter() - t

    t = time.perf_counter()
    predicted = linker.inference.predict(threshold_match_probability=KEEP_PAIRS_ABOVE)
    single = next(iter(inputs)) if link_type == "dedupe_only" else None
    pairs = _to_arrow(predicted, single)
    seconds["predict"] = time.perf_counter() - t

    t = time.perf_counter()
    keys: list[Key] = list(zip(records["source_dataset"].to_pylist(), records["unique_id"].to_pylist()))
    index = {k: i for i, k in enumerate(keys)}
    pairs = _complete_clusters(linker, db_api, records, pairs, index, options.threshold, single)
    edges = list(zip(
        [index[k] for k in zip(pairs["source_dataset_l"].to_pylist(), pairs["unique_id_l"].to_pylist())],
        [index[k] for k in zip(pairs["source_dataset_r"].to_pylist(), pairs["unique_id_r"].to_pylist())],
        pairs["match_probability"].to_pylist(),
    ))
    labels = cluster(len(keys), edges, options.threshold, options.guardrail)
    ids = stable_ids(keys, labels, _ID_PREFIX[options.entity], previous)
    clusters = pa.table({"source": [k[0] for k in keys], "unique_id": [k[1] for k in keys], "cluster_id": ids})
    seconds["cluster"] = time.perf_counter() - t
    seconds["total"] = time.perf_counter() - start
    trained = linker.misc.save_model_to_json()
    db_api.delete_tables_created_by_splink_from_db()
    return Resolution(records, pairs, clusters, trained, fields, options.threshold, seconds)


def _complete_clusters(linker: Any, db_api: Any, records: pa.Table, pairs: pa.Table,
                       index: Mapping[Key, int], threshold: float, single: str | None) -> pa.Table:
    """Score the within-cluster pairs blocking did not produce, so the guardrail counts real support.

    Only clusters (connected components at the threshold) of three to :data:`COMPLETE_UP_TO`
    records are completed; pairs of two have nothing missing.
    """
    strong = pairs.filter(pc.greater_equal(pairs["match_probability"], threshold))
    if strong.num_rows == 0:
        return pairs
    left = [index[k] for k in zip(strong["source_dataset_l"].to_pylist(), strong["unique_id_l"].to_pylist())]
    right = [index[k] for k in zip(strong["source_dataset_r"].to_pylist(), strong["unique_id_r"].to_pylist())]
    labels = components(len(index), zip(left, right))
    sizes = Counter(labels)
    wanted = [i for i, label in enumerate(labels) if 3 <= sizes[label] <= COMPLETE_UP_TO]
    if not wanted:
        return pairs
    members = records.take(pa.array(wanted, pa.int64())).append_column(
        "cluster_id", pa.array([labels[i] for i in wanted], pa.int64()))
    registered = db_api.register(members, dataset_display_name=f"__oda_clusters_{len(wanted)}")
    extra = _to_arrow(linker.inference._score_missing_cluster_edges(
        registered, threshold_match_probability=KEEP_PAIRS_ABOVE), single)
    if extra.num_rows == 0:
        return pairs
    known = set(zip(pairs["source_dataset_l"].to_pylist(), pairs["unique_id_l"].to_pylist(),
                    pairs["source_dataset_r"].to_pylist(), pairs["unique_id_r"].to_pylist()))
    fresh = [i for i, k in enumerate(zip(extra["source_dataset_l"].to_pylist(), extra["unique_id_l"].to_pylist(),
                                         extra["source_dataset_r"].to_pylist(), extra["unique_id_r"].to_pylist()))
             if k not in known and (k[2], k[3], k[0], k[1]) not in known]
    extra = extra.take(pa.array(fresh, pa.int64()))
    shared = [c for c in pairs.column_names if c in extra.column_names]
    return pa.concat_tables([pairs.select(shared), extra.select(shared).cast(pairs.select(shared).schema)])

