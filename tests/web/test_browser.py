"""The app in a real browser: Debian's Chromium driven by Playwright, against a real uvicorn server on each
store (SQLite and PostgreSQL; fixtures in conftest.py).

An officer signs in with the keyboard, filters the worklist, opens a property, records an outcome; a
governance officer then finds it in the audit log. An officer of another organisation is refused the
property and the governance pages. An admin adds a user and deactivates another. No request leaves the
machine. Every page's accessibility, for every role, is checked in test_accessibility.py.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from oda.store import audit
from tests.web.conftest import assert_accessible_basics, follow, sign_in_with_keyboard

pytestmark = pytest.mark.browser


def test_officer_works_a_property_and_governance_sees_it(page, borough, server):
    sign_in_with_keyboard(page, "olive")
    assert page.url.endswith("/worklist")
    assert_accessible_basics(page)
    assert page.locator("header").inner_text().strip().startswith("Testford Borough Council")

    page.get_by_label("Ward").select_option("Riverside")
    follow(page, page.get_by_role("button", name="Apply filters"))
    assert "ward=Riverside" in page.url
    rows = page.locator("#worklist-table tbody tr")
    assert rows.count() == 4 and all("Riverside" in t for t in rows.all_inner_texts())
    assert "exploration" not in page.content().lower()

    follow(page, rows.first.get_by_role("link"))
    assert "/property/" in page.url
    uprn = page.url.rsplit("/", 1)[1]
    assert uprn in borough[1]["council"]
    assert_accessible_basics(page)
    assert page.locator("#reasons li").count() == 2
    assert page.locator(".leaflet-container").count() == 1  # the small map drew without tiles

    follow(page, page.get_by_role("button", name="Record a visit outcome"))
    assert_accessible_basics(page)
    follow(page, page.get_by_role("button", name="Save outcome"))  # nothing chosen: an error summary
    assert page.locator(".govuk-error-summary").is_visible()
    assert "Select what the visit found" in page.locator(".govuk-error-summary").inner_text()
    page.get_by_label("HMO confirmed").check()
    page.get_by_label("Notes").fill("Seven tenants, shared kitchen")
    follow(page, page.get_by_role("button", name="Save outcome"))
    assert page.url.endswith(f"/property/{uprn}#visits")
    assert "Seven tenants, shared kitchen" in page.locator("#visits ~ table").first.inner_text()

    follow(page, page.get_by_role("button", name="Sign out"))
    assert page.url.endswith("/sign-in")
    sign_in_with_keyboard(page, "gail")
    assert page.url.endswith("/governance/audit")
    assert_accessible_basics(page)
    page.get_by_label("Action").select_option("record_outcome")
    follow(page, page.get_by_role("button", name="Search"))
    entries = page.locator("#audit tbody tr")
    assert entries.count() == 1
    text = entries.first.inner_text()
    assert "olive" in text and uprn in text and "127.0.0.1" in text and "hmo_confirmed" in text
    page.get_by_label("Action").select_option("view_property")
    follow(page, page.get_by_role("button", name="Search"))
    assert page.locator("#audit tbody tr").count() == 2  # opened, then shown again after saving: two views


def test_officer_of_another_organisation_is_refused(page, borough):
    sign_in_with_keyboard(page, "fred")
    council_uprn = borough[1]["council"][0]
    for path in (f"/property/{council_uprn}", "/governance/audit", "/analyst/review"):
        response = page.goto(path)
        assert response.status == 403, path
        page.get_by_role("heading", name="You cannot open this page").wait_for()
    page.goto("/worklist")
    assert council_uprn not in page.content()


def test_map_draws_points_and_ward_boundaries_and_links_to_properties(page, borough):
    sign_in_with_keyboard(page, "olive")
    page.goto("/map?ward=Northgate")
    assert_accessible_basics(page)
    # Locator waits, not wait_for_function: the page's CSP forbids the eval a string predicate needs.
    points = page.locator('path.leaflet-interactive[stroke="#0b0c0c"]')
    expect(points).to_have_count(4, timeout=20_000)  # Northgate's 4 properties on the council's list
    expect(page.locator("path.leaflet-interactive")).to_have_count(4 + 3)  # and the 3 wards' boundaries
    assert "from the project's ward boundary file" in page.locator("#map-outlines").inner_text()
    page.locator(".leaflet-control-scale").wait_for()
    assert page.locator(".leaflet-tile").count() == 0  # no tile server configured: nothing fetched
    page.locator("#map").focus()
    page.keyboard.press("+")  # Leaflet's keyboard zoom works with the map focused
    page.goto("/map?ward=Northgate")
    expect(points).to_have_count(4, timeout=20_000)
    page.evaluate("""() => {
        const marker = Array.from(document.querySelectorAll('path.leaflet-interactive'))
            .find(p => p.getAttribute('stroke') === '#0b0c0c');
        marker.dispatchEvent(new MouseEvent('click', {bubbles: true}));
    }""")
    page.wait_for_url("**/property/*")


def test_admin_adds_a_user_and_deactivates_another(page, server):
    _, store = server
    sign_in_with_keyboard(page, "adam")
    follow(page, page.get_by_role("link", name="Users"))
    assert_accessible_basics(page)
    follow(page, page.get_by_role("button", name="Add a user"))
    assert_accessible_basics(page)
    page.get_by_label("Username").fill("petra")
    page.get_by_label("Full name").fill("Petra Novak")
    page.get_by_label("Analyst").check()
    page.get_by_label("Organisation").select_option(label="Testford Borough Council")
    page.get_by_label("First password").fill("a long first password")
    follow(page, page.get_by_role("button", name="Add user"))
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Added petra")
    row = page.locator('#users tr[data-username="petra"]')
    expect(row).to_contain_text("Petra Novak")
    expect(row).to_contain_text("analyst")

    follow(page, page.locator('#users tr[data-username="gail"]').get_by_role("link"))
    assert_accessible_basics(page)
    follow(page, page.get_by_role("button", name="Deactivate gail"))
    expect(page.locator('#users tr[data-username="gail"]')).to_contain_text("Deactivated")
    actions = [e.action for e in audit.search(store, username="adam") if e.action.endswith("_user")]
    assert actions[:2] == ["deactivate_user", "add_user"]
