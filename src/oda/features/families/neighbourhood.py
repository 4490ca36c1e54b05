"""Businesses and companies at the address, and how common complaints are on the street."""

from __future__ import annotations

from oda.features.context import FeatureContext
from oda.features.dwellings import DWELLINGS
from oda.features.registry import FeatureColumn, FeatureFamily, register

_BUSINESS = ("business_rates", "food_businesses")
_COMPANIES = "companies"
_COMPLAINTS = "env_health_requests"


def _build(ctx: FeatureContext) -> str | None:
    if not ctx.engine.exists(DWELLINGS):
        return None
    parts = [f"SELECT d.uprn AS uprn, 0 AS businesses_in_building, 0 AS companies_registered, "
             f"CAST(0 AS DOUBLE) AS street_complaints FROM {DWELLINGS} d"]
    for source in _BUSINESS:
        table = ctx.source(source)
        if table:
            parts.append(
                f"SELECT d.uprn, 1, 0, 0 FROM {DWELLINGS} d JOIN {table} s "
                f"ON (s._uprn = d.uprn OR s._uprn = d.parent_uprn) WHERE {ctx.live()}")
    table = ctx.source(_COMPANIES)
    if table:
        parts.append(f"SELECT s._uprn, 0, 1, 0 FROM {table} s WHERE s._uprn IS NOT NULL AND {ctx.live()}")
    table = ctx.source(_COMPLAINTS)
    if table:
        parts.append(
            f"SELECT d.uprn, 0, 0, c.n / h.homes FROM {DWELLINGS} d JOIN (SELECT d2.street, count(*) AS n "
            f"FROM {table} s JOIN {DWELLINGS} d2 ON d2.uprn = s._uprn WHERE {ctx.within(365)} "
            f"AND d2.street IS NOT NULL GROUP BY d2.street) c ON c.street = d.street "
            f"JOIN (SELECT street, CAST(count(*) AS DOUBLE) AS homes FROM {DWELLINGS} WHERE street IS NOT NULL "
            f"GROUP BY street) h ON h.street = d.street")
    body = " UNION ALL ".join(parts)
    return (f"SELECT uprn, sum(businesses_in_building) AS businesses_in_building, "
            f"sum(companies_registered) AS companies_registered, "
            f"sum(street_complaints) AS street_complaint_rate_12m "
            f"FROM ({body}) u GROUP BY uprn")


FAMILY = register(FeatureFamily(
    name="neighbourhood",
    sources=(*_BUSINESS, _COMPANIES, _COMPLAINTS),
    description="Businesses and companies at the address, and the street's complaint rate.",
    columns=(
        FeatureColumn("businesses_in_building", "Rated or food businesses in the same building",
                      "{value} businesses in the same building"),
        FeatureColumn("companies_registered", "Companies registered at the address",
                      "{value} companies registered at the address"),
        FeatureColumn("street_complaint_rate_12m", "Complaints per home on the street in the last year",
                      "{value} complaints per home on this street in the last year", kind="number",
                      compare_with_street=False),
    ),
    build=_build,
))
