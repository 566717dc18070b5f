"""Access over time: deactivation signs a user out at once, a reset password must be
replaced at the next sign-in, a password change ends other sign-ins, tokens expire, and a
coordinator manages only her own organisation's staff."""

from __future__ import annotations

import re
from datetime import date, timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.tracker.conftest import PASSWORD, AuthActions, World
from tracker.db import db
from tracker.models import ApiToken, AuditEvent, User


def _user(app: Flask, name: str) -> User:
    with app.app_context():
        found = db.session.scalar(select(User).where(User.username == name))
        assert found is not None
        db.session.expunge(found)
        return found


def _signed_in(app: Flask, name: str, password: str = PASSWORD) -> FlaskClient:
    client = app.test_client()
    assert client.post("/login", data={"username": name, "password": password}).status_code == 302
    client.post("/language", data={"language": "en"})
    return client


def test_deactivation_signs_out_at_once_and_reactivation_lets_back_in(
    app: Flask, client: FlaskClient, auth: AuthActions, world: World
) -> None:
    facilitator = _signed_in(app, "fac_a")
    assert facilitator.get("/cohorts/").status_code == 200
    auth.login("coord_a")
    fac = _user(app, "fac_a")
    done = client.post(f"/admin/users/{fac.id}/active", data={"active": "0"})
    assert done.status_code == 302
    assert facilitator.get("/cohorts/").status_code == 302  # her open page is gone
    again = app.test_client()
    refused = again.post("/login", data={"username": "fac_a", "password": PASSWORD})
    assert refused.status_code == 200
    client.post(f"/admin/users/{fac.id}/active", data={"active": "1"})
    assert _signed_in(app, "fac_a").get("/cohorts/").status_code == 200
    with app.app_context():
        actions = [e.action for e in db.session.scalars(select(AuditEvent))]
        assert "deactivate" in actions and "reactivate" in actions


def test_a_coordinator_manages_only_her_own_staff(
    app: Flask, client: FlaskClient, auth: AuthActions, world: World
) -> None:
    auth.login("coord_b")
    for name in ("fac_a", "admin", "coord_a"):
        target = _user(app, name)
        assert (
            client.post(f"/admin/users/{target.id}/active", data={"active": "0"}).status_code == 404
        )
        assert client.get(f"/admin/users/{target.id}/reset-password").status_code == 404
    me = _user(app, "coord_b")  # nobody locks herself out
    assert client.post(f"/admin/users/{me.id}/active", data={"active": "0"}).status_code == 404
    with app.app_context():
        assert all(u.active for u in db.session.scalars(select(User)))
    evaluator = _signed_in(app, "evaluator")
    assert evaluator.get(f"/admin/users/{me.id}/reset-password").status_code == 403


def test_a_reset_password_must_be_replaced_before_anything_else(
    app: Flask, client: FlaskClient, auth: AuthActions, world: World
) -> None:
    old_session = _signed_in(app, "fac_a")
    auth.login("coord_a")
    fac = _user(app, "fac_a")
    page = client.post(f"/admin/users/{fac.id}/reset-password").get_data(as_text=True)
    temporary = re.search(r'<code id="temporary-password">([^<]+)</code>', page)
    assert temporary is not None
    assert old_session.get("/cohorts/").status_code == 302  # signed out everywhere
    assert (
        app.test_client()
        .post("/login", data={"username": "fac_a", "password": PASSWORD})
        .status_code
        == 200
    )  # the old password is gone
    fac_client = _signed_in(app, "fac_a", temporary.group(1))
    stopped = fac_client.get("/cohorts/")
    assert stopped.status_code == 302 and stopped.headers["Location"].endswith("/account/password")
    same = fac_client.post(
        "/account/password",
        data={"current": temporary.group(1), "password": "short", "confirm": "short"},
    )
    assert same.status_code == 200 and b"at least" in same.data
    changed = fac_client.post(
        "/account/password",
        data={"current": temporary.group(1), "password": "a-new-long-password",
              "confirm": "a-new-long-password"},
    )  # fmt: skip
    assert changed.status_code == 302
    assert fac_client.get("/cohorts/").status_code == 200  # her new sign-in works
    assert _signed_in(app, "fac_a", "a-new-long-password").get("/cohorts/").status_code == 200


def test_changing_a_password_signs_out_the_other_browsers(app: Flask, world: World) -> None:
    laptop = _signed_in(app, "coord_a")
    phone = _signed_in(app, "coord_a")
    wrong = phone.post(
        "/account/password",
        data={"current": "not-it", "password": "another-long-one", "confirm": "another-long-one"},
    )
    assert b"not your current password" in wrong.data
    phone.post(
        "/account/password",
        data={"current": PASSWORD, "password": "another-long-one", "confirm": "another-long-one"},
    )
    assert phone.get("/cohorts/").status_code == 200
    assert laptop.get("/cohorts/").status_code == 302


def test_tokens_expire(app: Flask, client: FlaskClient, auth: AuthActions, world: World) -> None:
    auth.login("evaluator")
    page = client.post("/account/tokens", data={"label": "script"}).get_data(as_text=True)
    token = re.search(r'<code id="new-token">([^<]+)</code>', page)
    assert token is not None
    headers = {"Authorization": f"Bearer {token.group(1)}"}
    assert client.get("/api/v1/releases", headers=headers).status_code == 200
    with app.app_context():
        stored = db.session.scalar(select(ApiToken))
        assert stored is not None
        assert stored.expires_on == date.today() + timedelta(days=180)
        stored.expires_on = date.today() - timedelta(days=1)
        db.session.commit()
    assert client.get("/api/v1/releases", headers=headers).status_code == 401
    assert b"expired" in client.get("/account/tokens").data


def test_usernames_have_one_spelling_and_no_look_alikes(app: Flask, world: World) -> None:
    from tracker.models import Role
    from tracker.records import accounts

    with app.app_context():
        for name in ("Fac_A", "ＦＡＣ_Ａ", " fac_a ", "аdmin", "ad min", "x"):
            made = accounts.create_user(
                accounts.UserInput(name, Role.facilitator, world.org_a, PASSWORD)
            )
            assert isinstance(made, list) and made[0].field == "username", name
        made = accounts.create_user(
            accounts.UserInput("New.Facilitator", Role.facilitator, world.org_a, PASSWORD)
        )
        assert not isinstance(made, list) and made.username == "new.facilitator"
    # She signs in however she types the case.
    assert _signed_in(app, "New.Facilitator").get("/cohorts/").status_code == 200
