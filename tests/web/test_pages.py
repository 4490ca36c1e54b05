"""What users see and what is recorded: property views audited once each, outcomes with history, exports."""

from __future__ import annotations

import io
from datetime import date, timedelta

from openpyxl import load_workbook

from oda.store import audit, outcomes
from tests.web.conftest import csrf_token


def test_each_property_view_writes_exactly_one_audit_entry(client_for, store, borough):
    uprn = borough[1]["council"][1]
    officer = client_for("olive")
    for _ in range(3):
        assert officer.get(f"/property/{uprn}").status_code == 200
    officer.get("/worklist")
    officer.get("/map/points.geojson")
    client_for("ann").get(f"/property/{uprn}")
    entries = audit.search(store, action="view_property", object_id=uprn)
    assert [e.username for e in entries] == ["ann", "olive", "olive", "olive"]
    assert audit.count(store, action="view_property") == 4
    assert entries[-1].role == "officer" and entries[-1].remote_addr == "testclient"
    client_for("fred").get(f"/property/{uprn}")  # refused: not on the fire service's worklist
    assert audit.count(store, action="view_property") == 4


def test_property_page_shows_records_by_source_and_minimises_people_per_role(client_for, borough):
    uprn = borough[1]["council"][0]
    officer_page = client_for("olive").get(f"/property/{uprn}").text
    for expected in ("Council tax (2)", "Fire incidents (1)", "Companies (1)", "exact", "review", "confident",
                     "Kitchen fire", "Lettings 0 Ltd", "adults on the electoral register", "Resident00 Surname0",
                     "07700 900000", "Timeline"):
        assert expected in officer_page, expected
    assert "1970-01-15" not in officer_page  # officers do not see dates of birth
    analyst_page = client_for("ann").get(f"/property/{uprn}").text
    assert "1970-01-15" in analyst_page and "Resident00 Surname0" in analyst_page
    assert "07700 900000" not in analyst_page


def test_missing_property_is_404_for_analysts(client_for):
    response = client_for("ann").get("/property/42")
    assert response.status_code == 404 and "no property with UPRN 42" in response.text


def test_record_and_correct_an_outcome_keeps_history_and_audits(client_for, store, borough):
    uprn = borough[1]["council"][2]
    officer = client_for("olive")
    token = csrf_token(officer.get(f"/property/{uprn}/outcomes/new").text)
    visit = date.today() - timedelta(days=2)
    form = {"csrf_token": token, "day": str(visit.day), "month": str(visit.month), "year": str(visit.year)}
    missing = officer.post(f"/property/{uprn}/outcomes", data={**form, "notes": "x"})
    assert missing.status_code == 422 and "Select what the visit found" in missing.text
    future = date.today() + timedelta(days=3)
    response = officer.post(f"/property/{uprn}/outcomes", data={
        **form, "day": str(future.day), "month": str(future.month), "year": str(future.year), "outcome": "other"})
    assert response.status_code == 422 and "must be today or in the past" in response.text
    response = officer.post(f"/property/{uprn}/outcomes", data={**form, "outcome": "no_access", "notes": "nobody in"})
    assert response.status_code == 303 and response.headers["location"] == f"/property/{uprn}#visits"
    [saved] = outcomes.current_outcomes(store, uprn=uprn)
    assert (saved.outcome, saved.organisation, saved.recorded_by, saved.visit_date) == (
        "no_access", "council", "olive", visit)
    edit_page = officer.get(f"/outcomes/{saved.visit_key}/edit")
    assert edit_page.status_code == 200 and "nobody in" in edit_page.text
    response = officer.post(f"/outcomes/{saved.visit_key}", data={**form, "outcome": "hmo_confirmed",
                                                                  "notes": "second visit: 6 tenants"})
    assert response.status_code == 303
    assert [v.outcome for v in outcomes.history(store, saved.visit_key)] == ["no_access", "hmo_confirmed"]
    page = officer.get(f"/property/{uprn}").text
    assert "HMO confirmed" in page and "version 2" in page
    history_page = officer.get(f"/outcomes/{saved.visit_key}/edit").text
    assert "nobody in" in history_page and "second visit: 6 tenants" in history_page
    assert [e.action for e in audit.search(store, object_id=uprn) if e.action.endswith("outcome")] == [
        "edit_outcome", "record_outcome"]
    assert outcomes.outcomes_table(store)["outcome"].to_pylist() == ["hmo_confirmed"]


def test_worklist_filters_assign_to_me_and_status(client_for, store, borough):
    officer = client_for("olive")
    page = officer.get("/worklist?ward=Riverside")
    rows = page.text.count('class="govuk-table__row"') - 1
    assert rows == sum(1 for i in range(12) if i % 3 == 1)
    uprn = borough[1]["council"][1]  # a Riverside property
    token = csrf_token(page.text)
    response = officer.post(f"/worklist/{uprn}/assign", data={"csrf_token": token, "next": "/worklist?ward=Riverside"})
    assert response.status_code == 303 and response.headers["location"] == "/worklist?ward=Riverside"
    mine = officer.get("/worklist?assignee=me").text
    assert f"/property/{uprn}" in mine and mine.count('class="govuk-table__row"') == 2
    assert f"/property/{uprn}" not in officer.get("/worklist?status=unassigned").text
    assert audit.search(store, action="assign")[0].object_id == uprn


def test_exports_are_logged_with_their_filters(client_for, store):
    officer = client_for("olive")
    response = officer.get("/worklist/export?format=xlsx&ward=Northgate")
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert values[0][:3] == ("rank", "uprn", "address") and {row[3] for row in values[1:]} == {"Northgate"}
    csv_text = officer.get("/worklist/export?format=csv").text
    assert csv_text.splitlines()[0].startswith("rank,uprn,address,ward")
    exports = audit.search(store, action="export")
    assert [(e.detail["format"], e.detail["filters"]) for e in exports] == [
        ("csv", {}), ("xlsx", {"ward": "Northgate"})]
    assert exports[1].detail["rows"] == len(values) - 1


def test_governance_searches_and_exports_the_audit_log(client_for, store, borough):
    uprn = borough[1]["council"][3]
    client_for("olive").get(f"/property/{uprn}")
    governance = client_for("gail")
    page = governance.get(f"/governance/audit?action=view_property&object_id={uprn}").text
    assert "olive" in page and uprn in page and "view property" in page
    exported = governance.get("/governance/audit/export?username=olive").text
    assert exported.splitlines()[0].startswith("id,at,username") and "view_property" in exported
    assert audit.search(store, action="export")[0].object_type == "audit_log"
    assert "no-store" in governance.get("/governance/audit").headers["cache-control"]


def test_map_layers_are_geojson_from_data(client_for, borough):
    officer = client_for("olive")
    wards = officer.get("/map/wards.geojson").json()
    assert {f["properties"]["ward"] for f in wards["features"]} == {"Northgate", "Riverside", "St Anne's"}
    ring = wards["features"][0]["geometry"]["coordinates"][0]
    assert ring[0] == ring[-1] and len(ring) >= 4
    points = officer.get("/map/points.geojson?ward=Northgate").json()["features"]
    assert points and all(p["properties"]["url"].startswith("/property/") for p in points)
    page = officer.get("/map?ward=Northgate").text
    assert "/static/leaflet/leaflet.js" in page and 'data-tiles=""' in page


def test_pages_load_nothing_from_the_internet(client_for):
    officer = client_for("olive")
    for path in ("/worklist", "/map", "/governance/transparency"):
        response = officer.get(path)
        assert "https://" not in response.text and "http://" not in response.text.replace("http://testserver", "")
        assert "default-src 'self'" in response.headers["content-security-policy"]
    css = officer.get("/static/govuk/govuk-frontend.min.css").text
    assert "GDS Transport" not in css and "@font-face" not in css
    header = officer.get("/worklist").text
    assert "Testford Borough Council" in header and "govuk-logo" not in header and "crown" not in header.lower()


def test_analysts_read_the_evaluation_report_and_recorded_hit_rates(client_for, store, borough):
    outcomes.record_outcome(store, uprn=borough[1]["council"][4], organisation="council",
                            visit_date=date(2026, 2, 1), outcome="hmo_confirmed", recorded_by="olive")
    analyst = client_for("ann")
    page = analyst.get("/analyst/evaluation").text
    assert "/analyst/evaluation/report" in page and "exploration slice" in page and "100%" in page
    report = analyst.get("/analyst/evaluation/report")
    assert "<h1>Evaluation</h1>" in report.text
    assert report.headers["content-security-policy"].startswith("default-src 'none'")


def test_address_review_decisions_are_recorded_and_handed_to_the_link_stage(client_for, store):
    analyst = client_for("ann")
    page = analyst.get("/analyst/review").text
    assert "council_tax record CT00001" in page and "Runner-up" in page
    token = csrf_token(page)
    analyst.post("/analyst/review", data={"csrf_token": token, "key": "council_tax/CT00001", "source": "council_tax",
                                          "record_id": "CT00001", "decision": "accept", "uprn": "100000"})
    response = analyst.post("/analyst/review", data={"csrf_token": token, "key": "council_tax/CT00011",
                                                     "decision": "choose", "uprn": "100001", "other_uprn": "100002"})
    assert response.status_code == 303
    refused = analyst.post("/analyst/review", data={"csrf_token": token, "key": "k", "decision": "choose",
                                                    "other_uprn": "twelve"})
    assert refused.status_code == 422 and "is not a number" in refused.text
    assert "accept UPRN 100000 by ann" in analyst.get("/analyst/review").text.replace("\n", " ")
    from oda.store.reviews import review_decisions_table

    table = review_decisions_table(store)
    assert table.column_names == ["key", "decision", "uprn", "decided_at", "decided_by", "note"]
    assert sorted(zip(table["key"].to_pylist(), table["decision"].to_pylist(), table["uprn"].to_pylist())) == [
        ("council_tax/CT00001", "accept", 100000), ("council_tax/CT00011", "choose", 100002)]
    assert audit.search(store, action="review_address")[0].remote_addr == "testclient"


def test_worklist_pages_keep_the_filters(client_for, monkeypatch):
    from oda.web.routes import worklist as worklist_route

    monkeypatch.setattr(worklist_route, "PAGE_SIZE", 5)
    officer = client_for("olive")
    first = officer.get("/worklist").text
    assert first.count('class="govuk-table__row"') - 1 == 5
    assert "12 properties, showing 1 to 5" in first and 'href="/worklist?page=2" rel="next"' in first
    last = officer.get("/worklist?page=3").text
    assert last.count('class="govuk-table__row"') - 1 == 2
    assert "showing 11 to 12" in last and 'rel="prev"' in last and 'rel="next"' not in last
    assert "showing 11 to 12" in officer.get("/worklist?page=99").text  # past the end: the last page
    filtered = officer.get("/worklist?ward=Riverside").text
    assert "showing" not in filtered  # 4 rows fit on one page


def test_property_details_hide_the_pipelines_own_columns():
    from oda.web.routes.property import gazetteer_rows

    rows = dict(gazetteer_rows({"_row_number": 7, "record_id": "100", "source": "gazetteer", "uprn": 100,
                                "postcode_invalid": False, "pao_text": "KESTREL HOUSE", "imd_decile": 2,
                                "lat": 51.5, "street": "OAK ROAD", "locality": None}))
    assert rows == {"UPRN": "100", "Building name": "KESTREL HOUSE",
                    "Deprivation decile (IMD, 1 = most deprived)": "2", "Street": "OAK ROAD"}
