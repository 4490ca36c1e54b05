"""The `resolve` stage of `oda run`: the same person and the same business across every staged source.

For each entity (people, then businesses) it reads the records every source names
(:mod:`~oda.link.entities.project_records`, addresses entering as the UPRNs address matching found),
runs :func:`~oda.link.entities.resolve.resolve` on the project's engine, and writes

- ``link.person_clusters`` / ``link.business_clusters`` — one row per (``source``, ``record_id``): the
  entity id, the record's UPRN, the entity's size and the record's strongest link into it; a
  record naming a second person (joint liability) carries that person's id in ``joint_person_id``;
- ``link.person_pairs`` / ``link.business_pairs`` — every scored pair worth explaining, with its
  match weight taken apart per comparison (``explanation``, JSON), so "why are these one person"
  can be shown; the second person of a joint record appears as ``<record_id>#2``;
- ``link.entity_models`` — the trained model per entity (Splink JSON), to inspect or to reuse.

Entity ids are stable: the ids of the previous run are passed on, so an entity keeps its id when
a few records are added. The single views (:mod:`~oda.link.entities.single_views`) are built last.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any, Callable, Mapping

import duckdb
import pyarrow as pa

from oda.datasets import BUSINESS_CLUSTERS, BUSINESS_PAIRS, ENTITY_MODELS, PERSON_CLUSTERS, PERSON_PAIRS, Dataset
from oda.engine.base import Engine
from oda.link.entities.explain import level_labels, prior_weight
from oda.link.entities.fields import Entity
from oda.link.entities.project_records import SECOND_PERSON, entity_inputs, entity_sources
from oda.link.entities.resolve import Resolution, ResolveOptions, resolve
from oda.project.models import Project

#: Pairs scored below this are not written: too unlike to be worth explaining.
PAIRS_KEPT_ABOVE = 0.05


@dataclass(frozen=True)
class EntityOutputs:
    """Where one entity's results go."""

    entity: Entity
    clusters: Dataset
    pairs: Dataset
    id_column: str


OUTPUTS: dict[str, EntityOutputs] = {
    "person": EntityOutputs("person", PERSON_CLUSTERS, PERSON_PAIRS, "person_id"),
    "business": EntityOutputs("business", BUSINESS_CLUSTERS, BUSINESS_PAIRS, "business_id"),
}


@dataclass(frozen=True)
class EntitySummary:
    """What one entity's resolution did, for the run's report."""

    entity: Entity
    sources: list[str]
    records: int
    entities: int
    links: int
    seconds: dict[str, float]


def threshold_for(project: Project, entity: Entity) -> float:
    return project.link.person_threshold if entity == "person" else project.link.business_threshold


def previous_ids(engine: Engine, entity: Entity) -> dict[tuple[str, str], str]:
    """(source, unique_id) → entity id as the last run left them (joint second persons as ``<id>#2``)."""
    out = OUTPUTS[entity]
    if not engine.exists(out.clusters.name):
        return {}
    columns = engine.query(f"SELECT * FROM {out.clusters.name} LIMIT 0").column_names
    joint = ", joint_person_id" if "joint_person_id" in columns else ""
    rows = engine.query(f"SELECT source, record_id, {out.id_column} AS entity_id{joint} FROM {out.clusters.name}")
    found = {(s, r): e for s, r, e in zip(*(rows[c].to_pylist() for c in ("source", "record_id", "entity_id")))}
    if joint:
        found.update({(s, r + SECOND_PERSON): j for s, r, j in zip(
            rows["source"].to_pylist(), rows["record_id"].to_pylist(), rows["joint_person_id"].to_pylist()) if j})
    return found


def resolve_entity(engine: Engine, project: Project, entity: Entity, *, model: Mapping[str, Any] | None = None,
                   ) -> tuple[Resolution, dict[str, pa.Table]] | None:
    """Resolve one entity over the project's staged records; None when no source names any."""
    inputs = entity_inputs(engine, project, entity)
    if not inputs:
        return None
    # Splink registers its inputs as session views; a session of their own keeps people's and
    # businesses' inputs apart (they share names) and leaves the engine's session clean.
    spark = engine.session.newSession() if engine.kind == "spark" else None  # type: ignore[attr-defined]
    options = ResolveOptions(entity=entity, threshold=threshold_for(project, entity),
                             engine="spark" if spark is not None else "duckdb")
    resolution = resolve(inputs, options, spark=spark, previous=previous_ids(engine, entity),
                         model=dict(model) if model is not None else None)
    return resolution, inputs


def _local() -> duckdb.DuckDBPyConnection:
    return duckdb.connect(config={"autoinstall_known_extensions": False, "autoload_known_extensions": False})


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def cluster_table(resolution: Resolution, inputs: Mapping[str, pa.Table], outputs: EntityOutputs,
                  joint_sources: set[str]) -> pa.Table:
    """One row per (source, record_id): entity id, UPRN, entity size, strongest link into the entity.

    The second person of a joint record (``<record_id>#2`` of a source in ``joint_sources``) is not a
    row of its own but the record's ``joint_person_id``.
    """
    uprns = pa.concat_tables([
        pa.table({"source": pa.array([name] * t.num_rows, pa.string()), "unique_id": t["unique_id"].cast(pa.string()),
                  "uprn": t["record_uprn"].cast(pa.string())})
        for name, t in inputs.items() if "record_uprn" in t.column_names]
        or [pa.table({c: pa.array([], pa.string()) for c in ("source", "unique_id", "uprn")})])
    pairs = resolution.pairs.select(["source_dataset_l", "unique_id_l", "source_dataset_r", "unique_id_r",
                                     "match_probability"])
    joint = pa.table({"source": pa.array(sorted(joint_sources), pa.string())})
    con = _local()
    try:
        for name, table in (("clusters", resolution.clusters), ("pairs", pairs), ("uprns", uprns), ("joint", joint)):
            con.register(name, table)
        suffix = _sql_text(SECOND_PERSON)
        joint_column = ", s.cluster_id AS joint_person_id" if outputs.entity == "person" else ""
        joint_join = (f"LEFT JOIN clusters s ON s.source = c.source AND s.unique_id = c.unique_id || {suffix} "
                      f"AND s.source IN (SELECT source FROM joint)") if outputs.entity == "person" else ""
        return con.sql(f"""
            WITH sizes AS (SELECT cluster_id, count(*) AS cluster_size FROM clusters GROUP BY cluster_id),
            inside AS (
                SELECT p.source_dataset_l AS source, p.unique_id_l AS unique_id, p.match_probability FROM pairs p
                JOIN clusters a ON a.source = p.source_dataset_l AND a.unique_id = p.unique_id_l
                JOIN clusters b ON b.source = p.source_dataset_r AND b.unique_id = p.unique_id_r
                WHERE a.cluster_id = b.cluster_id
                UNION ALL
                SELECT p.source_dataset_r, p.unique_id_r, p.match_probability FROM pairs p
                JOIN clusters a ON a.source = p.source_dataset_l AND a.unique_id = p.unique_id_l
                JOIN clusters b ON b.source = p.source_dataset_r AND b.unique_id = p.unique_id_r
                WHERE a.cluster_id = b.cluster_id),
            strongest AS (SELECT source, unique_id, max(match_probability) AS match_probability FROM inside GROUP BY ALL)
            SELECT c.source, c.unique_id AS record_id, c.cluster_id AS {outputs.id_column}, u.uprn,
                   z.cluster_size, CAST(st.match_probability AS DOUBLE) AS match_probability{joint_column}
            FROM clusters c JOIN sizes z USING (cluster_id)
            LEFT JOIN strongest st ON st.source = c.source AND st.unique_id = c.unique_id
            LEFT JOIN uprns u ON u.source = c.source AND u.unique_id = c.unique_id
            {joint_join}
            WHERE NOT (c.source IN (SELECT source FROM joint) AND ends_with(c.unique_id, {suffix}))
            ORDER BY c.source, c.unique_id""").to_arrow_table()
    finally:
        con.close()


def _explanation_sql(model: Mapping[str, Any], columns: set[str]) -> str:
    """SQL building each pair's explanation (the terms of :func:`~oda.link.entities.explain.explain_pair`,
    prior first, without the total) as JSON, from the pair's gamma and weight columns."""
    terms = [f"struct_pack(comparison := 'prior', level := 'two records picked at random', "
             f"value_l := CAST(NULL AS VARCHAR), value_r := CAST(NULL AS VARCHAR), "
             f"match_weight := CAST({prior_weight(model)!r} AS DOUBLE))"]
    for comparison in model["comparisons"]:
        name = comparison["output_column_name"]
        labels = " ".join(f"WHEN {gamma} THEN {_sql_text(str(label))}"
                          for gamma, label in level_labels(comparison).items())
        gamma = f'"gamma_{name}"' if f"gamma_{name}" in columns else "NULL"
        level = f"coalesce(CASE {gamma} {labels} END, CAST({gamma} AS VARCHAR))"
        values = [f'CAST("{name}{side}" AS VARCHAR)' if f"{name}{side}" in columns else "CAST(NULL AS VARCHAR)"
                  for side in ("_l", "_r")]
        weight = f'coalesce("mw_{name}", 0.0)' if f"mw_{name}" in columns else "0.0"
        terms.append(f"struct_pack(comparison := {_sql_text(name)}, level := {level}, value_l := {values[0]}, "
                     f"value_r := {values[1]}, match_weight := CAST({weight} AS DOUBLE))")
        if f"mw_tf_adj_{name}" in columns:
            terms.append(f"struct_pack(comparison := {_sql_text(name + ' (how common the value is)')}, "
                         f"level := 'term frequency', value_l := {values[0]}, value_r := {values[1]}, "
                         f'match_weight := CAST("mw_tf_adj_{name}" AS DOUBLE))')
    # A term-frequency step is listed only where it moved the weight, as in explain_pair.
    return (f"CAST(to_json(list_filter([{', '.join(terms)}], lambda t: t.level <> 'term frequency' "
            f"OR coalesce(t.match_weight, 0) <> 0)) AS VARCHAR)")


def pair_table(resolution: Resolution, outputs: EntityOutputs) -> pa.Table:
    """Scored pairs at or above :data:`PAIRS_KEPT_ABOVE`, each with its match weight taken apart."""
    pairs = resolution.pairs
    con = _local()
    try:
        con.register("pairs", pairs)
        con.register("clusters", resolution.clusters)
        explanation = _explanation_sql(resolution.model, set(pairs.column_names))
        return con.sql(f"""
            SELECT p.source_dataset_l AS source_l, CAST(p.unique_id_l AS VARCHAR) AS record_id_l,
                   p.source_dataset_r AS source_r, CAST(p.unique_id_r AS VARCHAR) AS record_id_r,
                   CAST(p.match_probability AS DOUBLE) AS match_probability,
                   CAST(p.match_weight AS DOUBLE) AS match_weight,
                   CASE WHEN a.cluster_id = b.cluster_id THEN a.cluster_id END AS {outputs.id_column},
                   {explanation} AS explanation
            FROM pairs p
            LEFT JOIN clusters a ON a.source = p.source_dataset_l AND a.unique_id = p.unique_id_l
            LEFT JOIN clusters b ON b.source = p.source_dataset_r AND b.unique_id = p.unique_id_r
            WHERE p.match_probability >= {PAIRS_KEPT_ABOVE}
            ORDER BY source_l, record_id_l, source_r, record_id_r""").to_arrow_table()
    finally:
        con.close()


def write_entity(engine: Engine, project: Project, entity: Entity, resolution: Resolution,
                 inputs: Mapping[str, pa.Table]) -> EntitySummary:
    """Write one entity's clusters, pairs and model."""
    outputs = OUTPUTS[entity]
    joint_sources = {s.source for s in entity_sources(project, entity, engine) if s.second_person_column}
    clusters = cluster_table(resolution, inputs, outputs, joint_sources)
    pairs = pair_table(resolution, outputs)
    model = pa.table({"entity": [entity], "threshold": [resolution.threshold],
                      "trained_at": [dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")],
                      "model": [json.dumps(resolution.model)]})
    others = (engine.query(f"SELECT * FROM {ENTITY_MODELS.name} WHERE entity <> '{entity}'")
              if engine.exists(ENTITY_MODELS.name) else None)
    with engine.transaction():
        engine.write(outputs.clusters.name, clusters)
        engine.write(outputs.pairs.name, pairs)
        engine.write(ENTITY_MODELS.name, pa.concat_tables([others.cast(model.schema), model]) if others else model)
    return EntitySummary(entity, list(inputs), resolution.clusters.num_rows,
                         len(set(resolution.clusters["cluster_id"].to_pylist())),
                         resolution.links().num_rows, dict(resolution.seconds))


def stored_model(engine: Engine, entity: Entity) -> dict[str, Any] | None:
    """The model the last run trained for ``entity`` (``link.entity_models``), if any."""
    if not engine.exists(ENTITY_MODELS.name):
        return None
    rows = engine.query(f"SELECT model FROM {ENTITY_MODELS.name} WHERE entity = '{entity}'")
    return json.loads(rows["model"][0].as_py()) if rows.num_rows else None


def resolve_project(engine: Engine, project: Project, *, models: Mapping[str, Mapping[str, Any]] | None = None,
                    say: Callable[[str], None] = lambda _: None, step: Callable[..., Any] | None = None,
                    ) -> dict[str, EntitySummary]:
    """Resolve people and businesses, write their datasets and the single views; a summary per entity.

    ``models`` (entity → trained model) skips training, e.g. to run on Spark the model estimated on DuckDB.
    ``step(name, dataset)`` is a context manager recording each write (``RunRecorder.step``).
    """
    from contextlib import nullcontext

    from oda.link.entities.single_views import write_single_views

    summaries: dict[str, EntitySummary] = {}
    for entity in ("person", "business"):
        outputs = OUTPUTS[entity]
        with (step("resolve", outputs.clusters.name) if step else nullcontext()) as recorded:
            done = resolve_entity(engine, project, entity, model=(models or {}).get(entity))
            if done is None:
                say(f"  no source names any {entity}: {outputs.clusters.name} not written")
                continue
            summary = write_entity(engine, project, entity, *done)
            if recorded is not None:
                recorded.rows = summary.records
        summaries[entity] = summary
        say(f"  {outputs.clusters.name}: {summary.records:,} records from {len(summary.sources)} sources → "
            f"{summary.entities:,} {'people' if entity == 'person' else 'businesses'} "
            f"({summary.seconds.get('total', 0):.1f} s)")
    for dataset, rows in write_single_views(engine, project).items():
        say(f"  {dataset}: {rows:,} rows")
    return summaries


def run_resolve_stage(ctx: Any) -> dict[str, EntitySummary]:
    """The pipeline's entry point (``oda.pipeline.StageContext`` in, a summary per entity out)."""
    return resolve_project(ctx.engine, ctx.project.config, say=ctx.reporter.say, step=ctx.run.step)


def threshold_from_models(engine: Engine, entity: Entity) -> float:
    """The threshold the last run linked ``entity`` at (``link.entity_models``); the default before one ran."""
    from oda.link.entities.resolve import DEFAULT_THRESHOLD

    if not engine.exists(ENTITY_MODELS.name):
        return DEFAULT_THRESHOLD
    rows = engine.query(f"SELECT threshold FROM {ENTITY_MODELS.name} WHERE entity = '{entity}'")
    return float(rows["threshold"][0].as_py()) if rows.num_rows else DEFAULT_THRESHOLD
