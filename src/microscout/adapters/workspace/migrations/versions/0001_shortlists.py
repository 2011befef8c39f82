"""Shortlists and their entries.

Written by hand and frozen: plain SQLAlchemy types here, never the models' classes, so a later
change to the models cannot change what this revision did.

Revision ID: 0001_shortlists
Revises:
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_shortlists"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "shortlists",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_shortlists"),
        sa.UniqueConstraint("name", name="uq_shortlists_name"),
    )
    op.create_index("uq_shortlists_name_lower", "shortlists", [sa.text("lower(name)")], unique=True)
    op.create_table(
        "shortlist_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("shortlist_id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(20), nullable=False),
        sa.Column("creator_id", sa.String(200), nullable=False),
        sa.Column("handle", sa.String(200), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_shortlist_entries"),
        sa.ForeignKeyConstraint(
            ["shortlist_id"],
            ["shortlists.id"],
            name="fk_shortlist_entries_shortlist_id_shortlists",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint(
            "shortlist_id",
            "platform",
            "creator_id",
            name="uq_shortlist_entries_shortlist_id_platform_creator_id",
        ),
    )


def downgrade() -> None:
    op.drop_table("shortlist_entries")
    op.drop_index("uq_shortlists_name_lower", table_name="shortlists")
    op.drop_table("shortlists")
