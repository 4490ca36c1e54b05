"""The map's ward outlines: the project's ward boundary file when declared (ONS property names too), cut to
the borough's wards; outlines around addresses when it is absent or unusable, with the reason on the page."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from oda.store import accounts
from oda.web import create_app
from oda.web.settings import WebSettings
from tests.web.borough import PROJECT_TOML, WARDS, ward_squares
from tests.web.conftest import PASSWORD, USERS, sign_in


def _square(west: float, south: float, size: float = 0.02) -> list:
    return [[[west, south], [west + size, south], [west + size, south + size], [west, south + size], [west, south]]]


def _ons_file(names: list[str]) -> dict:
    """An ONS-style file: WD24CD/WD24NM properties, one square per ward, plus a ward of another borough."""
    features = [{"type": "Feature", "properties": {"WD24CD": f"E0500000{i}", "WD24NM": name, "BNG_E": 530000},
                 "geometry": {"type": "Polygon", "coordinates": _square(-0.11 + 0.01 * i, 51.49 + 0.01 * i)}}
                for i, name in enumerate(names)]
    features.append({"type": "Feature", "properties": {"WD24CD": "E05999999", "WD24NM": "Elsewhere"},
                     "geometry": {"type": "MultiPolygon", "coordinates": [_square(1.0, 52.0)]}})
    return {"type": "FeatureCollection", "features": features}


@pytest.fixture
def project_with(borough, store, project_data, tmp_path):
    """``project_with(reference_toml, geojson)`` → a client signed in as an officer, on the test borough's
    data with an oda.toml ending in ``reference_toml``."""
    for username, (role, organisation) in USERS.items():
        accounts.add_user(store, username, PASSWORD, role=role, organisation=organisation)
    clients = []

    def make(reference_toml: str, geojson: dict | str | None) -> TestClient:
        root = tmp_path / f"project{len(clients)}"
        root.mkdir()
        (root / "oda.toml").write_text(PROJECT_TOML + "\n" + reference_toml + "\n", encoding="utf-8")
        if geojson is not None:
            (root / "reference").mkdir()
            text = geojson if isinstance(geojson, str) else json.dumps(geojson)
            (root / "reference" / "wards.geojson").write_text(text, encoding="utf-8")
        app = create_app(root, store=store, settings=WebSettings(secret_key="w" * 40), data=project_data)
        client = TestClient(app, follow_redirects=False)
        clients.append(client)
        assert sign_in(client, "olive").status_code == 303
        return client

    yield make
    for client in clients:
        client.close()


def test_without_a_file_wards_are_outlined_around_their_addresses(project_with):
    client = project_with("", None)
    wards = client.get("/map/wards.geojson").json()["features"]
    assert sorted(f["properties"]["ward"] for f in wards) == sorted(WARDS)
    assert "Ward outlines enclose each ward's addresses" in client.get("/map").text


def test_declared_ons_file_is_drawn_and_cut_to_the_boroughs_wards(project_with):
    client = project_with('[reference]\nward_boundaries = "reference/wards.geojson"\n'
                          'ward_name_property = "WD24NM"\nward_code_property = "WD24CD"', _ons_file(list(WARDS)))
    wards = client.get("/map/wards.geojson").json()["features"]
    assert [(f["properties"]["ward"], f["properties"]["code"]) for f in wards] == \
        [(name, f"E0500000{i}") for i, name in enumerate(WARDS)]
    assert wards[0]["geometry"]["coordinates"] == _square(-0.11, 51.49)
    assert "from the project's ward boundary file" in client.get("/map").text


@pytest.mark.parametrize("reference, geojson, message", [
    ('ward_boundaries = "reference/missing.geojson"', None, "does not exist; check [reference] ward_boundaries"),
    ('ward_boundaries = "reference/wards.geojson"', _ons_file(["Northgate"]),
     "feature 0 has no `ward_name` property (it has BNG_E, WD24CD, WD24NM); set [reference] ward_name_property"),
    ('ward_boundaries = "reference/wards.geojson"\nward_name_property = "WD24NM"',
     {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"WD24NM": "Northgate"},
                                                 "geometry": {"type": "Polygon", "coordinates": [[
                                                     [530000, 180000], [531000, 180000], [531000, 181000],
                                                     [530000, 180000]]]}}]},
     "coordinate (530000, 180000) is not longitude/latitude; it looks like British National Grid"),
    ('ward_boundaries = "reference/wards.geojson"', "{not json", "is not readable GeoJSON"),
])
def test_an_unusable_file_falls_back_to_outlines_and_says_why(project_with, reference, geojson, message):
    client = project_with("[reference]\n" + reference, geojson)
    page = client.get("/map")
    assert page.status_code == 200
    assert "The ward boundary file could not be used" in page.text and message in page.text.replace("&#39;", "'")
    assert sorted(f["properties"]["ward"] for f in client.get("/map/wards.geojson").json()["features"]) == \
        sorted(WARDS)


def test_the_test_boroughs_declared_file_is_what_the_map_draws(client_for):
    features = client_for("olive").get("/map/wards.geojson").json()["features"]
    assert [(f["properties"]["ward"], f["geometry"]) for f in features] == \
        [(f["properties"]["ward_name"], f["geometry"]) for f in ward_squares()["features"]]
