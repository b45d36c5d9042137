"""`secondlook init-db`, `demo-seed` and `serve`: set up the database and the demo school, and serve."""
from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import func, select

from server import services
from server.db import init_db, session_factory
from server.models import Staff
from server.nearmiss.log_upgrade import reredact_log
from server.nopublish.records import upgrade_templates
from server.staff import create_staff


@click.command("init-db")
@with_appcontext
def init_db_command() -> None:
    """Create or upgrade the database schema (idempotent); face templates from before the SFace or
    ArcFace network get the missing encodings from their thumbnail; near-miss excerpts stored
    before the neutral-word allow-list are redacted again."""
    init_db()
    with session_factory()() as db:
        upgraded, left = upgrade_templates(db, services.policy())
        reredacted = reredact_log(db)
        db.commit()
    if reredacted:
        click.echo(f"Near-miss records re-redacted to neutral words only: {reredacted}.")
    if upgraded or left:
        click.echo(f"Face templates from before the SFace and ArcFace networks: {upgraded} upgraded from their thumbnails"
                   + (f", {left} could not be (add a new photo of those pupils)." if left else "."))
    click.echo(f"Database ready: {services.engine().url.render_as_string(hide_password=True)}")


@click.command("demo-seed")
@click.option("--base-url", default="http://127.0.0.1:5000", show_default=True,
              help="Where the service will be served, for the address printed.")
@with_appcontext
def demo_seed(base_url: str) -> None:
    """Set up a demo school on first run: an admin login and a staff API token, printed once."""
    init_db()
    with session_factory()() as db:
        existing = db.execute(select(func.count(Staff.id))).scalar_one()
    if existing:
        click.echo("Demo school already set up (tokens are shown only when created; "
                   "make another with `.venv/bin/secondlook staff add NAME`).")
        return
    _, _, password = create_staff("director", "admin")
    _, token, teacher_password = create_staff("demo-teacher", "staff")
    policy = services.policy()
    click.echo("")
    click.echo(f"Demo school: {policy.school_name}")
    click.echo(f"  Admin pages: {base_url.rstrip('/')}/admin/  sign in as 'director' with password: {password}")
    if teacher_password:
        click.echo(f"  Pupils to check by eye: {base_url.rstrip('/')}/admin/check-by-eye  "
                   f"sign in as 'demo-teacher' with password: {teacher_password}")
    click.echo("  Staff API token for 'demo-teacher' (for the extension and curl), shown once:")
    click.echo(f"  {token}")
    click.echo("")


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=int, help="Worker processes.")
@click.option("--threads", default=4, show_default=True, type=int, help="Threads per worker.")
def serve(host: str, port: int, workers: int, threads: int) -> None:
    """Serve with gunicorn, the production WSGI server (each worker builds its own app)."""
    from server.wsgi_server import run_gunicorn
    run_gunicorn(host=host, port=port, workers=workers, threads=threads)
