"""Electoral register: how many different adults, and different surnames, are registered at a home.

Many unrelated adults at one address is the strongest single sign of multiple occupation; a large
family shares a surname, an HMO does not.
"""

from __future__ import annotations

from oda.features.context import FeatureContext
from oda.features.families._sql import grouped, person, recent, surname
from oda.features.registry import FeatureColumn, FeatureFamily, register

SOURCE = "electoral_register"


def _build(ctx: FeatureContext) -> str | None:
    if not ctx.has(SOURCE):
        return None
    name, key = surname(ctx, SOURCE), person(ctx, SOURCE)
    return grouped(ctx, SOURCE, [
        f"count(DISTINCT CASE WHEN {recent(ctx, SOURCE, 365)} THEN {name} END) AS distinct_surnames_12m",
        f"count(DISTINCT CASE WHEN {recent(ctx, SOURCE, 365)} THEN {key} END) AS electors_12m",
        f"count(DISTINCT CASE WHEN {recent(ctx, SOURCE, 3 * 365)} THEN {key} END) AS electors_3y",
    ])


FAMILY = register(FeatureFamily(
    name="electoral",
    sources=(SOURCE,),
    description="Adults and surnames on the electoral register at the address.",
    columns=(
        FeatureColumn("distinct_surnames_12m", "Different surnames on the electoral register in the last year",
                      "{value} different surnames on the electoral register in the last year"),
        FeatureColumn("electors_12m", "Adults on the electoral register in the last year",
                      "{value} adults on the electoral register in the last year"),
        FeatureColumn("electors_3y", "Different adults on the electoral register in the last 3 years",
                      "{value} different adults registered here in the last 3 years"),
    ),
    build=_build,
))
