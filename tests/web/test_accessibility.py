"""Every page, as every role that may open it, in a real browser: one h1, every form control labelled, the
skip link first for the keyboard and taking focus to the content, no serious or critical axe-core
violation; and every point on the map reachable with the keyboard alone.

axe-core is vendored from npm into tests/web/vendor (``npm run copy:axe``) and evaluated in the page by
Playwright, so nothing is fetched from outside and the app's Content-Security-Policy stays as it is.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import expect

from oda.store import outcomes
from oda.web.permissions import RULES
from tests.web.conftest import ROLE_USERS, assert_accessible_basics, sign_in_with_keyboard

pytestmark = pytest.mark.browser

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
SERIOUS_VIOLATIONS = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => `${v.impact} ${v.id}: ${v.help} at ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')}`);
}"""
NOT_PAGES = {
    "worklist_export": "a CSV or Excel download", "map_points": "GeoJSON", "map_wards": "GeoJSON",
    "governance_audit_export": "a CSV download", "health": "plain text for the load balancer",
    "home": "a redirect to the role's start page", "sign_in": "visited signed out, below",
    "analyst_evaluation_report": "the report file `oda evaluate` wrote, shown as it is",
}


def _pages(uprn: str, visit_key: str) -> dict[str, str]:
    """One address for every page (every GET route in the permissions table that renders a page)."""
    return {
        "worklist": "/worklist", "map": "/map", "property": f"/property/{uprn}",
        # the borough's person P10 lives at the council's second worklist property; business B0 is at its first
        "person": "/person/P10", "business": "/business/B0", "businesses": "/businesses",
        "search": "/search?q=surname", "outcome_new": f"/property/{uprn}/outcomes/new", "outcome_edit": f"/outcomes/{visit_key}/edit",
        "analyst_linkage": "/analyst/linkage", "analyst_review": "/analyst/review",
        "analyst_evaluation": "/analyst/evaluation", "analyst_runs": "/analyst/runs",
        "governance_audit": "/governance/audit", "governance_agreements": "/governance/agreements",
        "governance_transparency": "/governance/transparency", "admin_users": "/admin/users",
        "admin_user_new": "/admin/users/new", "admin_user": "/admin/users/fred",
    }


def test_every_page_is_checked():
    pages = set(_pages("1", "k"))
    get_routes = {name for name in RULES if not name.endswith(("_submit", "_create", "_update", "_decide",
                                                                  "_assign", "_unlock", "_deactivate", "_reactivate"))
                  and name != "sign_out"}
    assert get_routes - pages - set(NOT_PAGES) == set(), "add the new page to _pages (or NOT_PAGES, saying why)"


def check_page(page, path: str) -> None:
    response = page.goto(path)
    assert response.status == 200, path
    assert_accessible_basics(page)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to main content", path
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content", f"the skip link does not work on {path}"
    page.evaluate(AXE)
    assert page.evaluate(SERIOUS_VIOLATIONS) == [], path


def test_sign_in_and_error_pages(page):
    check_page(page, "/sign-in")
    sign_in_with_keyboard(page, "fred")
    response = page.goto("/governance/audit")
    assert response.status == 403
    assert_accessible_basics(page)
    page.evaluate(AXE)
    assert page.evaluate(SERIOUS_VIOLATIONS) == []


@pytest.mark.parametrize("role", sorted(ROLE_USERS))
def test_every_page_for_every_role(page, server, borough, role):
    _, store = server
    uprn = borough[1]["council"][1]
    visit = outcomes.record_outcome(store, uprn=uprn, organisation="council", visit_date=date(2026, 1, 5),
                                    outcome="no_access", recorded_by="olive")
    sign_in_with_keyboard(page, ROLE_USERS[role])
    visited = []
    for name, path in _pages(uprn, visit.visit_key).items():
        if role in RULES[name].roles:
            check_page(page, path)
            visited.append(name)
    assert visited, role


def test_every_point_on_the_map_is_reachable_with_the_keyboard(page, borough):
    sign_in_with_keyboard(page, "olive")
    page.goto("/map?ward=Northgate")
    points = page.locator('path.leaflet-interactive[stroke="#0b0c0c"]')
    expect(points).to_have_count(4, timeout=20_000)
    links = page.locator("#map-properties tbody a")
    expect(links).to_have_count(4)
    mapped = {h.rsplit("/", 1)[1] for h in page.locator("#map-properties tbody a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))")}
    assert mapped == {f["properties"]["uprn"] for f in page.request.get("/map/points.geojson?ward=Northgate")
                      .json()["features"]}
    for _ in range(80):  # Tab from the top of the page until a property in the table has focus
        page.keyboard.press("Tab")
        if page.evaluate("!!document.activeElement.closest('#map-properties')"):
            break
    else:
        pytest.fail("the keyboard never reaches the table of mapped properties")
    target = page.evaluate("document.activeElement.getAttribute('href')")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(target)


def test_the_axe_check_catches_a_serious_violation(page):
    """The check above can fail: an input without a label, added to a real page, is reported."""
    page.goto("/sign-in")
    page.evaluate("() => { const i = document.createElement('input'); i.type = 'text'; i.name = 'mystery';"
                  " document.querySelector('main').appendChild(i); }")
    page.evaluate(AXE)
    violations = page.evaluate(SERIOUS_VIOLATIONS)
    assert any(v.startswith("critical label:") for v in violations), violations
