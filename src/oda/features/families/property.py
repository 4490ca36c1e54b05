"""The property itself, from the gazetteer: its class and how many flats share its building."""

from __future__ import annotations

from oda.features.context import FeatureContext
from oda.features.dwellings import DWELLINGS
from oda.features.registry import FeatureColumn, FeatureFamily, register


def _build(ctx: FeatureContext) -> str | None:
    if not ctx.engine.exists(DWELLINGS):
        return None
    return (
        f"SELECT d.uprn, "
        f"CASE WHEN d.classification LIKE 'RD06%' THEN 1 ELSE 0 END AS is_flat, "
        f"CASE WHEN d.classification IN ('RD02', 'RD03', 'RD04') THEN 1 ELSE 0 END AS is_house, "
        f"CASE WHEN d.classification LIKE 'RH%' THEN 1 ELSE 0 END AS is_hmo_class, "
        f"CASE WHEN d.parent_uprn IS NULL THEN 0 ELSE coalesce(b.units, 0) END AS flats_in_building "
        f"FROM {DWELLINGS} d LEFT JOIN (SELECT parent_uprn, count(*) AS units FROM {DWELLINGS} "
        f"WHERE parent_uprn IS NOT NULL GROUP BY parent_uprn) b ON b.parent_uprn = d.parent_uprn"
    )


FAMILY = register(FeatureFamily(
    name="property",
    sources=("gazetteer",),
    description="The property's class in the gazetteer and the number of flats in its building.",
    columns=(
        FeatureColumn("is_flat", "A self-contained flat (RD06)", "a self-contained flat", kind="flag",
                      compare_with_street=False),
        FeatureColumn("is_house", "A house (RD02–RD04)", "a house (detached, semi or terraced)", kind="flag",
                      compare_with_street=False),
        FeatureColumn("is_hmo_class", "Classed as an HMO room or bedsit (RH)", "classed as HMO rooms or bedsits",
                      kind="flag", compare_with_street=False),
        FeatureColumn("flats_in_building", "Flats in the same building",
                      "{value} flats in the same building"),
    ),
    build=_build,
))
