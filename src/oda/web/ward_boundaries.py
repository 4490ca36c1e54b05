"""Ward outlines for the maps: the project's ward boundary file when it declares one, else drawn from the data.

A council declares its ONS ward boundaries in ``oda.toml`` (``[reference] ward_boundaries``, see
:class:`~oda.project.models.ReferenceSettings`); ``oda synth`` writes one for the synthetic borough.
The file is read once and again only when it changes. Features are passed to the browser with two
properties, ``ward`` (name) and ``code``; a file covering more than the borough (all of England's
wards) is cut down to the wards the gazetteer names. Without a file, or when it cannot be read, the
map draws each ward as the convex hull of its addresses (:meth:`oda.web.data.ProjectData.ward_boundaries`)
and the map page says why.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from pathlib import Path

from oda.errors import ProjectError

_cache: dict[Path, tuple[tuple[int, int], dict]] = {}
_lock = threading.Lock()


@dataclass(frozen=True)
class WardOutlines:
    geojson: dict
    source: str  # "file" or "addresses"
    problem: str = ""


def ward_outlines(project, data) -> WardOutlines:
    """The outlines the maps draw, and where they came from."""
    reference = project.config.reference
    hulls = data.ward_boundaries()
    if not reference.ward_boundaries:
        return WardOutlines(hulls, "addresses")
    try:
        boundaries = read_ward_boundaries(project.resolve(reference.ward_boundaries),
                                          name_property=reference.ward_name_property,
                                          code_property=reference.ward_code_property)
    except ProjectError as exc:
        return WardOutlines(hulls, "addresses", exc.problems[0])
    known = {f["properties"]["ward"] for f in hulls["features"]}
    mine = [f for f in boundaries["features"] if f["properties"]["ward"] in known]
    if mine and len(mine) < len(boundaries["features"]):
        boundaries = {"type": "FeatureCollection", "features": mine}
    return WardOutlines(boundaries, "file")


def read_ward_boundaries(path: Path, *, name_property: str, code_property: str) -> dict:
    """The file's polygons as ``{"ward": name, "code": code}`` features; a clear error if it is not usable."""
    path = Path(path)
    try:
        stat = path.stat()
    except FileNotFoundError:
        raise ProjectError([f"ward boundary file {path} does not exist; check [reference] ward_boundaries in "
                            "oda.toml (relative to the project folder) or remove it to draw wards from addresses"]) \
            from None
    key = (stat.st_mtime_ns, stat.st_size)
    with _lock:
        cached = _cache.get(path)
        if cached and cached[0] == key:
            return cached[1]
    normalised = _normalise(path, name_property, code_property)
    with _lock:
        _cache[path] = (key, normalised)
    return normalised


def _normalise(path: Path, name_property: str, code_property: str) -> dict:
    def problem(text: str) -> ProjectError:
        return ProjectError([f"ward boundary file {path}: {text}"])

    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise problem(f"is not readable GeoJSON ({exc}); download the boundaries as GeoJSON") from None
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise problem("is not a GeoJSON FeatureCollection")
    features = []
    for n, feature in enumerate(document.get("features") or []):
        geometry = (feature or {}).get("geometry") or {}
        properties = (feature or {}).get("properties") or {}
        if geometry.get("type") not in ("Polygon", "MultiPolygon"):
            raise problem(f"feature {n} is a {geometry.get('type')!r}, not a Polygon or MultiPolygon")
        if name_property not in properties:
            raise problem(f"feature {n} has no `{name_property}` property (it has {', '.join(sorted(properties))}); "
                          "set [reference] ward_name_property in oda.toml to the property holding the ward name "
                          "(ONS files: WD24NM)")
        _check_wgs84(geometry, problem)
        features.append({"type": "Feature", "geometry": geometry,
                         "properties": {"ward": str(properties[name_property]),
                                        "code": str(properties.get(code_property) or "")}})
    if not features:
        raise problem("holds no features")
    return {"type": "FeatureCollection", "features": features}


def _check_wgs84(geometry: dict, problem) -> None:
    rings = geometry["coordinates"] if geometry["type"] == "Polygon" else \
        [ring for polygon in geometry["coordinates"] for ring in polygon]
    for ring in rings:
        for x, y, *_ in ring:
            if not (-180 <= x <= 180 and -90 <= y <= 90):
                raise problem(f"coordinate ({x}, {y}) is not longitude/latitude; it looks like British National "
                              "Grid. Download the GeoJSON in WGS84 (EPSG:4326), or convert it with "
                              "`ogr2ogr -t_srs EPSG:4326 out.geojson in.geojson`")
        return  # the first ring tells which coordinate system the file uses
