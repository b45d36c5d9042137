"""The extension's adapter-health counters (issue 17): composers it found on a supported site but
could not gate, per UTC day, site, adapter, composer kind, what was missing and extension version,
with the first and last time seen (server/adapter_health.py). Never a draft or an address.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if "adapter_health" in set(sa.inspect(op.get_bind()).get_table_names()):
        return  # made by create_all before this revision existed
    op.create_table("adapter_health",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("site", sa.String(length=32), nullable=False),
        sa.Column("adapter", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("missing", sa.String(length=32), nullable=False),
        sa.Column("extension_version", sa.String(length=24), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("day", "site", "adapter", "kind", "missing", "extension_version"),
    )


def downgrade() -> None:
    op.drop_table("adapter_health")
