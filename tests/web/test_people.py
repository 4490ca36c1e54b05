"""People and businesses on the property page come from entity resolution when it has run: one row per
resolved person, with the sources whose records here name them and the dates those records span, and only
the details the role may see. Before resolution, the page says so. Built on a small hand-made DuckDB."""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone

import pytest
from fastapi.testclient import TestClient

from oda.datasets import ADDRESS_MATCHES, BUSINESS_CLUSTERS, PERSON_CLUSTERS, PROPERTY_SCORES, WORKLIST
from oda.store import accounts
from oda.web import create_app
from oda.web.data import ProjectData
from oda.web.settings import WebSettings
from tests.web.borough import _table, empty_project
from tests.web.conftest import PASSWORD, sign_in

HOME, ELSEWHERE = "200001", "200002"


def _build(root, *, resolved: bool) -> None:
    con = empty_project(root)
    _table(con, "stg.gazetteer", ("uprn", "address", "postcode", "ward", "lat", "lon"),
           "VARCHAR, VARCHAR, VARCHAR, VARCHAR, DOUBLE, DOUBLE",
           [[HOME, "5 Elm Road, Testford", "TF1 1AA", "Northgate", 51.5, -0.1],
            [ELSEWHERE, "9 Oak Road, Testford", "TF1 1AB", "Northgate", 51.501, -0.101]])
    _table(con, "stg.council_tax", ("record_id", "full_name", "date_of_birth", "phone", "start_date", "end_date"),
           "VARCHAR, VARCHAR, DATE, VARCHAR, DATE, DATE",
           [["CT1", "Ann Smith", "1980-01-02", "07700 900001", "2023-04-01", None],
            ["CT2", "Bob Jones", "1990-05-05", "07700 900002", "2024-01-01", "2025-06-30"]])
    _table(con, "stg.electoral_register", ("record_id", "first_name", "surname", "start_date"),
           "VARCHAR, VARCHAR, VARCHAR, DATE",
           [["ER1", "Ann", "Smith", "2022-10-01"], ["ER2", "Ann", "Smith", "2019-03-01"]])
    _table(con, "stg.companies", ("record_id", "business_name", "company_number"), "VARCHAR, VARCHAR, VARCHAR",
           [["CO1", "Elm Lettings Ltd", "01234567"]])
    matches = [[source, rid, uprn, 0.99, "exact", None, 0.5, json.dumps([]), False]
               for source, rid, uprn in (("council_tax", "CT1", HOME), ("council_tax", "CT2", HOME),
                                         ("electoral_register", "ER1", HOME), ("electoral_register", "ER2", ELSEWHERE),
                                         ("companies", "CO1", HOME))]
    _table(con, ADDRESS_MATCHES.name, ADDRESS_MATCHES.columns,
           "VARCHAR, VARCHAR, VARCHAR, DOUBLE, VARCHAR, VARCHAR, DOUBLE, VARCHAR, BOOLEAN", matches)
    if resolved:  # the resolve stage's tables, with a column the app does not need
        _table(con, PERSON_CLUSTERS.name, (*PERSON_CLUSTERS.columns, "cluster_size"),
               "VARCHAR, VARCHAR, VARCHAR, INTEGER",
               [["council_tax", "CT1", "P1", 3], ["electoral_register", "ER1", "P1", 3],
                ["electoral_register", "ER2", "P1", 3], ["council_tax", "CT2", "P2", 1]])
        _table(con, BUSINESS_CLUSTERS.name, BUSINESS_CLUSTERS.columns, "VARCHAR, VARCHAR, VARCHAR",
               [["companies", "CO1", "B1"]])
    now = datetime(2026, 11, 1, tzinfo=timezone.utc)
    _table(con, PROPERTY_SCORES.name, PROPERTY_SCORES.columns,
           "VARCHAR, DOUBLE, DOUBLE, VARCHAR, VARCHAR, VARCHAR, TIMESTAMPTZ",
           [[HOME, 0.9, 9.0, "very high", json.dumps(["Many surnames"]), "test", now]])
    _table(con, WORKLIST.name, WORKLIST.columns, "VARCHAR, INTEGER, VARCHAR, VARCHAR, VARCHAR, VARCHAR, DOUBLE, "
           "DOUBLE, DOUBLE, VARCHAR, VARCHAR, BOOLEAN, VARCHAR",
           [["council-1", 1, HOME, "5 Elm Road, Testford", "Northgate", "Elm Road", 51.5, -0.1, 0.9, "very high",
             json.dumps(["Many surnames"]), False, "council"]])
    con.close()


@pytest.fixture
def property_page_as(store, tmp_path):
    """``property_page_as("olive", resolved=True)`` → the property page's HTML as that user, on a project
    where entity resolution has (or has not) run."""
    for username, role in (("olive", "officer"), ("ann", "analyst")):
        accounts.add_user(store, username, PASSWORD, role=role, organisation="council")
    opened = []

    def page(username: str, *, resolved: bool) -> str:
        root = tmp_path / f"project{len(opened)}"
        _build(root, resolved=resolved)
        data = ProjectData(root / ".oda" / "oda.duckdb")
        client = TestClient(create_app(root, store=store, settings=WebSettings(secret_key="p" * 40), data=data),
                            follow_redirects=False)
        opened.append((client, data))
        assert sign_in(client, username).status_code == 303
        response = client.get(f"/property/{HOME}")
        assert response.status_code == 200
        return response.text

    yield page
    for client, data in opened:
        client.close()
        data.close()


def _rows(html: str, table_id: str) -> list[list[str]]:
    """The body rows of a table as lists of cell texts (tags dropped, spaces squeezed)."""
    table = html.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0].split("<tbody", 1)[1]
    return [[" ".join(re.sub(r"<[^>]+>", " ", cell).split())
             for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)]


def test_officer_sees_one_row_per_resolved_person_with_names_and_phones(property_page_as):
    html = property_page_as("olive", resolved=True)
    assert _rows(html, "people-table") == [
        ["Ann Smith phone 07700 900001", "council tax (1) electoral register (1)", "2022-10-01 to 2023-04-01"],
        ["Bob Jones phone 07700 900002", "council tax (1)", "2024-01-01 to 2025-06-30"],
    ]
    assert "1980-01-02" not in html and "born" not in html  # an officer needs no dates of birth
    assert _rows(html, "businesses-table") == [["Elm Lettings Ltd company 01234567", "companies (1)", "No dates"]]


def test_analyst_sees_dates_of_birth_not_phones(property_page_as):
    html = property_page_as("ann", resolved=True)
    rows = _rows(html, "people-table")
    assert [row[0] for row in rows] == ["Ann Smith born 1980-01-02", "Bob Jones born 1990-05-05"]
    assert "07700" not in html


def test_before_resolution_the_page_says_so_and_shows_the_linked_records(property_page_as):
    html = property_page_as("olive", resolved=False)
    assert 'id="people-unresolved"' in html and 'id="people-table"' not in html
    assert 'id="businesses-table"' not in html
    assert "Ann Smith" in html and "Bob Jones" in html  # in the linked records, as before
