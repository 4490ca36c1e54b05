"""Signing in and out, the session cookie, CSRF protection and lock-out, through the app."""

from __future__ import annotations

from fastapi.testclient import TestClient

from oda.store import accounts, audit
from tests.web.conftest import PASSWORD, csrf_token, sign_in


def test_sign_in_sets_a_protected_cookie_and_is_audited(app, store):
    client = TestClient(app, follow_redirects=False)
    response = sign_in(client, "olive")
    assert response.status_code == 303 and response.headers["location"] == "/"
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "secure" not in cookie
    assert [e.username for e in audit.search(store, action="login")] == ["olive"]
    assert client.get("/").headers["location"] == "/worklist"


def test_cookie_is_secure_over_https(app):
    client = TestClient(app, base_url="https://oda.example", follow_redirects=False)
    assert "secure" in sign_in(client, "olive").headers["set-cookie"].lower()


def test_failed_sign_in_is_refused_audited_and_locks_the_account(app, store):
    client = TestClient(app, follow_redirects=False)
    for _ in range(accounts.MAX_FAILED_LOGINS):
        response = sign_in(client, "olive", "not the password at all")
        assert response.status_code == 200 and "Username or password is not right" in response.text
    response = sign_in(client, "olive", PASSWORD)
    assert "locked" in response.text and "set-cookie" not in response.headers
    failures = audit.search(store, action="login_failed")
    assert len(failures) == accounts.MAX_FAILED_LOGINS + 1 and {e.object_id for e in failures} == {"olive"}
    assert failures[0].remote_addr == "testclient"


def test_post_without_or_with_wrong_csrf_token_is_refused_with_403(client_for, borough, store):
    client = client_for("olive")
    uprn = borough[1]["council"][0]
    for data in ({}, {"csrf_token": "forged"}):
        response = client.post(f"/worklist/{uprn}/assign", data=data)
        assert response.status_code == 403
        assert "CSRF check failed" in response.text
    assert audit.count(store, action="assign") == 0
    anonymous = TestClient(client.app, follow_redirects=False)
    response = anonymous.post("/sign-in", data={"username": "olive", "password": PASSWORD})
    assert response.status_code == 403 and audit.count(store, action="login") == 1  # only the fixture's sign-in


def test_csrf_token_from_another_session_is_refused(client_for, borough):
    olive, ann = client_for("olive"), client_for("ann")
    foreign = csrf_token(ann.get("/worklist").text)
    assert olive.post(f"/worklist/{borough[1]['council'][0]}/assign", data={"csrf_token": foreign}).status_code == 403


def test_sign_out_ends_the_session_even_for_a_copied_cookie(client_for, store):
    client = client_for("olive")
    copied = dict(client.cookies)
    token = csrf_token(client.get("/worklist").text)
    response = client.post("/sign-out", data={"csrf_token": token})
    assert response.status_code == 303 and response.headers["location"] == "/sign-in"
    assert client.get("/worklist").status_code == 303
    replay = TestClient(client.app, follow_redirects=False, cookies=copied)
    assert replay.get("/worklist").headers["location"].startswith("/sign-in")
    assert [e.username for e in audit.search(store, action="logout")] == ["olive"]


def test_tampered_cookie_is_ignored(client_for):
    client = client_for("olive")
    value = client.cookies["oda_session"]
    client.cookies.set("oda_session", value[:-2] + ("AA" if not value.endswith("AA") else "BB"))
    assert client.get("/worklist").status_code == 303


def test_sign_in_only_redirects_within_the_site(app):
    client = TestClient(app, follow_redirects=False)
    page = client.get("/sign-in?next=https://evil.example/")
    response = client.post("/sign-in", data={"username": "ann", "password": PASSWORD, "next": "//evil.example",
                                             "csrf_token": csrf_token(page.text)})
    assert response.headers["location"] == "/"
    client = TestClient(app, follow_redirects=False)
    assert client.get("/map?ward=Northgate").headers["location"] == "/sign-in?next=/map%3Fward%3DNorthgate"
