"""Pages from Jinja2 templates, with what every page needs: the organisation's name, navigation by role,
the CSRF token for forms, and the map settings."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates

from oda.web.sessions import CSRF_FIELD, write_session
from oda.web.data import plain
from oda.web.permissions import Access

TEMPLATES = Jinja2Templates(directory=str(resources.files("oda.web") / "templates"))
TEMPLATES.env.filters["plain"] = plain
TEMPLATES.env.filters["percent"] = lambda v: "" if v is None else f"{float(v) * 100:.0f}%"
TEMPLATES.env.filters["zip_self"] = lambda values: [(v, str(v)[:1].upper() + str(v)[1:]) for v in values]
OUTCOME_LABELS = {"hmo_confirmed": "HMO confirmed", "not_hmo": "Not an HMO", "no_access": "No access",
                  "other": "Other"}
TEMPLATES.env.globals["OUTCOME_LABELS"] = OUTCOME_LABELS
TEMPLATES.env.globals["BAND_TAGS"] = {"very high": "govuk-tag--red", "high": "govuk-tag--orange",
                                      "medium": "govuk-tag--yellow", "low": "govuk-tag--green"}


@dataclass(frozen=True)
class NavItem:
    route: str
    label: str
    href: str


NAVIGATION = (
    NavItem("worklist", "Worklist", "/worklist"),
    NavItem("map", "Map", "/map"),
    NavItem("businesses", "Businesses", "/businesses"),
    NavItem("search", "Search", "/search"),
    NavItem("analyst_linkage", "Linkage quality", "/analyst/linkage"),
    NavItem("analyst_review", "Address review", "/analyst/review"),
    NavItem("analyst_evaluation", "Evaluation", "/analyst/evaluation"),
    NavItem("analyst_runs", "Runs", "/analyst/runs"),
    NavItem("governance_audit", "Audit log", "/governance/audit"),
    NavItem("governance_agreements", "Agreements", "/governance/agreements"),
    NavItem("governance_transparency", "Transparency record", "/governance/transparency"),
    NavItem("admin_users", "Users", "/admin/users"),
)


def organisation_name(request: Request, access: Access | None) -> str:
    """The header's name: the signed-in user's organisation, else the project's first organisation."""
    config = request.app.state.project.config
    if access and access.account and access.account.organisation in config.organisations:
        return config.organisations[access.account.organisation].name
    if config.organisations:
        return next(iter(config.organisations.values())).name
    return config.name


def render(request: Request, access: Access, template: str, context: dict[str, Any] | None = None, *,
           status_code: int = 200):
    path = request.url.path
    navigation = [(item, path == item.href or path.startswith(item.href + "/"))
                  for item in NAVIGATION if access.account and access.may(item.route)]
    response = TEMPLATES.TemplateResponse(request, template, {
        "access": access,
        "organisation_name": organisation_name(request, access),
        "project_name": request.app.state.project.config.name,
        "navigation": navigation,
        "csrf_field": CSRF_FIELD,
        "csrf_token": access.session.csrf,
        "settings": request.app.state.settings,
        **(context or {}),
    }, status_code=status_code)
    if access.session.fresh:
        write_session(request, response, access.session)
    return response
