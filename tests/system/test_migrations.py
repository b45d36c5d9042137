"""Alembic migrations (server/migrations/): the newest revision is exactly the models' schema, on
SQLite and PostgreSQL, and a database made before migrations existed is adopted with its rows."""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, select, text

from server import migrations
from server.db import make_engine
from server.models import Base, Pupil
from tests.support.helpers import fresh_database_url


def test_the_newest_revision_is_the_models_schema(backend, tmp_path):
    with fresh_database_url(backend, tmp_path) as url:
        engine = make_engine(url)
        try:
            assert migrations.current(engine) is None
            migrations.upgrade(engine)
            assert migrations.current(engine) == migrations.scripts().get_current_head()
            with engine.connect() as conn:
                assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
            migrations.upgrade(engine)  # again: nothing to do
            assert migrations.current(engine) == migrations.scripts().get_current_head()
        finally:
            engine.dispose()


def test_a_database_made_before_migrations_is_adopted_with_its_rows(backend, tmp_path):
    with fresh_database_url(backend, tmp_path) as url:
        engine = make_engine(url)
        try:
            Base.metadata.create_all(engine)  # how init-db made databases before migrations
            with engine.begin() as conn:
                conn.execute(text("ALTER TABLE face_templates DROP COLUMN arc_encoding"))
                conn.execute(Pupil.__table__.insert().values(
                    display_name="Kept Pupil", reason="other", pupil_objected=False, consent_withdrawn=False,
                    created_at=text("CURRENT_TIMESTAMP"), updated_at=text("CURRENT_TIMESTAMP")))
            migrations.upgrade(engine)
            assert "arc_encoding" in {c["name"] for c in inspect(engine).get_columns("face_templates")}
            with engine.connect() as conn:
                assert conn.execute(select(Pupil.display_name)).scalars().all() == ["Kept Pupil"]
                assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
        finally:
            engine.dispose()


def test_every_revision_has_a_parent_chain_to_one_head():
    script = migrations.scripts()
    assert len(script.get_heads()) == 1
    chain = [rev.revision for rev in script.walk_revisions()]
    assert chain[-1] == "0001" and len(chain) == len(set(chain))
