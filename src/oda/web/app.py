"""The app factory: one FastAPI app per project, with its store, its data and its routes.

>>> app = create_app("borough")          # doctest: +SKIP
>>> uvicorn.run(app, host="127.0.0.1")   # doctest: +SKIP

Every route goes through two app-wide dependencies: :func:`~oda.web.permissions.authorise` (who may)
and :func:`~oda.web.auth.check_csrf` (that a POST came from our own form). Errors become pages here,
in one place: not signed in → 303 to the sign-in page; permission refused or CSRF failure → 403;
unknown page or property → 404; anything else a user can fix → 422; the data file busy → 503.
"""

from __future__ import annotations

import os
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from urllib.parse import quote

from fastapi import Depends, FastAPI, Request
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from oda.errors import EngineError, OdaError, PermissionDenied
from oda.project.load import load_project
from oda.store import open_store
from oda.store.db import Store
from oda.web import auth, sessions
from oda.web.data import ProjectData
from oda.web.permissions import PUBLIC, Access, NotSignedIn, authorise
from oda.web.rendering import render
from oda.web.routes import admin, analyst, entities, governance, outcomes, pages, property, worklist
from oda.web.routes import map as map_routes
from oda.web.settings import WebSettings

PROJECT_ENV = "ODA_PROJECT_DIR"


def create_app(project_dir: str | Path, store: Store | None = None, *, settings: WebSettings | None = None,
               data: ProjectData | None = None) -> FastAPI:
    """The web app for the project in ``project_dir``; ``store`` defaults to the project's operational store."""
    project = load_project(project_dir, check_files=False)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        try:
            app.state.data.warm(list(project.config.organisations))
        except EngineError:
            pass  # a pipeline command is writing; pages will read the file once it has finished
        yield
        app.state.data.close()
        if app.state.owns_store:
            app.state.store.close()

    app = FastAPI(title=f"oda: {project.config.name}", docs_url=None, redoc_url=None, openapi_url=None,
                  dependencies=[Depends(authorise), Depends(auth.check_csrf)], lifespan=lifespan)
    app.state.project = project
    app.state.owns_store = store is None
    app.state.store = store or open_store(project_root=project.root)
    app.state.settings = settings or WebSettings.from_environment(project.root)
    app.state.data = data or ProjectData(project.resolve(project.config.engine.database),
                                         gazetteer=project.config.link.gazetteer)

    app.mount("/static", StaticFiles(directory=str(resources.files("oda.web") / "static")), name="static")
    for module in (auth, pages, worklist, map_routes, property, entities, outcomes, analyst, governance, admin):
        app.include_router(module.router)
    _add_error_pages(app)
    _add_security_headers(app)

    return app


def app_from_environment() -> FastAPI:
    """The app for the project named by ``ODA_PROJECT_DIR``: the factory uvicorn's worker processes call."""
    return create_app(os.environ[PROJECT_ENV])


def _add_error_pages(app: FastAPI) -> None:
    def page(request: Request, status: int, title: str, message: str):
        session = sessions.read_session(request)
        try:
            account = sessions.current_account(request.app.state.store, session)
        except OdaError:
            account = None
        access = Access(account, session, None, PUBLIC)
        return render(request, access, "error.html", {"title": title, "message": message}, status_code=status)

    @app.exception_handler(NotSignedIn)
    async def _not_signed_in(request: Request, _exc: NotSignedIn):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/sign-in?next={quote(target)}", status_code=303)

    @app.exception_handler(PermissionDenied)
    async def _forbidden(request: Request, exc: PermissionDenied):
        return await run_in_threadpool(page, request, 403, "You cannot open this page", str(exc))

    @app.exception_handler(EngineError)
    async def _engine(request: Request, exc: EngineError):
        return await run_in_threadpool(page, request, 503, "The project's data is not available", str(exc))

    @app.exception_handler(OdaError)
    async def _oda(request: Request, exc: OdaError):
        return await run_in_threadpool(page, request, 422, "That could not be done", str(exc))

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException):
        if exc.status_code == 404:
            message = "If you typed the web address, check it is correct." if exc.detail == "Not Found" \
                else str(exc.detail)
            return await run_in_threadpool(page, request, 404, "Page not found", message)
        return await run_in_threadpool(page, request, exc.status_code, "Something went wrong", str(exc.detail))


def _add_security_headers(app: FastAPI) -> None:
    @app.middleware("http")
    async def _headers(request: Request, call_next):
        response = await call_next(request)
        tiles = request.app.state.settings.tile_origin
        tile_origin = f" {tiles}" if tiles else ""
        response.headers.setdefault("Content-Security-Policy", (
            f"default-src 'self'; img-src 'self' data:{tile_origin}; object-src 'none'; base-uri 'self'; "
            "frame-ancestors 'none'; form-action 'self'"))
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        if not request.url.path.startswith("/static/"):
            response.headers["Cache-Control"] = "no-store"
        return response
