"""Columns added to tables after they first shipped, before migrations existed.

`create_all` never alters an existing table, so a database made before these columns existed
lacks them: `checks.draft_key` (with its index; checks of one draft share a record) and
`face_templates.arc_encoding` (the ArcFace encoding). Each is added only where missing; the
templates' encodings are then computed from their thumbnails by `secondlook init-db`
(server/nopublish/records.py, `upgrade_templates`), which needs the image checks, not the schema.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-06
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _columns(table: str) -> set[str]:
    return {c["name"] for c in sa.inspect(op.get_bind()).get_columns(table)}


def upgrade() -> None:
    if "draft_key" not in _columns("checks"):
        with op.batch_alter_table("checks") as batch_op:
            batch_op.add_column(sa.Column("draft_key", sa.String(length=64), nullable=True))
            batch_op.create_index("ix_checks_draft_key", ["draft_key"], unique=False)
    if "arc_encoding" not in _columns("face_templates"):
        with op.batch_alter_table("face_templates") as batch_op:
            batch_op.add_column(sa.Column("arc_encoding", sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    """Nothing: 0001 already creates these columns, so removing them here would break it."""
