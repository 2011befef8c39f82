"""Campaign briefs, one per campaign, kept as JSON.

Written by hand and frozen: plain SQLAlchemy types here, never the models' classes.

Revision ID: 0005_briefs
Revises: 0004_campaigns
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_briefs"
down_revision: str | None = "0004_campaigns"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "campaign_briefs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_campaign_briefs"),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaigns.id"],
            name="fk_campaign_briefs_campaign_id_campaigns",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("campaign_id", name="uq_campaign_briefs_campaign_id"),
    )


def downgrade() -> None:
    op.drop_table("campaign_briefs")
