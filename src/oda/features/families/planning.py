"""Planning and building control: applications for HMO use or conversion at the address."""

from __future__ import annotations

from oda.features.context import FeatureContext
from oda.features.families._sql import any_like, grouped
from oda.features.registry import FeatureColumn, FeatureFamily, register

SOURCE = "planning"


def _build(ctx: FeatureContext) -> str | None:
    if not ctx.has(SOURCE):
        return None
    text = (f"({ctx.text(SOURCE, 'event_type', 'application_type', 'type')} || ' ' || "
            f"{ctx.text(SOURCE, 'description', 'proposal', 'details')})")
    return grouped(ctx, SOURCE, [
        f"sum(CASE WHEN {ctx.within(5 * 365)} AND {any_like(text, 'hmo', '(c4)', ' c4 ', 'multiple occupation')} "
        "THEN 1 ELSE 0 END) AS planning_hmo_5y",
        f"sum(CASE WHEN {ctx.within(5 * 365)} AND {any_like(text, 'conver', 'subdivi', 'flats', 'loft', 'extension')} "
        "THEN 1 ELSE 0 END) AS planning_conversion_5y",
        f"sum(CASE WHEN {ctx.within(5 * 365)} AND {any_like(text, 'fire separation', 'fire door', 'alarm system')} "
        "THEN 1 ELSE 0 END) AS planning_fire_works_5y",
        f"sum(CASE WHEN {ctx.within(5 * 365)} THEN 1 ELSE 0 END) AS planning_applications_5y",
    ])


FAMILY = register(FeatureFamily(
    name="planning",
    sources=(SOURCE,),
    description="Planning applications at the address: HMO use classes, conversions, extensions.",
    columns=(
        FeatureColumn("planning_hmo_5y", "Planning applications mentioning HMO use (C4 / sui generis), 5 years",
                      "{value} planning applications mentioning HMO use in the last 5 years"),
        FeatureColumn("planning_conversion_5y", "Conversion, loft or extension applications, 5 years",
                      "{value} conversion or extension applications in the last 5 years"),
        FeatureColumn("planning_fire_works_5y", "Building control notices for fire doors, separation or alarms, 5 years",
                      "{value} building control notices for fire doors or alarms in the last 5 years"),
        FeatureColumn("planning_applications_5y", "All planning applications, 5 years",
                      "{value} planning applications in the last 5 years"),
    ),
    build=_build,
))
