"""`face_templates.sface_encoding`: each template's SFace encoding (issue 19, the network that
matches by default). Added only where missing; `secondlook init-db` then fills it for existing
templates from their stored thumbnails (`records.upgrade_templates`).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def _columns(table: str) -> set[str]:
    return {c["name"] for c in sa.inspect(op.get_bind()).get_columns(table)}


def upgrade() -> None:
    if "sface_encoding" not in _columns("face_templates"):
        with op.batch_alter_table("face_templates") as batch_op:
            batch_op.add_column(sa.Column("sface_encoding", sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    if "sface_encoding" in _columns("face_templates"):
        with op.batch_alter_table("face_templates") as batch_op:
            batch_op.drop_column("sface_encoding")
