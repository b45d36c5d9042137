"""Schema migrations (Alembic), run by `secondlook init-db`; SQLite and PostgreSQL alike.

`upgrade(engine)` brings any database to the newest revision: an empty one gets the whole schema,
one made before migrations existed (no `alembic_version` table) is adopted by the first revisions,
which create only what is missing. A new revision: change server/models.py, then
`.venv/bin/alembic -c server/migrations/alembic.ini -x url=sqlite:///instance/secondlook.sqlite
revision --autogenerate -m "what changed"`, read the file it writes, and add a test.
Batch mode (`render_as_batch`) lets SQLite alter tables by copying them.
"""
from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path

logging.getLogger("alembic").setLevel(logging.WARNING)  # "Running upgrade …" is not news for IT

from alembic.config import Config  # noqa: E402  (after the log level: importing it logs)
from alembic.migration import MigrationContext  # noqa: E402
from alembic.runtime.environment import EnvironmentContext  # noqa: E402
from alembic.script import ScriptDirectory  # noqa: E402
from sqlalchemy.engine import Engine  # noqa: E402

HERE = Path(__file__).resolve().parent


def config(connection: object | None = None) -> Config:
    """Alembic's configuration for this package, sharing `connection` with env.py when given."""
    cfg = Config(str(HERE / "alembic.ini"))
    cfg.set_main_option("script_location", str(HERE))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


@lru_cache(maxsize=1)
def scripts() -> ScriptDirectory:
    """The revisions, read once per process (every test app runs `init-db`)."""
    return ScriptDirectory.from_config(config())


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Migrate the database to `revision` (the newest by default) in one transaction.

    The same as `alembic upgrade` (env.py), with the revisions read once per process."""
    from server.models import Base

    script = scripts()

    def steps(current: object, context: object) -> object:
        return script._upgrade_revs(revision, current)

    with engine.begin() as connection, EnvironmentContext(config(), script, fn=steps,
                                                          destination_rev=revision) as env:
        env.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
        with env.begin_transaction():
            env.run_migrations()


def current(engine: Engine) -> str | None:
    """The database's revision, or None before any migration ran."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
