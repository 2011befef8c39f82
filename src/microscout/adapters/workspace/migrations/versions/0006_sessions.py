"""Sessions per creator from an analytics export (GA4), for campaign reports.

Written by hand and frozen: plain SQLAlchemy types here, never the models' classes.

Revision ID: 0006_sessions
Revises: 0005_briefs
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_sessions"
down_revision: str | None = "0005_briefs"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "utm_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("campaign_creator_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=True),
        sa.Column("source", sa.String(2000), nullable=False),
        sa.Column("sessions", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_utm_sessions"),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaigns.id"],
            name="fk_utm_sessions_campaign_id_campaigns",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["campaign_creator_id"],
            ["campaign_creators.id"],
            name="fk_utm_sessions_campaign_creator_id_campaign_creators",
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_utm_sessions_campaign_creator_id", "utm_sessions", ["campaign_creator_id"])
    op.create_index("ix_utm_sessions_campaign_id_source", "utm_sessions", ["campaign_id", "source"])


def downgrade() -> None:
    op.drop_table("utm_sessions")
