"""The start page (each role lands on its own work) and a health check for the load balancer."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from fastapi.responses import PlainTextResponse, RedirectResponse

from oda.web.permissions import Access, authorise

router = APIRouter()

START_PAGES = {"officer": "/worklist", "analyst": "/worklist", "admin": "/worklist",
               "governance": "/governance/audit"}


@router.get("/", name="home")
def home(access: Access = Depends(authorise)):
    return RedirectResponse(START_PAGES.get(access.role, "/governance/transparency"), status_code=303)


@router.get("/health", name="health")
def health(access: Access = Depends(authorise)):
    return PlainTextResponse("ok")
