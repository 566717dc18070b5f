"""Fuzz every route as every role: odd ids, odd text, odd dates and numbers in every path,
query and form field the pages offer, and odd JSON to the API. Nothing may answer with a
server error. Bounded by count (hypothesis, a fixed number of examples per route and role),
not by time, so the suite's length is known."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from werkzeug.routing import Rule

from tests.tracker.conftest import PASSWORD, World, build_world
from tracker.access.edge import CONTROL, MAX_ID
from tracker.db import db
from tracker.models import Cohort, Participant, User
from tracker.problems import Problem
from tracker.records import accounts
from tracker.records.accounts import normal_username
from tracker.records.values import parse_code

ROLES = ("admin", "coord_a", "fac_a", "evaluator")
# Routes that end the fuzzing client's own sign-in, or print PDFs through Chromium (slow;
# their HTML twin takes the same input).
SKIP = {"/logout"}
EXAMPLES = 6

# Text that has broken parsers before: other scripts' digits, superscripts, control
# characters, far dates, numbers past 64 bits, markup, very long strings.
AWKWARD_VALUES = (
    [
        "", " ", "²", "٣", "१२", "1e400", "-1", "0", str(MAX_ID), str(2**64), str(2**70),
        "0001-01-01", "9999-12-31", "2099-01-01", "2025-02-30", "\x00", "a\x00b", "\x1b[2J",
        "<script>x</script>", "SUR-A01", "present", "pre", "yes", "other", "x" * 5000,
        "Ａｄｍｉｎ", "аdmin", "🙂", "\u202e", "NaN",
    ]
)  # fmt: skip
AWKWARD = st.sampled_from(AWKWARD_VALUES)
TEXT = st.one_of(AWKWARD, st.text(max_size=40))


def _ids(world: World) -> list[int]:
    return [world.cohort_a, world.cohort_b, world.session_a, world.participant_a, 1, 0, MAX_ID]


def _path_value(name: str, converter: str, world: World) -> st.SearchStrategy[Any]:
    if converter == "IdConverter" or (name.endswith("_id") and converter != "UnicodeConverter"):
        return st.sampled_from(_ids(world))
    known = {
        "fmt": ["html", "csv", "xlsx", "json", "svg"],
        "timepoint": ["pre", "post", "follow_up", "retro_pre"],
        "scope_name": ["cohort", "organisation", "programme"],
        "instrument_id": ["selfworth", "body"],
        "form_id": ["useful-skills", "seed-skills"],
    }
    return st.one_of(st.sampled_from(known.get(name, ["x"])), TEXT.filter(lambda t: "/" not in t))


def _plain(name: str, converter: str, world: World) -> Any:
    """A value that reaches the view: the first of what `_path_value` offers."""
    if converter == "IdConverter" or (name.endswith("_id") and converter != "UnicodeConverter"):
        return {"cohort_id": world.cohort_a, "session_id": world.session_a,
                "participant_id": world.participant_a}.get(name, 1)  # fmt: skip
    known = {"fmt": "html", "timepoint": "pre", "scope_name": "cohort",
             "instrument_id": "selfworth", "form_id": "useful-skills",
             "key": world.cohort_a}  # fmt: skip
    return known.get(name, "x")


def _fill(rule: Rule, values: dict[str, Any]) -> str | None:
    try:
        url = rule.rule
        for name in rule.arguments:
            url = re.sub(rf"<(?:[^:<>]+:)?{name}>", str(values[name]).replace("?", ""), url)
        return url
    except KeyError:
        return None


def _field_names(page: str) -> list[str]:
    names = set(re.findall(r'name="([^"]+)"', page)) - {"csrf_token"}
    return sorted(names)


def _routes(app: Flask) -> list[tuple[Rule, str]]:
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or rule.rule in SKIP:
            continue
        for method in sorted((rule.methods or set()) & {"GET", "POST"}):
            found.append((rule, method))
    return found


def _clients(app: Flask) -> dict[str, tuple[FlaskClient, dict[str, str]]]:
    clients = {}
    for role in ROLES:
        client = app.test_client()
        headers: dict[str, str] = {}
        if role == "evaluator":
            with app.app_context():
                user = db.session.scalar(db.select(User).where(User.username == "evaluator"))
                issued = accounts.issue_token(user, "fuzz")
                assert isinstance(issued, str)
                headers = {"Authorization": f"Bearer {issued}"}
        client.post("/login", data={"username": role, "password": PASSWORD})
        clients[role] = (client, headers)
    return clients


def _send(
    client: FlaskClient,
    headers: dict[str, str],
    method: str,
    url: str,
    query: str,
    filler: list[str],
) -> int:
    if method == "GET":
        arguments = dict.fromkeys(("page", "release", "view", "lang"), query)
        return client.get(url, query_string=arguments, headers=headers).status_code
    if url.startswith("/api/"):
        body = {"release": query, "scope": filler[0], "data": filler}
        return client.post(url, json=body, headers=headers).status_code
    page = client.get(url, headers=headers).get_data(as_text=True)
    names = _field_names(page) or ["x"]
    data = {name: filler[i % len(filler)] for i, name in enumerate(names)}
    return client.post(url, data=data, headers=headers).status_code


def _probe(
    client: FlaskClient,
    headers: dict[str, str],
    rule: Rule,
    method: str,
    world: World,
    failures: list[str],
) -> None:
    converters = {name: type(conv).__name__ for name, conv in rule._converters.items()}
    paths = st.fixed_dictionaries(
        {n: _path_value(n, converters.get(n, ""), world) for n in rule.arguments}
    )

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(values=paths, query=TEXT, filler=st.lists(TEXT, min_size=1, max_size=30))
    def probe(values: dict[str, Any], query: str, filler: list[str]) -> None:
        url = _fill(rule, values)
        if url is None:
            return
        try:
            status = _send(client, headers, method, url, query, filler)
        except Exception as error:  # the test app re-raises what would be a 500
            failures.append(f"{method} {url}: {type(error).__name__}: {error}"[:300])
            return
        if status >= 500:
            failures.append(f"{method} {url} -> {status}")

    probe()
    # Then every awkward value for sure, not only where the random draw happened to land:
    # in every query argument, and in every field of the form at once.
    plain = {name: _plain(name, converters.get(name, ""), world) for name in rule.arguments}
    url = _fill(rule, plain)
    if url is None:
        return
    for value in AWKWARD_VALUES:
        try:
            status = _send(client, headers, method, url, value, [value])
        except Exception as error:  # the test app re-raises what would be a 500
            failures.append(f"{method} {url} {value[:20]!r}: {type(error).__name__}: {error}"[:300])
            continue
        if status >= 500:
            failures.append(f"{method} {url} {value[:20]!r} -> {status}")


def _stored_what_forms_refuse() -> list[str]:
    """After the fuzzing: nothing stored that a form should have refused."""
    found = []
    for code in db.session.scalars(select(Participant.code)):
        if isinstance(parse_code(code), Problem) or code != code.strip():
            found.append(f"participant code {code!r}")
    for model, columns in ((Cohort, ("name", "place")), (User, ("username",))):
        for row in db.session.scalars(select(model)):
            for column in columns:
                value = getattr(row, column)
                if CONTROL.search(value) or value != value.strip() or not value:
                    found.append(f"{model.__tablename__}.{column} {value[:30]!r}")
    for user in db.session.scalars(select(User)):
        if user.username != normal_username(user.username):
            found.append(f"username not folded {user.username!r}")
    return found


@pytest.mark.parametrize("role", ROLES)
def test_no_input_gives_a_server_error(db_app: Flask, role: str) -> None:
    with db_app.app_context():
        world = build_world()
    client, headers = _clients(db_app)[role]
    routes = _routes(db_app)
    assert len(routes) > 40
    failures: list[str] = []
    for rule, method in routes:
        _probe(client, headers, rule, method, world, failures)
    assert failures == [], f"{len(failures)} server errors: {failures[:20]}"
    with db_app.app_context():
        assert _stored_what_forms_refuse() == []
