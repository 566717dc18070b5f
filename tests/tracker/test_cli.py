"""The `tracker` command: init-db, create-user, demo (twice), backup, and the entry point."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import func, select

from tests.tracker.conftest import CONTENT, make_app
from tracker.db import db
from tracker.models import Cohort, Organisation, Participant, Role, User


def test_init_db_runs_the_migrations(tmp_path: Path) -> None:
    path = tmp_path / "fresh.sqlite"
    app = make_app(f"sqlite:///{path}")
    result = app.test_cli_runner().invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    assert "Database ready" in result.output
    tables = {row[0] for row in sqlite3.connect(path).execute("select name from sqlite_master")}
    assert {"cohort", "participant", "attendance", "alembic_version"} <= tables
    again = app.test_cli_runner().invoke(args=["init-db"])  # nothing to do: still fine
    assert again.exit_code == 0
    with app.app_context():
        db.engine.dispose()


def test_create_user(app: Flask, runner: FlaskCliRunner) -> None:
    result = runner.invoke(
        args=["create-user", "--username", "coordinator1", "--role", "coordinator",
              "--organisation", "New Org", "--password", "long-password-1"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    short = runner.invoke(
        args=["create-user", "--username", "x", "--role", "facilitator", "--password", "short"]
    )
    assert short.exit_code == 1
    assert "password" in short.output and "organisation_id" in short.output
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "coordinator1"))
        assert user is not None and user.role is Role.coordinator
        assert user.organisation is not None and user.organisation.name == "New Org"


def test_demo_loads_once(app: Flask, runner: FlaskCliRunner) -> None:
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    assert "Demo loaded: 2 organisations, 4 cohorts" in first.output
    second = runner.invoke(args=["demo"])
    assert second.exit_code == 0 and "already loaded" in second.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Organisation)) == 2
        assert db.session.scalar(select(func.count()).select_from(Cohort)) == 4
        codes = list(db.session.scalars(select(Participant.code)))
        assert len(codes) == len(set(codes)) == 4 * 22
        assert all(code.startswith(("SUR-", "SW-")) for code in codes)


def test_demo_summary_has_something_to_show(app: Flask, runner: FlaskCliRunner) -> None:
    runner.invoke(args=["demo"])
    client = app.test_client()
    client.post("/login", data={"username": "demo-evaluator", "password": "demo-only-password"})
    page = client.get("/summaries/programme/leaders").get_data(as_text=True)
    assert "<svg" in page and "Wilcoxon" in page


def test_backup_copies_the_database(app: Flask, runner: FlaskCliRunner, tmp_path: Path) -> None:
    runner.invoke(args=["create-user", "--username", "admin1", "--role", "admin",
                        "--password", "long-password-1"])  # fmt: skip
    result = runner.invoke(args=["backup", "--to", str(tmp_path / "backups")])
    assert result.exit_code == 0, result.output
    copies = list((tmp_path / "backups").glob("tracker-*.sqlite"))
    assert len(copies) == 1
    users = sqlite3.connect(copies[0]).execute("select username from user_account").fetchall()
    assert users == [("admin1",)]


def test_entry_point_lists_the_commands(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tracker.cli import cli

    monkeypatch.setenv("TRACKER_SQLALCHEMY_DATABASE_URI", f"sqlite:///{tmp_path / 'e.sqlite'}")
    monkeypatch.setenv("TRACKER_CONTENT_ROOT", str(CONTENT))
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0, result.output
    for command in ("init-db", "create-user", "demo", "backup", "serve", "db"):
        assert command in result.output
