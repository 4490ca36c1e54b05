"""The app in a real browser: Debian's Chromium driven by Playwright, against a real uvicorn server.

An officer signs in with the keyboard, filters the worklist, opens a property, records an outcome; a
governance officer then finds it in the audit log. An officer of another organisation is refused the
property and the governance pages. Every page's form controls have labels, the skip link is the first
thing the keyboard reaches, and no request leaves the machine.
"""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import pytest
from playwright import sync_api as playwright_sync
from playwright.sync_api import expect

from oda.store import accounts, open_store
from oda.web import create_app
from oda.web.settings import WebSettings
from tests.web.conftest import PASSWORD, USERS

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]

pytestmark = pytest.mark.browser

UNLABELLED_CONTROLS = """() => Array.from(document.querySelectorAll('input, select, textarea'))
  .filter(el => el.type !== 'hidden')
  .filter(el => !(el.id && document.querySelector(`label[for="${el.id}"]`)) && !el.getAttribute('aria-label'))
  .map(el => el.name || el.outerHTML)"""


@pytest.fixture(scope="module")
def server(borough, tmp_path_factory):
    import uvicorn

    store = open_store(f"sqlite:///{tmp_path_factory.mktemp('browser') / 'store.sqlite'}")
    for username, (role, organisation) in USERS.items():
        accounts.add_user(store, username, PASSWORD, role=role, organisation=organisation)
    app = create_app(borough[0], store=store, settings=WebSettings(secret_key="browser-" + "y" * 40))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    uv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not uv.started:
        if time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start within 20 s")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", store
    uv.should_exit = True
    thread.join(timeout=10)
    store.close()


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"the browser tests need Debian's Chromium at {CHROMIUM}: run scripts/install-chromium.sh "
                    "(or deselect them with -m 'not browser')")
    with playwright_sync.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser, server):
    base, _ = server
    context = browser.new_context(base_url=base)
    outside: list[str] = []
    context.route("**/*", lambda route: (outside.append(route.request.url), route.abort())
                  if not route.request.url.startswith(base) else route.continue_())
    opened = context.new_page()
    opened.set_default_timeout(10_000)
    yield opened
    context.close()
    assert not outside, f"the page asked the internet for {outside}"


def sign_in_with_keyboard(page, username: str) -> None:
    page.goto("/sign-in")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className").startswith("govuk-skip-link")
    page.get_by_label("Username").focus()
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/sign-in" not in page.url


def follow(page, locator) -> None:
    """Click something that loads a new page, and wait until that page has loaded."""
    with page.expect_navigation():
        locator.click()


def assert_accessible_basics(page) -> None:
    assert page.evaluate(UNLABELLED_CONTROLS) == [], f"controls without labels on {page.url}"
    assert page.locator("main#main-content h1").count() == 1, f"{page.url} needs one h1 in main"


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


def test_map_draws_points_and_ward_outlines_and_links_to_properties(page, borough):
    sign_in_with_keyboard(page, "olive")
    page.goto("/map?ward=Northgate")
    assert_accessible_basics(page)
    # Locator waits, not wait_for_function: the page's CSP forbids the eval a string predicate needs.
    points = page.locator('path.leaflet-interactive[stroke="#0b0c0c"]')
    expect(points).to_have_count(4, timeout=20_000)  # Northgate's 4 properties on the council's list
    expect(page.locator("path.leaflet-interactive")).to_have_count(4 + 3)  # and 3 ward outlines
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


@pytest.mark.parametrize("username, paths", [
    ("ann", ["/worklist", "/analyst/linkage", "/analyst/review", "/analyst/evaluation", "/analyst/runs",
             "/governance/agreements", "/governance/transparency"]),
    ("gail", ["/governance/audit", "/governance/agreements", "/governance/transparency"]),
    ("adam", ["/worklist", "/map", "/analyst/linkage", "/governance/audit"]),
])
def test_every_page_has_labelled_controls_and_a_skip_link(page, username, paths):
    sign_in_with_keyboard(page, username)
    for path in paths:
        response = page.goto(path)
        assert response.status == 200, path
        assert_accessible_basics(page)
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to main content", path
