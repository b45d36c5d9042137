"""Alembic's environment: migrate on the connection `secondlook init-db` passes, or (the alembic
command line) on the database named by `-x url=…`, SECONDLOOK_DATABASE_URL or the default file."""
from __future__ import annotations

import os

from alembic import context
from sqlalchemy import create_engine

from server.models import Base

config = context.config


def _run(connection: object) -> None:
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True,
                      compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


def _url() -> str:
    return (context.get_x_argument(as_dictionary=True).get("url") or os.environ.get("SECONDLOOK_DATABASE_URL")
            or "sqlite:///instance/secondlook.sqlite")


if context.is_offline_mode():
    context.configure(url=_url(), target_metadata=Base.metadata, render_as_batch=True, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
elif config.attributes.get("connection") is not None:
    _run(config.attributes["connection"])
else:
    engine = create_engine(_url())
    with engine.begin() as connection:
        _run(connection)
    engine.dispose()
