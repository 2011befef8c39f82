"""Platform connectors: sealed credentials, sync jobs with their checkpoints, quota units a day.

Written by hand and frozen: plain SQLAlchemy types here, never the models' classes.

Revision ID: 0008_connectors
Revises: 0007_agreements
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_connectors"
down_revision: str | None = "0007_agreements"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "platform_credentials",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(20), nullable=False),
        sa.Column("creator_handle", sa.String(100), nullable=False),
        sa.Column("account_id", sa.String(200), nullable=True),
        sa.Column("sealed", sa.Text(), nullable=False),
        sa.Column("hint", sa.String(20), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("state_message", sa.Text(), nullable=False),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_platform_credentials"),
        sa.UniqueConstraint(
            "platform", "creator_handle", name="uq_platform_credentials_platform_creator_handle"
        ),
    )
    op.create_table(
        "sync_jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(20), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("spec", sa.Text(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("runner", sa.String(100), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("landed", sa.Integer(), nullable=False),
        sa.Column("skipped", sa.Text(), nullable=False),
        sa.Column("counts", sa.Text(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_sync_jobs"),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaigns.id"],
            name="fk_sync_jobs_campaign_id_campaigns",
            ondelete="SET NULL",
        ),
    )
    op.create_index("ix_sync_jobs_digest", "sync_jobs", ["digest"])
    op.create_index("ix_sync_jobs_status", "sync_jobs", ["status"])
    op.create_table(
        "quota_use",
        sa.Column("platform", sa.String(20), nullable=False),
        sa.Column("day", sa.String(10), nullable=False),
        sa.Column("units", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("platform", "day", name="pk_quota_use"),
    )


def downgrade() -> None:
    op.drop_table("quota_use")
    op.drop_index("ix_sync_jobs_status", table_name="sync_jobs")
    op.drop_index("ix_sync_jobs_digest", table_name="sync_jobs")
    op.drop_table("sync_jobs")
    op.drop_table("platform_credentials")
