"""Fixtures for the web app: a small borough on disk, a fresh operational store on each real database
(SQLite and PostgreSQL, as in tests/store/conftest.py), accounts for every role, and signed-in clients;
for the browser tests, a real uvicorn server on each store and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import re
import socket
import threading
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from oda.store import accounts
from oda.web import create_app
from oda.web.data import ProjectData
from oda.web.settings import WebSettings
from tests.databases import open_test_store

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
STORES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
from tests.web.borough import build_borough

PASSWORD = "a long test password"
USERS = {  # username: (role, organisation)
    "olive": ("officer", "council"),
    "fred": ("officer", "fire"),
    "ann": ("analyst", "council"),
    "gail": ("governance", "council"),
    "adam": ("admin", "council"),
}
ROLE_USERS = {"officer": "olive", "analyst": "ann", "governance": "gail", "admin": "adam"}
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture(scope="session")
def borough(tmp_path_factory):
    root = tmp_path_factory.mktemp("borough")
    uprns = build_borough(root)
    return root, uprns


@pytest.fixture(params=STORES)
def store(request, tmp_path):
    yield from open_test_store(request.param, tmp_path)


@pytest.fixture(scope="session")
def project_data(borough):
    data = ProjectData(borough[0] / ".oda" / "oda.duckdb")
    yield data
    data.close()


@pytest.fixture
def app(borough, store, project_data):
    for username, (role, organisation) in USERS.items():
        accounts.add_user(store, username, PASSWORD, role=role, organisation=organisation)
    return create_app(borough[0], store=store, settings=WebSettings(secret_key="test-secret-" + "x" * 32),
                      data=project_data)


def csrf_token(html: str) -> str:
    match = CSRF.search(html)
    assert match, "page has no CSRF token"
    return match.group(1)


def sign_in(client: TestClient, username: str, password: str = PASSWORD):
    page = client.get("/sign-in")
    return client.post("/sign-in", data={"username": username, "password": password,
                                         "csrf_token": csrf_token(page.text), "next": "/"}, follow_redirects=False)


@pytest.fixture
def client_for(app):
    """``client_for("olive")`` → a TestClient signed in as olive (or anonymous with None)."""
    clients = []

    def make(username: str | None) -> TestClient:
        client = TestClient(app, follow_redirects=False)
        clients.append(client)
        if username:
            response = sign_in(client, username)
            assert response.status_code == 303, response.text
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture(scope="module", params=STORES)
def server(request, borough, tmp_path_factory):
    """A uvicorn server on a fresh store (SQLite, then PostgreSQL) with every role's account: (base URL, store)."""
    import uvicorn

    stores = open_test_store(request.param, tmp_path_factory.mktemp("browser"))
    store = next(stores)
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
    try:
        yield f"http://127.0.0.1:{port}", store
    finally:
        uv.should_exit = True
        thread.join(timeout=10)
        stores.close()  # closes the store; a PostgreSQL test database is dropped


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"the browser tests need Debian's Chromium at {CHROMIUM}: run scripts/install-chromium.sh "
                    "(or deselect them with -m 'not browser')")
    from playwright import sync_api as playwright_sync

    with playwright_sync.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser, server):
    """A fresh browser tab on the server; fails the test if the page asked anything of another host."""
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


UNLABELLED_CONTROLS = """() => Array.from(document.querySelectorAll('input, select, textarea'))
  .filter(el => el.type !== 'hidden')
  .filter(el => !(el.labels && el.labels.length))
  .filter(el => !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby'))
  .map(el => el.name || el.outerHTML.slice(0, 120))"""


def assert_accessible_basics(page) -> None:
    """Every form control has a label, and the page has exactly one h1, in its main content."""
    assert page.evaluate(UNLABELLED_CONTROLS) == [], f"controls without labels on {page.url}"
    assert page.locator("h1").count() == 1 and page.locator("main#main-content h1").count() == 1, \
        f"{page.url} needs exactly one h1, in main"
