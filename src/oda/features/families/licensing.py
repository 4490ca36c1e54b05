"""HMO licence register: whether the property holds a licence on the as-of date.

These columns decide eligibility (a licensed HMO is not a target) and give the model positive
labels; they are never model inputs, because they are the answer, not a sign of it.
"""

from __future__ import annotations

from oda.features.context import FeatureContext
from oda.features.families._sql import grouped
from oda.features.registry import FeatureColumn, FeatureFamily, register

SOURCE = "hmo_licences"
_ENDED = ("expired", "revoked", "refused", "withdrawn", "cancelled", "surrendered")


def in_force(ctx: FeatureContext, source: str = SOURCE) -> str:
    """A licence record whose status (when the register has one) does not say it has ended."""
    status = ctx.text(source, "status", "licence_status")
    return "NOT (" + " OR ".join(f"{status} LIKE '%{word}%'" for word in _ENDED) + ")"


def _build(ctx: FeatureContext) -> str | None:
    if not ctx.has(SOURCE):
        return None
    return grouped(ctx, SOURCE, [
        f"max(CASE WHEN {ctx.live()} AND {in_force(ctx)} THEN 1 ELSE 0 END) AS licensed_now",
        f"max(CASE WHEN {ctx.known()} AND ((s._end IS NOT NULL AND s._end < {ctx.today}) OR NOT {in_force(ctx)}) "
        "THEN 1 ELSE 0 END) "
        "AS licence_lapsed",
    ])


FAMILY = register(FeatureFamily(
    name="licensing",
    sources=(SOURCE,),
    description="HMO licences held at the address (eligibility and labels, not model inputs).",
    columns=(
        FeatureColumn("licensed_now", "Holds an HMO licence now", "holds an HMO licence", kind="flag",
                      model_input=False, compare_with_street=False),
        FeatureColumn("licence_lapsed", "Held an HMO licence that has lapsed", "an HMO licence here has lapsed",
                      kind="flag", model_input=False, compare_with_street=False),
    ),
    build=_build,
))
