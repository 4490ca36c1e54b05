"""One property: gazetteer details, score and reasons, linked records by source, timeline, people and
businesses (minimised per role), a small map. Every view is written to the audit log, once.

People and businesses are the entities that entity resolution (``link.person_clusters``,
``link.business_clusters``) found in the property's records: one row each, with the sources whose
records here name them and the dates those records span. Before resolution has run, the page says so
and the linked records stand alone.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Depends, Request
from starlette.exceptions import HTTPException

from oda.datasets import BUSINESS_CLUSTERS, PERSON_CLUSTERS
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
        "resolved": {"people": state.data.has(PERSON_CLUSTERS.name),
                     "businesses": state.data.has(BUSINESS_CLUSTERS.name)},
        "people": resolved_people(view.records, access), "businesses": resolved_businesses(view.records),
        "timeline": _timeline(view.records, visits), "point": point,
        "colour": band_colour(str(view.score.get("band", ""))) if view.score else "#505a5f",
        "gazetteer_rows": gazetteer_rows(view.gazetteer),
    })


RAW_PERSONAL_COLUMNS = {"dateofbirth": "date_of_birth", "dob": "date_of_birth", "birthdate": "date_of_birth",
                        "telephone": "phone", "mobile": "phone", "emailaddress": "email"}
"""Source columns staging left under their own spelling (``DateOfBirth`` → ``dateofbirth``): personal too."""


def hidden_personal_columns(access: Access) -> set[str]:
    """The standard personal columns this role may not see."""
    return {column for kind, columns in PERSONAL_COLUMNS.items() if kind not in access.personal_fields
            for column in columns}


def personal_and_hidden(column: str, hidden: set[str], access: Access) -> bool:
    """A standard personal column the role may not see, or a source's own spelling of one."""
    raw_kind = RAW_PERSONAL_COLUMNS.get(column.replace("_", "").lower())
    return column in hidden or bool(raw_kind and raw_kind not in access.personal_fields)


def _minimised(record: LinkedRecord, access: Access) -> dict[str, Any]:
    hidden = hidden_personal_columns(access)
    return {"record_id": record.record_id, "tier": record.tier, "probability": record.probability,
            "reasons": record.reasons,
            "fields": [(k, plain(v)) for k, v in record.fields.items() if not personal_and_hidden(k, hidden, access)]}


@dataclass(frozen=True)
class ResolvedEntity:
    """One person or business that entity resolution found in this property's records."""

    label: str
    details: tuple[str, ...]
    sources: tuple[tuple[str, int], ...]  # (source, records at this property), most records first
    first_seen: str
    last_seen: str
    entity_id: str = ""  # the person_id or business_id, for the link to its page

    @property
    def records(self) -> int:
        return sum(n for _, n in self.sources)


def resolved_people(records: dict[str, list[LinkedRecord]], access: Access) -> list[ResolvedEntity]:
    """One row per resolved person named by this property's records, with only the details the role may see."""
    by_person: dict[str, list[LinkedRecord]] = defaultdict(list)
    for rs in records.values():
        for r in rs:
            if r.person_id:
                by_person[r.person_id].append(r)
    people = []
    for number, person_records in enumerate(_most_records_first(by_person), start=1):
        names = _values(person_records, _person_name) if "name" in access.personal_fields else []
        details = []
        if "date_of_birth" in access.personal_fields and (born := _values(person_records, "date_of_birth")):
            details.append("born " + " / ".join(born))
        if "phone" in access.personal_fields and (phones := _values(person_records, "phone")):
            details.append("phone " + " / ".join(phones))
        people.append(_entity(" / ".join(names) or f"Person {number}", details, person_records,
                              person_records[0].person_id or ""))
    return people


def resolved_businesses(records: dict[str, list[LinkedRecord]]) -> list[ResolvedEntity]:
    """One row per resolved business named by this property's records (business details are not personal)."""
    by_business: dict[str, list[LinkedRecord]] = defaultdict(list)
    for rs in records.values():
        for r in rs:
            if r.business_id:
                by_business[r.business_id].append(r)
    businesses = []
    for number, business_records in enumerate(_most_records_first(by_business), start=1):
        numbers = _values(business_records, "company_number")
        businesses.append(_entity(" / ".join(_values(business_records, "business_name")) or f"Business {number}",
                                  [f"company {', '.join(numbers)}"] if numbers else [], business_records,
                                  business_records[0].business_id or ""))
    return businesses


def _most_records_first(groups: dict[str, list[LinkedRecord]]) -> list[list[LinkedRecord]]:
    return [groups[key] for key in sorted(groups, key=lambda k: (-len(groups[k]), k))]


def _entity(label: str, details: list[str], records: list[LinkedRecord], entity_id: str = "") -> ResolvedEntity:
    counts: dict[str, int] = defaultdict(int)
    for r in records:
        counts[r.source] += 1
    dates = sorted(plain(r.fields[f])[:10] for r in records for f in EVENT_FIELDS if r.fields.get(f))
    return ResolvedEntity(label, tuple(details), tuple(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))),
                          dates[0] if dates else "", dates[-1] if dates else "", entity_id)


def _person_name(fields: dict[str, Any]) -> str:
    return str(fields.get("full_name") or " ".join(str(fields[k]) for k in ("first_name", "surname") if fields.get(k)))


def _values(records: list[LinkedRecord], field) -> list[str]:
    """Distinct non-empty values of a field (or of a function of the fields), most frequent first."""
    counts: dict[str, int] = defaultdict(int)
    for r in records:
        value = field(r.fields) if callable(field) else plain(r.fields.get(field))
        if value:
            counts[value] += 1
    return sorted(counts, key=lambda v: (-counts[v], v))


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
