"""Energy Performance Certificates: the latest certificate lodged by the as-of date."""

from __future__ import annotations

from oda.features.context import FeatureContext
from oda.features.families._sql import any_like
from oda.features.registry import FeatureColumn, FeatureFamily, register

SOURCE = "epc"


def _build(ctx: FeatureContext) -> str | None:
    table = ctx.source(SOURCE)
    if table is None:
        return None
    tenure = ctx.text(SOURCE, "tenure")
    rented = (f"CASE WHEN {any_like(tenure, 'private', 'rented (private)', 'rental (private)')} THEN 1 "
              f"WHEN {tenure} = '' THEN NULL ELSE 0 END")
    area = ctx.number(SOURCE, "total_floor_area", "floor_area", "floor_area_m2")
    rooms = ctx.number(SOURCE, "number_habitable_rooms", "habitable_rooms", "rooms")
    kind = ctx.text(SOURCE, "property_type", "dwelling_type")
    house = f"CASE WHEN {kind} = '' THEN NULL WHEN {any_like(kind, 'house', 'bungalow')} THEN 1 ELSE 0 END"
    return (
        f"SELECT uprn, epc_private_rented, epc_floor_area, epc_habitable_rooms, epc_house, 1 AS epc_lodged FROM ("
        f"SELECT s._uprn AS uprn, {rented} AS epc_private_rented, {area} AS epc_floor_area, {house} AS epc_house, "
        f"{rooms} AS epc_habitable_rooms, row_number() OVER (PARTITION BY s._uprn ORDER BY s._start DESC) AS _n "
        f"FROM {table} s WHERE s._uprn IS NOT NULL AND {ctx.known()}) latest WHERE _n = 1"
    )


FAMILY = register(FeatureFamily(
    name="epc",
    sources=(SOURCE,),
    description="The latest Energy Performance Certificate: tenure, type, floor area, rooms.",
    columns=(
        FeatureColumn("epc_private_rented", "Latest EPC says privately rented",
                      "the latest energy certificate says privately rented", kind="flag",
                      compare_with_street=False),
        FeatureColumn("epc_floor_area", "Floor area on the latest EPC (m²)",
                      "floor area {value} m² on the energy certificate", kind="number"),
        FeatureColumn("epc_habitable_rooms", "Habitable rooms on the latest EPC",
                      "{value} habitable rooms on the energy certificate", kind="number"),
        FeatureColumn("epc_house", "The latest EPC describes a house (not a flat)",
                      "a house according to its energy certificate", kind="flag", compare_with_street=False),
        FeatureColumn("epc_lodged", "An EPC has been lodged", "an energy certificate has been lodged",
                      kind="flag", compare_with_street=False),
    ),
    build=_build,
))
