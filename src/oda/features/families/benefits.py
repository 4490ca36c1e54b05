"""Housing benefit and council tax support claims at the address."""

from __future__ import annotations

from oda.features.context import FeatureContext
from oda.features.families._sql import grouped, person, recent
from oda.features.registry import FeatureColumn, FeatureFamily, register

SOURCE = "housing_benefit"


def _build(ctx: FeatureContext) -> str | None:
    if not ctx.has(SOURCE):
        return None
    return grouped(ctx, SOURCE, [
        f"count(DISTINCT CASE WHEN {ctx.live() if ctx.column(SOURCE, 'end_date') else ctx.within(365)} "
        f"THEN {person(ctx, SOURCE)} END) AS benefit_claims_now",
        f"count(DISTINCT CASE WHEN {recent(ctx, SOURCE, 2 * 365)} THEN {person(ctx, SOURCE)} END) "
        "AS benefit_claimants_24m",
        f"count(DISTINCT CASE WHEN {recent(ctx, SOURCE, 2 * 365)} AND "
        f"{ctx.text(SOURCE, 'lha_category', 'lha_rate', 'rate_category')} IN ('sar', 'shared', 'shared accommodation') "
        f"THEN {person(ctx, SOURCE)} END) AS benefit_shared_rate_24m",
    ])


FAMILY = register(FeatureFamily(
    name="benefits",
    sources=(SOURCE,),
    description="Housing benefit / council tax support claimants at the address.",
    columns=(
        FeatureColumn("benefit_claims_now", "Separate housing benefit claims live now",
                      "{value} separate housing benefit claims live now"),
        FeatureColumn("benefit_claimants_24m", "Different housing benefit claimants in the last 2 years",
                      "{value} different housing benefit claimants in the last 2 years"),
        FeatureColumn("benefit_shared_rate_24m", "Claimants on the shared accommodation rate in the last 2 years",
                      "{value} claimants paid the shared accommodation rate (a room in a shared house) "
                      "in the last 2 years"),
    ),
    build=_build,
))
