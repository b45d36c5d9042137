"""Sign-in with the school's accounts (issue 21): linked accounts, devices, single-use codes.

`signin_identities` links a provider account (issuer, subject) to a member of staff;
`signin_devices` holds each signed-in browser's or phone's token hashes, last use and
revocation; `signin_codes` the single-use QR and hand-over codes (hashes only). Created only
where missing, like 0001 (a test database made by `create_all` may have them already).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    existing = set(sa.inspect(op.get_bind()).get_table_names())
    if "signin_identities" not in existing:
        op.create_table("signin_identities",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("staff_id", sa.Integer(), nullable=False),
            sa.Column("issuer", sa.String(length=255), nullable=False),
            sa.Column("subject", sa.String(length=255), nullable=False),
            sa.Column("email", sa.String(length=255), nullable=False),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("last_signin_at", sa.DateTime(timezone=True), nullable=True),
            sa.ForeignKeyConstraint(["staff_id"], ["staff.id"], ondelete="CASCADE"),
            sa.PrimaryKeyConstraint("id"),
            sa.UniqueConstraint("issuer", "subject", name="uq_signin_identity"),
        )
        with op.batch_alter_table("signin_identities") as batch_op:
            batch_op.create_index("ix_signin_identities_email", ["email"], unique=False)
            batch_op.create_index("ix_signin_identities_staff_id", ["staff_id"], unique=False)

    if "signin_devices" not in existing:
        op.create_table("signin_devices",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("staff_id", sa.Integer(), nullable=False),
            sa.Column("name", sa.String(length=120), nullable=False),
            sa.Column("client", sa.String(length=32), nullable=False),
            sa.Column("method", sa.String(length=16), nullable=False),
            sa.Column("access_hash", sa.String(length=64), nullable=True),
            sa.Column("access_expires_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("refresh_hash", sa.String(length=64), nullable=True),
            sa.Column("previous_refresh_hash", sa.String(length=64), nullable=True),
            sa.Column("refresh_expires_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("upstream_refresh", sa.Text(), nullable=True),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
            sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
            sa.Column("revoked_reason", sa.String(length=120), nullable=True),
            sa.ForeignKeyConstraint(["staff_id"], ["staff.id"], ondelete="CASCADE"),
            sa.PrimaryKeyConstraint("id"),
        )
        with op.batch_alter_table("signin_devices") as batch_op:
            batch_op.create_index("ix_signin_devices_access_hash", ["access_hash"], unique=True)
            batch_op.create_index("ix_signin_devices_refresh_hash", ["refresh_hash"], unique=True)
            batch_op.create_index("ix_signin_devices_previous_refresh_hash", ["previous_refresh_hash"], unique=False)
            batch_op.create_index("ix_signin_devices_staff_active", ["staff_id", "revoked_at"], unique=False)

    if "signin_codes" not in existing:
        op.create_table("signin_codes",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("code_hash", sa.String(length=64), nullable=False),
            sa.Column("staff_id", sa.Integer(), nullable=False),
            sa.Column("purpose", sa.String(length=16), nullable=False),
            sa.Column("client", sa.String(length=32), nullable=True),
            sa.Column("device_name", sa.String(length=120), nullable=True),
            sa.Column("upstream_refresh", sa.Text(), nullable=True),
            sa.Column("created_by", sa.String(length=120), nullable=True),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
            sa.Column("attempts", sa.Integer(), nullable=False),
            sa.ForeignKeyConstraint(["staff_id"], ["staff.id"], ondelete="CASCADE"),
            sa.PrimaryKeyConstraint("id"),
        )
        with op.batch_alter_table("signin_codes") as batch_op:
            batch_op.create_index("ix_signin_codes_code_hash", ["code_hash"], unique=True)
            batch_op.create_index("ix_signin_codes_staff_id", ["staff_id"], unique=False)


def downgrade() -> None:
    op.drop_table("signin_codes")
    op.drop_table("signin_devices")
    op.drop_table("signin_identities")
