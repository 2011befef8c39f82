"""Alembic environment of the workspace store, run only through ``Workspace`` (no alembic.ini).

``Workspace`` passes an open connection, inside the transaction that holds the migration lock,
as ``config.attributes["connection"]``; offline (SQL script) mode is not used.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from microscout.adapters.workspace.models import Base

connection = context.config.attributes.get("connection")
if not isinstance(connection, Connection):
    raise RuntimeError("workspace migrations run through microscout's Workspace, not the CLI")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    # SQLite cannot ALTER most things in place; batch mode copies the table instead.
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
