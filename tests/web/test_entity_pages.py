"""Person and business pages, and the businesses list: the single views, the records that make up an entity and
why they are one (an offline SVG waterfall and a table of the same numbers), minimised per role, scoped for
officers to their organisation's worklists, and every view audit-logged. Built on a small hand-made DuckDB
holding the resolve stage's datasets with the catalogue's columns."""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone

import pytest
from fastapi.testclient import TestClient

from oda.datasets import (ADDRESS_MATCHES, BUSINESS_CLUSTERS, BUSINESS_CONCENTRATION, BUSINESS_PAIRS,
                          BUSINESS_PROFILE, PERSON_ADDRESSES, PERSON_CLUSTERS, PERSON_PAIRS, PROPERTY_SCORES,
                          WORKLIST)
from oda.store import accounts, audit
from oda.web import create_app
from oda.web.data import ProjectData
from oda.web.settings import WebSettings
from tests.web.borough import _table, empty_project
from tests.web.conftest import PASSWORD, sign_in

HOME, AWAY, OTHER = "200001", "200002", "200003"  # on the council's worklist, on the fire service's, on neither
ADDRESSES = {HOME: "5 Elm Road, Testford", AWAY: "9 Oak Road, Testford", OTHER: "2 Ash Lane, Testford"}


def _terms(prior: float, *terms: tuple[str, str, str | None, str | None, float]) -> list[dict]:
    """An explanation as the resolve stage stores it: the prior, then one term per comparison."""
    return [{"comparison": "prior", "level": "two records picked at random", "value_l": None, "value_r": None,
             "match_weight": prior}] + [{"comparison": c, "level": lv, "value_l": a, "value_r": b, "match_weight": w}
                                        for c, lv, a, b, w in terms]


ANN_AT_HOME = _terms(-12.5, ("first_name", "exact", "ann", "ann", 6.25), ("surname", "exact", "smith", "smith", 7.0),
                     ("dob", "exact", "1980-01-02", "1980-01-02", 9.5), ("postcode", "different", "TF1 1AA", "TF9 9ZZ",
                                                                             -2.75))
ANN_MOVED = _terms(-12.5, ("first_name", "exact", "ann", "ann", 6.25), ("surname", "exact", "smith", "smith", 7.0),
                   ("dob", "exact", "1980-01-02", "1980-01-02", 9.5), ("uprn", "different", HOME, AWAY, -4.0))
ELM = _terms(-10.0, ("name", "exact", "elm lettings", "elm lettings", 11.0),
             ("company_number", "null", "01234567", None, 0.0), ("postcode", "exact", "TF1 1AA", "TF1 1AA", 4.5))


def _pair(source_l, id_l, source_r, id_r, entity_id, terms) -> list:
    weight = sum(t["match_weight"] for t in terms)
    return [source_l, id_l, source_r, id_r, 2 ** weight / (1 + 2 ** weight), weight, entity_id, json.dumps(terms)]


def _build(root) -> None:
    con = empty_project(root)
    _table(con, "stg.gazetteer", ("uprn", "address", "postcode", "ward", "lat", "lon"),
           "VARCHAR, VARCHAR, VARCHAR, VARCHAR, DOUBLE, DOUBLE",
           [[u, a, "TF1 1AA", "Northgate", 51.5, -0.1] for u, a in ADDRESSES.items()])
    _table(con, "stg.council_tax", ("record_id", "full_name", "date_of_birth", "phone", "start_date"),
           "VARCHAR, VARCHAR, DATE, VARCHAR, DATE",
           [["CT1", "Ann Smith", "1980-01-02", "07700 900001", "2023-04-01"],
            ["CT2", "Ann Smith", "1980-01-02", "07700 900001", "2025-02-01"],
            ["CT3", "Bob Jones", "1990-05-05", "07700 900002", "2024-01-01"]])
    _table(con, "stg.electoral_register", ("record_id", "first_name", "surname", "start_date"),
           "VARCHAR, VARCHAR, VARCHAR, DATE", [["ER1", "Ann", "Smith", "2022-10-01"], ["ER2", "Ann", "Smith",
                                                                                       "2019-03-01"]])
    _table(con, "stg.companies", ("record_id", "business_name", "company_number"), "VARCHAR, VARCHAR, VARCHAR",
           [["CO1", "Elm Lettings Ltd", "01234567"]])
    _table(con, "stg.licensing", ("record_id", "business_name", "first_name", "surname", "dateofbirth", "_loaded_at",
                                  "postcode_invalid"),
           "VARCHAR, VARCHAR, VARCHAR, VARCHAR, VARCHAR, VARCHAR, BOOLEAN",
           [["LI1", "Elm Lettings", "Ann", "Smith", "1980-01", "2026-11-01", False]])
    where = {("council_tax", "CT1"): HOME, ("electoral_register", "ER1"): HOME, ("council_tax", "CT2"): AWAY,
             ("electoral_register", "ER2"): OTHER, ("council_tax", "CT3"): AWAY, ("companies", "CO1"): HOME,
             ("licensing", "LI1"): HOME}
    _table(con, ADDRESS_MATCHES.name, ADDRESS_MATCHES.columns,
           "VARCHAR, VARCHAR, VARCHAR, DOUBLE, VARCHAR, VARCHAR, DOUBLE, VARCHAR, BOOLEAN",
           [[s, r, u, 0.99, "exact", None, 0.5, "[]", False] for (s, r), u in where.items()])
    people = {("council_tax", "CT1"): "P1", ("electoral_register", "ER1"): "P1", ("council_tax", "CT2"): "P1",
              ("electoral_register", "ER2"): "P1", ("council_tax", "CT3"): "P2", ("licensing", "LI1"): "P1"}
    _table(con, PERSON_CLUSTERS.name, (*PERSON_CLUSTERS.columns, "uprn", "cluster_size", "match_probability",
                                       "joint_person_id"),
           "VARCHAR, VARCHAR, VARCHAR, VARCHAR, INTEGER, DOUBLE, VARCHAR",
           [[s, r, p, where[(s, r)], 5 if p == "P1" else 1, 0.99 if p == "P1" else None, None]
            for (s, r), p in people.items()])
    _table(con, BUSINESS_CLUSTERS.name, (*BUSINESS_CLUSTERS.columns, "uprn", "cluster_size", "match_probability"),
           "VARCHAR, VARCHAR, VARCHAR, VARCHAR, INTEGER, DOUBLE",
           [["companies", "CO1", "B1", HOME, 2, 0.99], ["licensing", "LI1", "B1", HOME, 2, 0.99]])
    pair_types = "VARCHAR, VARCHAR, VARCHAR, VARCHAR, DOUBLE, DOUBLE, VARCHAR, VARCHAR"
    _table(con, PERSON_PAIRS.name, PERSON_PAIRS.columns, pair_types,
           [_pair("council_tax", "CT1", "electoral_register", "ER1", "P1", ANN_AT_HOME),
            _pair("council_tax", "CT1", "council_tax", "CT2", "P1", ANN_MOVED)])
    _table(con, BUSINESS_PAIRS.name, BUSINESS_PAIRS.columns, pair_types,
           [_pair("companies", "CO1", "licensing", "LI1", "B1", ELM)])
    _table(con, PERSON_ADDRESSES.name, PERSON_ADDRESSES.columns,
           "VARCHAR, VARCHAR, VARCHAR, VARCHAR, VARCHAR, BIGINT, DATE, DATE",
           [["P1", "Ann Smith", OTHER, ADDRESSES[OTHER], "electoral_register", 1, "2019-03-01", "2019-03-01"],
            ["P1", "Ann Smith", HOME, ADDRESSES[HOME], "council_tax, electoral_register, licensing", 3, "2022-10-01",
             "2023-04-01"],
            ["P1", "Ann Smith", AWAY, ADDRESSES[AWAY], "council_tax", 1, "2025-02-01", "2025-02-01"],
            ["P2", "Bob Jones", AWAY, ADDRESSES[AWAY], "council_tax", 1, "2024-01-01", "2024-01-01"]])
    _table(con, BUSINESS_PROFILE.name, BUSINESS_PROFILE.columns,
           "VARCHAR, VARCHAR, VARCHAR, BIGINT, VARCHAR, BIGINT, VARCHAR, BIGINT, BIGINT, VARCHAR, BIGINT, VARCHAR, "
           "BIGINT", [["B1", "Elm Lettings Ltd", "01234567", 2, "companies, licensing", 2, "council, fire", 2, 1, HOME,
                       1, "P1", 7]])
    _table(con, BUSINESS_CONCENTRATION.name, BUSINESS_CONCENTRATION.columns,
           "VARCHAR, BIGINT, BIGINT, BIGINT, BIGINT, DOUBLE, BIGINT, DOUBLE",
           [["all", 40, 12, 90, 2, 0.05, 54, 0.6], ["complaints", 40, 10, 60, 2, 0.05, 33, 0.55]])
    now = datetime(2026, 11, 1, tzinfo=timezone.utc)
    _table(con, PROPERTY_SCORES.name, PROPERTY_SCORES.columns,
           "VARCHAR, DOUBLE, DOUBLE, VARCHAR, VARCHAR, VARCHAR, TIMESTAMPTZ",
           [[HOME, 0.9, 9.0, "very high", "[]", "test", now]])
    _table(con, WORKLIST.name, WORKLIST.columns, "VARCHAR, INTEGER, VARCHAR, VARCHAR, VARCHAR, VARCHAR, DOUBLE, "
           "DOUBLE, DOUBLE, VARCHAR, VARCHAR, BOOLEAN, VARCHAR",
           [["council-1", 1, HOME, ADDRESSES[HOME], "Northgate", "Elm Road", 51.5, -0.1, 0.9, "very high", "[]",
             False, "council"],
            ["fire-1", 1, AWAY, ADDRESSES[AWAY], "Northgate", "Oak Road", 51.5, -0.1, 0.8, "high", "[]", False,
             "fire"]])
    con.close()


@pytest.fixture
def client_as(store, tmp_path):
    """``client_as("olive")`` → a TestClient signed in as that user, on the hand-made resolved project."""
    users = {"olive": ("officer", "council"), "fred": ("officer", "fire"), "ann": ("analyst", "council"),
             "gail": ("governance", "council"), "adam": ("admin", "council")}
    for username, (role, organisation) in users.items():
        accounts.add_user(store, username, PASSWORD, role=role, organisation=organisation)
    root = tmp_path / "project"
    _build(root)
    data = ProjectData(root / ".oda" / "oda.duckdb")
    app = create_app(root, store=store, settings=WebSettings(secret_key="e" * 40), data=data)
    opened = []

    def client(username: str) -> TestClient:
        c = TestClient(app, follow_redirects=False)
        opened.append(c)
        assert sign_in(c, username).status_code == 303
        return c

    yield client
    for c in opened:
        c.close()
    data.close()


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _rows(html: str, table_id: str) -> list[list[str]]:
    """The body rows of a table as lists of cell texts (tags dropped, spaces squeezed)."""
    table = html.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0].split("<tbody", 1)[1]
    return [[_text(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)]


def _explained(html: str) -> dict[str, list[list[str]]]:
    """Each explained link's heading → the rows of its table."""
    found = {}
    for number, heading in re.findall(r'id="link-(\d+)">\s*<h3[^>]*>(.*?)</h3>', html, re.S):
        found[_text(heading)] = _rows(html, f"link-{number}-table")
    return found


def test_analyst_sees_the_whole_person_with_why_they_are_one(client_as, store):
    html = client_as("ann").get("/person/P1").text
    assert "<h1" in html and "Ann Smith</h1>" in html
    assert [row[0] for row in _rows(html, "addresses-table")] == [ADDRESSES[OTHER], ADDRESSES[HOME], ADDRESSES[AWAY]]
    assert f'href="/property/{HOME}"' in html
    assert [r[0] for r in _rows(html, "records-council_tax")] == ["CT1", "CT2"]
    assert [r[0] for r in _rows(html, "records-electoral_register")] == ["ER1", "ER2"]
    assert "1980-01-02" in _text(html.split('id="records-council_tax"')[1].split("</table>")[0])  # analysts: DOB
    assert "07700" not in html  # but not phones
    explained = _explained(html)
    assert len(explained) == 2
    # weakest link first, and the table's numbers are the stored terms with their running total
    moved, at_home = list(explained.values())
    assert sum(t["match_weight"] for t in ANN_MOVED) < sum(t["match_weight"] for t in ANN_AT_HOME)
    assert [r[0] for r in moved] == ["prior", "first name", "surname", "dob", "uprn", "total"]
    running = 0.0
    for row, term in zip(moved, ANN_MOVED):
        running += term["match_weight"]
        assert (row[3], row[4]) == (f"{term['match_weight']:+.2f}", f"{running:+.2f}")
    assert moved[3][2] == "1980-01-02 / 1980-01-02"
    assert moved[-1][3] == f"{running:+.2f}"
    # the whole person: each comparison's mean over both links, most influential first
    summary = _rows(html, "summary-table")
    assert summary[0] == ["dob", "+9.50", "2", "0"]
    assert {r[0]: r[1:] for r in summary}["uprn"] == ["-4.00", "0", "1"]
    # the chart is inline SVG: no script, nothing fetched
    svgs = re.findall(r"<svg.*?</svg>", html, re.S)
    assert len(svgs) == 2 and all("<script" not in s and "href" not in s for s in svgs)
    assert all(s.count("<rect") == len(t) for s, t in zip(svgs, (ANN_MOVED, ANN_AT_HOME)))


def test_officer_sees_only_what_is_at_their_organisations_properties(client_as):
    html = client_as("olive").get("/person/P1").text
    assert [row[0] for row in _rows(html, "addresses-table")] == [ADDRESSES[HOME]]
    assert "2 more addresses" in _text(html)
    assert ADDRESSES[AWAY] not in html and ADDRESSES[OTHER] not in html
    assert 'id="records-licensing"' in html and "CT2" not in html and "ER2" not in html
    assert "2 more records" in _text(html)
    explained = _explained(html)
    weight = sum(t["match_weight"] for t in ANN_AT_HOME)
    probability = 100 * 2 ** weight / (1 + 2 ** weight)
    assert list(explained) == [f"council_tax CT1 and electoral_register ER1: {probability:.1f}% likely the same"]  # not CT1 and CT2: CT2 is at the fire service's property
    rows = {r[0]: r for r in next(iter(explained.values()))}
    assert rows["dob"][2] == "hidden / hidden" and rows["first name"][2] == "ann / ann"
    assert "1980-01-02" not in html and "07700 900001" in html  # an officer: phones, not dates of birth


def test_officer_cannot_open_a_person_or_business_of_another_organisation(client_as):
    olive, fred = client_as("olive"), client_as("fred")
    for path in ("/person/P2", "/person/NOBODY", "/business/NOBODY"):
        response = olive.get(path)
        assert response.status_code == 403, path
        assert "not on a worklist of your organisation" in response.text
    assert fred.get("/person/P2").status_code == 200
    assert fred.get("/business/B1").status_code == 403
    assert "Elm Lettings" not in fred.get("/businesses").text
    assert "Elm Lettings" in olive.get("/businesses").text


@pytest.mark.parametrize("username", ["gail", "adam"])
def test_roles_without_a_need_for_personal_data_cannot_open_entity_pages(client_as, username):
    client = client_as(username)
    for path in ("/person/P1", "/business/B1", "/businesses"):
        assert client.get(path).status_code == 403, (username, path)


def test_an_unknown_entity_is_not_found_for_an_analyst(client_as):
    ann = client_as("ann")
    assert ann.get("/person/NOBODY").status_code == 404
    assert ann.get("/business/NOBODY").status_code == 404


def test_business_page_shows_premises_directors_agencies_records_and_why(client_as):
    html = client_as("ann").get("/business/B1").text
    text = _text(html)
    assert "Elm Lettings Ltd</h1>" in html and "Known to 2 agencies (council, fire)" in text
    assert f'<a class="govuk-link" href="/property/{HOME}">{ADDRESSES[HOME]}</a>' in html
    assert '<a class="govuk-link" href="/person/P1">Ann Smith</a>' in html
    assert [r[0] for r in _rows(html, "records-companies")] == ["CO1"]
    assert [r[0] for r in _rows(html, "records-licensing")] == ["LI1"]
    [rows] = _explained(html).values()
    assert [r[0] for r in rows] == ["prior", "name", "company number", "postcode", "total"]
    assert rows[2][2] == "01234567 / (empty)"


def test_businesses_list_and_concentration(client_as):
    html = client_as("ann").get("/businesses").text
    assert _rows(html, "concentration-table") == [
        ["All sources", "12 of 40", "90", "2 (5%)", "54", "60%"],
        ["complaints", "10 of 40", "60", "2 (5%)", "33", "55%"]]
    assert _rows(html, "businesses-table") == [["Elm Lettings Ltd company 01234567", "2 agencies", "1", "7"]]
    assert 'href="/business/B1"' in html


def test_every_view_of_a_person_or_business_is_audit_logged_once(client_as, store):
    ann = client_as("ann")
    for path in ("/person/P1", "/person/P1", "/business/B1", "/person/NOBODY"):
        ann.get(path)
    views = audit.search(store, action="view_person")
    assert [(e.username, e.role, e.object_type, e.object_id) for e in views] == [("ann", "analyst", "person", "P1")] * 2
    [business] = audit.search(store, action="view_business")
    assert (business.username, business.object_id) == ("ann", "B1")
    client_as("olive").get("/person/P2")  # refused: not logged as a view
    assert len(audit.search(store, action="view_person")) == 2


def test_the_property_page_links_to_its_people_and_businesses(client_as):
    html = client_as("ann").get(f"/property/{HOME}").text
    assert 'href="/person/P1"' in html and 'href="/business/B1"' in html


@pytest.mark.browser
def test_pages_with_explanations_have_no_serious_accessibility_violation(client_as, browser):
    """The shared walk (test_accessibility) opens these pages on a borough without explained links; here the
    waterfalls and their tables are checked by axe-core too (the HTML as served, without its stylesheets)."""
    from tests.web.test_accessibility import AXE, SERIOUS_VIOLATIONS

    ann = client_as("ann")
    tab = browser.new_page()
    try:
        for path in ("/person/P1", "/business/B1", "/businesses"):
            html = ann.get(path).text
            assert "<svg" in html or path == "/businesses"
            tab.set_content(html)
            tab.evaluate(AXE)
            assert tab.evaluate(SERIOUS_VIOLATIONS) == [], path
    finally:
        tab.close()


def test_a_source_column_holding_a_date_of_birth_is_minimised_too(client_as):
    """Staging keeps a source's own spelling (Companies House's DateOfBirth → dateofbirth): still personal."""
    licensing = {}
    for username in ("olive", "ann"):
        html = client_as(username).get("/business/B1").text
        licensing[username] = _rows(html, "records-licensing")[0][3]
    assert "dateofbirth: 1980-01" in licensing["ann"] and "1980-01" not in licensing["olive"]
    assert "surname: Smith" in licensing["olive"]  # officers may see names
    assert all("loaded" not in text and "invalid" not in text for text in licensing.values())  # bookkeeping


def test_analyst_finds_people_and_businesses_by_name_and_each_search_is_logged(client_as, store):
    analyst = client_as("ann")
    html = analyst.get("/search?q=smith").text
    assert _rows(html, "people-table") == [["Ann Smith", ADDRESSES[AWAY], "3", "2025-02-01"]]
    assert 'href="/person/P1"' in html and 'id="no-businesses"' in html
    assert 'href="/search"' in html  # in the navigation
    for query in ("SMITH ann", "ann+smith", "  ann   SMITH "):
        assert 'href="/person/P1"' in analyst.get(f"/search?q={query}").text, query
    assert 'id="no-people"' in analyst.get("/search?q=ann+jones").text
    elm = analyst.get("/search?q=elm").text
    assert [row[0] for row in _rows(elm, "businesses-table")] == ["Elm Lettings Ltd company 01234567"]
    assert 'href="/business/B1"' in analyst.get("/search?q=01234567").text
    searches = audit.search(store, action="search_entities")
    assert sorted(e.object_id for e in searches) == sorted(
        ["smith", "SMITH ann", "ann smith", "ann SMITH", "ann jones", "elm", "01234567"])
    assert {e.username for e in searches} == {"ann"}


def test_a_search_too_short_to_narrow_anything_is_refused_and_not_run(client_as, store):
    html = client_as("ann").get("/search?q=a+b").text
    assert "There is a problem" in html and "Enter at least 3 letters" in html
    assert "people-table" not in html and 'href="/person/' not in html
    assert audit.search(store, action="search_entities") == []
    assert "people-table" not in client_as("ann").get("/search").text  # the empty form


@pytest.mark.parametrize("username", ["olive", "gail", "adam"])
def test_only_analysts_may_search_by_name(client_as, username):
    client = client_as(username)
    assert client.get("/search?q=smith").status_code == 403
    assert 'href="/search"' not in client.get("/governance/transparency").text
