"""The borough's places: wards on a grid around the centre, their LSOAs, localities and postcodes.

The plan is cheap and made up front so that each ward can then be generated on its own (in
order, streaming to disk) with bounded memory. Postcodes are valid in format but use districts
that do not exist (E21 and up, N23 and up, ...) so no real address is ever produced.

Once every ward is built, :func:`write_ward_boundaries` draws the wards' polygons around their
addresses, as a council's ONS ward boundary file would give them.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from oda.errors import SynthError
from oda.synth.config import SynthConfig
from oda.synth.namebank import LOCALITY_NAMES
from oda.synth.seeds import stream

DWELLINGS_PER_KM2 = 4_000.0
METRES_PER_DEGREE = 111_320.0
UNIT_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
_FICTIONAL_DISTRICTS = (("E", 21), ("N", 23), ("SE", 29), ("SW", 21), ("NW", 12), ("W", 15))
_WARD_SUFFIXES = ("", " North", " South", " East", " West", " Central", " Park", " Village")


@dataclass(frozen=True)
class Ward:
    """One electoral ward: its name, code, locality, dwellings to build and where it lies."""

    index: int
    name: str
    code: str
    locality: str
    dwellings: int
    origin_x: float
    origin_y: float
    size_m: float
    district: str
    sectors: tuple[int, ...]


@dataclass(frozen=True)
class BoroughPlan:
    """The wards of the borough and the projection from local metres to WGS84."""

    wards: tuple[Ward, ...]
    centre: tuple[float, float]

    def to_latlon(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Local metres east/north of the centre → (lat, lon) degrees, rounded to ~1 m."""
        lat0, lon0 = self.centre
        lat = lat0 + y / METRES_PER_DEGREE
        lon = lon0 + x / (METRES_PER_DEGREE * math.cos(math.radians(lat0)))
        return np.round(lat, 6), np.round(lon, 6)


def district_name(number: int) -> str:
    """The ``number``-th fictional postcode district: E21, E22, ..., E99, N23, ..."""
    for area, first in _FICTIONAL_DISTRICTS:
        span = 100 - first
        if number < span:
            return f"{area}{first + number}"
        number -= span
    raise ValueError("more postcode districts than the fictional areas hold")


def plan_borough(config: SynthConfig) -> BoroughPlan:
    """Split ``config.properties`` dwellings into wards laid out on a square grid."""
    rng = stream(config.seed, "geography", "wards")
    n_wards = max(1, round(config.properties / config.ward_dwellings))
    weights = rng.uniform(0.75, 1.25, n_wards)
    counts = np.floor(weights / weights.sum() * config.properties).astype(int)
    counts[: config.properties - counts.sum()] += 1
    columns = math.ceil(math.sqrt(n_wards))
    cell = math.sqrt(config.ward_dwellings / DWELLINGS_PER_KM2) * 1000.0
    half = columns * cell / 2
    names = [n.replace("_", " ") for n in LOCALITY_NAMES]
    order = rng.permutation(len(names))
    wards = []
    for i in range(n_wards):
        locality = names[order[i % len(names)]]
        suffix = _WARD_SUFFIXES[(i // len(names)) % len(_WARD_SUFFIXES)]
        extra = f" {i // (len(names) * len(_WARD_SUFFIXES)) + 1}" if i >= len(names) * len(_WARD_SUFFIXES) else ""
        row, col = divmod(i, columns)
        wards.append(Ward(
            index=i, name=f"{locality}{suffix}{extra}", code=f"E05{900001 + i:06d}", locality=locality,
            dwellings=int(counts[i]), origin_x=col * cell - half, origin_y=half - (row + 1) * cell, size_m=cell,
            district=district_name(i // 4), sectors=(2 * (i % 4), 2 * (i % 4) + 1, 8 + (i % 4) // 2),
        ))
    return BoroughPlan(wards=tuple(wards), centre=config.centre)


class PostcodeAllocator:
    """Hands out unused postcode units in a ward's sectors, in a shuffled but fixed order."""

    def __init__(self, ward: Ward, rng: np.random.Generator):
        units = [a + b for a in UNIT_LETTERS for b in UNIT_LETTERS]
        self._codes = [f"{ward.district} {sector}{units[j]}"
                       for sector in ward.sectors for j in rng.permutation(len(units))]
        self._next = 0

    def take(self) -> str:
        code = self._codes[self._next % len(self._codes)]
        self._next += 1
        return code


# -- ward boundaries ---------------------------------------------------------------------------------

BOUNDARY_MARGIN_M = 150.0
"""How far the borough outline lies beyond its outermost addresses."""
WARD_BOUNDARIES_FILE = "reference/ward_boundaries.geojson"


def write_ward_boundaries(out: Path, plan: BoroughPlan, places: list[tuple[list, list, int]]) -> Path:
    """Write :data:`WARD_BOUNDARIES_FILE` under ``out`` from each ward's addresses: ``(lons, lats, ward index)``."""
    lon = np.concatenate([np.asarray(lons, float) for lons, _, _ in places])
    lat = np.concatenate([np.asarray(lats, float) for _, lats, _ in places])
    ward = np.concatenate([np.full(len(lons), index) for lons, _, index in places])
    path = out / WARD_BOUNDARIES_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(ward_boundaries(plan, lon, lat, ward), separators=(",", ":")) + "\n", encoding="utf-8")
    return path


def ward_boundaries(plan: BoroughPlan, lon: np.ndarray, lat: np.ndarray, ward_index: np.ndarray) -> dict:
    """Ward polygons as a GeoJSON FeatureCollection: they tile the borough, and every address lies in its own ward.

    The borough is partitioned by the Voronoi diagram of its addresses: every place belongs to the ward of
    the nearest address, so an address is always inside its own ward, and neighbouring wards share exactly
    the same edges (no gaps, no overlaps). The outline is drawn by a ring of sites
    :data:`BOUNDARY_MARGIN_M` × 2 outside the addresses' convex hull, so the borough ends about
    :data:`BOUNDARY_MARGIN_M` beyond its outermost addresses. Streets that cross into a neighbouring ward
    make ragged edges and the odd island, as real ward boundaries drawn around streets do.

    Each feature carries ``ward_code`` and ``ward_name`` (the columns an ONS ward boundary file calls
    e.g. ``WD24CD`` and ``WD24NM``). Coordinates are WGS84 longitude, latitude (RFC 7946).
    """
    from scipy.spatial import ConvexHull, Voronoi

    lat0, lon0 = plan.centre
    scale_x = METRES_PER_DEGREE * math.cos(math.radians(lat0))
    xy = np.column_stack([(np.asarray(lon, float) - lon0) * scale_x,
                          (np.asarray(lat, float) - lat0) * METRES_PER_DEGREE])
    # Units of one building share a point; where two wards' addresses coincide, the first ward keeps it.
    sites, first = np.unique(xy, axis=0, return_index=True)
    labels = np.asarray(ward_index)[first]
    outside = _outline_sites(sites[ConvexHull(sites).vertices] if len(sites) >= 3 else sites)
    all_sites = np.vstack([sites, outside])
    all_labels = np.concatenate([labels, np.full(len(outside), -1)])
    diagram = Voronoi(all_sites)
    rings_by_ward = _boundary_rings(diagram, all_labels)
    features = []
    for ward in plan.wards:
        polygons = _polygons(rings_by_ward.get(ward.index, []))
        if not polygons:
            continue
        coordinates = [[[[round(lon0 + x / scale_x, 7), round(lat0 + y / METRES_PER_DEGREE, 7)] for x, y in ring]
                        for ring in polygon] for polygon in polygons]
        features.append({"type": "Feature", "properties": {"ward_code": ward.code, "ward_name": ward.name},
                         "geometry": {"type": "MultiPolygon", "coordinates": coordinates}})
    return {"type": "FeatureCollection", "features": features}


def _outline_sites(hull: np.ndarray) -> np.ndarray:
    """Sites about every :data:`BOUNDARY_MARGIN_M` along the hull grown by twice the margin (hull counter-clockwise)."""
    offset, step = 2 * BOUNDARY_MARGIN_M, BOUNDARY_MARGIN_M
    if len(hull) < 3:  # one or two distinct addresses: a circle around them
        angles = np.linspace(0, 2 * math.pi, 16, endpoint=False)
        radius = offset + float(np.ptp(hull, axis=0).max())
        return hull.mean(axis=0) + radius * np.column_stack([np.cos(angles), np.sin(angles)])
    edges = np.roll(hull, -1, axis=0) - hull
    normals = np.column_stack([edges[:, 1], -edges[:, 0]]) / np.hypot(edges[:, 0], edges[:, 1])[:, None]
    points = []
    for i, (corner, edge, normal) in enumerate(zip(hull, edges, normals)):
        pieces = max(1, int(np.hypot(*edge) // step))
        points += [corner + t * edge + offset * normal for t in np.arange(pieces) / pieces]
        # Round the next corner with an arc from this edge's normal to the next edge's.
        start = math.atan2(normal[1], normal[0])
        sweep = (math.atan2(normals[(i + 1) % len(hull)][1], normals[(i + 1) % len(hull)][0]) - start) % (2 * math.pi)
        arcs = max(1, int(sweep * offset // step))
        angles = start + sweep * np.arange(arcs) / arcs
        points += list(corner + edge + offset * np.column_stack([np.cos(angles), np.sin(angles)]))
    return np.unique(np.round(np.array(points), 3), axis=0)


def _boundary_rings(diagram, labels: np.ndarray) -> dict[int, list[list[tuple[float, float]]]]:
    """Per ward, the closed rings of Voronoi edges between it and anything else, the ward on their left."""
    pairs = diagram.ridge_points
    edges = diagram.ridge_vertices
    left, right = labels[pairs[:, 0]], labels[pairs[:, 1]]
    boundary = np.flatnonzero(left != right)
    vertices = diagram.vertices
    outgoing: dict[int, dict[int, list[int]]] = {}
    for r in boundary.tolist():
        v1, v2 = edges[r]
        if v1 < 0 or v2 < 0:
            if labels[pairs[r, 0]] >= 0 and labels[pairs[r, 1]] >= 0:
                raise SynthError("a ward boundary reached infinity; the outline sites do not enclose the borough")
            continue  # between two outline sites, outside the borough
        p = diagram.points[pairs[r, 0]]
        a, b = vertices[v1], vertices[v2]
        p_on_left = (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0]) > 0
        ward_p, ward_q = int(labels[pairs[r, 0]]), int(labels[pairs[r, 1]])
        for ward, start, end in ((ward_p, v1, v2) if p_on_left else (ward_p, v2, v1),
                                 (ward_q, v2, v1) if p_on_left else (ward_q, v1, v2)):
            if ward >= 0:
                outgoing.setdefault(ward, {}).setdefault(start, []).append(end)
    rings: dict[int, list[list[tuple[float, float]]]] = {}
    for ward, graph in outgoing.items():
        for start in list(graph):
            while graph.get(start):
                ring, here = [start], graph[start].pop()
                while here != start:
                    ring.append(here)
                    here = _next_vertex(vertices, ring[-2], here, graph[here])
                ring.append(start)
                rings.setdefault(ward, []).append([tuple(vertices[v]) for v in ring])
    return rings


def _next_vertex(vertices: np.ndarray, came_from: int, here: int, choices: list[int]) -> int:
    """Where the ring goes on from ``here``: where two parts of a ward touch at a corner, keep to the same part
    (the sharpest left turn, as the ward is on the left), so every ring is simple."""
    if len(choices) == 1:
        return choices.pop()
    incoming = vertices[here] - vertices[came_from]

    def turn(v: int) -> float:
        out = vertices[v] - vertices[here]
        return math.atan2(incoming[0] * out[1] - incoming[1] * out[0], incoming[0] * out[0] + incoming[1] * out[1])

    best = max(choices, key=turn)
    choices.remove(best)
    return best


def _polygons(rings: list[list[tuple[float, float]]]) -> list[list[list[tuple[float, float]]]]:
    """Rings → polygons: counter-clockwise rings are outlines; clockwise ones are holes, each in the smallest
    outline around it."""
    outers, holes = [], []
    for ring in rings:
        (outers if _signed_area(ring) > 0 else holes).append(ring)
    polygons = [[outer] for outer in sorted(outers, key=_signed_area)]
    for hole in holes:
        probe = ((hole[0][0] + hole[1][0]) / 2, (hole[0][1] + hole[1][1]) / 2)
        for polygon in polygons:  # smallest first
            if _inside(probe, polygon[0]):
                polygon.append(hole)
                break
        else:
            raise SynthError("a ward boundary hole lies in no outline; please report this borough's seed")
    return polygons


def _signed_area(ring: list[tuple[float, float]]) -> float:
    return 0.5 * sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:]))


def _inside(point: tuple[float, float], ring: list[tuple[float, float]]) -> bool:
    x, y = point
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:]):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside
