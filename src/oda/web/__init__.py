"""The web app: worklists, maps, property pages, outcomes, analyst and governance pages (issue 7).

Server-rendered with FastAPI and Jinja2 in the GOV.UK Design System's markup, under the organisation's
own name. It reads the pipeline's datasets read-only from the project's DuckDB file and writes only to
the operational store (accounts, assignments, outcomes, the audit log). Start it with ``oda serve``.
"""

from oda.web.app import create_app

__all__ = ["create_app"]
