"""What was agreed with a campaign's creator beyond fee and posts: deliverables, due date,
usage rights and disclosure, kept as JSON.

Written by hand and frozen: plain SQLAlchemy types here, never the models' classes.

Revision ID: 0007_agreements
Revises: 0006_sessions
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_agreements"
down_revision: str | None = "0006_sessions"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("campaign_creators") as batch:
        batch.add_column(sa.Column("agreed_terms", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("campaign_creators") as batch:
        batch.drop_column("agreed_terms")
