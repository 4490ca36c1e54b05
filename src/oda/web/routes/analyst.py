"""Analysts' pages: linkage quality per source, the address review queue, evaluation, run records."""

from __future__ import annotations

from collections import Counter, defaultdict

from pathlib import Path

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import FileResponse, RedirectResponse
from starlette.exceptions import HTTPException

from oda.errors import OdaError
from oda.store import outcomes, reviews
from oda.web.auth import remote_addr
from oda.web.permissions import Access, authorise
from oda.web.rendering import render

router = APIRouter()


@router.get("/analyst/linkage", name="analyst_linkage")
def linkage(request: Request, access: Access = Depends(authorise)):
    rows = request.app.state.data.linkage_quality()
    return render(request, access, "analyst_linkage.html", {"rows": rows})


@router.get("/analyst/review", name="analyst_review")
def review(request: Request, access: Access = Depends(authorise)):
    state = request.app.state
    decided = reviews.review_decisions(state.store)
    queue = state.data.review_queue()
    for row in queue:
        row["decision"] = decided.get(str(row["key"])[:64])
    return render(request, access, "analyst_review.html", {"queue": queue})


@router.post("/analyst/review", name="analyst_review_decide")
def decide(request: Request, key: str = Form(...), source: str = Form(""), record_id: str = Form(""),
           decision: str = Form(...), uprn: str = Form(""), other_uprn: str = Form(""),
           access: Access = Depends(authorise)):
    if decision not in reviews.REVIEW_DECISIONS:
        raise OdaError(f"review decision `{decision}` is not one of {', '.join(reviews.REVIEW_DECISIONS)}")
    chosen = other_uprn.strip() if decision == "choose" else (uprn if decision == "accept" else "")
    if decision == "choose" and not chosen.isdigit():
        raise OdaError(f"the UPRN to choose instead, `{other_uprn}`, is not a number; enter the gazetteer's UPRN")
    reviews.record_review_decision(request.app.state.store, username=access.username, role=access.role, key=key,
                                   decision=decision, uprn=chosen, source=source, record_id=record_id,
                                   remote_addr=remote_addr(request))
    return RedirectResponse("/analyst/review", status_code=303)


@router.get("/analyst/evaluation", name="analyst_evaluation")
def evaluation(request: Request, access: Access = Depends(authorise)):
    """Hit rates from recorded outcomes: by score band, and ranked list against the exploration slice."""
    state = request.app.state
    visits = outcomes.current_outcomes(state.store)
    bands = state.data.score_bands()
    exploration = {r.uprn: r.exploration for r in state.data.worklist(organisation_scope=None)}
    by_band: dict[str, Counter] = defaultdict(Counter)
    by_slice: dict[str, Counter] = defaultdict(Counter)
    for v in visits:
        for table, key in ((by_band, bands.get(v.uprn, "not scored")),
                           (by_slice, {True: "exploration slice", False: "ranked"}.get(exploration.get(v.uprn),
                                                                                     "not on worklist"))):
            table[key]["visits"] += 1
            table[key][v.outcome] += 1
    return render(request, access, "analyst_evaluation.html", {
        "by_band": sorted(by_band.items()), "by_slice": sorted(by_slice.items()), "visits": len(visits),
        "has_report": evaluation_report_path(request).exists()})


@router.get("/analyst/evaluation/report", name="analyst_evaluation_report")
def evaluation_report(request: Request, access: Access = Depends(authorise)):
    """The report `oda evaluate` last wrote (methods at capacity, backtest, fairness, ATRS draft)."""
    path = evaluation_report_path(request)
    if not path.exists():
        raise HTTPException(404, "No evaluation report yet: an analyst writes one with `oda evaluate`.")
    return FileResponse(path, media_type="text/html; charset=utf-8", headers={
        "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:"})


def evaluation_report_path(request: Request) -> Path:
    return request.app.state.project.root / "evaluation.html"


@router.get("/analyst/runs", name="analyst_runs")
def runs(request: Request, access: Access = Depends(authorise)):
    data = request.app.state.data
    rows = data.runs()
    steps = data.run_steps([str(r["run_id"]) for r in rows])
    return render(request, access, "analyst_runs.html", {"runs": rows, "steps": steps})
