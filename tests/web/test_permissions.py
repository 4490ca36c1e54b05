"""Every route, with every role and with nobody signed in, answers as the permissions table says."""

from __future__ import annotations

from datetime import date

import pytest

from oda.store import outcomes
from oda.web.permissions import ORGANISATION_BOUND_ROLES, RULES, route_names
from tests.web.conftest import ROLE_USERS, csrf_token


def _samples(uprn: str, visit_key: str) -> dict[str, tuple[str, str, dict]]:
    """One concrete request per route name: (method, path, form)."""
    today = date.today()
    visit = {"day": str(today.day), "month": str(today.month), "year": str(today.year), "outcome": "no_access",
             "notes": "walk"}
    return {
        "sign_in": ("GET", "/sign-in", {}),
        "sign_in_submit": ("POST", "/sign-in", {"username": "", "password": ""}),
        "health": ("GET", "/health", {}),
        "home": ("GET", "/", {}),
        "worklist": ("GET", "/worklist?ward=Northgate", {}),
        "worklist_export": ("GET", "/worklist/export?format=xlsx", {}),
        "worklist_assign": ("POST", f"/worklist/{uprn}/assign", {"next": "/worklist"}),
        "map": ("GET", "/map", {}),
        "map_points": ("GET", "/map/points.geojson", {}),
        "map_wards": ("GET", "/map/wards.geojson", {}),
        "property": ("GET", f"/property/{uprn}", {}),
        # the borough's person P00 and business B0 are named by records at the council's first worklist property
        "person": ("GET", "/person/P00", {}),
        "business": ("GET", "/business/B0", {}),
        "businesses": ("GET", "/businesses", {}),
        "search": ("GET", "/search?q=smith", {}),
        "outcome_new": ("GET", f"/property/{uprn}/outcomes/new", {}),
        "outcome_create": ("POST", f"/property/{uprn}/outcomes", visit),
        "outcome_edit": ("GET", f"/outcomes/{visit_key}/edit", {}),
        "outcome_update": ("POST", f"/outcomes/{visit_key}", visit),
        "analyst_linkage": ("GET", "/analyst/linkage", {}),
        "analyst_review": ("GET", "/analyst/review", {}),
        "analyst_review_decide": ("POST", "/analyst/review", {"key": "council_tax/CT00001", "decision": "accept",
                                                              "uprn": uprn}),
        "analyst_evaluation": ("GET", "/analyst/evaluation", {}),
        "analyst_evaluation_report": ("GET", "/analyst/evaluation/report", {}),
        "analyst_runs": ("GET", "/analyst/runs", {}),
        "governance_audit": ("GET", "/governance/audit?action=login", {}),
        "governance_audit_export": ("GET", "/governance/audit/export", {}),
        "governance_agreements": ("GET", "/governance/agreements", {}),
        "governance_transparency": ("GET", "/governance/transparency", {}),
        "admin_users": ("GET", "/admin/users", {}),
        "admin_user_new": ("GET", "/admin/users/new", {}),
        "admin_user_create": ("POST", "/admin/users", {"username": "newbie", "role": "officer",
                                                        "organisation": "council", "password": "x" * 12}),
        "admin_user": ("GET", "/admin/users/fred", {}),
        "admin_user_update": ("POST", "/admin/users/fred", {"role": "officer", "organisation": "fire"}),
        "admin_user_unlock": ("POST", "/admin/users/fred/unlock", {}),
        "admin_user_deactivate": ("POST", "/admin/users/fred/deactivate", {}),
        "admin_user_reactivate": ("POST", "/admin/users/fred/reactivate", {}),
        "sign_out": ("POST", "/sign-out", {}),  # last: it ends the session
    }


def test_every_route_is_in_the_permissions_table(app):
    routes = route_names(app.routes)
    assert routes == set(RULES), "add the route to RULES in oda/web/permissions.py (and a sample here)"
    assert set(_samples("1", "k")) == set(RULES)


def _expected(name: str, role: str | None, method: str) -> int:
    rule = RULES[name]
    if rule.scope == "public":
        return 200
    if role is None:
        return 303
    if role not in rule.roles:
        return 403
    return 303 if method == "POST" or name == "home" else 200


@pytest.mark.parametrize("role", [None, *ROLE_USERS])
def test_route_walk(app, store, client_for, borough, role):
    uprn = borough[1]["council"][0]
    visit = outcomes.record_outcome(store, uprn=uprn, organisation="council", visit_date=date(2026, 1, 5),
                                    outcome="no_access", recorded_by="olive")
    client = client_for(ROLE_USERS.get(role))
    token = csrf_token(client.get("/sign-in").text)
    failures = []
    for name, (method, path, form) in _samples(uprn, visit.visit_key).items():
        if method == "GET":
            response = client.get(path)
        else:
            response = client.post(path, data={**form, "csrf_token": token})
        expected = _expected(name, role, method)
        if response.status_code != expected:
            failures.append(f"{role or 'anonymous'} {method} {path} ({name}): {response.status_code}, "
                            f"expected {expected}")
        elif expected == 303 and role is None:
            assert response.headers["location"].startswith("/sign-in?next=")
        elif expected == 403:
            assert "You cannot open this page" in response.text
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("role", sorted(ORGANISATION_BOUND_ROLES))
def test_officer_cannot_reach_another_organisations_records(app, store, client_for, borough, role):
    fire_uprn, council_uprn = borough[1]["fire"][0], borough[1]["council"][0]
    council_visit = outcomes.record_outcome(store, uprn=council_uprn, organisation="council",
                                            visit_date=date(2026, 1, 5), outcome="not_hmo", recorded_by="olive")
    fred = client_for("fred")  # a fire service officer
    token = csrf_token(fred.get("/worklist").text)
    for path in (f"/property/{council_uprn}", f"/property/{council_uprn}/outcomes/new", "/person/P00", "/business/B0",
                 f"/outcomes/{council_visit.visit_key}/edit", f"/property/{borough[1]['unlisted'][0]}",
                 "/property/999999999"):
        response = fred.get(path)
        assert response.status_code == 403, path
        assert "not on a worklist of your organisation" in response.text or "not recorded by your organisation" \
            in response.text
    visit = {"csrf_token": token, "day": "1", "month": "1", "year": "2026", "outcome": "not_hmo"}
    assert fred.post(f"/property/{council_uprn}/outcomes", data=visit).status_code == 403
    assert fred.post(f"/worklist/{council_uprn}/assign", data={"csrf_token": token}).status_code == 403
    listed = fred.get("/worklist").text
    assert fire_uprn in listed and council_uprn not in listed
    points = fred.get("/map/points.geojson").json()["features"]
    assert {f["properties"]["uprn"] for f in points} == set(borough[1]["fire"])
    exported = fred.get("/worklist/export?format=csv").text
    assert council_uprn not in exported and fire_uprn in exported
    assert fred.get(f"/property/{fire_uprn}").status_code == 200


def test_exploration_slice_is_not_distinguishable_to_officers(client_for):
    officer, analyst = client_for("olive"), client_for("ann")
    for text in (officer.get("/worklist").text, officer.get("/worklist/export?format=csv").text):
        assert "exploration" not in text.lower()
    assert "exploration" in analyst.get("/worklist").text
    assert "exploration" in analyst.get("/worklist/export?format=csv").text.splitlines()[0]


def test_every_rule_says_what_it_is_for_and_names_real_roles():
    for name, rule in RULES.items():
        if rule.scope != "public":
            assert rule.purpose and rule.roles, f"RULES[{name!r}] needs roles and a purpose"
    with pytest.raises(ValueError, match="unknown role"):
        from oda.web.permissions import _rule

        _rule({"inspector"})
