"""The operational store on each real database the suite runs against: a SQLite file and a fresh
PostgreSQL database (127.0.0.1:5432) created for one test and dropped after it."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import create_engine, text

from oda.store import Store, open_store

POSTGRES_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
STORE_BACKENDS = ("sqlite", "postgresql")


def open_test_store(backend: str, folder: Path) -> Iterator[Store]:
    """Yield a migrated, empty store on ``backend``; clean it away afterwards."""
    if backend == "sqlite":
        opened = open_store(f"sqlite:///{folder / 'store.sqlite'}")
        try:
            yield opened
        finally:
            opened.close()
        return
    name = f"oda_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    opened = open_store(f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}")
    try:
        yield opened
    finally:
        opened.close()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
