"""`secondlook alerts digest`: the weekly e-mail to the Director of IT and the safeguarding lead
(for cron, e.g. `0 7 * * MON secondlook alerts digest`)."""
from __future__ import annotations

import click
from flask.cli import AppGroup

from server.alerts import mailer, weekly_digest
from server.db import session_factory

alerts_group = AppGroup("alerts", help="E-mail alerts to the Director of IT and the safeguarding lead.")


@alerts_group.command("digest")
def digest_command() -> None:
    """Send the last seven days in figures (never a post's words or a pupil's name)."""
    if not mailer().enabled:
        raise click.ClickException("Alerts are off: set MAIL_SERVER and ALERT_TO (SECONDLOOK_MAIL_SERVER, ...).")
    with session_factory()() as db:
        body = weekly_digest(db)
    mailer().wait(timeout=60)
    click.echo(body.splitlines()[1].strip("- ;"))
