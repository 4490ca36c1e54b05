"""The operational store: accounts, assignments, visit outcomes and the audit log (SQLite or PostgreSQL)."""

from oda.store.db import Store, open_store

__all__ = ["Store", "open_store"]
