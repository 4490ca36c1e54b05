"""People and businesses: the single view of one resolved entity and why its records are one entity.

- ``/person/{person_id}`` — a person's addresses over time (``out.person_addresses``), the records from
  each source that make up the person, and for each link inside the person the match weight taken
  apart comparison by comparison (an SVG waterfall that needs no script or network, and a table of the
  same numbers for screen readers and copying);
- ``/business/{business_id}`` — premises, directors (people named on its records), "known to N
  agencies", records by source, and the same explanation;
- ``/businesses`` — every business with the events at its premises, and the concentration analysis
  (the share of complaints and enforcement held by the top 5% of businesses);
- ``/search?q=`` — people and businesses by name (or company number), for analysts: every word must
  appear in the name. The words searched are audit-logged (a name search is itself a use of personal
  data), and a search is refused below :data:`MIN_SEARCH_CHARACTERS`, so the page cannot list everyone.

Minimisation follows the property page: personal details (names, dates of birth, phones, e-mails) are
shown only as :data:`~oda.web.permissions.PERSONAL_FIELDS` allows the role, in records and in the
values an explanation compares. An officer opens only entities tied to a property on a worklist of
their organisation (checked in :mod:`oda.web.permissions`) and, on the page, sees only the records,
addresses and links at such properties; the rest is counted, not shown. Every view is audit-logged.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Depends, Request
from starlette.exceptions import HTTPException

from oda.link.entities.explain import stored_pair_steps, waterfall_svg
from oda.store import audit
from oda.web.auth import remote_addr
from oda.web.data import EntityRecord, plain
from oda.web.permissions import Access, authorise
from oda.web.rendering import render
from oda.web.routes.property import hidden_personal_columns, personal_and_hidden

router = APIRouter()

MAX_EXPLAINED_LINKS = 20
"""Links explained on a page, weakest first (where a wrong link would show); the rest are counted."""
MAX_LISTED_BUSINESSES = 500
MAX_NAMED_DIRECTORS = 50
MAX_SEARCH_RESULTS = 50
"""People, and businesses, listed per search; a search finding more asks for more words."""
MIN_SEARCH_CHARACTERS = 3
MAX_SEARCH_WORDS = 6

COMPARISON_PERSONAL_FIELD = {"first_name": "name", "surname": "name", "full_name": "name", "dob": "date_of_birth",
                             "date_of_birth": "date_of_birth", "phone": "phone", "email": "email"}
"""Which personal detail a comparison's compared values reveal (comparison names as the resolve stage writes
them, with their term-frequency steps); values of the others (postcode, address, UPRN) are not personal."""


@dataclass(frozen=True)
class ExplainedLink:
    """One link inside an entity: its records, and its match weight taken apart."""

    a: str
    b: str
    match_probability: float
    steps: list[dict[str, Any]]
    svg: str


@dataclass(frozen=True)
class ComparisonSummary:
    """One comparison across every link inside an entity: how it moved the match weight on average."""

    comparison: str
    mean_weight: float
    raised: int
    lowered: int


def cluster_summary(explanations: list[list[dict[str, Any]]]) -> list[ComparisonSummary]:
    """Per comparison (prior and total left out), its mean weight over the links and how many links it raised
    or lowered, most influential first: the cluster-level answer to "why are these one entity"."""
    weights: dict[str, list[float]] = defaultdict(list)
    for steps in explanations:
        for step in steps:
            if step["comparison"] not in ("prior", "total"):
                weights[step["comparison"]].append(float(step["match_weight"] or 0.0))
    summary = [ComparisonSummary(name, sum(ws) / len(ws), sum(w > 0 for w in ws), sum(w < 0 for w in ws))
               for name, ws in weights.items()]
    return sorted(summary, key=lambda c: (-abs(c.mean_weight), c.comparison))


@dataclass(frozen=True)
class EntityPage:
    """What the entity pages show, already minimised for the role and scoped for an officer."""

    records: dict[str, list[dict[str, Any]]]  # source → records (shown fields only)
    hidden_records: int
    links: list[ExplainedLink]
    unexplained_links: int
    summary: list[ComparisonSummary]


def _visible_uprns(request: Request, access: Access, uprns: set[str]) -> set[str]:
    """The UPRNs an officer may see (on their organisation's worklists); all of them for other roles."""
    if access.organisation_scope is None:
        return uprns
    data = request.app.state.data
    return {u for u in uprns if access.organisation_scope in data.property_organisations(u)}


PIPELINE_COLUMNS = frozenset({"record_id", "row_number", "source", "name_initial"})
"""Staging's bookkeeping and derived columns, not what a source said (nor are ``_*``, ``*_valid``, ``*_invalid``)."""

def _hidden_columns(access: Access) -> set[str]:
    return hidden_personal_columns(access)


def _shown(column: str, hidden: set[str], access: Access) -> bool:
    return not (personal_and_hidden(column, hidden, access) or column in PIPELINE_COLUMNS or column.startswith("_")
                or column.endswith(("_valid", "_invalid")))


def _shown_record(record: EntityRecord, hidden: set[str], access: Access) -> dict[str, Any]:
    return {"record_id": record.record_id, "uprn": record.uprn or "", "joint": record.joint,
            "match_probability": record.match_probability,
            "fields": [(k, plain(v)) for k, v in record.fields.items() if _shown(k, hidden, access)]}


def minimised_steps(steps: list[dict[str, Any]], access: Access) -> list[dict[str, Any]]:
    """An explanation with the compared values the role may not see replaced by "hidden"."""
    shown = []
    for step in steps:
        comparison = str(step["comparison"]).split(" (", 1)[0]
        kind = COMPARISON_PERSONAL_FIELD.get(comparison)
        if kind is not None and kind not in access.personal_fields:
            step = {**step, "value_l": "hidden" if step.get("value_l") is not None else None,
                    "value_r": "hidden" if step.get("value_r") is not None else None}
        shown.append(step)
    return shown


def entity_page(request: Request, access: Access, entity: str, entity_id: str) -> EntityPage:
    """The records and explained links of one entity, as this role may see them."""
    data = request.app.state.data
    records = data.entity_records(entity, entity_id)
    if not records:
        raise HTTPException(404, f"There is no {entity} {entity_id} in this project's resolved "
                                 f"{'people' if entity == 'person' else 'businesses'}.")
    visible_uprns = _visible_uprns(request, access, {r.uprn for r in records if r.uprn})
    scoped = access.organisation_scope is not None
    visible = [r for r in records if not scoped or r.uprn in visible_uprns]
    hidden = _hidden_columns(access)
    by_source: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for record in visible:
        by_source[record.source].append(_shown_record(record, hidden, access))
    keys = {(r.source, r.record_id) for r in visible}
    pairs = [p for p in data.entity_pairs(entity, entity_id)
             if not scoped or {(p["source_l"], p["record_id_l"].split("#")[0]),
                               (p["source_r"], p["record_id_r"].split("#")[0])} <= keys]
    explanations = [stored_pair_steps(pair["explanation"], pair["match_probability"]) for pair in pairs]
    links = []
    for pair, stored in zip(pairs[:MAX_EXPLAINED_LINKS], explanations):
        steps = minimised_steps(stored, access)
        links.append(ExplainedLink(f"{pair['source_l']} {pair['record_id_l']}",
                                   f"{pair['source_r']} {pair['record_id_r']}",
                                   float(pair["match_probability"] or 0), steps, waterfall_svg(steps)))
    return EntityPage(dict(sorted(by_source.items())), len(records) - len(visible), links,
                      len(pairs) - len(links), cluster_summary(explanations))


def _audit_view(request: Request, access: Access, entity: str, entity_id: str) -> None:
    audit.record(request.app.state.store, username=access.username, role=access.role, action=f"view_{entity}",
                 object_type=entity, object_id=entity_id, remote_addr=remote_addr(request))


@router.get("/person/{person_id}", name="person")
def person_page(request: Request, person_id: str, access: Access = Depends(authorise)):
    data = request.app.state.data
    page = entity_page(request, access, "person", person_id)
    _audit_view(request, access, "person", person_id)
    addresses = data.person_addresses(person_id)
    visible_uprns = _visible_uprns(request, access, {str(a["uprn"]) for a in addresses})
    shown_addresses = [a for a in addresses if str(a["uprn"]) in visible_uprns]
    name = ""
    if "name" in access.personal_fields:
        name = next((a["name"] for a in addresses if a.get("name")), "") or data.person_names([person_id]).get(
            person_id, "")
    return render(request, access, "person.html", {
        "person_id": person_id, "name": name, "page": page, "addresses": shown_addresses,
        "hidden_addresses": len(addresses) - len(shown_addresses),
        "resolved_addresses": data.has("out.person_addresses"),
    })


@router.get("/business/{business_id}", name="business")
def business_page(request: Request, business_id: str, access: Access = Depends(authorise)):
    data = request.app.state.data
    page = entity_page(request, access, "business", business_id)
    _audit_view(request, access, "business", business_id)
    profile = next(iter(data.business_profiles(business_id)), None)
    premises_uprns = [u for u in str((profile or {}).get("premises_uprns") or "").split(", ") if u]
    if not premises_uprns:
        premises_uprns = sorted({r["uprn"] for rs in page.records.values() for r in rs if r["uprn"]})
    visible = _visible_uprns(request, access, set(premises_uprns))
    addresses = data.addresses([u for u in premises_uprns if u in visible])
    premises = [(u, addresses.get(u, "")) for u in premises_uprns if u in visible]
    director_ids = [d for d in str((profile or {}).get("director_ids") or "").split(", ") if d]
    names = _person_names(data, director_ids[:MAX_NAMED_DIRECTORS]) if "name" in access.personal_fields else {}
    directors = [(d, names.get(d) or f"Person {n}") for n, d in enumerate(director_ids, start=1)]
    name = (profile or {}).get("name") or next(
        (dict(r["fields"]).get("business_name") for rs in page.records.values() for r in rs
         if dict(r["fields"]).get("business_name")), "") or f"Business {business_id}"
    return render(request, access, "business.html", {
        "business_id": business_id, "name": name, "profile": profile, "page": page, "premises": premises,
        "hidden_premises": len(premises_uprns) - len(premises), "directors": directors,
    })


def _person_names(data, person_ids: list[str]) -> dict[str, str]:
    """person_id → name: the single view's, else the most common name on the person's records (a director
    whose records name no address in the borough has no row in ``out.person_addresses``)."""
    names = data.person_names(person_ids)
    for person_id in person_ids:
        if person_id not in names:
            counts: dict[str, int] = defaultdict(int)
            for record in data.entity_records("person", person_id):
                name = str(record.fields.get("full_name") or " ".join(
                    str(record.fields[k]) for k in ("first_name", "surname") if record.fields.get(k)))
                if name:
                    counts[name] += 1
            if counts:
                names[person_id] = max(sorted(counts), key=counts.__getitem__)
    return names


@router.get("/businesses", name="businesses")
def businesses_page(request: Request, access: Access = Depends(authorise)):
    data = request.app.state.data
    profiles = data.business_profiles()
    if access.organisation_scope is not None:
        profiles = [p for p in profiles if _visible_uprns(
            request, access, {u for u in str(p.get("premises_uprns") or "").split(", ") if u})]
    return render(request, access, "businesses.html", {
        "businesses": profiles[:MAX_LISTED_BUSINESSES], "more": max(0, len(profiles) - MAX_LISTED_BUSINESSES),
        "concentration": data.business_concentration(), "resolved": data.has("out.business_profile"),
    })


def search_words(text: str) -> list[str]:
    """The words of a search, as matched: at most :data:`MAX_SEARCH_WORDS`, punctuation kept (O'Brien)."""
    return text.split()[:MAX_SEARCH_WORDS]


@router.get("/search", name="search")
def search_page(request: Request, q: str = "", access: Access = Depends(authorise)):
    data = request.app.state.data
    query = " ".join(q.split())[:200]
    words = search_words(query)
    problem = ""
    people: list[dict[str, Any]] = []
    businesses: list[dict[str, Any]] = []
    if query and len("".join(words)) < MIN_SEARCH_CHARACTERS:
        problem = f"Enter at least {MIN_SEARCH_CHARACTERS} letters of a name or a company number."
    elif words:
        audit.record(request.app.state.store, username=access.username, role=access.role, action="search_entities",
                     object_type="entities", object_id=query, remote_addr=remote_addr(request))
        people = data.search_people(words, MAX_SEARCH_RESULTS + 1)
        businesses = data.search_businesses(words, MAX_SEARCH_RESULTS + 1)
    return render(request, access, "search.html", {
        "query": query, "problem": problem, "searched": bool(words) and not problem,
        "people": people[:MAX_SEARCH_RESULTS], "more_people": len(people) > MAX_SEARCH_RESULTS,
        "businesses": businesses[:MAX_SEARCH_RESULTS], "more_businesses": len(businesses) > MAX_SEARCH_RESULTS,
        "limit": MAX_SEARCH_RESULTS,
        "resolved": data.has("out.person_addresses") or data.has("out.business_profile"),
    })
