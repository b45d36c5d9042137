"""The `secondlook` command: one Flask CLI group registering every command, so each reads the
same configuration as the app.

Where each command lives: `init-db`, `demo-seed` and `serve` in cli/database.py; `staff …` and
`admin create` in cli/staff.py; `nopublish …` in cli/nopublish.py; `log …` in cli/log.py. The
commands only parse options and print: the work is done by server/staff.py, server/nopublish/ and
server/nearmiss/.
"""
from __future__ import annotations

import click
from flask import Flask
from flask.cli import FlaskGroup


def _create_app() -> Flask:
    from server import create_app
    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_default_commands=False, add_version_option=False)
def main() -> None:
    """Second Look: a pre-post checker for school staff."""


def init_app(app: Flask) -> None:
    """Register every command on the app (the `secondlook` entry point and `app.test_cli_runner`)."""
    from server.cli import alerts, database, log, nopublish, staff

    for command in (database.init_db_command, database.demo_seed, database.serve, staff.staff_group,
                    staff.admin_group, log.log_group, nopublish.nopublish_group, alerts.alerts_group):
        app.cli.add_command(command)
