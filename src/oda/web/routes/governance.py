"""Governance pages: the audit log (searchable, exportable, append-only), agreements, transparency record."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from oda.errors import OdaError
from oda.store import audit
from oda.web.auth import remote_addr
from oda.web.permissions import Access, authorise
from oda.web.rendering import render

router = APIRouter()
PAGE_SIZE = 100
ACTIONS = ("login", "login_failed", "logout", "view_property", "view_person", "view_business", "export",
           "record_outcome", "edit_outcome",
           "review_address", "assign", "add_user", "change_user", "unlock_user", "deactivate_user",
           "reactivate_user")


def _search(request: Request, username: str, action: str, object_id: str, since: str, until: str,
            limit: int, offset: int) -> list[audit.AuditEntry]:
    return audit.search(request.app.state.store, username=username.strip() or None, action=action or None,
                        object_id=object_id.strip() or None, since=_day(since, "from"),
                        until=_day(until, "to", next_day=True), limit=limit, offset=offset)


def _day(text: str, label: str, *, next_day: bool = False) -> datetime | None:
    if not text.strip():
        return None
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise OdaError(f"the `{label}` date {text!r} is not a date like 2026-03-27; correct it and search again") \
            from None
    moment = datetime(day.year, day.month, day.day, tzinfo=timezone.utc)
    return moment + timedelta(days=1) if next_day else moment


@router.get("/governance/audit", name="governance_audit")
def audit_log(request: Request, username: str = "", action: str = "", object_id: str = "", since: str = "",
              until: str = "", page: int = 1, access: Access = Depends(authorise)):
    page = max(page, 1)
    entries = _search(request, username, action, object_id, since, until, PAGE_SIZE + 1, (page - 1) * PAGE_SIZE)
    query = {k: v for k, v in (("username", username), ("action", action), ("object_id", object_id),
                               ("since", since), ("until", until)) if v}
    return render(request, access, "governance_audit.html", {
        "entries": entries[:PAGE_SIZE], "has_next": len(entries) > PAGE_SIZE, "page": page, "query": query,
        "actions": ACTIONS, "total": audit.count(request.app.state.store)})


@router.get("/governance/audit/export", name="governance_audit_export")
def audit_export(request: Request, username: str = "", action: str = "", object_id: str = "", since: str = "",
                 until: str = "", access: Access = Depends(authorise)):
    entries = _search(request, username, action, object_id, since, until, 1_000_000, 0)
    audit.record(request.app.state.store, username=access.username, role=access.role, action="export",
                 object_type="audit_log", object_id="audit_log",
                 detail={"rows": len(entries), "filters": {"username": username, "action": action,
                                                            "object_id": object_id, "since": since, "until": until}},
                 remote_addr=remote_addr(request))
    return Response(audit.export_csv(entries), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="audit-log.csv"'})


@router.get("/governance/agreements", name="governance_agreements")
def agreements(request: Request, access: Access = Depends(authorise)):
    config = request.app.state.project.config
    sources_by_agreement: dict[str, list[str]] = {}
    for name, source in config.sources.items():
        sources_by_agreement.setdefault(source.agreement, []).append(name)
    return render(request, access, "governance_agreements.html", {
        "agreements": config.agreements, "organisations": config.organisations,
        "sources_by_agreement": sources_by_agreement, "purpose": config.purpose})


@router.get("/governance/transparency", name="governance_transparency")
def transparency(request: Request, access: Access = Depends(authorise)):
    config = request.app.state.project.config
    return render(request, access, "governance_transparency.html", {
        "config": config, "charter": config.charter, "gaps": config.charter.missing()})
