"""Fixtures for the web app: a small borough on disk, a fresh operational store on each real database
(SQLite and PostgreSQL, as in tests/store/conftest.py), accounts for every role, and signed-in clients."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from oda.store import accounts
from oda.web import create_app
from oda.web.data import ProjectData
from oda.web.settings import WebSettings
from tests.databases import open_test_store
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


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
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
