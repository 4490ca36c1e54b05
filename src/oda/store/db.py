"""Open the operational store and bring its schema up to date.

SQLite by default (zero set-up: a file beside the project's DuckDB file); PostgreSQL for a multi-user
deployment, chosen by ``ODA_DATABASE_URL`` (e.g. ``postgresql+psycopg://oda@dbhost/oda``).

Stale server connections (PostgreSQL restarted, a backend terminated) are caught without a round trip
per checkout, which SQLAlchemy's ``pool_pre_ping`` costs on every request: when a pooled connection is
handed out, its socket is polled with a zero timeout. An idle connection has nothing to read, so a
readable socket means the server has closed it (or sent its last words before doing so); the pool then
drops every connection opened before that moment and opens a fresh one. ``pool_recycle`` retires
connections after half an hour, for networks that drop idle connections without telling either end,
and :func:`retry_on_disconnect` repeats a read once if a connection dies between checkout and query.
"""

from __future__ import annotations

import os
import select
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Callable, TypeVar

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DBAPIError, InvalidatePoolError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from oda.errors import StoreError

DATABASE_URL_ENV = "ODA_DATABASE_URL"
RECYCLE_SECONDS = 1800
"""Server connections older than this are replaced at checkout (idle-connection timeouts in firewalls)."""
T = TypeVar("T")


@dataclass(frozen=True)
class Store:
    """A connection pool to the operational database and a factory of sessions on it."""

    engine: Engine
    sessions: sessionmaker[Session]

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    def close(self) -> None:
        self.engine.dispose()


def default_url(project_root: Path | None) -> str:
    """``ODA_DATABASE_URL`` if set, else a SQLite file in the project's ``.oda`` folder."""
    url = os.environ.get(DATABASE_URL_ENV)
    if url:
        return url
    folder = (project_root or Path.cwd()) / ".oda"
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'store.sqlite'}"


def open_store(url: str | None = None, *, project_root: Path | None = None, migrate: bool = True) -> Store:
    """Connect to the store at ``url`` (or the default) and, unless told not to, migrate it to the latest schema."""
    url = url or default_url(project_root)
    options: dict = {}
    if url.startswith("sqlite"):
        options["connect_args"] = {"check_same_thread": False, "timeout": 30}
    else:
        options.update(pool_size=20, max_overflow=40, pool_recycle=RECYCLE_SECONDS)
    engine = create_engine(url, **options)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        event.listen(engine, "checkout", _closed_by_server)
    store = Store(engine=engine, sessions=sessionmaker(engine, expire_on_commit=False))
    if migrate:
        upgrade(store)
    return store


def upgrade(store: Store, revision: str = "head") -> None:
    """Apply the migrations in ``oda/store/migrations`` up to ``revision``."""
    from alembic import command  # imported here: every `oda` command would otherwise pay for it at start
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(resources.files("oda.store") / "migrations"))
    try:
        with store.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
    except OperationalError as exc:
        raise StoreError(
            f"cannot reach the operational store at {store.url}: {exc.orig}. Check {DATABASE_URL_ENV} "
            "(or unset it to use the project's SQLite file) and that the database server is running"
        ) from None


def _sqlite_pragmas(connection, _record) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def _closed_by_server(dbapi_connection, _record, _proxy) -> None:
    """Refuse a pooled connection whose socket has something to read while idle: the server closed it.
    Raising ``InvalidatePoolError`` makes the pool discard every connection opened before now (after a
    restart they are all dead) and hand out a fresh one instead; no round trip when all is well."""
    fileno = getattr(dbapi_connection, "fileno", None)
    if fileno is None:
        return
    try:
        readable, _, _ = select.select([fileno()], [], [], 0)
    except Exception:  # noqa: BLE001 - closed already (psycopg raises its own error): the descriptor is gone
        raise InvalidatePoolError("the connection's socket is closed") from None
    if readable:
        raise InvalidatePoolError("the server closed the connection while it was idle in the pool")


def retry_on_disconnect(read: Callable[[], T]) -> T:
    """``read()``, repeated once if the database connection turned out to be dead: SQLAlchemy has then
    discarded it (and the pool's older connections), so the second attempt runs on a fresh one. For
    reads only: a write that failed mid-way is not repeated behind the caller's back."""
    try:
        return read()
    except DBAPIError as exc:
        if not exc.connection_invalidated:
            raise
    return read()
