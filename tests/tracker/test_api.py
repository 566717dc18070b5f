"""The JSON API: token authentication, answers that match the OpenAPI document, bad bodies."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.tracker.conftest import World, publish_release
from tests.tracker.test_summaries import populate
from tracker.db import db
from tracker.models import User
from tracker.records import accounts


@pytest.fixture
def token(app: Flask, world: World) -> str:
    with app.app_context():
        evaluator = db.session.get(User, world.evaluator)
        assert evaluator is not None
        issued = accounts.issue_token(evaluator, "test")
        assert isinstance(issued, str)
        return issued


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def check(document: dict[str, Any], path: str, method: str, status: int, body: Any) -> None:
    """Validate a response body against the schema the document gives for it."""
    operation = document["paths"][path][method]
    assert str(status) in operation["responses"], f"{method} {path} {status} not documented"
    content = operation["responses"][str(status)].get("content")
    if content is None:
        return
    schema = dict(content["application/json"]["schema"])
    schema["components"] = document["components"]
    jsonschema.validate(body, schema, cls=jsonschema.Draft202012Validator)


@pytest.fixture
def document(client: FlaskClient) -> dict[str, Any]:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    body = response.get_json()
    assert body["openapi"].startswith("3.1")
    return body  # type: ignore[no-any-return]


def test_document_lists_exactly_the_api_routes(app: Flask, document: dict[str, Any]) -> None:
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1/"):
            path = rule.rule.removeprefix("/api/v1")
            path = path.replace("<scope_name>", "{scope}").replace("<key>", "{key}")
            for method in rule.methods - {"HEAD", "OPTIONS"}:  # type: ignore[operator]
                routes.add((path, method.lower()))
    documented = {(path, method) for path, ops in document["paths"].items() for method in ops}
    assert routes == documented
    jsonschema.Draft202012Validator.check_schema({"$defs": document["components"]["schemas"]})


def test_answers_match_the_document(
    app: Flask, client: FlaskClient, world: World, token: str, document: dict[str, Any]
) -> None:
    populate(app, world, people=6)
    with app.app_context():
        publish_release()
    calls = [
        ("/scopes", "get", "/api/v1/scopes", None),
        ("/releases", "get", "/api/v1/releases", None),
        (
            "/summaries/{scope}/{key}",
            "get",
            f"/api/v1/summaries/cohort/{world.cohort_a}?release=1",
            None,
        ),
        (
            "/summaries/{scope}/{key}",
            "get",
            f"/api/v1/summaries/cohort/{world.cohort_a}?release=x",
            None,
        ),
        (
            "/summaries/{scope}/{key}",
            "get",
            f"/api/v1/summaries/cohort/{world.cohort_a}?release=99",
            None,
        ),
        ("/summaries/{scope}/{key}", "get", f"/api/v1/summaries/cohort/{world.cohort_a}", None),
        ("/summaries/{scope}/{key}", "get", f"/api/v1/summaries/organisation/{world.org_a}", None),
        (
            "/summaries/{scope}/{key}",
            "get",
            "/api/v1/summaries/programme/leaders?language=bn",
            None,
        ),
        ("/summaries/{scope}/{key}", "get", f"/api/v1/summaries/cohort/{world.cohort_b}", None),
        ("/summaries/{scope}/{key}", "get", "/api/v1/summaries/cohort/1?language=xx", None),
        (
            "/summaries",
            "post",
            "/api/v1/summaries",
            {"scope": "cohort", "key": str(world.cohort_a)},
        ),
        ("/summaries", "post", "/api/v1/summaries", {"scope": "cohort"}),
    ]
    statuses = []
    for path, method, url, body in calls:
        response = client.open(url, method=method.upper(), json=body, headers=bearer(token))
        check(document, path, method, response.status_code, response.get_json())
        statuses.append(response.status_code)
    # The programme spans organisation B, which this evaluator is not granted: 404.
    assert statuses == [200, 200, 200, 400, 404, 200, 200, 404, 404, 400, 200, 400]
    unauthorised = client.get("/api/v1/scopes")
    check(document, "/scopes", "get", 401, unauthorised.get_json())
    assert unauthorised.headers["WWW-Authenticate"].startswith("Bearer")


def test_summary_json_is_suppressed_and_names_nobody(
    app: Flask, client: FlaskClient, bare_world: World
) -> None:
    world = bare_world
    populate(app, world, people=4)
    with app.app_context():
        publish_release()
        evaluator = db.session.get(User, world.evaluator)
        assert evaluator is not None
        token = accounts.issue_token(evaluator, "test")
        assert isinstance(token, str)
    response = client.get(f"/api/v1/summaries/cohort/{world.cohort_a}", headers=bearer(token))
    body = response.get_json()
    assert body["release"]["id"] == 1
    prepost = next(s for s in body["sections"] if s["key"] == "selfworth-pre-post")
    assert prepost["rules"] == [
        {
            "threshold": 5,
            "sensitive": False,
            "min_respondents": 0,
            "reason": "Self-ratings; hidden below 5 because cohorts are small.",
        }
    ]
    first = prepost["table"]["rows"][0]
    assert first["n"]["suppressed"] in ("primary", "secondary")
    assert first["mean_change"]["suppressed"] == "derived"
    assert prepost["table"]["row_keys"][0] == "item:value-myself"
    assert "SUR-" not in response.get_data(as_text=True)
    scopes = client.get("/api/v1/scopes", headers=bearer(token)).get_json()
    assert [c["id"] for c in scopes["cohorts"]] == [world.cohort_a]  # only the granted organisation


def test_post_asks_for_some_sections(client: FlaskClient, world: World, token: str) -> None:
    response = client.post(
        "/api/v1/summaries",
        json={"scope": "cohort", "key": str(world.cohort_a), "sections": ["attendance"]},
        headers=bearer(token),
    )
    assert [s["key"] for s in response.get_json()["sections"]] == ["attendance"]


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ("not json at all", ["body"]),
        ([1, 2], ["body"]),
        ({}, ["scope", "key"]),
        ({"scope": "galaxy", "key": "1"}, ["scope"]),
        ({"scope": "cohort", "key": 5}, ["key"]),
        ({"scope": "cohort", "key": "1", "sections": "attendance"}, ["sections"]),
        ({"scope": "cohort", "key": "1", "language": "fr"}, ["language"]),
        ({"scope": "cohort", "key": "1", "limit": 3}, ["limit"]),
    ],
)
def test_bad_bodies_get_400_with_every_problem(
    client: FlaskClient, token: str, body: Any, fields: list[str]
) -> None:
    if isinstance(body, str):
        response = client.post(
            "/api/v1/summaries",
            data=body,
            headers=bearer(token) | {"Content-Type": "application/json"},
        )
    else:
        response = client.post("/api/v1/summaries", json=body, headers=bearer(token))
    assert response.status_code == 400
    assert [p["field"] for p in response.get_json()["problems"]] == fields


def test_tokens_are_checked(app: Flask, client: FlaskClient, world: World, token: str) -> None:
    assert client.get("/api/v1/scopes", headers=bearer("mwu_wrong")).status_code == 401
    assert client.get("/api/v1/scopes", headers={"Authorization": token}).status_code == 401
    with app.app_context():
        evaluator = db.session.get(User, world.evaluator)
        assert evaluator is not None
        token_id = accounts.tokens(evaluator)[0].id
        assert accounts.revoke_token(evaluator, token_id)
    assert client.get("/api/v1/scopes", headers=bearer(token)).status_code == 401


def test_token_page_shows_a_new_token_once(client: FlaskClient, world: World) -> None:
    client.post("/login", data={"username": "evaluator", "password": "a-long-test-password"})
    page = client.post("/account/tokens", data={"label": "dashboard"})
    text = page.get_data(as_text=True)
    assert 'id="new-token">mwu_' in text
    again = client.get("/account/tokens").get_data(as_text=True)
    assert "new-token" not in again and "dashboard" in again
