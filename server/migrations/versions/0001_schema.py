"""The schema as it stood when migrations began (every table, column and index).

A database made before migrations existed (by `create_all`) already has some of these tables:
only the missing ones are created, so this revision adopts it; 0002 then adds the columns such a
database may lack.

Revision ID: 0001
Revises:
Create Date: 2026-12-06
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    existing = set(sa.inspect(op.get_bind()).get_table_names())
    if "audit_events" not in existing:
        op.create_table("audit_events",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("actor", sa.String(length=120), nullable=True),
            sa.Column("action", sa.String(length=64), nullable=False),
            sa.Column("target", sa.String(length=200), nullable=True),
            sa.Column("details", sa.JSON(), nullable=False),
            sa.Column("ip", sa.String(length=64), nullable=True),
            sa.PrimaryKeyConstraint("id")
        )
        with op.batch_alter_table("audit_events", schema=None) as batch_op:
            batch_op.create_index("ix_audit_action_at", ["action", "at"], unique=False)
            batch_op.create_index(batch_op.f("ix_audit_events_actor"), ["actor"], unique=False)
            batch_op.create_index(batch_op.f("ix_audit_events_at"), ["at"], unique=False)

    if "clean_check_counts" not in existing:
        op.create_table("clean_check_counts",
            sa.Column("day", sa.Date(), nullable=False),
            sa.Column("count", sa.Integer(), nullable=False),
            sa.PrimaryKeyConstraint("day")
        )

    if "clean_check_tallies" not in existing:
        op.create_table("clean_check_tallies",
            sa.Column("day", sa.Date(), nullable=False),
            sa.Column("platform", sa.String(length=16), nullable=False),
            sa.Column("account_type", sa.String(length=16), nullable=False),
            sa.Column("ruleset", sa.String(length=16), nullable=False),
            sa.Column("count", sa.Integer(), nullable=False),
            sa.PrimaryKeyConstraint("day", "platform", "account_type", "ruleset")
        )

    if "counters" not in existing:
        op.create_table("counters",
            sa.Column("name", sa.String(length=64), nullable=False),
            sa.Column("value", sa.Integer(), nullable=False),
            sa.PrimaryKeyConstraint("name")
        )

    if "pupils" not in existing:
        op.create_table("pupils",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("display_name", sa.String(length=200), nullable=False),
            sa.Column("reference", sa.String(length=64), nullable=True),
            sa.Column("year_group", sa.String(length=32), nullable=True),
            sa.Column("reason", sa.String(length=32), nullable=False),
            sa.Column("reason_note", sa.String(length=200), nullable=True),
            sa.Column("review_by", sa.Date(), nullable=True),
            sa.Column("parents_notified_on", sa.Date(), nullable=True),
            sa.Column("consent_given_by", sa.String(length=200), nullable=True),
            sa.Column("consent_given_on", sa.Date(), nullable=True),
            sa.Column("pupil_objected", sa.Boolean(), nullable=False),
            sa.Column("consent_withdrawn", sa.Boolean(), nullable=False),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
            sa.PrimaryKeyConstraint("id")
        )
        with op.batch_alter_table("pupils", schema=None) as batch_op:
            batch_op.create_index(batch_op.f("ix_pupils_reference"), ["reference"], unique=False)

    if "staff" not in existing:
        op.create_table("staff",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("name", sa.String(length=120), nullable=False),
            sa.Column("role", sa.String(length=16), nullable=False),
            sa.Column("token_hash", sa.String(length=64), nullable=True),
            sa.Column("password_hash", sa.String(length=255), nullable=True),
            sa.Column("active", sa.Boolean(), nullable=False),
            sa.Column("failed_logins", sa.Integer(), nullable=False),
            sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
            sa.PrimaryKeyConstraint("id"),
            sa.UniqueConstraint("name")
        )
        with op.batch_alter_table("staff", schema=None) as batch_op:
            batch_op.create_index(batch_op.f("ix_staff_token_hash"), ["token_hash"], unique=True)

    if "checks" not in existing:
        op.create_table("checks",
            sa.Column("id", sa.String(length=32), nullable=False),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("staff_id", sa.Integer(), nullable=True),
            sa.Column("platform", sa.String(length=16), nullable=False),
            sa.Column("account_type", sa.String(length=16), nullable=False),
            sa.Column("audience", sa.String(length=16), nullable=False),
            sa.Column("client", sa.String(length=32), nullable=True),
            sa.Column("verdict", sa.String(length=8), nullable=False),
            sa.Column("findings", sa.JSON(), nullable=False),
            sa.Column("rules", sa.String(length=500), nullable=False),
            sa.Column("excerpt", sa.Text(), nullable=True),
            sa.Column("images", sa.JSON(), nullable=False),
            sa.Column("elapsed_ms", sa.Float(), nullable=True),
            sa.Column("outcome", sa.String(length=16), nullable=True),
            sa.Column("override_reason", sa.String(length=500), nullable=True),
            sa.Column("outcome_at", sa.DateTime(timezone=True), nullable=True),
            sa.Column("flagged", sa.Boolean(), nullable=False),
            sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
            sa.Column("reviewed_by", sa.String(length=120), nullable=True),
            sa.Column("review_note", sa.Text(), nullable=True),
            sa.Column("draft_key", sa.String(length=64), nullable=True),
            sa.ForeignKeyConstraint(["staff_id"], ["staff.id"], ondelete="SET NULL"),
            sa.PrimaryKeyConstraint("id")
        )
        with op.batch_alter_table("checks", schema=None) as batch_op:
            batch_op.create_index(batch_op.f("ix_checks_created_at"), ["created_at"], unique=False)
            batch_op.create_index(batch_op.f("ix_checks_draft_key"), ["draft_key"], unique=False)
            batch_op.create_index(batch_op.f("ix_checks_outcome"), ["outcome"], unique=False)
            batch_op.create_index(batch_op.f("ix_checks_staff_id"), ["staff_id"], unique=False)
            batch_op.create_index(batch_op.f("ix_checks_verdict"), ["verdict"], unique=False)

    if "face_templates" not in existing:
        op.create_table("face_templates",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("pupil_id", sa.Integer(), nullable=False),
            sa.Column("encoding", sa.LargeBinary(), nullable=False),
            sa.Column("arc_encoding", sa.LargeBinary(), nullable=True),
            sa.Column("thumbnail", sa.LargeBinary(), nullable=True),
            sa.Column("photo_sha256", sa.String(length=64), nullable=True),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.ForeignKeyConstraint(["pupil_id"], ["pupils.id"], ondelete="CASCADE"),
            sa.PrimaryKeyConstraint("id")
        )
        with op.batch_alter_table("face_templates", schema=None) as batch_op:
            batch_op.create_index(batch_op.f("ix_face_templates_pupil_id"), ["pupil_id"], unique=False)


def downgrade() -> None:
    for table in ("face_templates", "checks", "staff", "pupils", "counters", "clean_check_tallies",
                  "clean_check_counts", "audit_events"):
        op.drop_table(table)
