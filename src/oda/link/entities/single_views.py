"""Single views as datasets: per property its people and businesses, per person their addresses, per
business its profile, and how concentrated events at business premises are.

Built from the resolve stage's clusters and the staged records. Each record's name and dates are
read through the project's engine (plain SQL both engines run); the grouping then happens in an
in-process DuckDB over those rows, and the results are written back through the engine, so the
views look the same whichever engine holds the project.

- ``out.property_people`` — one row per (uprn, entity): who is tied to a property, and when;
- ``out.person_addresses`` — one row per (person, uprn): a person's addresses over time;
- ``out.business_profile`` — one row per business: premises, directors, the agencies that know it;
- ``out.business_concentration`` — the share of events at business premises that the top 5% of
  businesses account for (the Essex pilot's measure), per event source and overall.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa

from oda.datasets import (BUSINESS_CLUSTERS, BUSINESS_CONCENTRATION, BUSINESS_PROFILE, PERSON_ADDRESSES,
                          PERSON_CLUSTERS, PROPERTY_PEOPLE)
from oda.engine.base import Engine
from oda.link.entities.project_records import CONFIDENT_TIERS, MATCHES
from oda.project.models import Project

TOP_SHARE = 0.05
"""The share of businesses whose part of the events the concentration view reports (the Essex pilot's 5%)."""
_DATES = ("start_date", "end_date", "event_date")


def _columns(engine: Engine, dataset: str) -> set[str]:
    return set(engine.query(f"SELECT * FROM {dataset} LIMIT 0").column_names)


def _date(column: str, present: set[str]) -> str:
    return f"CAST(s.{column} AS DATE)" if column in present else "CAST(NULL AS DATE)"


def _record_details(engine: Engine, project: Project) -> pa.Table:
    """Per record of every source that names people or businesses: its displayed names and dates."""
    parts = []
    for name, source in project.sources.items():
        if not (source.names_people or source.names_businesses) or not engine.exists(f"stg.{name}"):
            continue
        present = _columns(engine, f"stg.{name}")
        person = ("nullif(concat_ws(' ', CAST(s.first_name AS STRING), CAST(s.surname AS STRING)), '')"
                  if {"first_name", "surname"} <= present else "CAST(NULL AS STRING)")
        business = [f"CAST(s.{c} AS STRING)" for c in ("business_name", "full_name") if c in present]
        first = f"coalesce({', '.join(_date(c, present) for c in _DATES)})"
        last = f"coalesce({', '.join(_date(c, present) for c in ('end_date', 'start_date', 'event_date'))})"
        number = "CAST(s.company_number AS STRING)" if "company_number" in present else "CAST(NULL AS STRING)"
        parts.append(engine.query(
            f"SELECT '{name}' AS source, CAST(s.record_id AS STRING) AS record_id, {person} AS person_name, "
            f"{('coalesce(' + ', '.join(business) + ')') if business else 'CAST(NULL AS STRING)'} AS business_name, "
            f"{number} AS company_number, {first} AS first_seen, {last} AS last_seen FROM stg.{name} s"))
    schema = pa.schema([("source", pa.string()), ("record_id", pa.string()), ("person_name", pa.string()),
                        ("business_name", pa.string()), ("company_number", pa.string()),
                        ("first_seen", pa.date32()), ("last_seen", pa.date32())])
    return pa.concat_tables([p.cast(schema) for p in parts]) if parts else schema.empty_table()


def _events(engine: Engine, project: Project) -> pa.Table:
    """Every event record (sources that describe events) matched with confidence to a UPRN."""
    event_sources = [n for n, s in project.sources.items() if s.describes == "event"]
    if not event_sources or not engine.exists(MATCHES):
        return pa.table({"source": pa.array([], pa.string()), "uprn": pa.array([], pa.string())})
    names = ", ".join(f"'{n}'" for n in event_sources)
    tiers = ", ".join(f"'{t}'" for t in CONFIDENT_TIERS)
    return engine.query(f"SELECT source, CAST(uprn AS STRING) AS uprn FROM {MATCHES} "
                        f"WHERE source IN ({names}) AND tier IN ({tiers}) AND uprn IS NOT NULL")


def _gazetteer(engine: Engine, project: Project) -> pa.Table:
    dataset = f"stg.{project.link.gazetteer}"
    if not engine.exists(dataset) or not {"uprn", "address"} <= _columns(engine, dataset):
        return pa.table({"uprn": pa.array([], pa.string()), "address": pa.array([], pa.string())})
    return engine.query(f"SELECT CAST(uprn AS STRING) AS uprn, CAST(address AS STRING) AS address FROM {dataset}")


def _clusters(engine: Engine, dataset: str, id_column: str, joint: bool) -> pa.Table:
    if not engine.exists(dataset):
        return pa.table({k: pa.array([], pa.string()) for k in ("source", "record_id", "entity_id", "uprn")})
    rows = engine.query(f"SELECT source, CAST(record_id AS STRING) AS record_id, {id_column} AS entity_id, "
                        f"CAST(uprn AS STRING) AS uprn FROM {dataset}")
    if joint and "joint_person_id" in _columns(engine, dataset):
        second = engine.query(f"SELECT source, CAST(record_id AS STRING) AS record_id, joint_person_id AS entity_id, "
                              f"CAST(uprn AS STRING) AS uprn FROM {dataset} WHERE joint_person_id IS NOT NULL")
        rows = pa.concat_tables([rows, second.cast(rows.schema)])
    return rows


_PROPERTY_PEOPLE = """
    SELECT uprn, entity, entity_id, mode(name) AS name, string_agg(DISTINCT source, ', ' ORDER BY source) AS sources,
           count(*) AS records, min(first_seen) AS first_seen, max(last_seen) AS last_seen
    FROM entity_records WHERE uprn IS NOT NULL
    GROUP BY uprn, entity, entity_id ORDER BY uprn, first_seen NULLS LAST, entity, entity_id"""

_PERSON_ADDRESSES = """
    SELECT r.entity_id AS person_id, (SELECT mode(name) FROM entity_records x WHERE x.entity_id = r.entity_id) AS name,
           r.uprn, any_value(g.address) AS address, string_agg(DISTINCT r.source, ', ' ORDER BY r.source) AS sources,
           count(*) AS records, min(r.first_seen) AS first_seen, max(r.last_seen) AS last_seen
    FROM entity_records r LEFT JOIN gazetteer g ON g.uprn = r.uprn
    WHERE r.entity = 'person' AND r.uprn IS NOT NULL
    GROUP BY r.entity_id, r.uprn ORDER BY person_id, first_seen NULLS LAST, r.uprn"""

_BUSINESS_PROFILE = """
    WITH b AS (SELECT * FROM entity_records WHERE entity = 'business'),
    directors AS (
        SELECT b.entity_id AS business_id, p.entity_id AS person_id
        FROM b JOIN entity_records p ON p.entity = 'person' AND p.source = b.source AND p.record_id = b.record_id
        GROUP BY ALL),
    premises AS (SELECT DISTINCT entity_id AS business_id, uprn FROM b WHERE uprn IS NOT NULL),
    at_premises AS (SELECT p.business_id, count(*) AS events FROM premises p JOIN events e ON e.uprn = p.uprn GROUP BY 1)
    SELECT b.entity_id AS business_id, mode(b.name) AS name, mode(b.company_number) AS company_number,
           count(*) AS records, string_agg(DISTINCT b.source, ', ' ORDER BY b.source) AS sources,
           count(DISTINCT b.source) AS known_to_sources,
           string_agg(DISTINCT o.organisation, ', ' ORDER BY o.organisation) AS agencies,
           count(DISTINCT o.organisation) AS known_to_agencies,
           (SELECT count(*) FROM premises p WHERE p.business_id = b.entity_id) AS premises,
           (SELECT string_agg(uprn, ', ' ORDER BY uprn) FROM premises p WHERE p.business_id = b.entity_id)
               AS premises_uprns,
           (SELECT count(*) FROM directors d WHERE d.business_id = b.entity_id) AS directors,
           (SELECT string_agg(person_id, ', ' ORDER BY person_id) FROM directors d WHERE d.business_id = b.entity_id)
               AS director_ids,
           coalesce(any_value(a.events), 0) AS events_at_premises
    FROM b JOIN organisations o ON o.source = b.source LEFT JOIN at_premises a ON a.business_id = b.entity_id
    GROUP BY b.entity_id ORDER BY events_at_premises DESC, business_id"""

_CONCENTRATION = """
    WITH premises AS (SELECT DISTINCT business_id, unnest(string_split(premises_uprns, ', ')) AS uprn
                      FROM profile WHERE premises_uprns IS NOT NULL),
    per AS (SELECT e.source, p.business_id, count(*) AS events FROM events e JOIN premises p ON p.uprn = e.uprn
            GROUP BY ALL
            UNION ALL
            SELECT 'all', p.business_id, count(*) FROM events e JOIN premises p ON p.uprn = e.uprn GROUP BY ALL),
    total AS (SELECT count(*) AS businesses FROM profile),
    ranked AS (SELECT *, row_number() OVER (PARTITION BY source ORDER BY events DESC, business_id) AS rank FROM per)
    SELECT r.source, t.businesses, count(*) AS businesses_with_events, CAST(sum(r.events) AS BIGINT) AS events,
           greatest(1, CAST(ceil({share} * t.businesses) AS BIGINT)) AS top_businesses,
           CAST({share} AS DOUBLE) AS top_share_of_businesses,
           CAST(sum(CASE WHEN r.rank <= greatest(1, ceil({share} * t.businesses)) THEN r.events ELSE 0 END)
                AS BIGINT) AS top_events,
           sum(CASE WHEN r.rank <= greatest(1, ceil({share} * t.businesses)) THEN r.events ELSE 0 END)
               / sum(r.events) AS top_share_of_events
    FROM ranked r, total t GROUP BY r.source, t.businesses ORDER BY r.source = 'all' DESC, r.source"""


def single_views(engine: Engine, project: Project) -> dict[str, pa.Table]:
    """The four single-view tables, computed from the project's resolved entities and staged records."""
    details = _record_details(engine, project)
    people = _clusters(engine, PERSON_CLUSTERS.name, "person_id", joint=True)
    businesses = _clusters(engine, BUSINESS_CLUSTERS.name, "business_id", joint=False)
    organisations = pa.table({"source": list(project.sources),
                              "organisation": [s.organisation for s in project.sources.values()]})
    con = duckdb.connect(config={"autoinstall_known_extensions": False, "autoload_known_extensions": False})
    try:
        for name, table in (("details", details), ("people", people), ("businesses", businesses),
                            ("events", _events(engine, project)), ("gazetteer", _gazetteer(engine, project)),
                            ("organisations", organisations)):
            con.register(name, table)
        con.execute("""
            CREATE TABLE entity_records AS
            SELECT 'person' AS entity, c.entity_id, c.source, c.record_id, c.uprn, d.person_name AS name,
                   CAST(NULL AS STRING) AS company_number, d.first_seen, d.last_seen
            FROM people c LEFT JOIN details d USING (source, record_id)
            UNION ALL
            SELECT 'business', c.entity_id, c.source, c.record_id, c.uprn, d.business_name, d.company_number,
                   d.first_seen, d.last_seen
            FROM businesses c LEFT JOIN details d USING (source, record_id)""")
        views = {PROPERTY_PEOPLE.name: con.sql(_PROPERTY_PEOPLE).to_arrow_table(),
                 PERSON_ADDRESSES.name: con.sql(_PERSON_ADDRESSES).to_arrow_table()}
        profile = con.sql(_BUSINESS_PROFILE).to_arrow_table()
        views[BUSINESS_PROFILE.name] = profile
        con.register("profile", profile)
        views[BUSINESS_CONCENTRATION.name] = con.sql(_CONCENTRATION.format(share=TOP_SHARE)).to_arrow_table()
        return views
    finally:
        con.close()


def write_single_views(engine: Engine, project: Project) -> dict[str, int]:
    """Write the single views (only those with an entity behind them); dataset → rows written."""
    if not (engine.exists(PERSON_CLUSTERS.name) or engine.exists(BUSINESS_CLUSTERS.name)):
        return {}
    written = {}
    with engine.transaction():
        for dataset, table in single_views(engine, project).items():
            written[dataset] = engine.write(dataset, table)
    return written
