"""Every route, for every role: the allowed set, and no reaching another organisation's rows."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from tests.tracker.conftest import AuthActions, World
from tracker.access.permissions import Perm
from tracker.db import db
from tracker.models import Attendance, Cohort, Participant

ROLES = ("anonymous", "admin", "coord_a", "fac_a", "fac_a2", "coord_b", "evaluator")
SIGNED_IN = set(ROLES) - {"anonymous"}
ORG_STAFF = {"admin", "coord_a", "fac_a", "fac_a2", "coord_b"}
COHORT_A_STAFF = {"admin", "coord_a", "fac_a"}  # fac_a is assigned to cohort A; fac_a2 is not
COORDINATORS = {"admin", "coord_a", "coord_b"}


def expect(allowed: set[str], ok: int = 200, hidden: set[str] | None = None) -> dict[str, int]:
    """Allowed roles get `ok`; `hidden` ones (the row exists but is not theirs) get 404;
    other signed-in roles get 403; anonymous is sent to sign in (302)."""
    hidden = hidden or set()
    codes = {}
    for role in ROLES:
        if role in allowed:
            codes[role] = ok
        elif role == "anonymous":
            codes[role] = 302
        elif role in hidden:
            codes[role] = 404
        else:
            codes[role] = 403
    return codes


def cohort_a_route(allowed: set[str] = COHORT_A_STAFF) -> dict[str, int]:
    # Roles with the permission but not the cohort get 404, as if it did not exist.
    return expect(allowed, hidden={"fac_a2", "coord_b"} - allowed)


BUSINESS = "/cohorts/<int:cohort_id>/businesses/<int:business_id>"
A_BUSINESS = "/cohorts/{cohort_a}/businesses/1"

# rule -> (method, url with {placeholders} from World, expected status per role)
ROUTES: dict[str, tuple[str, str, dict[str, int]]] = {
    "/": ("GET", "/", expect(SIGNED_IN, 302)),
    "/login": ("GET", "/login", dict.fromkeys(ROLES, 200)),
    "/logout": ("POST", "/logout", expect(SIGNED_IN, 302)),
    "/language": ("POST", "/language", dict.fromkeys(ROLES, 302)),
    "/account/tokens": ("GET", "/account/tokens", expect({"evaluator"})),
    "/account/tokens/<int:token_id>/revoke": (
        "POST", "/account/tokens/{token_id}/revoke", expect({"evaluator"}, 302),
    ),
    "/cohorts/": ("GET", "/cohorts/", expect(ORG_STAFF)),
    "/cohorts/new": ("GET", "/cohorts/new", expect(COORDINATORS)),
    "/cohorts/<int:cohort_id>": ("GET", "/cohorts/{cohort_a}", cohort_a_route()),
    "/cohorts/<int:cohort_id>/edit": (
        "GET", "/cohorts/{cohort_a}/edit", expect({"admin", "coord_a"}, hidden={"coord_b"}),
    ),
    "/cohorts/<int:cohort_id>/facilitators": (
        "GET", "/cohorts/{cohort_a}/facilitators", expect({"admin", "coord_a"}, hidden={"coord_b"}),
    ),
    "/cohorts/<int:cohort_id>/participants": (
        "GET", "/cohorts/{cohort_a}/participants", cohort_a_route(),
    ),
    # An empty paste: the page again with its problems, nothing enrolled.
    "/cohorts/<int:cohort_id>/participants/paste": (
        "POST", "/cohorts/{cohort_a}/participants/paste",
        expect({"admin", "coord_a"}, hidden={"coord_b"}),
    ),
    # Care: the cohort's facilitators and coordinator; never evaluators, never another cohort.
    "/cohorts/<int:cohort_id>/participants/<int:participant_id>": (
        "GET", "/cohorts/{cohort_a}/participants/{participant_a}", cohort_a_route(),
    ),
    "/cohorts/<int:cohort_id>/participants/<int:participant_id>/referral": (
        "GET", "/cohorts/{cohort_a}/participants/{participant_a}/referral", cohort_a_route(),
    ),
    "/cohorts/<int:cohort_id>/follow-ups/<int:follow_up_id>/referral": (
        "GET", "/cohorts/{cohort_a}/follow-ups/{follow_up_a}/referral", cohort_a_route(),
    ),
    "/cohorts/<int:cohort_id>/follow-ups/<int:follow_up_id>/status": (
        "POST", "/cohorts/{cohort_a}/follow-ups/{follow_up_a}/status",
        expect(COHORT_A_STAFF, 302, hidden={"fac_a2", "coord_b"}),
    ),
    "/cohorts/<int:cohort_id>/referrals/<int:referral_id>": (
        "GET", "/cohorts/{cohort_a}/referrals/{referral_a}", cohort_a_route(),
    ),
    # Business records: the fixture's programmes keep none, so every cohort's business pages
    # answer 404 even to those who may record them (tests/tracker/test_businesses.py walks
    # them on a programme that does, role by role).
    "/cohorts/<int:cohort_id>/businesses": (
        "GET", "/cohorts/{cohort_a}/businesses", expect(set(), hidden=ORG_STAFF),
    ),
    "/cohorts/<int:cohort_id>/participants/<int:participant_id>/businesses/new": (
        "GET", "/cohorts/{cohort_a}/participants/{participant_a}/businesses/new",
        expect(set(), hidden=ORG_STAFF),
    ),
    BUSINESS: ("GET", A_BUSINESS, expect(set(), hidden=ORG_STAFF)),
    BUSINESS + "/delete": ("GET", A_BUSINESS + "/delete", expect(set(), hidden=COORDINATORS)),
    BUSINESS + "/stocktakings/new": (
        "GET", A_BUSINESS + "/stocktakings/new", expect(set(), hidden=ORG_STAFF),
    ),
    BUSINESS + "/stocktakings/<int:stocktaking_id>": (
        "GET", A_BUSINESS + "/stocktakings/1", expect(set(), hidden=ORG_STAFF),
    ),
    BUSINESS + "/stocktakings/<int:stocktaking_id>/delete": (
        "POST", A_BUSINESS + "/stocktakings/1/delete", expect(set(), hidden=COORDINATORS),
    ),
    BUSINESS + "/money/new": ("GET", A_BUSINESS + "/money/new", expect(set(), hidden=ORG_STAFF)),
    BUSINESS + "/money/<int:disbursement_id>": (
        "GET", A_BUSINESS + "/money/1", expect(set(), hidden=ORG_STAFF),
    ),
    BUSINESS + "/money/<int:disbursement_id>/delete": (
        "POST", A_BUSINESS + "/money/1/delete", expect(set(), hidden=COORDINATORS),
    ),
    "/cohorts/<int:cohort_id>/businesses/<kind>-template.csv": (
        "GET", "/cohorts/{cohort_a}/businesses/stocktakings-template.csv",
        expect(set(), hidden=ORG_STAFF),
    ),
    "/cohorts/<int:cohort_id>/businesses/import": (
        "GET", "/cohorts/{cohort_a}/businesses/import", expect(set(), hidden=ORG_STAFF),
    ),
    "/summaries/<scope_name>/<key>/businesses": (
        "GET", "/summaries/cohort/{cohort_a}/businesses", expect(set(), hidden=SIGNED_IN),
    ),
    "/api/v1/summaries/<scope_name>/<key>/businesses": (
        "GET", "/api/v1/summaries/cohort/{cohort_a}/businesses", dict.fromkeys(ROLES, 401),
    ),
    "/participants/<int:participant_id>/withdraw": (
        "GET", "/participants/{participant_a}/withdraw",
        expect({"admin", "coord_a"}, hidden={"coord_b"}),
    ),
    "/cohorts/<int:cohort_id>/sessions/new": (
        "GET", "/cohorts/{cohort_a}/sessions/new", cohort_a_route(),
    ),
    "/sessions/<int:session_id>/attendance": (
        "GET", "/sessions/{session_a}/attendance", cohort_a_route(),
    ),
    # Deleting (the GET is the confirmation page): coordinators and admins, never facilitators.
    "/sessions/<int:session_id>/delete": (
        "GET", "/sessions/{session_a}/delete", expect({"admin", "coord_a"}, hidden={"coord_b"}),
    ),
    "/cohorts/<int:cohort_id>/assessments/<instrument_id>/<timepoint>/<int:participant_id>"
    "/delete": (
        "GET", "/cohorts/{cohort_a}/assessments/selfworth/pre/{participant_a}/delete",
        expect({"admin", "coord_a"}, hidden={"coord_b"}),
    ),
    "/cohorts/<int:cohort_id>/evaluations/<form_id>/responses": (
        "GET", "/cohorts/{cohort_a}/evaluations/useful-skills/responses", cohort_a_route(),
    ),
    "/cohorts/<int:cohort_id>/evaluations/<form_id>/responses/<int:response_id>/delete": (
        "GET", "/cohorts/{cohort_a}/evaluations/useful-skills/responses/{evaluation_a}/delete",
        expect({"admin", "coord_a"}, hidden={"coord_b"}),
    ),
    "/cohorts/<int:cohort_id>/assessments/<instrument_id>": (
        "GET", "/cohorts/{cohort_a}/assessments/selfworth", cohort_a_route(),
    ),
    "/cohorts/<int:cohort_id>/assessments/<instrument_id>/<timepoint>/<int:participant_id>": (
        "GET", "/cohorts/{cohort_a}/assessments/selfworth/pre/{participant_a}", cohort_a_route(),
    ),
    "/cohorts/<int:cohort_id>/evaluations/<form_id>": (
        "GET", "/cohorts/{cohort_a}/evaluations/useful-skills", cohort_a_route(),
    ),
    "/cohorts/<int:cohort_id>/import": ("GET", "/cohorts/{cohort_a}/import", cohort_a_route()),
    "/cohorts/<int:cohort_id>/collect/": ("GET", "/cohorts/{cohort_a}/collect/", cohort_a_route()),
    "/cohorts/<int:cohort_id>/collect/<kind>/<ref>.xlsx": (
        "GET", "/cohorts/{cohort_a}/collect/assessments/selfworth.xlsx", cohort_a_route(),
    ),
    "/cohorts/<int:cohort_id>/paper/": ("GET", "/cohorts/{cohort_a}/paper/", cohort_a_route()),
    "/cohorts/<int:cohort_id>/paper/attendance.<fmt>": (
        "GET", "/cohorts/{cohort_a}/paper/attendance.html", cohort_a_route(),
    ),
    "/cohorts/<int:cohort_id>/paper/assessments/<instrument_id>/<timepoint>.<fmt>": (
        "GET", "/cohorts/{cohort_a}/paper/assessments/selfworth/pre.html", cohort_a_route(),
    ),
    "/cohorts/<int:cohort_id>/paper/evaluations/<form_id>.<fmt>": (
        "GET", "/cohorts/{cohort_a}/paper/evaluations/useful-skills.html", cohort_a_route(),
    ),
    "/imports/templates/attendance.csv": (
        "GET", "/imports/templates/attendance.csv", expect(ORG_STAFF),
    ),
    "/imports/templates/assessments/<instrument_id>.csv": (
        "GET", "/imports/templates/assessments/selfworth.csv", expect(ORG_STAFF),
    ),
    "/imports/templates/evaluations.csv": (
        "GET", "/imports/templates/evaluations.csv", expect(ORG_STAFF),
    ),
    "/imports/templates/participants.csv": (
        "GET", "/imports/templates/participants.csv", expect(COORDINATORS),
    ),
    # Scorecards: the world has no collective, so their pages answer 404 to those who may
    # reach one (tests/tracker/test_scorecards.py walks them with a collective, role by role).
    "/scorecards/": ("GET", "/scorecards/", expect(SIGNED_IN)),
    "/scorecards/collectives/new": ("GET", "/scorecards/collectives/new", expect(COORDINATORS)),
    "/scorecards/template.csv": ("GET", "/scorecards/template.csv", expect(ORG_STAFF)),
    "/scorecards/sheet.<fmt>": ("GET", "/scorecards/sheet.html", expect(ORG_STAFF)),
    "/scorecards/<int:collective_id>": ("GET", "/scorecards/1", expect(set(), hidden=ORG_STAFF)),
    "/scorecards/<int:collective_id>/rounds/new": (
        "GET", "/scorecards/1/rounds/new", expect(set(), hidden=ORG_STAFF),
    ),
    "/scorecards/<int:collective_id>/rounds/<int:round_id>": (
        "GET", "/scorecards/1/rounds/1", expect(set(), hidden=ORG_STAFF),
    ),
    "/scorecards/<int:collective_id>/rounds/<int:round_id>/delete": (
        "GET", "/scorecards/1/rounds/1/delete", expect(set(), hidden=COORDINATORS),
    ),
    "/scorecards/<int:collective_id>/import": (
        "GET", "/scorecards/1/import", expect(set(), hidden=ORG_STAFF),
    ),
    "/scorecards/<int:collective_id>/periods/<period>": (
        "GET", "/scorecards/1/periods/2025-Q1", expect(set(), hidden=ORG_STAFF),
    ),
    "/scorecards/<int:collective_id>/periods/<period>/publish": (
        "POST", "/scorecards/1/periods/2025-Q1/publish", expect(set(), hidden=COORDINATORS),
    ),
    "/scorecards/<int:collective_id>/periods/<period>/brief.<fmt>": (
        "GET", "/scorecards/1/periods/2025-Q1/brief.html", expect(set(), hidden=ORG_STAFF),
    ),
    "/scorecards/shared/<int:publication_id>": (
        "GET", "/scorecards/shared/1", expect(set(), hidden=SIGNED_IN),
    ),
    "/scorecards/shared/<int:publication_id>/brief.<fmt>": (
        "GET", "/scorecards/shared/1/brief.csv", expect(set(), hidden=SIGNED_IN),
    ),
    "/summaries/": ("GET", "/summaries/", expect(SIGNED_IN)),
    "/summaries/<scope_name>/<key>": (
        "GET", "/summaries/cohort/{cohort_a}",
        expect(COHORT_A_STAFF | {"evaluator"}, hidden={"fac_a2", "coord_b"}),
    ),
    "/summaries/<scope_name>/<key>/<section>.<fmt>": (
        "GET", "/summaries/organisation/{org_a}/attendance.csv",
        expect({"admin", "coord_a", "fac_a", "fac_a2", "evaluator"}, hidden={"coord_b"}),
    ),
    "/summaries/releases": ("GET", "/summaries/releases", expect(SIGNED_IN)),
    "/admin/organisations": ("GET", "/admin/organisations", expect({"admin"})),
    "/admin/users": ("GET", "/admin/users", expect(COORDINATORS)),
    "/admin/users/<int:user_id>/grants": (
        "GET", "/admin/users/{evaluator}/grants", expect({"admin"}),
    ),
    "/admin/audit": ("GET", "/admin/audit", expect(COORDINATORS)),
    "/account/password": ("GET", "/account/password", expect(SIGNED_IN)),
    # Coordinators manage their own organisation's staff only: the evaluator is not theirs.
    "/admin/users/<int:user_id>/reset-password": (
        "GET", "/admin/users/{evaluator}/reset-password",
        expect({"admin"}, hidden={"coord_a", "coord_b"}),
    ),
    "/admin/users/<int:user_id>/active": (
        "POST", "/admin/users/{evaluator}/active",
        expect({"admin"}, 302, hidden={"coord_a", "coord_b"}),
    ),
    # The API never takes a browser session: without a token, 401 for everyone.
    "/api/v1/openapi.json": ("GET", "/api/v1/openapi.json", dict.fromkeys(ROLES, 200)),
    "/api/v1/scopes": ("GET", "/api/v1/scopes", dict.fromkeys(ROLES, 401)),
    "/api/v1/releases": ("GET", "/api/v1/releases", dict.fromkeys(ROLES, 401)),
    "/api/v1/summaries/<scope_name>/<key>": (
        "GET", "/api/v1/summaries/cohort/{cohort_a}", dict.fromkeys(ROLES, 401),
    ),
    "/api/v1/summaries": ("POST", "/api/v1/summaries", dict.fromkeys(ROLES, 401)),
}  # fmt: skip


def test_every_route_is_in_the_walk_and_names_a_permission(app: Flask) -> None:
    rules = {rule.rule for rule in app.url_map.iter_rules() if rule.endpoint != "static"}
    assert rules == set(ROUTES), "add new routes to ROUTES with their allowed roles"
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        view = app.view_functions[rule.endpoint]
        assert isinstance(getattr(view, "required_permission", None), Perm), rule.rule


def _responses(app: Flask, world: World) -> dict[str, int]:
    """An assessment and an evaluation response in cohort A, for the delete pages."""
    from datetime import date

    from tracker.models import Cohort, Timepoint
    from tracker.records import assessments, evaluations

    with app.test_request_context():
        cohort = db.session.get(Cohort, world.cohort_a)
        assert cohort is not None
        answer = assessments.AssessmentInput(
            world.participant_a, "selfworth", Timepoint.pre, date(2025, 1, 6), {"speak-up": 3}
        )
        assert isinstance(assessments.save(cohort, answer), int)
        choice = evaluations.EvaluationInput(
            "useful-skills", None, date(2025, 1, 6), ["resilience"], None
        )
        saved = evaluations.save(cohort, choice)
        assert isinstance(saved, int)
        return {"evaluation_a": saved}


def _care(app: Flask, world: World) -> dict[str, int]:
    """A follow-up (a "yes" to the fixture's care item) and a referral in cohort A."""
    from tests.tracker.test_care import _with_referral

    follow_up, referral = _with_referral(app, world)
    return {"follow_up_a": follow_up, "referral_a": referral}


def _token(app: Flask, world: World) -> int:
    from tracker.models import ApiToken, User
    from tracker.records import accounts

    with app.app_context():
        evaluator = db.session.get(User, world.evaluator)
        assert evaluator is not None
        accounts.issue_token(evaluator, "walk")
        return db.session.scalar(select(func.max(ApiToken.id))) or 0


@pytest.mark.parametrize("role", ROLES)
def test_role_route_walk(
    app: Flask, client: FlaskClient, auth: AuthActions, world: World, role: str
) -> None:
    ids = vars(world) | {"token_id": _token(app, world)}
    ids |= _responses(app, world) | _care(app, world)
    if role != "anonymous":
        assert auth.login(role).status_code == 302
    failures = []
    for rule, (method, url, codes) in ROUTES.items():
        if rule == "/logout":
            continue  # walked last: it ends the session
        response = client.open(url.format(**ids), method=method)
        if response.status_code != codes[role]:
            failures.append(f"{method} {url}: {response.status_code}, expected {codes[role]}")
    method, url, codes = ROUTES["/logout"]
    assert client.open(url, method=method).status_code == codes[role]
    assert not failures, "\n".join(failures)


def test_coordinator_cannot_change_another_organisations_rows(
    app: Flask, client: FlaskClient, auth: AuthActions, world: World
) -> None:
    auth.login("coord_a")
    edit = client.post(
        f"/cohorts/{world.cohort_b}/edit",
        data={
            "name": "Taken over",
            "programme_id": "leaders",
            "language": "en",
            "place": "Elsewhere",
            "starts_on": "2025-01-01",
        },
    )
    assert edit.status_code == 404
    roster = client.post(
        f"/sessions/{world.session_b}/attendance", data={f"status-{world.participant_b}": "absent"}
    )
    assert roster.status_code == 404
    withdraw = client.post(
        f"/participants/{world.participant_b}/withdraw", data={"confirm_code": "SUR-B01"}
    )
    assert withdraw.status_code == 404
    answer = client.post(
        f"/cohorts/{world.cohort_b}/assessments/selfworth/pre/{world.participant_b}",
        data={"item-value-myself": "3"},
    )
    assert answer.status_code == 404
    # Another organisation's participant slipped into our own roster form: refused.
    mixed = client.post(
        f"/sessions/{world.session_a}/attendance",
        data={f"status-{world.participant_b}": "present"},
    )
    assert mixed.status_code == 200 and b"Not a participant of this cohort" in mixed.data
    with app.app_context():
        cohort_b = db.session.get(Cohort, world.cohort_b)
        assert cohort_b is not None and cohort_b.name == "Cohort B"
        assert db.session.get(Participant, world.participant_b) is not None
        assert db.session.scalar(select(func.count()).select_from(Attendance)) == 0


def test_evaluator_never_reaches_a_participant_row(
    client: FlaskClient, auth: AuthActions, world: World
) -> None:
    auth.login("evaluator")
    for url in (
        f"/cohorts/{world.cohort_a}",
        f"/cohorts/{world.cohort_a}/participants",
        f"/sessions/{world.session_a}/attendance",
        f"/participants/{world.participant_a}/withdraw",
    ):
        assert client.get(url).status_code == 403, url
    summary = client.get(f"/summaries/cohort/{world.cohort_a}")
    assert summary.status_code == 200
    assert b"SUR-A01" not in summary.data
    # Not granted organisation B: its summaries do not exist for this evaluator.
    assert client.get(f"/summaries/cohort/{world.cohort_b}").status_code == 404
    assert client.get(f"/summaries/organisation/{world.org_b}").status_code == 404


def test_facilitator_sees_only_assigned_cohorts(
    client: FlaskClient, auth: AuthActions, world: World
) -> None:
    auth.login("fac_a2")
    page = client.get("/cohorts/")
    assert b"Cohort A" not in page.data and b"Cohort B" not in page.data
    auth.logout()
    auth.login("fac_a")
    page = client.get("/cohorts/")
    assert b"Cohort A" in page.data and b"Cohort B" not in page.data


def test_coordinator_adds_users_only_to_own_organisation(
    app: Flask, client: FlaskClient, auth: AuthActions, world: World
) -> None:
    auth.login("coord_a")
    response = client.post(
        "/admin/users",
        data={
            "username": "sneaky",
            "role": "admin",
            "organisation_id": str(world.org_b),
            "password": "long-enough-password",
            "confirm": "long-enough-password",
        },
    )
    assert response.status_code == 200
    from tracker.models import User

    with app.app_context():
        assert db.session.scalar(select(User).where(User.username == "sneaky")) is None
    made = client.post(
        "/admin/users",
        data={
            "username": "new-facilitator",
            "role": "facilitator",
            "organisation_id": str(world.org_a),
            "password": "long-enough-password",
            "confirm": "long-enough-password",
        },
    )
    assert made.status_code == 302
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "new-facilitator"))
        assert user is not None and user.organisation_id == world.org_a


def test_session_ids_from_a_url_that_do_not_exist_are_404(
    client: FlaskClient, auth: AuthActions, world: World
) -> None:
    auth.login("admin")
    for url in (
        "/cohorts/999999",
        "/sessions/999999/attendance",
        "/participants/999999/withdraw",
        f"/cohorts/{world.cohort_a}/assessments/no-such-instrument",
        f"/cohorts/{world.cohort_a}/assessments/selfworth/someday/{world.participant_a}",
        f"/cohorts/{world.cohort_a}/assessments/selfworth/pre/{world.participant_b}",
        f"/cohorts/{world.cohort_a}/evaluations/no-such-form",
        "/summaries/galaxy/1",
        "/summaries/programme/no-such-programme",
        f"/summaries/cohort/{world.cohort_a}/no-such-section.csv",
        f"/summaries/cohort/{world.cohort_a}/attendance.pdf",
        "/imports/templates/assessments/no-such-instrument.csv",
        "/cohorts/not-a-number",
    ):
        assert client.get(url).status_code == 404, url
