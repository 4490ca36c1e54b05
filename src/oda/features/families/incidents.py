"""Fire service and police incidents at the address, and occupants the fire service recorded."""

from __future__ import annotations

from oda.features.context import FeatureContext
from oda.features.registry import FeatureColumn, FeatureFamily, register

FIRE, POLICE = "fire_service", "police_asb"
COLUMNS = ("fire_incidents_24m", "fire_safety_visits_24m", "fire_occupants_recorded", "police_asb_24m")


def _fire(ctx: FeatureContext) -> str | None:
    table = ctx.source(FIRE)
    if table is None:
        return None
    activity = ctx.text(FIRE, "activity", "event_type", "incident_type")
    occupants = ctx.number(FIRE, "occupants_recorded", "occupants")
    return (f"SELECT s._uprn AS uprn, "
            f"sum(CASE WHEN {ctx.within(2 * 365)} AND {activity} NOT LIKE '%hfsv%' "
            f"AND {activity} NOT LIKE '%safety visit%' THEN 1 ELSE 0 END) AS fire_incidents_24m, "
            f"sum(CASE WHEN {ctx.within(2 * 365)} AND ({activity} LIKE '%hfsv%' OR {activity} LIKE '%safety visit%') "
            f"THEN 1 ELSE 0 END) AS fire_safety_visits_24m, "
            f"max(CASE WHEN {ctx.within(3 * 365)} THEN {occupants} END) AS fire_occupants_recorded, "
            f"0 AS police_asb_24m FROM {table} s WHERE s._uprn IS NOT NULL AND {ctx.known()} GROUP BY s._uprn")


def _police(ctx: FeatureContext) -> str | None:
    table = ctx.source(POLICE)
    if table is None:
        return None
    return (f"SELECT s._uprn AS uprn, 0 AS fire_incidents_24m, 0 AS fire_safety_visits_24m, "
            f"CAST(NULL AS DOUBLE) AS fire_occupants_recorded, "
            f"sum(CASE WHEN {ctx.within(2 * 365)} THEN 1 ELSE 0 END) AS police_asb_24m "
            f"FROM {table} s WHERE s._uprn IS NOT NULL AND {ctx.known()} GROUP BY s._uprn")


def _build(ctx: FeatureContext) -> str | None:
    parts = [sql for sql in (_fire(ctx), _police(ctx)) if sql]
    if not parts:
        return None
    body = " UNION ALL ".join(f"SELECT * FROM ({sql}) q{i}" for i, sql in enumerate(parts))
    return (f"SELECT uprn, sum(fire_incidents_24m) AS fire_incidents_24m, "
            f"sum(fire_safety_visits_24m) AS fire_safety_visits_24m, "
            f"max(fire_occupants_recorded) AS fire_occupants_recorded, sum(police_asb_24m) AS police_asb_24m "
            f"FROM ({body}) u GROUP BY uprn")


FAMILY = register(FeatureFamily(
    name="incidents",
    sources=(FIRE, POLICE),
    description="Fire service incidents and home fire safety visits, and police anti-social behaviour reports.",
    columns=(
        FeatureColumn("fire_incidents_24m", "Fire service incidents in the last 2 years",
                      "{value} fire service incidents in the last 2 years"),
        FeatureColumn("fire_safety_visits_24m", "Home fire safety visits in the last 2 years",
                      "{value} home fire safety visits in the last 2 years"),
        FeatureColumn("fire_occupants_recorded", "Most occupants the fire service recorded in the last 3 years",
                      "the fire service recorded {value} occupants", kind="number"),
        FeatureColumn("police_asb_24m", "Police anti-social behaviour reports in the last 2 years",
                      "{value} police anti-social behaviour reports in the last 2 years"),
    ),
    build=_build,
))
