"""Open the operational store and bring its schema up to date.

SQLite by default (zero set-up: a file beside the project's DuckDB file); PostgreSQL for a multi-user
deployment, chosen by ``ODA_DATABASE_URL`` (e.g. ``postgresql+psycopg://oda@dbhost/oda``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from oda.errors import StoreError

DATABASE_URL_ENV = "ODA_DATABASE_URL"


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
    options: dict = {"pool_pre_ping": True}
    if url.startswith("sqlite"):
        options["connect_args"] = {"check_same_thread": False, "timeout": 30}
    else:
        options.update(pool_size=20, max_overflow=40)
    engine = create_engine(url, **options)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
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
