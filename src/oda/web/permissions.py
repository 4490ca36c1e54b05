"""Who may do what: the one table of route → roles, the organisation rule, and the one check that enforces them.

Every route of the app is named in :data:`RULES`; :func:`authorise` runs before every route (it is an
app-wide dependency) and refuses a route that is missing from the table, so a new page is closed until
someone decides who may see it. A test walks every route with every role, generated from this table.

The organisation rule: an officer works for one organisation and sees only that organisation's
worklists, the properties on them and the outcomes it recorded. Listings are filtered with
:attr:`Access.organisation_scope`; a property or visit named in the URL is checked here. So is a person or
business: an officer opens one only when its records name a property on their organisation's worklists,
and the page then shows only what is at those properties (:mod:`oda.web.routes.entities`).

What personal details each role sees on a property page is the second table, :data:`PERSONAL_FIELDS`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from fastapi import Request
from fastapi.routing import APIRoute

from oda.errors import PermissionDenied
from oda.store.accounts import Account
from oda.store.schema import ROLES
from oda.web import queries
from oda.web.sessions import Session, current_account, read_session

Scope = Literal["public", "all", "own"]
"""public: no sign-in; all: every record; own: an organisation-bound role sees its organisation's records only."""

ORGANISATION_BOUND_ROLES = frozenset({"officer"})
EVERYONE = frozenset(ROLES)
FIELD_TEAM = frozenset({"officer", "analyst", "admin"})


@dataclass(frozen=True)
class Rule:
    roles: frozenset[str]
    scope: Scope = "all"
    purpose: str = ""


def _rule(roles: set[str] | frozenset[str], scope: Scope = "all", purpose: str = "") -> Rule:
    unknown = set(roles) - EVERYONE
    if unknown:
        raise ValueError(f"permissions table names unknown role(s) {sorted(unknown)}; roles are {ROLES}")
    return Rule(frozenset(roles), scope, purpose)


PUBLIC = Rule(frozenset(), "public")

RULES: dict[str, Rule] = {
    # signing in and out
    "sign_in": PUBLIC,
    "sign_in_submit": PUBLIC,
    "health": PUBLIC,
    "sign_out": _rule(EVERYONE, purpose="end the session"),
    "home": _rule(EVERYONE, purpose="start page for the role"),
    # officers' work
    "worklist": _rule(FIELD_TEAM, "own", "the ranked worklist"),
    "worklist_export": _rule({"officer", "analyst"}, "own", "CSV or Excel copy of the worklist (logged)"),
    "worklist_assign": _rule({"officer"}, "own", "assign a property to oneself"),
    "map": _rule(FIELD_TEAM, "own", "map of the worklist or a filtered part of it"),
    "map_points": _rule(FIELD_TEAM, "own", "GeoJSON of the worklist points"),
    "map_wards": _rule(FIELD_TEAM, "all", "GeoJSON of ward boundaries (no personal data)"),
    "property": _rule({"officer", "analyst"}, "own", "one property with its linked records (logged)"),
    "person": _rule({"officer", "analyst"}, "own", "one resolved person: addresses, records, why they are one "
                    "person (logged); an officer only a person tied to their organisation's worklists, and on "
                    "the page only the records and addresses at those properties"),
    "business": _rule({"officer", "analyst"}, "own", "one resolved business: premises, directors, agencies, "
                      "records, why they are one business (logged); an officer as for a person"),
    "businesses": _rule({"officer", "analyst"}, "own", "businesses by events at their premises and the "
                        "concentration analysis; an officer sees only businesses at their worklists' properties"),
    "search": _rule({"analyst"}, "all", "find a resolved person or business by name (the words searched are "
                    "logged); analysts only: an officer reaches people through their worklists' properties"),
    "outcome_new": _rule({"officer"}, "own", "form to record a visit outcome"),
    "outcome_create": _rule({"officer"}, "own", "record a visit outcome (logged)"),
    "outcome_edit": _rule({"officer"}, "own", "form to correct a visit outcome"),
    "outcome_update": _rule({"officer"}, "own", "correct a visit outcome, keeping history (logged)"),
    # analysts
    "analyst_linkage": _rule({"analyst", "admin"}, purpose="linkage quality per source"),
    "analyst_review": _rule({"analyst"}, purpose="address review queue"),
    "analyst_review_decide": _rule({"analyst"}, purpose="accept, re-point or reject an address match (logged)"),
    "analyst_evaluation": _rule({"analyst", "admin"}, purpose="model evaluation against recorded outcomes"),
    "analyst_evaluation_report": _rule({"analyst", "admin"}, purpose="the report `oda evaluate` last wrote"),
    "analyst_runs": _rule({"analyst", "admin"}, purpose="run records"),
    # governance
    "governance_audit": _rule({"governance", "admin"}, purpose="the audit log"),
    "governance_audit_export": _rule({"governance"}, purpose="the audit log as CSV (logged)"),
    "governance_agreements": _rule({"governance", "analyst", "admin"}, purpose="the agreements register"),
    "governance_transparency": _rule(EVERYONE, purpose="the algorithmic transparency record"),
    # accounts
    "admin_users": _rule({"admin"}, purpose="every account with its role, organisation, last sign-in and state"),
    "admin_user_new": _rule({"admin"}, purpose="form to add an account"),
    "admin_user_create": _rule({"admin"}, purpose="add an account (logged)"),
    "admin_user": _rule({"admin"}, purpose="one account, to change or unlock"),
    "admin_user_update": _rule({"admin"}, purpose="change an account's role, organisation or name (logged)"),
    "admin_user_unlock": _rule({"admin"}, purpose="unlock an account locked after failed sign-ins (logged)"),
    "admin_user_deactivate": _rule({"admin"}, purpose="stop an account signing in (logged)"),
    "admin_user_reactivate": _rule({"admin"}, purpose="let a deactivated account sign in again (logged)"),
}

PersonalField = Literal["name", "date_of_birth", "phone", "email"]

PERSONAL_FIELDS: dict[str, frozenset[PersonalField]] = {
    "officer": frozenset({"name", "phone"}),          # who to ask for at the door
    "analyst": frozenset({"name", "date_of_birth"}),  # to judge whether records are the same person
    "admin": frozenset(),
    "governance": frozenset(),
}
"""Personal details shown per role; people are otherwise shown only as counts per source."""


class NotSignedIn(Exception):
    """No valid session: the app sends the browser to the sign-in page."""


@dataclass(frozen=True)
class Access:
    """What :func:`authorise` established about the request: who, and which organisation's records."""

    account: Account | None
    session: Session
    organisation_scope: str | None
    rule: Rule

    @property
    def role(self) -> str:
        return self.account.role if self.account else ""

    @property
    def username(self) -> str:
        return self.account.username if self.account else ""

    @property
    def personal_fields(self) -> frozenset[str]:
        return PERSONAL_FIELDS.get(self.role, frozenset())

    def may(self, route_name: str) -> bool:
        """Whether a link to ``route_name`` should be shown (the route itself checks again)."""
        rule = RULES.get(route_name)
        return bool(rule and (rule.scope == "public" or self.role in rule.roles))


def route_names(routes: list) -> set[str]:
    """The names of every endpoint under ``routes`` (an app's or a router's), through included routers."""
    names: set[str] = set()
    for route in routes:
        included = getattr(route, "original_router", None)
        if included is not None:
            names |= route_names(included.routes)
        elif isinstance(route, APIRoute):
            names.add(route.name)
    return names


def rule_for(route_name: str) -> Rule:
    try:
        return RULES[route_name]
    except KeyError:
        raise PermissionDenied(
            f"route `{route_name}` is not in the permissions table; add it to RULES in oda/web/permissions.py"
        ) from None


def authorise(request: Request) -> Access:
    """The one permission check, run before every route: signed in, role allowed, organisation rule."""
    route = request.scope.get("route")
    rule = rule_for(getattr(route, "name", ""))
    state = request.app.state
    session = read_session(request)
    if rule.scope == "public":
        return Access(None, session, None, rule)
    account = current_account(state.store, session)
    if account is None:
        raise NotSignedIn()
    if account.role not in rule.roles:
        raise PermissionDenied(f"your role ({account.role}) cannot open this page")
    scope = account.organisation if (rule.scope == "own" and account.role in ORGANISATION_BOUND_ROLES) else None
    if scope is not None:
        _check_named_objects(request, scope)
    return Access(account, session, scope, rule)


def _check_named_objects(request: Request, organisation: str) -> None:
    """A property, visit, person or business in the URL must belong to the officer's organisation (a person or
    business belongs to it when one of its records names a property on the organisation's worklists)."""
    state = request.app.state
    uprn = request.path_params.get("uprn")
    if uprn is not None and organisation not in state.data.property_organisations(str(uprn)):
        raise PermissionDenied(f"property {uprn} is not on a worklist of your organisation")
    for entity in ("person", "business"):
        entity_id = request.path_params.get(f"{entity}_id")
        if entity_id is not None and organisation not in state.data.entity_organisations(entity, str(entity_id)):
            raise PermissionDenied(f"{entity} {entity_id} is not on a worklist of your organisation: none of its "
                                   "records names a property there")
    visit_key = request.path_params.get("visit_key")
    if visit_key is not None and queries.visit_organisation(state.store, str(visit_key)) != organisation:
        raise PermissionDenied(f"visit {visit_key} was not recorded by your organisation")
