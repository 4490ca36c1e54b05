"""One property: gazetteer details, score and reasons, linked records by source, timeline, people and
businesses (minimised per role), a small map. Every view is written to the audit log, once."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Depends, Request
from starlette.exceptions import HTTPException

from oda.store import audit, outcomes
from oda.web import queries
from oda.web.auth import remote_addr
from oda.web.data import EVENT_FIELDS, PERSON_NAME_FIELDS, LinkedRecord, plain
from oda.web.permissions import Access, authorise
from oda.web.rendering import OUTCOME_LABELS, render
from oda.web.worklists import band_colour

router = APIRouter()

PERSONAL_COLUMNS = {"name": PERSON_NAME_FIELDS, "date_of_birth": ("date_of_birth",), "phone": ("phone",),
                    "email": ("email",)}


GAZETTEER_LABELS = {"uprn": "UPRN", "parent_uprn": "Parent UPRN", "usrn": "USRN", "classification": "Class",
                    "sao_text": "Flat or unit", "pao_start_number": "Building number", "pao_start_suffix": "Number suffix",
                    "pao_end_number": "Number range ends", "pao_text": "Building name", "lsoa": "LSOA",
                    "lsoa_code": "LSOA code", "imd_decile": "Deprivation decile (IMD, 1 = most deprived)"}
GAZETTEER_HIDDEN = frozenset({"lat", "lon", "record_id", "source", "single_line_address"})
"""Pipeline bookkeeping and duplicates of what the page shows elsewhere; columns starting with ``_`` and
``*_invalid`` flags are hidden too."""


def gazetteer_rows(gazetteer: dict[str, Any]) -> list[tuple[str, str]]:
    """The property's gazetteer entry as an officer reads it: labelled, without the pipeline's own columns."""
    return [(GAZETTEER_LABELS.get(k, k.replace("_", " ").capitalize()), plain(v)) for k, v in gazetteer.items()
            if k not in GAZETTEER_HIDDEN and not k.startswith("_") and not k.endswith("_invalid")
            and v not in (None, "")]


@dataclass(frozen=True)
class TimelineEvent:
    when: str
    what: str
    source: str


@router.get("/property/{uprn}", name="property")
def property_page(request: Request, uprn: str, access: Access = Depends(authorise)):
    state = request.app.state
    view = state.data.property(uprn)
    if view is None:
        raise HTTPException(404, f"There is no property with UPRN {uprn} in this project.")
    audit.record(state.store, username=access.username, role=access.role, action="view_property",
                 object_type="property", object_id=uprn, remote_addr=remote_addr(request))
    visits = [v for v in outcomes.current_outcomes(state.store, uprn=uprn)
              if access.organisation_scope is None or v.organisation == access.organisation_scope]
    assignment = queries.assignments(state.store, [uprn]).get(uprn)
    records = {source: [_minimised(r, access) for r in rs] for source, rs in view.records.items()}
    point = _point(view.gazetteer)
    return render(request, access, "property.html", {
        "view": view, "records": records, "visits": visits, "assignment": assignment,
        "people": _people(view.records, access), "businesses": _businesses(view.records),
        "timeline": _timeline(view.records, visits), "point": point,
        "colour": band_colour(str(view.score.get("band", ""))) if view.score else "#505a5f",
        "gazetteer_rows": gazetteer_rows(view.gazetteer),
    })


def _minimised(record: LinkedRecord, access: Access) -> dict[str, Any]:
    hidden = {column for kind, columns in PERSONAL_COLUMNS.items() if kind not in access.personal_fields
              for column in columns}
    return {"record_id": record.record_id, "tier": record.tier, "probability": record.probability,
            "reasons": record.reasons,
            "fields": [(k, plain(v)) for k, v in record.fields.items() if k not in hidden]}


def _people(records: dict[str, list[LinkedRecord]], access: Access) -> list[dict[str, Any]]:
    """One entry per resolved person: their names (if the role may see them) and where they appear."""
    people: dict[str, dict[str, Any]] = defaultdict(lambda: {"names": set(), "sources": set(), "dob": set(),
                                                             "phone": set()})
    for source, rs in records.items():
        for r in rs:
            if not r.person_id:
                continue
            person = people[r.person_id]
            person["sources"].add(source)
            if "name" in access.personal_fields:
                name = r.fields.get("full_name") or " ".join(
                    str(r.fields[k]) for k in ("first_name", "surname") if r.fields.get(k))
                if name:
                    person["names"].add(str(name))
            if "date_of_birth" in access.personal_fields and r.fields.get("date_of_birth"):
                person["dob"].add(plain(r.fields["date_of_birth"]))
            if "phone" in access.personal_fields and r.fields.get("phone"):
                person["phone"].add(str(r.fields["phone"]))
    return [{"id": pid, **{k: sorted(v) for k, v in p.items()}} for pid, p in sorted(people.items())]


def _businesses(records: dict[str, list[LinkedRecord]]) -> list[dict[str, Any]]:
    businesses: dict[str, dict[str, set]] = defaultdict(lambda: {"names": set(), "numbers": set(), "sources": set()})
    for source, rs in records.items():
        for r in rs:
            if not r.business_id:
                continue
            b = businesses[r.business_id]
            b["sources"].add(source)
            if r.fields.get("business_name"):
                b["names"].add(str(r.fields["business_name"]))
            if r.fields.get("company_number"):
                b["numbers"].add(str(r.fields["company_number"]))
    return [{"id": bid, **{k: sorted(v) for k, v in b.items()}} for bid, b in sorted(businesses.items())]


def _timeline(records: dict[str, list[LinkedRecord]], visits) -> list[TimelineEvent]:
    events = []
    labels = {"start_date": "starts", "end_date": "ends", "event_date": "event"}
    for source, rs in records.items():
        for r in rs:
            for field in EVENT_FIELDS:
                if r.fields.get(field):
                    what = str(r.fields.get("event_type") or "") if field == "event_date" else ""
                    events.append(TimelineEvent(plain(r.fields[field])[:10],
                                                f"{source.replace('_', ' ')} record {r.record_id} "
                                                f"{labels[field]}{': ' + what if what else ''}", source))
    for v in visits:
        events.append(TimelineEvent(v.visit_date.isoformat(), f"Visit: {OUTCOME_LABELS.get(v.outcome, v.outcome)}",
                                    "outcome"))
    return sorted(events, key=lambda e: e.when, reverse=True)


def _point(details: dict[str, Any]) -> dict[str, float] | None:
    try:
        return {"lat": float(details["lat"]), "lon": float(details["lon"])}
    except (KeyError, TypeError, ValueError):
        return None
