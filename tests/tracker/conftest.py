"""Fixture ladder: app (temp database, fixture content) -> client -> runner -> auth -> world.

The schema comes from the migrations, run once per test session into a template SQLite file
that each test copies. Database tests also run on PostgreSQL (127.0.0.1:5432, user postgres)
through the `db_app` fixture, skipped with a reason when no PostgreSQL answers.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from flask_migrate import upgrade
from sqlalchemy import text

from tracker import create_app
from tracker.db import MIGRATIONS, db
from tracker.summaries import release_job

CONTENT = Path(__file__).parent / "content"
PASSWORD = "a-long-test-password"
PG_ADMIN_URL = os.environ.get("TRACKER_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")


# The instance folder (secret and erasure key files, the erasure ledger) of test apps: never
# the checkout's own instance/. Tests of those files pass their own `instance_path`.
TEST_INSTANCE = tempfile.mkdtemp(prefix="tracker-test-instance-")


def make_app(database_url: str, instance_path: str | None = None, **extra: Any) -> Flask:
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "CONTENT_ROOT": str(CONTENT),
        "WTF_CSRF_ENABLED": False,
        "SESSION_COOKIE_SECURE": False,
        "REMEMBER_COOKIE_SECURE": False,
        # Cheap password hashes: the cost is argon2's business, not the tests'.
        "ARGON2_TIME_COST": 1,
        "ARGON2_MEMORY_COST": 1024,
    }
    config.update(extra)
    return create_app(config, instance_path=instance_path or TEST_INSTANCE)


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "tracker.sqlite"
    app = make_app(f"sqlite:///{path}")
    with app.app_context():
        upgrade(directory=MIGRATIONS)
        db.engine.dispose()
    return path


@pytest.fixture
def app(template_db: Path, tmp_path: Path) -> Iterator[Flask]:
    path = tmp_path / "tracker.sqlite"
    shutil.copy(template_db, path)
    app = make_app(f"sqlite:///{path}")
    yield app
    release_job.wait(app)  # a release a test asked for ends before its database goes
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


class AuthActions:
    def __init__(self, client: FlaskClient) -> None:
        self._client = client

    def login(self, username: str, password: str = PASSWORD, language: str | None = "en") -> Any:
        """Sign in; the interface is then set to `language` (None: leave the default, which
        follows the cohort's language), so that tests can read English messages."""
        response = self._client.post("/login", data={"username": username, "password": password})
        if language is not None and response.status_code == 302:
            self._client.post("/language", data={"language": language})
        return response

    def logout(self) -> Any:
        return self._client.post("/logout")


@pytest.fixture
def auth(client: FlaskClient) -> AuthActions:
    return AuthActions(client)


# ------------------------------------------------------------------ a small world


@dataclass
class World:
    org_a: int
    org_b: int
    cohort_a: int
    cohort_b: int
    session_a: int
    session_b: int
    participant_a: int
    participant_b: int
    evaluator: int
    token_id: int | None = None


USERS = ("admin", "coord_a", "fac_a", "fac_a2", "coord_b", "evaluator")


def build_world(*, publish: bool = True) -> World:
    """Two organisations, a cohort each, users of every role (call inside an app context);
    a first release for evaluators unless publish is False."""
    from tracker.models import CohortFacilitator, EvaluatorGrant, Group, Role
    from tracker.records import accounts, cohorts, participants, sessions

    org_a = accounts.create_organisation("Org A")
    org_b = accounts.create_organisation("Org B")
    assert not isinstance(org_a, list) and not isinstance(org_b, list)
    made = {}
    for name, role, org in (
        ("admin", Role.admin, None),
        ("coord_a", Role.coordinator, org_a.id),
        ("fac_a", Role.facilitator, org_a.id),
        ("fac_a2", Role.facilitator, org_a.id),
        ("coord_b", Role.coordinator, org_b.id),
        ("evaluator", Role.evaluator, None),
    ):
        user = accounts.create_user(accounts.UserInput(name, role, org, PASSWORD))
        assert not isinstance(user, list), user
        made[name] = user
    db.session.add(EvaluatorGrant(user_id=made["evaluator"].id, organisation_id=org_a.id))
    result = {}
    for key, org in (("a", org_a), ("b", org_b)):
        cohort = cohorts.create(
            cohorts.CohortInput(
                org.id,
                f"Cohort {key.upper()}",
                "leaders",
                "bn",
                "Test hall",
                date(2025, 1, 6),
                None,
            )
        )
        assert not isinstance(cohort, list), cohort
        person = participants.enrol(
            cohort,
            participants.ParticipantInput(
                f"SUR-{key.upper()}01", Group.survivor, True, date(2025, 1, 1), "private note"
            ),
        )
        assert not isinstance(person, list), person
        session = sessions.create(cohort, sessions.SessionInput("leaders-me", date(2025, 1, 6), []))
        assert not isinstance(session, list), session
        result[key] = (cohort.id, session.id, person.id)
    db.session.add(CohortFacilitator(cohort_id=result["a"][0], user_id=made["fac_a"].id))
    db.session.commit()
    if publish:
        publish_release()
    return World(
        org_a=org_a.id,
        org_b=org_b.id,
        cohort_a=result["a"][0],
        cohort_b=result["b"][0],
        session_a=result["a"][1],
        session_b=result["b"][1],
        participant_a=result["a"][2],
        participant_b=result["b"][2],
        evaluator=made["evaluator"].id,
    )


def publish_release(organisation_id: int | None = None) -> int:
    """Publish a release of the evaluator figures (inside an app context); its id."""
    from tracker import content, summaries
    from tracker.summaries import releases

    outcome = releases.publish(
        content.content(), summaries.completion_share(), "test", organisation_id
    )
    db.session.commit()
    return outcome.release_id


@pytest.fixture
def world(app: Flask) -> World:
    with app.app_context():
        return build_world()


@pytest.fixture
def bare_world(app: Flask) -> World:
    """The world before any release: for tests that add data, then publish."""
    with app.app_context():
        return build_world(publish=False)


# ------------------------------------------------------------------ PostgreSQL


def _pg_admin() -> Any:
    import psycopg2

    connection = psycopg2.connect(PG_ADMIN_URL, connect_timeout=3)
    connection.autocommit = True
    return connection


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    try:
        admin = _pg_admin()
    except Exception as error:  # any failure to connect means: no PostgreSQL here
        pytest.skip(f"no PostgreSQL at {PG_ADMIN_URL}: {str(error).strip()}")
    name = f"tracker_test_{uuid.uuid4().hex[:10]}"
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    app = make_app(url)
    with app.app_context():
        upgrade(directory=MIGRATIONS)
        db.engine.dispose()
    yield url
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_app(request: pytest.FixtureRequest, template_db: Path, tmp_path: Path) -> Iterator[Flask]:
    """An app on SQLite, then on PostgreSQL: for tests of what the database itself does."""
    if request.param == "sqlite":
        path = tmp_path / "tracker.sqlite"
        shutil.copy(template_db, path)
        app = make_app(f"sqlite:///{path}")
    else:
        url = request.getfixturevalue("pg_url")
        app = make_app(url)
        with app.app_context():
            tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
            db.session.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
            db.session.commit()
    yield app
    release_job.wait(app)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
