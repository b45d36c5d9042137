"""Privacy and abuse, second round (issue 18).

* `outcome_reports`: every outcome reported for a near-miss, append-only (the first one stands);
* `checks.pupils_key`: a keyed hash of the listed pupils a check named (a new record when it changes);
* `pupil_match_tallies`: distinct listed pupils each member of staff named per day (keyed hashes);
* `admin_sessions`: server-side admin page sessions (hash of the session id);
* `login_throttles`: failed sign-ins per account name (keyed hash) and per address, for the back-off.

Each is created only where missing (a database made by `create_all` on a development branch may
already have it).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def _tables() -> set[str]:
    return set(sa.inspect(op.get_bind()).get_table_names())


def _columns(table: str) -> set[str]:
    return {c["name"] for c in sa.inspect(op.get_bind()).get_columns(table)}


def upgrade() -> None:
    existing = _tables()
    if "pupils_key" not in _columns("checks"):
        with op.batch_alter_table("checks") as batch_op:
            batch_op.add_column(sa.Column("pupils_key", sa.String(length=32), nullable=True))
    if "outcome_reports" not in existing:
        op.create_table("outcome_reports",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("check_id", sa.String(length=32), nullable=False),
            sa.Column("at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("action", sa.String(length=16), nullable=False),
            sa.Column("override_reason", sa.String(length=500), nullable=True),
            sa.Column("source", sa.String(length=16), nullable=False),
            sa.Column("stands", sa.Boolean(), nullable=False),
            sa.ForeignKeyConstraint(["check_id"], ["checks.id"], ondelete="CASCADE"),
            sa.PrimaryKeyConstraint("id"),
        )
        with op.batch_alter_table("outcome_reports") as batch_op:
            batch_op.create_index("ix_outcome_reports_check_id", ["check_id"], unique=False)
    if "pupil_match_tallies" not in existing:
        op.create_table("pupil_match_tallies",
            sa.Column("day", sa.Date(), nullable=False),
            sa.Column("staff_id", sa.Integer(), nullable=False),
            sa.Column("pupil_key", sa.String(length=32), nullable=False),
            sa.PrimaryKeyConstraint("day", "staff_id", "pupil_key"),
        )
    if "admin_sessions" not in existing:
        op.create_table("admin_sessions",
            sa.Column("id_hash", sa.String(length=64), nullable=False),
            sa.Column("staff_id", sa.Integer(), nullable=False),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
            sa.ForeignKeyConstraint(["staff_id"], ["staff.id"], ondelete="CASCADE"),
            sa.PrimaryKeyConstraint("id_hash"),
        )
        with op.batch_alter_table("admin_sessions") as batch_op:
            batch_op.create_index("ix_admin_sessions_staff_id", ["staff_id"], unique=False)
    if "login_throttles" not in existing:
        op.create_table("login_throttles",
            sa.Column("key", sa.String(length=80), nullable=False),
            sa.Column("failures", sa.Integer(), nullable=False),
            sa.Column("last_failure_at", sa.DateTime(timezone=True), nullable=True),
            sa.Column("not_before", sa.DateTime(timezone=True), nullable=True),
            sa.PrimaryKeyConstraint("key"),
        )


def downgrade() -> None:
    for table in ("login_throttles", "admin_sessions", "pupil_match_tallies", "outcome_reports"):
        op.drop_table(table)
    with op.batch_alter_table("checks") as batch_op:
        batch_op.drop_column("pupils_key")
