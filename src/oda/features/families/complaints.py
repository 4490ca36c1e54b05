"""Environmental health and ASB service requests about the address, by type and recency."""

from __future__ import annotations

from oda.features.context import FeatureContext
from oda.features.families._sql import any_like, grouped
from oda.features.registry import FeatureColumn, FeatureFamily, register

SOURCE = "env_health_requests"
_TYPES = {
    "noise": ("noise", "music", "party"),
    "refuse": ("refuse", "rubbish", "waste", "bin", "fly"),
    "overcrowding": ("overcrowd", "occupation", "hmo", "too many"),
    "disrepair": ("disrepair", "damp", "mould", "leak", "repair", "heating"),
    "pests": ("pest", "rat", "mice", "cockroach", "bed bug"),
}


def _build(ctx: FeatureContext) -> str | None:
    if not ctx.has(SOURCE):
        return None
    kind = f"({ctx.text(SOURCE, 'event_type', 'request_type', 'type', 'category')} || ' ' || " \
           f"{ctx.text(SOURCE, 'description', 'details')})"
    selects = [
        f"sum(CASE WHEN {ctx.within(91)} THEN 1 ELSE 0 END) AS complaints_3m",
        f"sum(CASE WHEN {ctx.within(365)} THEN 1 ELSE 0 END) AS complaints_12m",
        f"sum(CASE WHEN {ctx.within(3 * 365)} THEN 1 ELSE 0 END) AS complaints_3y",
    ]
    selects += [f"sum(CASE WHEN {ctx.within(2 * 365)} AND {any_like(kind, *words)} THEN 1 ELSE 0 END) "
                f"AS complaints_{name}_24m" for name, words in _TYPES.items()]
    return grouped(ctx, SOURCE, selects)


FAMILY = register(FeatureFamily(
    name="complaints",
    sources=(SOURCE,),
    description="Service requests to environmental health and ASB teams about the address.",
    columns=(
        FeatureColumn("complaints_3m", "Complaints in the last 3 months", "{value} complaints in the last 3 months"),
        FeatureColumn("complaints_12m", "Complaints in the last year", "{value} complaints in the last year"),
        FeatureColumn("complaints_3y", "Complaints in the last 3 years", "{value} complaints in the last 3 years"),
        *(FeatureColumn(f"complaints_{name}_24m", f"{name.capitalize()} complaints in the last 2 years",
                        f"{{value}} {name} complaints in the last 2 years") for name in _TYPES),
    ),
    build=_build,
))
