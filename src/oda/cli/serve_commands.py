"""`oda serve`: the web app for officers, analysts and governance officers."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

out = Console(soft_wrap=True)


def serve_command(
    project: Optional[Path] = typer.Argument(None, metavar="[PROJECT]", help="Project folder (default: here)."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on. Keep 127.0.0.1 behind a "
                             "reverse proxy that terminates https."),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="Port to listen on."),
    workers: int = typer.Option(1, "--workers", min=1, max=64, help="Worker processes (about one per CPU)."),
) -> None:
    """Start the web app: worklists, maps, property pages, outcomes, analyst and governance pages.

    Sign in with an account made by `oda users add`. The operational store is the project's SQLite file
    unless ODA_DATABASE_URL is set; ODA_TILE_URL names a tile server for the maps (none by default).
    """
    import os

    import uvicorn

    from oda.project.load import find_project_file, load_project
    from oda.web import create_app
    from oda.web.app import PROJECT_ENV
    from oda.web.settings import WebSettings

    root = find_project_file(project).parent.resolve()
    options = dict(host=host, port=port, proxy_headers=True, forwarded_allow_ips="127.0.0.1", server_header=False,
                   log_level="info")
    out.print(f"Serving {root} on http://{host}:{port} with {workers} worker(s); Ctrl+C stops it.")
    if workers == 1:
        uvicorn.run(create_app(root), **options)
        return
    load_project(root, check_files=False)  # report a broken oda.toml once, not from every worker
    WebSettings.from_environment(root)  # make the session secret before the workers race to
    os.environ[PROJECT_ENV] = str(root)
    uvicorn.run("oda.web.app:app_from_environment", factory=True, workers=workers, **options)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve_command)
