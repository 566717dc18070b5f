"""The `tracker` command: set up the database, add users, load the demo, back up, serve.

`tracker <command>` and `flask --app tracker <command>` are the same commands; Flask-Migrate
adds `tracker db ...` (upgrade, downgrade, migrate) beside them.
"""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext
from flask_migrate import upgrade
from sqlalchemy import select

from tracker import backups, serving
from tracker.db import MIGRATIONS, db
from tracker.models import Organisation, Role
from tracker.summaries import releases


@click.command("init-db")
@with_appcontext
def init_db_command() -> None:
    """Create or upgrade the database to the newest schema (runs the migrations)."""
    upgrade(directory=MIGRATIONS)
    click.echo(f"Database ready: {_safe_url()}")


@click.command("create-user")
@click.option("--username", required=True)
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--organisation", help="The organisation's name (created if new).")
@click.password_option()
@with_appcontext
def create_user_command(username: str, role: str, organisation: str | None, password: str) -> None:
    """Add a user. Coordinators and facilitators need --organisation."""
    from tracker.records import accounts

    organisation_id = None
    if organisation:
        found = db.session.scalar(select(Organisation).where(Organisation.name == organisation))
        if found is None:
            created = accounts.create_organisation(organisation)
            if isinstance(created, list):
                raise click.ClickException("; ".join(str(p) for p in created))
            found = created
        organisation_id = found.id
    user = accounts.create_user(accounts.UserInput(username, Role(role), organisation_id, password))
    if isinstance(user, list):
        for problem in user:
            click.echo(f"error: {problem}", err=True)
        raise click.exceptions.Exit(1)
    click.echo(f"Created {role} {username}.")


@click.command("demo")
@with_appcontext
def demo_command() -> None:
    """Load an invented demo organisation with cohorts and data (safe to run twice)."""
    from tracker.demo import load_demo

    report = load_demo()
    click.echo(report)


@click.command("release")
@click.option(
    "--organisation-id",
    type=int,
    default=None,
    help="Refresh only this organisation's figures (others stay as last released).",
)
@with_appcontext
def release_command(organisation_id: int | None) -> None:
    """Publish a release: the protected figures evaluators see (run it on a schedule)."""
    try:
        outcome = releases.publish_recorded("system", organisation_id)
    except releases.ReleaseError as error:
        raise click.ClickException(str(error)) from error
    click.echo(
        f"Release {outcome.release_id} published: {outcome.refreshed} parts refreshed, "
        f"{len(outcome.waiting)} waiting for more change, {outcome.shown} figures shown, "
        f"{outcome.hidden} hidden."
    )


@click.command("backup")
@click.option("--to", "target", type=click.Path(file_okay=False, path_type=Path), default=None)
@with_appcontext
def backup_command(target: Path | None) -> None:
    """Copy the database to a new file only you can read (SQLite), or run pg_dump (PostgreSQL)."""
    try:
        destination = backups.backup(target or Path(current_app.instance_path) / "backups")
    except backups.BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Backup written: {destination}")


@click.command("restore")
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask: the current database is replaced.")
@with_appcontext
def restore_command(source: Path, yes: bool) -> None:
    """Replace the database with a backup; everyone erased since is erased again."""
    if not yes:
        click.confirm(f"Replace the database {_safe_url()} with {source}?", abort=True)
    try:
        again = backups.restore(source)
    except backups.BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Restored {source}; {again} withdrawn participants erased again.")


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="0.0.0.0: the whole network")
@click.option("--port", default=5000, show_default=True)
@click.option(
    "--threads", default=8, show_default=True, type=click.IntRange(1, 64), help="requests at once"
)
@with_appcontext
def serve_command(host: str, port: int, threads: int) -> None:
    """Serve the tracker with waitress (see docs/deployment.md for an office or a server)."""
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    click.echo(f"Serving on http://{host}:{port}/ with {threads} threads (Ctrl+C to stop)")
    serving.warm_in_background(app)
    serving.server(app, host, port, threads).run()


@click.command("compile-translations")
def compile_translations_command() -> None:
    """Compile the interface translations (.po -> .mo)."""
    from tracker.translations_build import compile_all

    for path in compile_all():
        click.echo(f"compiled {path}")


def _safe_url() -> str:
    return db.engine.url.render_as_string(hide_password=True)


COMMANDS = [
    init_db_command,
    create_user_command,
    demo_command,
    release_command,
    backup_command,
    restore_command,
    serve_command,
    compile_translations_command,
]


def init_app(app: Flask) -> None:
    for command in COMMANDS:
        app.cli.add_command(command)


def _create_app() -> Flask:
    from tracker import create_app

    return create_app()


cli = FlaskGroup(create_app=_create_app, add_default_commands=False, help=__doc__)


def main() -> None:
    cli(prog_name="tracker")
