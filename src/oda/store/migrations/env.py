"""Alembic environment: run migrations on the connection oda hands over (see oda.store.db.upgrade)."""

from alembic import context

from oda.store.schema import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
