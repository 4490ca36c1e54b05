"""The ranked worklist: filters, assign to me, capacity, and logged exports (CSV and Excel)."""

from __future__ import annotations

import csv
import io
from typing import Literal

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from openpyxl import Workbook

from oda.errors import PermissionDenied
from oda.store import audit
from oda.web import queries
from oda.web.auth import remote_addr, safe_next
from oda.web.data import ProjectData, WorklistRow
from oda.web.permissions import Access, authorise
from oda.web.queries import WorkState
from oda.web.rendering import render
from oda.web.worklists import STATUSES, Filters, Item

router = APIRouter()
PAGE_SIZE = 50
"""Rows per worklist page: a day's visits fit on one, and a 2,000-row list stays quick to serve."""


@router.get("/worklist", name="worklist")
def worklist(request: Request, ward: str = "", status: str = "", assignee: str = "", page: int = 1,
             access: Access = Depends(authorise)):
    state = request.app.state
    filters = Filters(ward, status, assignee)
    scope = access.organisation_scope
    worked = queries.worked_properties(state.store, state.data.worklist_uprns(organisation_scope=scope))
    rows = _matching(state.data, scope, filters, worked, access.username)
    pages = max(1, -(-len(rows) // PAGE_SIZE))
    page = min(max(page, 1), pages)
    first = (page - 1) * PAGE_SIZE
    return render(request, access, "worklist.html", {
        "items": _items(rows[first:first + PAGE_SIZE], worked), "matched": len(rows), "first": first + 1,
        "page": page, "pages": pages, "filters": filters, "statuses": STATUSES,
        "wards": state.data.wards(organisation_scope=scope),
        "assignees": sorted({w.assignee for w in worked.values() if w.assignee}),
        "capacity": state.project.config.worklist.capacity,
        "total": len(state.data.worklist_uprns(organisation_scope=scope)),
        "mine": sum(1 for w in worked.values() if w.assignee == access.username and w.status == "assigned"),
        "show_exploration": access.role == "analyst",
    })


def _matching(data: ProjectData, scope: str | None, filters: Filters, worked: dict[str, WorkState],
              username: str) -> list[WorklistRow]:
    """The worklist rows that pass the filters, in rank order. Only the store's few worked properties
    are looked at per request: the list itself (whole, or one ward's) is cached by ``data``, and a
    status or assignee filter is one set look-up a row; an ``Item`` is built only for the rows shown."""
    if filters.ward and filters.ward not in data.wards(organisation_scope=scope):
        return []  # not a ward of this worklist: no query, and no cache entry per made-up name
    rows = data.worklist(organisation_scope=scope, ward=filters.ward or None)
    wanted = username if filters.assignee == "me" else filters.assignee
    if not filters.status and not wanted:
        return rows
    unworked = WorkState("", False)
    return [r for r in rows
            if (not filters.status or worked.get(r.uprn, unworked).status == filters.status)
            and (not wanted or worked.get(r.uprn, unworked).assignee == ("" if wanted == "nobody" else wanted))]


def _items(rows: list[WorklistRow], worked: dict[str, WorkState]) -> list[Item]:
    items = []
    for row in rows:
        work = worked.get(row.uprn)
        items.append(Item(row, work.assignee, work.status) if work else Item(row, "", "unassigned"))
    return items


@router.post("/worklist/{uprn}/assign", name="worklist_assign")
def assign(request: Request, uprn: str, next: str = Form("/worklist"), access: Access = Depends(authorise)):
    state = request.app.state
    rows = [r for r in state.data.worklist(organisation_scope=access.organisation_scope) if r.uprn == uprn]
    if not rows:
        raise PermissionDenied(f"property {uprn} is not on a worklist you can work")
    queries.assign(state.store, worklist_id=rows[0].worklist_id, uprn=uprn, assignee=access.username)
    audit.record(state.store, username=access.username, role=access.role, action="assign", object_type="property",
                 object_id=uprn, detail={"worklist_id": rows[0].worklist_id}, remote_addr=remote_addr(request))
    return RedirectResponse(safe_next(next), status_code=303)


@router.get("/worklist/export", name="worklist_export")
def export(request: Request, format: Literal["csv", "xlsx"] = "csv", ward: str = "", status: str = "",
           assignee: str = "", access: Access = Depends(authorise)):
    state = request.app.state
    filters = Filters(ward, status, assignee)
    scope = access.organisation_scope
    worked = queries.worked_properties(state.store, state.data.worklist_uprns(organisation_scope=scope))
    items = _items(_matching(state.data, scope, filters, worked, access.username), worked)
    header, rows = _table(items, with_exploration=access.role == "analyst")
    audit.record(state.store, username=access.username, role=access.role, action="export", object_type="worklist",
                 object_id=",".join(sorted({i.row.worklist_id for i in items})) or "-",
                 detail={"format": format, "rows": len(items), "filters": filters.query()},
                 remote_addr=remote_addr(request))
    if format == "xlsx":
        book = Workbook(write_only=True)
        sheet = book.create_sheet("worklist")
        sheet.append(header)
        for row in rows:
            sheet.append(row)
        buffer = io.BytesIO()
        book.save(buffer)
        return Response(buffer.getvalue(), headers={"Content-Disposition": 'attachment; filename="worklist.xlsx"'},
                        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(header)
    writer.writerows(rows)
    return Response(text.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="worklist.csv"'})


def _table(items: list[Item], *, with_exploration: bool) -> tuple[list[str], list[list]]:
    header = ["rank", "uprn", "address", "ward", "score", "band", "reasons", "status", "assignee"]
    if with_exploration:
        header.append("exploration")
    rows = []
    for i in items:
        row = [i.row.rank, i.row.uprn, i.row.address, i.row.ward, round(i.row.score, 4), i.row.band,
               "; ".join(i.row.reasons), i.status, i.assignee]
        if with_exploration:
            row.append(i.row.exploration)
        rows.append(row)
    return header, rows
