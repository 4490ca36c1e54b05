"""The map of the worklist (or any filtered part of it) and its GeoJSON layers.

Ward outlines come from the project's ward boundary file when it declares one (:mod:`oda.web.ward_boundaries`).
Every point on the map is also in a table beside it, so keyboard and screen-reader users reach them all.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from oda.web.permissions import Access, authorise
from oda.web.rendering import render
from oda.web.ward_boundaries import ward_outlines
from oda.web.worklists import BAND_COLOURS, STATUSES, Filters, band_colour, select, worklist_items

router = APIRouter()


@router.get("/map", name="map")
def map_page(request: Request, ward: str = "", status: str = "", assignee: str = "",
             access: Access = Depends(authorise)):
    state = request.app.state
    filters = Filters(ward, status, assignee)
    everything = worklist_items(state.data, state.store, access)
    items = select(everything, filters, access.username)
    return render(request, access, "map.html", {
        "filters": filters, "statuses": STATUSES, "items": items, "band_colours": BAND_COLOURS,
        "outlines": ward_outlines(state.project, state.data),
        "wards": sorted({i.row.ward for i in everything if i.row.ward}),
        "assignees": sorted({i.assignee for i in everything if i.assignee}),
    })


@router.get("/map/points.geojson", name="map_points")
def points(request: Request, ward: str = "", status: str = "", assignee: str = "",
           access: Access = Depends(authorise)):
    state = request.app.state
    items = select(worklist_items(state.data, state.store, access), Filters(ward, status, assignee),
                   access.username)
    features = [{
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [i.row.lon, i.row.lat]},
        "properties": {"uprn": i.row.uprn, "rank": i.row.rank, "address": i.row.address, "band": i.row.band,
                       "colour": band_colour(i.row.band), "status": i.status, "url": f"/property/{i.row.uprn}"},
    } for i in items if i.row.lat is not None and i.row.lon is not None]
    return JSONResponse({"type": "FeatureCollection", "features": features})


@router.get("/map/wards.geojson", name="map_wards")
def wards(request: Request, access: Access = Depends(authorise)):
    state = request.app.state
    return JSONResponse(ward_outlines(state.project, state.data).geojson)
