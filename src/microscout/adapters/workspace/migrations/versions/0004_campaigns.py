"""Campaigns: brands, campaigns, their creators with a status history, tracked clicks, imported
orders and the rows an import refused.

Written by hand and frozen: plain SQLAlchemy types here, never the models' classes, so a later
change to the models cannot change what this revision did.

Revision ID: 0004_campaigns
Revises: 0003_accounts
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_campaigns"
down_revision: str | None = "0003_accounts"
branch_labels: str | None = None
depends_on: str | None = None

TIME = sa.DateTime(timezone=True)


def _fk(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=f"fk_{table}_{column}_{target}", ondelete=ondelete
    )


def upgrade() -> None:
    op.create_table(
        "brands",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("created_at", TIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_brands"),
        sa.UniqueConstraint("name", name="uq_brands_name"),
    )
    op.create_index("uq_brands_name_lower", "brands", [sa.text("lower(name)")], unique=True)
    op.create_table(
        "campaigns",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("brand_id", sa.Integer(), nullable=True),
        sa.Column("objective", sa.String(20), nullable=False),
        sa.Column("budget", sa.Float(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("hashtag", sa.String(100), nullable=True),
        sa.Column("brand_handle", sa.String(200), nullable=True),
        sa.Column("landing_url", sa.String(2000), nullable=True),
        sa.Column("is_demo", sa.Boolean(), nullable=False),
        sa.Column("created_at", TIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_campaigns"),
        sa.UniqueConstraint("name", name="uq_campaigns_name"),
        _fk("campaigns", "brand_id", "brands", "SET NULL"),
    )
    op.create_index("ix_campaigns_brand_id", "campaigns", ["brand_id"])
    op.create_index("uq_campaigns_name_lower", "campaigns", [sa.text("lower(name)")], unique=True)
    op.create_table(
        "campaign_creators",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(20), nullable=False),
        sa.Column("creator_id", sa.String(200), nullable=False),
        sa.Column("handle", sa.String(200), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("planned_posts", sa.Integer(), nullable=True),
        sa.Column("predicted_fee", sa.Float(), nullable=True),
        sa.Column("predicted_reach", sa.Integer(), nullable=True),
        sa.Column("predicted_engagements", sa.Integer(), nullable=True),
        sa.Column("agreed_fee", sa.Float(), nullable=True),
        sa.Column("agreed_posts", sa.Integer(), nullable=True),
        sa.Column("link_code", sa.String(40), nullable=False),
        sa.Column("promo_code", sa.String(40), nullable=False),
        sa.Column("added_at", TIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_campaign_creators"),
        _fk("campaign_creators", "campaign_id", "campaigns", "CASCADE"),
        sa.UniqueConstraint(
            "campaign_id",
            "platform",
            "creator_id",
            name="uq_campaign_creators_campaign_id_platform_creator_id",
        ),
        sa.UniqueConstraint("link_code", name="uq_campaign_creators_link_code"),
        sa.UniqueConstraint("promo_code", name="uq_campaign_creators_promo_code"),
    )
    op.create_table(
        "status_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_creator_id", sa.Integer(), nullable=False),
        sa.Column("at", TIME, nullable=False),
        sa.Column("from_status", sa.String(20), nullable=True),
        sa.Column("to_status", sa.String(20), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_status_changes"),
        _fk("status_changes", "campaign_creator_id", "campaign_creators", "CASCADE"),
    )
    op.create_index(
        "ix_status_changes_campaign_creator_id", "status_changes", ["campaign_creator_id"]
    )
    op.create_table(
        "link_clicks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("link_code", sa.String(40), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("visitor", sa.String(64), nullable=False),
        sa.Column("at", TIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_link_clicks"),
        sa.UniqueConstraint(
            "link_code", "day", "visitor", name="uq_link_clicks_link_code_day_visitor"
        ),
    )
    op.create_table(
        "orders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("order_ref", sa.String(200), nullable=False),
        sa.Column("placed_at", TIME, nullable=False),
        sa.Column("total", sa.Float(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("promo_code", sa.String(40), nullable=True),
        sa.Column("utm_content", sa.String(200), nullable=True),
        sa.Column("campaign_creator_id", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(2000), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_orders"),
        _fk("orders", "campaign_id", "campaigns", "CASCADE"),
        _fk("orders", "campaign_creator_id", "campaign_creators", "SET NULL"),
        sa.UniqueConstraint("campaign_id", "order_ref", name="uq_orders_campaign_id_order_ref"),
    )
    op.create_index("ix_orders_campaign_creator_id", "orders", ["campaign_creator_id"])
    op.create_table(
        "rejected_rows",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(2000), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("raw", sa.Text(), nullable=False),
        sa.Column("at", TIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_rejected_rows"),
        _fk("rejected_rows", "campaign_id", "campaigns", "CASCADE"),
    )
    op.create_index("ix_rejected_rows_campaign_id", "rejected_rows", ["campaign_id"])


def downgrade() -> None:
    for table in (
        "rejected_rows",
        "orders",
        "link_clicks",
        "status_changes",
        "campaign_creators",
    ):
        op.drop_table(table)
    op.drop_index("uq_campaigns_name_lower", table_name="campaigns")
    op.drop_table("campaigns")
    op.drop_index("uq_brands_name_lower", table_name="brands")
    op.drop_table("brands")
