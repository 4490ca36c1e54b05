"""Single views as datasets: per property its people and businesses, per person their addresses, per
business its profile, and how concentrated events at business premises are.

Built from the resolve stage's clusters and the staged records by SQL the project's engine runs
(DuckDB or Spark, the same statements through :meth:`~oda.engine.base.Engine.create_as`), so no row
comes to the driver: a region on Spark groups its records on the cluster. The few constructs the two
dialects spell differently (a sorted list of distinct values) come from the engine's dialect; ties
(the most common name) are broken alphabetically, so both engines write identical views.

- ``out.property_people`` — one row per (uprn, entity): who is tied to a property, and when;
- ``out.person_addresses`` — one row per (person, uprn): a person's addresses over time;
- ``out.business_profile`` — one row per business: premises, directors, the agencies that know it;
- ``out.business_concentration`` — the share of events at business premises that the top 5% of
  businesses account for (the Essex pilot's measure), per event source and overall.

Every entity's records, with their names and dates, are first written to a work dataset
(:data:`WORK_RECORDS`, dropped at the end) that the four views read.
"""

from __future__ import annotations

from oda.datasets import (BUSINESS_CLUSTERS, BUSINESS_CONCENTRATION, BUSINESS_PROFILE, PERSON_ADDRESSES,
                          PERSON_CLUSTERS, PROPERTY_PEOPLE)
from oda.engine.base import Engine
from oda.link.entities.project_records import CONFIDENT_TIERS, MATCHES
from oda.project.models import Project

TOP_SHARE = 0.05
"""The share of businesses whose part of the events the concentration view reports (the Essex pilot's 5%)."""
WORK_RECORDS = "link.single_view_records_work"
"""Every resolved record with its entity id, UPRN, name and dates; written, read by the views, dropped."""
_DATES = ("start_date", "end_date", "event_date")


def _columns(engine: Engine, dataset: str) -> set[str]:
    return set(engine.query(f"SELECT * FROM {dataset} LIMIT 0").column_names)


def _date(column: str, present: set[str]) -> str:
    return f"CAST(s.{column} AS DATE)" if column in present else "CAST(NULL AS DATE)"


def _details_sql(engine: Engine, project: Project) -> str:
    """Per record of every source that names people or businesses: its displayed names and dates."""
    parts = []
    for name, source in project.sources.items():
        if not (source.names_people or source.names_businesses) or not engine.exists(f"stg.{name}"):
            continue
        present = _columns(engine, f"stg.{name}")
        person = ("nullif(concat_ws(' ', CAST(s.first_name AS STRING), CAST(s.surname AS STRING)), '')"
                  if {"first_name", "surname"} <= present else "CAST(NULL AS STRING)")
        business = [f"CAST(s.{c} AS STRING)" for c in ("business_name", "full_name") if c in present]
        business_name = f"coalesce({', '.join(business)})" if business else "CAST(NULL AS STRING)"
        first = f"coalesce({', '.join(_date(c, present) for c in _DATES)})"
        last = f"coalesce({', '.join(_date(c, present) for c in ('end_date', 'start_date', 'event_date'))})"
        number = "CAST(s.company_number AS STRING)" if "company_number" in present else "CAST(NULL AS STRING)"
        parts.append(f"SELECT {engine.dialect.string_literal(name)} AS source, "
                     "CAST(s.record_id AS STRING) AS record_id, "
                     f"{person} AS person_name, {business_name} AS business_name, {number} AS company_number, "
                     f"{first} AS first_seen, {last} AS last_seen FROM stg.{name} s")
    if not parts:
        return ("SELECT CAST(NULL AS STRING) AS source, CAST(NULL AS STRING) AS record_id, "
                "CAST(NULL AS STRING) AS person_name, CAST(NULL AS STRING) AS business_name, "
                "CAST(NULL AS STRING) AS company_number, CAST(NULL AS DATE) AS first_seen, "
                "CAST(NULL AS DATE) AS last_seen WHERE false")
    return " UNION ALL ".join(parts)


def _clusters_sql(engine: Engine, dataset: str, id_column: str, joint: bool) -> str | None:
    """(source, record_id, entity_id, uprn) of one entity's clusters; a joint record's second person too."""
    if not engine.exists(dataset):
        return None
    select = (f"SELECT source, CAST(record_id AS STRING) AS record_id, CAST({{id}} AS STRING) AS entity_id, "
              f"CAST(uprn AS STRING) AS uprn FROM {dataset}")
    sql = select.format(id=id_column)
    if joint and "joint_person_id" in _columns(engine, dataset):
        sql += f" UNION ALL {select.format(id='joint_person_id')} WHERE joint_person_id IS NOT NULL"
    return sql


def records_sql(engine: Engine, project: Project) -> str | None:
    """SQL for :data:`WORK_RECORDS`: one row per (entity, record) with entity id, UPRN, name and dates."""
    people = _clusters_sql(engine, PERSON_CLUSTERS.name, "person_id", joint=True)
    businesses = _clusters_sql(engine, BUSINESS_CLUSTERS.name, "business_id", joint=False)
    if people is None and businesses is None:
        return None
    details = _details_sql(engine, project)
    parts = []
    if people is not None:
        parts.append(f"""
            SELECT 'person' AS entity, c.entity_id, c.source, c.record_id, c.uprn, d.person_name AS name,
                   CAST(NULL AS STRING) AS company_number, d.first_seen, d.last_seen
            FROM ({people}) c LEFT JOIN d ON d.source = c.source AND d.record_id = c.record_id""")
    if businesses is not None:
        parts.append(f"""
            SELECT 'business' AS entity, c.entity_id, c.source, c.record_id, c.uprn, d.business_name AS name,
                   d.company_number, d.first_seen, d.last_seen
            FROM ({businesses}) c LEFT JOIN d ON d.source = c.source AND d.record_id = c.record_id""")
    return f"WITH d AS ({details}) {' UNION ALL '.join(parts)}"


def _most_common(value: str, keys: tuple[str, ...], where: str = "") -> str:
    """SQL: per ``keys``, the most common non-null ``value`` of the work records (ties: alphabetically first)."""
    k = ", ".join(keys)
    return f"""
        SELECT {k}, {value} AS value FROM (
            SELECT {k}, {value}, row_number() OVER (PARTITION BY {k} ORDER BY n DESC, {value}) AS position
            FROM (SELECT {k}, {value}, count(*) AS n FROM {WORK_RECORDS}
                  WHERE {value} IS NOT NULL {where} GROUP BY {k}, {value}) counted) ranked
        WHERE position = 1"""


def _events_sql(engine: Engine, project: Project) -> str:
    """Every event record (sources that describe events) matched with confidence to a UPRN."""
    event_sources = [n for n, s in project.sources.items() if s.describes == "event"]
    if not event_sources or not engine.exists(MATCHES):
        return "SELECT CAST(NULL AS STRING) AS source, CAST(NULL AS STRING) AS uprn WHERE false"
    names = ", ".join(engine.dialect.string_literal(n) for n in event_sources)
    tiers = ", ".join(engine.dialect.string_literal(t) for t in CONFIDENT_TIERS)
    return (f"SELECT source, CAST(uprn AS STRING) AS uprn FROM {MATCHES} "
            f"WHERE source IN ({names}) AND tier IN ({tiers}) AND uprn IS NOT NULL")


def _gazetteer_sql(engine: Engine, project: Project) -> str:
    dataset = f"stg.{project.link.gazetteer}"
    if not engine.exists(dataset) or not {"uprn", "address"} <= _columns(engine, dataset):
        return "SELECT CAST(NULL AS STRING) AS uprn, CAST(NULL AS STRING) AS address WHERE false"
    return (f"SELECT CAST(uprn AS STRING) AS uprn, min(CAST(address AS STRING)) AS address FROM {dataset} "
            f"GROUP BY CAST(uprn AS STRING)")


def _organisations_sql(engine: Engine, project: Project) -> str:
    text = engine.dialect.string_literal
    return " UNION ALL ".join(f"SELECT {text(n)} AS source, {text(s.organisation)} AS organisation"
                              for n, s in project.sources.items())


def property_people_sql(engine: Engine) -> str:
    keys = ("uprn", "entity", "entity_id")
    return f"""
        WITH named AS ({_most_common("name", keys)})
        SELECT r.uprn, r.entity, r.entity_id, min(n.value) AS name,
               {engine.dialect.sorted_distinct_text("r.source")} AS sources, count(*) AS records,
               min(r.first_seen) AS first_seen, max(r.last_seen) AS last_seen
        FROM {WORK_RECORDS} r
        LEFT JOIN named n ON n.uprn = r.uprn AND n.entity = r.entity AND n.entity_id = r.entity_id
        WHERE r.uprn IS NOT NULL
        GROUP BY r.uprn, r.entity, r.entity_id
        ORDER BY r.uprn, first_seen NULLS LAST, r.entity, r.entity_id"""


def person_addresses_sql(engine: Engine, project: Project) -> str:
    return f"""
        WITH named AS ({_most_common("name", ("entity", "entity_id"), "AND entity = 'person'")}),
        gazetteer AS ({_gazetteer_sql(engine, project)})
        SELECT r.entity_id AS person_id, min(n.value) AS name, r.uprn, min(g.address) AS address,
               {engine.dialect.sorted_distinct_text("r.source")} AS sources, count(*) AS records,
               min(r.first_seen) AS first_seen, max(r.last_seen) AS last_seen
        FROM {WORK_RECORDS} r
        LEFT JOIN named n ON n.entity = r.entity AND n.entity_id = r.entity_id
        LEFT JOIN gazetteer g ON g.uprn = r.uprn
        WHERE r.entity = 'person' AND r.uprn IS NOT NULL
        GROUP BY r.entity_id, r.uprn
        ORDER BY person_id, first_seen NULLS LAST, r.uprn"""


def _premises_cte(engine: Engine, project: Project) -> str:
    """CTEs shared by the profile and the concentration: premises, events, events per business."""
    return f"""
        events AS ({_events_sql(engine, project)}),
        premises AS (SELECT DISTINCT entity_id AS business_id, uprn FROM {WORK_RECORDS}
                     WHERE entity = 'business' AND uprn IS NOT NULL)"""


def business_profile_sql(engine: Engine, project: Project) -> str:
    business_only = "AND entity = 'business'"
    return f"""
        WITH {_premises_cte(engine, project)},
        names AS ({_most_common("name", ("entity", "entity_id"), business_only)}),
        numbers AS ({_most_common("company_number", ("entity", "entity_id"), business_only)}),
        organisations AS ({_organisations_sql(engine, project)}),
        b AS (SELECT * FROM {WORK_RECORDS} WHERE entity = 'business'),
        directors AS (
            SELECT DISTINCT b.entity_id AS business_id, p.entity_id AS person_id
            FROM b JOIN {WORK_RECORDS} p ON p.entity = 'person' AND p.source = b.source AND p.record_id = b.record_id),
        director_lists AS (SELECT business_id, count(*) AS directors,
                                  {engine.dialect.sorted_distinct_text("person_id")} AS director_ids
                           FROM directors GROUP BY business_id),
        premises_lists AS (SELECT business_id, count(*) AS premises,
                                  {engine.dialect.sorted_distinct_text("uprn")} AS premises_uprns
                           FROM premises GROUP BY business_id),
        at_premises AS (SELECT p.business_id, count(*) AS events FROM premises p JOIN events e ON e.uprn = p.uprn
                        GROUP BY p.business_id),
        known AS (SELECT b.entity_id AS business_id, count(*) AS records,
                         {engine.dialect.sorted_distinct_text("b.source")} AS sources,
                         count(DISTINCT b.source) AS known_to_sources,
                         {engine.dialect.sorted_distinct_text("o.organisation")} AS agencies,
                         count(DISTINCT o.organisation) AS known_to_agencies
                  FROM b JOIN organisations o ON o.source = b.source GROUP BY b.entity_id)
        SELECT k.business_id, n.value AS name, c.value AS company_number, k.records, k.sources, k.known_to_sources,
               k.agencies, k.known_to_agencies, coalesce(pl.premises, 0) AS premises, pl.premises_uprns,
               coalesce(dl.directors, 0) AS directors, dl.director_ids, coalesce(a.events, 0) AS events_at_premises
        FROM known k
        LEFT JOIN names n ON n.entity_id = k.business_id
        LEFT JOIN numbers c ON c.entity_id = k.business_id
        LEFT JOIN premises_lists pl ON pl.business_id = k.business_id
        LEFT JOIN director_lists dl ON dl.business_id = k.business_id
        LEFT JOIN at_premises a ON a.business_id = k.business_id
        ORDER BY events_at_premises DESC, k.business_id"""


def concentration_sql(engine: Engine, project: Project) -> str:
    top = f"greatest(1, CAST(ceil({TOP_SHARE} * t.businesses) AS BIGINT))"
    return f"""
        WITH {_premises_cte(engine, project)},
        per AS (SELECT e.source, p.business_id, count(*) AS events FROM events e JOIN premises p ON p.uprn = e.uprn
                GROUP BY e.source, p.business_id
                UNION ALL
                SELECT 'all' AS source, p.business_id, count(*) AS events
                FROM events e JOIN premises p ON p.uprn = e.uprn GROUP BY p.business_id),
        total AS (SELECT count(DISTINCT entity_id) AS businesses FROM {WORK_RECORDS} WHERE entity = 'business'),
        ranked AS (SELECT per.*, row_number() OVER (PARTITION BY source ORDER BY events DESC, business_id) AS position
                   FROM per)
        SELECT r.source, t.businesses, count(*) AS businesses_with_events, CAST(sum(r.events) AS BIGINT) AS events,
               {top} AS top_businesses, CAST({TOP_SHARE} AS DOUBLE) AS top_share_of_businesses,
               CAST(sum(CASE WHEN r.position <= {top} THEN r.events ELSE 0 END) AS BIGINT) AS top_events,
               CAST(sum(CASE WHEN r.position <= {top} THEN r.events ELSE 0 END) AS DOUBLE)
                   / CAST(sum(r.events) AS DOUBLE) AS top_share_of_events
        FROM ranked r CROSS JOIN total t GROUP BY r.source, t.businesses
        ORDER BY CASE WHEN r.source = 'all' THEN 0 ELSE 1 END, r.source"""


def view_queries(engine: Engine, project: Project) -> dict[str, str]:
    """Dataset → the SQL that builds it from :data:`WORK_RECORDS` (which must exist)."""
    return {PROPERTY_PEOPLE.name: property_people_sql(engine),
            PERSON_ADDRESSES.name: person_addresses_sql(engine, project),
            BUSINESS_PROFILE.name: business_profile_sql(engine, project),
            BUSINESS_CONCENTRATION.name: concentration_sql(engine, project)}


def write_single_views(engine: Engine, project: Project) -> dict[str, int]:
    """Write the single views (only when an entity was resolved); dataset → rows written."""
    records = records_sql(engine, project)
    if records is None:
        return {}
    engine.create_as(WORK_RECORDS, records)
    try:
        written = {}
        with engine.transaction():
            for dataset, sql in view_queries(engine, project).items():
                written[dataset] = engine.create_as(dataset, sql)
        return written
    finally:
        engine.drop(WORK_RECORDS)
