"""Council tax: account churn, liable people, single-person discount, student exemption, band.

An HMO billed room by room, or a landlord account with a stream of tenants, shows as churn; a home
claiming the single-person discount while many adults are registered there is a mismatch.
"""

from __future__ import annotations

from oda.features.context import FeatureContext
from oda.features.families._sql import any_like, grouped, person, recent
from oda.features.registry import FeatureColumn, FeatureFamily, register

SOURCE = "council_tax"


def _build(ctx: FeatureContext) -> str | None:
    if not ctx.has(SOURCE):
        return None
    discount = ctx.text(SOURCE, "discount", "discounts", "spd", "single_person_discount")
    exemption = ctx.text(SOURCE, "exemption", "exemptions", "exemption_class")
    single = f"({discount} IN ('y', 'yes', 'true', '1') OR {any_like(discount, 'single', 'spd', '25%')})"
    student = f"({exemption} = 'n' OR {any_like(exemption, 'class n', 'student')})"
    band = ctx.text(SOURCE, "band", "ct_band", "valuation_band")
    record = ctx.column(SOURCE, "record_id")
    kind = ctx.text(SOURCE, "liable_type", "party_type")
    company = f"({kind} = 'company' OR {any_like(ctx.text(SOURCE, 'full_name'), ' ltd', ' limited', ' llp')})"
    band_number = "CASE " + " ".join(f"WHEN {band} = '{b}' THEN {i}" for i, b in enumerate("abcdefgh", 1)) + " END"
    return grouped(ctx, SOURCE, [
        f"count(DISTINCT CASE WHEN {ctx.within(3 * 365)} THEN {record} END) AS ct_new_accounts_3y",
        f"count(DISTINCT CASE WHEN {recent(ctx, SOURCE, 365)} THEN {person(ctx, SOURCE)} END) AS ct_liable_12m",
        f"count(DISTINCT CASE WHEN {ctx.live()} THEN {record} END) AS ct_accounts_now",
        f"count(DISTINCT CASE WHEN {recent(ctx, SOURCE, 3 * 365)} AND "
        f"{any_like(ctx.text(SOURCE, 'address_line_1', 'address'), 'room ', 'room:', 'bedsit')} THEN {record} END) "
        "AS ct_room_accounts_3y",
        f"max(CASE WHEN {ctx.live()} AND {company} THEN 1 ELSE 0 END) AS ct_company_liable",
        f"max(CASE WHEN {ctx.live()} AND {single} THEN 1 ELSE 0 END) "
        "AS ct_single_person_discount",
        f"max(CASE WHEN {ctx.live()} AND {student} THEN 1 ELSE 0 END) "
        "AS ct_student_exemption",
        f"max(CASE WHEN {ctx.live()} THEN {band_number} END) AS ct_band",
    ])


FAMILY = register(FeatureFamily(
    name="council_tax",
    sources=(SOURCE,),
    description="Council tax accounts at the address: churn, liable people, discounts and exemptions.",
    columns=(
        FeatureColumn("ct_new_accounts_3y", "New council tax accounts opened in the last 3 years",
                      "{value} new council tax accounts in the last 3 years"),
        FeatureColumn("ct_liable_12m", "Different people liable for council tax in the last year",
                      "{value} different people liable for council tax in the last year"),
        FeatureColumn("ct_accounts_now", "Council tax accounts live now",
                      "{value} council tax accounts live at once"),
        FeatureColumn("ct_room_accounts_3y", "Council tax accounts billed for a single room, 3 years",
                      "{value} council tax accounts billed room by room in the last 3 years"),
        FeatureColumn("ct_company_liable", "A company is liable for council tax now (landlord billing)",
                      "a company, not a resident, pays the council tax", kind="flag", compare_with_street=False),
        FeatureColumn("ct_single_person_discount", "Single-person discount claimed now",
                      "single-person discount claimed while other signs show several adults", kind="flag",
                      compare_with_street=False),
        FeatureColumn("ct_student_exemption", "Student exemption (class N) now",
                      "all-student exemption (class N) in place", kind="flag", compare_with_street=False),
        FeatureColumn("ct_band", "Council tax band (A=1 … H=8)", "council tax band {value}",
                      kind="category", categories=tuple("ABCDEFGH")),
    ),
    build=_build,
))
