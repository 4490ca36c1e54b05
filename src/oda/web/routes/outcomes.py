"""Record a visit outcome, and correct it later with its history kept. Outcomes feed the next scoring run."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse
from starlette.exceptions import HTTPException

from oda.errors import StoreError
from oda.store import audit, outcomes
from oda.store.schema import OUTCOMES
from oda.web.auth import remote_addr
from oda.web.permissions import Access, authorise
from oda.web.rendering import render

router = APIRouter()


@router.get("/property/{uprn}/outcomes/new", name="outcome_new")
def new_outcome(request: Request, uprn: str, access: Access = Depends(authorise)):
    today = date.today()
    return _form(request, access, uprn=uprn, action=f"/property/{uprn}/outcomes",
                 values={"day": str(today.day), "month": str(today.month), "year": str(today.year),
                         "outcome": "", "notes": ""})


@router.post("/property/{uprn}/outcomes", name="outcome_create")
def create_outcome(request: Request, uprn: str, day: str = Form(""), month: str = Form(""), year: str = Form(""),
                   outcome: str = Form(""), notes: str = Form(""), access: Access = Depends(authorise)):
    values = {"day": day, "month": month, "year": year, "outcome": outcome, "notes": notes}
    visit_date, errors = _validate(values)
    state = request.app.state
    if not errors:
        try:
            organisation = access.organisation_scope or access.account.organisation
            saved = outcomes.record_outcome(state.store, uprn=uprn, organisation=organisation,
                                            visit_date=visit_date, outcome=outcome, recorded_by=access.username,
                                            notes=notes.strip())
        except StoreError as exc:
            errors["day"] = str(exc)
        else:
            audit.record(state.store, username=access.username, role=access.role, action="record_outcome",
                         object_type="property", object_id=uprn,
                         detail={"visit_key": saved.visit_key, "outcome": outcome,
                                 "visit_date": visit_date.isoformat()}, remote_addr=remote_addr(request))
            return RedirectResponse(f"/property/{uprn}#visits", status_code=303)
    return _form(request, access, uprn=uprn, action=f"/property/{uprn}/outcomes", values=values, errors=errors)


@router.get("/outcomes/{visit_key}/edit", name="outcome_edit")
def edit_outcome_form(request: Request, visit_key: str, access: Access = Depends(authorise)):
    history = outcomes.history(request.app.state.store, visit_key)
    if not history:
        raise HTTPException(404, f"There is no visit {visit_key}.")
    latest = history[-1]
    values = {"day": str(latest.visit_date.day), "month": str(latest.visit_date.month),
              "year": str(latest.visit_date.year), "outcome": latest.outcome, "notes": latest.notes}
    return _form(request, access, uprn=latest.uprn, action=f"/outcomes/{visit_key}", values=values,
                 history=history)


@router.post("/outcomes/{visit_key}", name="outcome_update")
def update_outcome(request: Request, visit_key: str, day: str = Form(""), month: str = Form(""),
                   year: str = Form(""), outcome: str = Form(""), notes: str = Form(""),
                   access: Access = Depends(authorise)):
    state = request.app.state
    history = outcomes.history(state.store, visit_key)
    if not history:
        raise HTTPException(404, f"There is no visit {visit_key}.")
    uprn = history[-1].uprn
    values = {"day": day, "month": month, "year": year, "outcome": outcome, "notes": notes}
    visit_date, errors = _validate(values)
    if not errors:
        try:
            saved = outcomes.edit_outcome(state.store, visit_key, recorded_by=access.username, outcome=outcome,
                                          visit_date=visit_date, notes=notes.strip())
        except StoreError as exc:
            errors["day"] = str(exc)
        else:
            audit.record(state.store, username=access.username, role=access.role, action="edit_outcome",
                         object_type="property", object_id=uprn,
                         detail={"visit_key": visit_key, "version": saved.version, "outcome": outcome,
                                 "visit_date": visit_date.isoformat()}, remote_addr=remote_addr(request))
            return RedirectResponse(f"/property/{uprn}#visits", status_code=303)
    return _form(request, access, uprn=uprn, action=f"/outcomes/{visit_key}", values=values, errors=errors,
                 history=history)


def _validate(values: dict[str, str]) -> tuple[date | None, dict[str, str]]:
    errors: dict[str, str] = {}
    visit_date = None
    try:
        visit_date = date(int(values["year"]), int(values["month"]), int(values["day"]))
    except ValueError:
        errors["day"] = "Enter the visit date as a real date, for example 27 3 2026"
    else:
        if visit_date > date.today():
            errors["day"] = "The visit date must be today or in the past"
    if values["outcome"] not in OUTCOMES:
        errors["outcome"] = "Select what the visit found"
    if len(values["notes"]) > 5000:
        errors["notes"] = "Notes must be 5,000 characters or fewer"
    return visit_date, errors


def _form(request: Request, access: Access, *, uprn: str, action: str, values: dict[str, str],
          errors: dict[str, str] | None = None, history=None):
    view = request.app.state.data.property(uprn)
    address = (view.gazetteer.get("address") if view else "") or f"UPRN {uprn}"
    return render(request, access, "outcome_form.html", {
        "uprn": uprn, "address": address, "action": action, "values": values, "errors": errors or {},
        "outcomes": OUTCOMES, "history": history or []}, status_code=422 if errors else 200)
