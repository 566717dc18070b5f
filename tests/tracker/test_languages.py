"""The tracker's languages are the curriculum's: a language added there is offered
everywhere (interface, cohorts, API) with no change to the tracker's code."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.tracker.conftest import CONTENT, PASSWORD, build_world, make_app
from tracker import content
from tracker.blueprints.api import check_query
from tracker.db import db
from tracker.i18n import offered_languages
from tracker.models import Cohort

# A fourth language, listed in the curriculum only; no file of it exists anywhere else.
ADDED = "  - code: ta\n    name: தமிழ்\n"


@pytest.fixture
def wider(template_db: Path, tmp_path: Path) -> Iterator[Flask]:
    root = tmp_path / "content"
    shutil.copytree(CONTENT, root)
    curriculum = root / "curriculum" / "curriculum.yaml"
    text = curriculum.read_text(encoding="utf-8")
    assert text.startswith("languages:\n")
    curriculum.write_text(text.replace("languages:\n", "languages:\n" + ADDED, 1), "utf-8")
    path = tmp_path / "tracker.sqlite"
    shutil.copy(template_db, path)
    app = make_app(f"sqlite:///{path}", CONTENT_ROOT=str(root))
    with app.app_context():
        build_world(publish=False)
    yield app
    with app.app_context():
        db.engine.dispose()


def _sign_in(client: FlaskClient, username: str) -> None:
    assert client.post("/login", data={"username": username, "password": PASSWORD}).status_code
    assert client.post("/language", data={"language": "en"}).status_code == 302


def test_a_language_added_to_the_curriculum_is_offered_everywhere(wider: Flask) -> None:
    with wider.app_context():
        assert offered_languages() == {
            "ta": "தமிழ்",
            "en": "English",
            "bn": "বাংলা",
            "hi": "हिन्दी",
        }
        assert check_query({"scope": "cohort", "key": "1", "language": "ta"}) == []
        assert [p.field for p in check_query({"scope": "cohort", "key": "1", "language": "xx"})]
    client = wider.test_client()
    login = client.get("/login").get_data(as_text=True)
    assert '<option value="ta" lang="ta" >தமிழ்</option>' in login
    client.post("/language", data={"language": "ta"})
    assert '<html lang="ta">' in client.get("/login").get_data(as_text=True)
    client.post("/language", data={"language": "xx"})  # not in the curriculum: ignored
    assert '<html lang="ta">' in client.get("/login").get_data(as_text=True)

    _sign_in(client, "coord_a")
    form = client.get("/cohorts/new").get_data(as_text=True)
    assert '<option value="ta">தமிழ்</option>' in form
    made = client.post(
        "/cohorts/new",
        data={"name": "Cohort T", "programme_id": "leaders", "language": "ta",
              "place": "Hall", "starts_on": "2025-03-03"},
    )  # fmt: skip
    assert made.status_code == 302, made.get_data(as_text=True)
    with wider.app_context():
        cohort = db.session.scalar(db.select(Cohort).where(Cohort.name == "Cohort T"))
        assert cohort is not None and cohort.language == "ta"
        # No Tamil translation exists: the cohort's content is the English, not an error.
        assert content.content("ta").programmes["leaders"].title == (
            content.content().programmes["leaders"].title
        )
    document = client.get("/api/v1/openapi.json").get_json()
    query = document["components"]["schemas"]["SummaryQuery"]
    assert query["properties"]["language"]["enum"] == ["ta", "en", "bn", "hi"]
