"""The wards' polygons `oda synth` writes: they tile the borough (no gaps, no overlaps) and every address
lies inside its own ward's polygon and no other."""

from __future__ import annotations

import json
from collections import Counter

import numpy as np
import pyarrow.parquet as pq
import pytest

from oda.project.load import load_project
from oda.synth.config import SynthConfig
from oda.synth.gazetteer import build_ward
from oda.synth.geography import WARD_BOUNDARIES_FILE, plan_borough, ward_boundaries


def _rings(feature: dict) -> list[list[list[float]]]:
    return [ring for polygon in feature["geometry"]["coordinates"] for ring in polygon]


def _inside(points: np.ndarray, feature: dict) -> np.ndarray:
    """Even-odd rule over every ring of a (multi)polygon, for many points at once."""
    x, y = points[:, 0][:, None], points[:, 1][:, None]
    crossings = np.zeros(len(points), dtype=int)
    for ring in _rings(feature):
        r = np.asarray(ring)
        x1, y1, x2, y2 = r[:-1, 0], r[:-1, 1], r[1:, 0], r[1:, 1]
        straddles = (y1 > y) != (y2 > y)
        with np.errstate(divide="ignore", invalid="ignore"):
            at = x1 + (y - y1) * (x2 - x1) / (y2 - y1)
        crossings += np.sum(straddles & (x < at), axis=1)
    return crossings % 2 == 1


def _signed_area(ring) -> float:
    r = np.asarray(ring)
    return 0.5 * float(np.sum(r[:-1, 0] * r[1:, 1] - r[1:, 0] * r[:-1, 1]))


def _check_tiling_and_containment(boundaries: dict, points: np.ndarray, wards: np.ndarray) -> None:
    names = [f["properties"]["ward_name"] for f in boundaries["features"]]
    assert sorted(names) == sorted(set(wards.tolist())), "one feature per ward"
    inside = np.column_stack([_inside(points, f) for f in boundaries["features"]])
    assert (inside.sum(axis=1) == 1).all(), "every address lies in exactly one ward polygon"
    own = np.array(names)[inside.argmax(axis=1)]
    wrong = np.flatnonzero(own != wards)
    assert not len(wrong), f"{len(wrong)} addresses lie outside their own ward, e.g. {points[wrong[:3]].tolist()}"
    # Tiling: every edge inside the borough is shared by exactly two rings, once each way; the edges used
    # once form the borough's outline: one counter-clockwise ring, so nothing inside is left uncovered.
    edges = Counter()
    for feature in boundaries["features"]:
        for ring in _rings(feature):
            edges.update((tuple(a), tuple(b)) for a, b in zip(ring, ring[1:]))
    assert max(edges.values()) == 1, "no edge is used twice the same way (overlapping wards)"
    unshared = [(a, b) for a, b in edges if (b, a) not in edges]
    outline = dict(unshared)
    assert len(outline) == len(unshared), "the outline never passes a point twice"
    start = next(iter(outline))
    ring, here = [start], outline[start]
    while here != start:
        ring.append(here)
        here = outline[here]
    ring.append(start)
    assert len(ring) - 1 == len(unshared), "the unshared edges form one ring: the outline, with no gaps inside"
    assert _signed_area(ring) > 0
    total = sum(_signed_area(r) for f in boundaries["features"] for r in _rings(f))
    assert total == pytest.approx(_signed_area(ring), rel=1e-9), "ward areas add up to the borough's"


def test_synth_writes_ward_boundaries_and_declares_them(borough):
    out, _ = borough
    boundaries = json.loads((out / WARD_BOUNDARIES_FILE).read_text(encoding="utf-8"))
    gazetteer = pq.read_table(out / "gazetteer.parquet", columns=["lon", "lat", "ward", "ward_code"]).to_pydict()
    points = np.column_stack([gazetteer["lon"], gazetteer["lat"]])
    _check_tiling_and_containment(boundaries, points, np.array(gazetteer["ward"]))
    assert {f["properties"]["ward_code"] for f in boundaries["features"]} == set(gazetteer["ward_code"])
    assert load_project(out, check_files=False).config.reference.ward_boundaries == WARD_BOUNDARIES_FILE


def test_many_wards_tile_the_borough_with_every_address_in_its_own_ward():
    config = SynthConfig(properties=20_000, seed=5)
    plan = plan_borough(config)
    assert len(plan.wards) >= 4
    lon, lat, ward = [], [], []
    for w in plan.wards:
        columns = build_ward(plan, w, config.seed).columns
        lon.append(columns["lon"])
        lat.append(columns["lat"])
        ward += [w.name] * len(columns["lon"])
    boundaries = ward_boundaries(plan, np.concatenate(lon), np.concatenate(lat),
                                 np.concatenate([np.full(len(x), w.index) for x, w in zip(lon, plan.wards)]))
    _check_tiling_and_containment(boundaries, np.column_stack([np.concatenate(lon), np.concatenate(lat)]),
                                  np.array(ward))
