"""`secondlook log …`: retention of the near-miss log.

`secondlook log purge` deletes near-miss records and clean-check counts older than the policy's
`[log] retention_days` (default 365). It is meant for a daily cron job: running it twice does
nothing the second time, it always exits 0 when the database is reachable, and it prints what it
did on one line. Every run that deletes something (not a dry run) is audited.
"""
from __future__ import annotations

import click
from flask.cli import AppGroup

from server import services
from server.db import session_factory
from server.nearmiss.retention import purge

log_group = AppGroup("log", help="The near-miss log: retention.")


@log_group.command("purge")
@click.option("--days", type=click.IntRange(1, 36500), default=None,
              help="Keep this many days instead of the policy's [log] retention_days.")
@click.option("--dry-run", is_flag=True, help="Only say what would be deleted.")
def purge_command(days: int | None, dry_run: bool) -> None:
    """Delete near-miss records and clean-check counts older than the retention period."""
    policy = services.policy()
    keep = days if days is not None else policy.retention_days
    with session_factory()() as db:
        result = purge(db, keep, dry_run=dry_run)
    verb = "Would delete" if dry_run else "Deleted"
    click.echo(f"{verb} {result.checks} near-miss record(s) and {result.day_counts} daily count(s) "
               f"from before {result.cutoff.date().isoformat()} (keeping {keep} days).")
