"""``feat.dwellings``: the properties a feature row is built for, from the gazetteer source.

One row per UPRN of a dwelling (residential classes RD and RH, or every row when the gazetteer
has no classification), excluding parent shells that have flats beneath them. Carries what
worklists and fairness need: address, ward, street, position and, when given, deprivation decile.
"""

from __future__ import annotations

from oda.features.context import FeatureContext

DWELLINGS = "feat.dwellings"
DWELLING_COLUMNS = ("uprn", "parent_uprn", "classification", "address", "postcode", "ward", "street", "lat",
                    "lon", "imd_decile")
_STREET_WORDS = ("ROAD|STREET|AVENUE|LANE|GROVE|PLACE|TERRACE|GARDENS|CLOSE|WAY|HILL|PARK|DRIVE|SQUARE|"
                 "CRESCENT|WALK|RISE|MEWS|PARADE|VILLAS|ROW|GREEN|YARD|COURT|VALE|VIEW|END")


def dwellings_sql(ctx: FeatureContext, gazetteer: str) -> str:
    """SQL selecting the dwelling register from the gazetteer source named ``gazetteer``."""
    from oda.errors import FeatureError

    table = ctx.source(gazetteer)
    if table is None:
        raise FeatureError(
            f"the gazetteer source `{gazetteer}` is not loaded (no stg.{gazetteer} or raw.{gazetteer}): "
            f"run `oda ingest` first, or set [link] gazetteer in oda.toml to the source that lists properties"
        )

    def text(*names: str) -> str:
        column = ctx.column(gazetteer, *names)
        return f"nullif(trim(CAST({column} AS STRING)), '')" if column else "CAST(NULL AS STRING)"

    address = text("address", "full_address", "address_line_1")
    street = text("street", "street_name", "street_description")
    if street == "CAST(NULL AS STRING)":
        street = ctx.engine.dialect.regexp_extract(
            f"upper({address})", f"([A-Z][A-Z' ]* ({_STREET_WORDS}))\\b", 1)
    classification = f"upper({text('classification', 'class', 'blpu_class', 'classification_code')})"
    parent = f"nullif({text('parent_uprn', 'parent')}, '0')"
    return (
        f"SELECT {', '.join('g.' + c for c in DWELLING_COLUMNS)} FROM (SELECT s._uprn AS uprn, {parent} AS parent_uprn, {classification} AS classification, "
        f"{address} AS address, {text('postcode')} AS postcode, {text('ward', 'ward_name')} AS ward, "
        f"{street} AS street, {ctx.number(gazetteer, 'lat', 'latitude')} AS lat, "
        f"{ctx.number(gazetteer, 'lon', 'lng', 'longitude')} AS lon, "
        f"{ctx.number(gazetteer, 'imd_decile', 'deprivation_decile', 'imd')} AS imd_decile, "
        f"row_number() OVER (PARTITION BY s._uprn ORDER BY s._uprn) AS _n "
        f"FROM {table} s WHERE s._uprn IS NOT NULL) g "
        f"WHERE g._n = 1 AND (g.classification IS NULL OR g.classification LIKE 'RD%' "
        f"OR g.classification LIKE 'RH%') "
        f"AND g.uprn NOT IN (SELECT DISTINCT nullif(trim(CAST({ctx.column(gazetteer, 'parent_uprn', 'parent') or 'NULL'} "
        f"AS STRING)), '') FROM {ctx.dataset(gazetteer)} s WHERE {ctx.column(gazetteer, 'parent_uprn', 'parent') or 'NULL'} "
        f"IS NOT NULL AND trim(CAST({ctx.column(gazetteer, 'parent_uprn', 'parent') or 'NULL'} AS STRING)) NOT IN ('', '0'))"
    )
