"""The app as a browser meets it: sign-in, headers, cookies, CSRF, languages, forms."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from tests.tracker.conftest import PASSWORD, AuthActions, World, make_app
from tracker.db import db
from tracker.models import Attendance, AuditEvent, Cohort, Participant


def test_default_config_uses_the_instance_folder_and_secure_cookies(tmp_path: Path) -> None:
    app = make_app(f"sqlite:///{tmp_path / 'x.sqlite'}")
    from tracker.config import defaults

    settings = defaults(str(tmp_path))
    assert settings["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'tracker.sqlite'}"
    # Secure exactly over HTTPS (tests/tracker/test_serving.py), never readable by scripts
    assert settings["SESSION_COOKIE_SECURE"] == "auto" and settings["SESSION_COOKIE_HTTPONLY"]
    assert "SUPPRESSION_THRESHOLD" not in settings  # the curriculum declares protection
    assert Path(app.config["CONTENT_ROOT"]).name == "content"


def test_an_old_global_threshold_is_refused_with_a_pointer(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="curriculum"):
        make_app(f"sqlite:///{tmp_path / 'x.sqlite'}", SUPPRESSION_THRESHOLD=1)


def test_database_url_selects_postgresql(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from tracker.config import defaults
    from tracker.db import driver_url

    monkeypatch.setenv("DATABASE_URL", "postgres://u@db.example/tracker")
    url = defaults("/tmp")["SQLALCHEMY_DATABASE_URI"]
    assert driver_url(url) == "postgresql+psycopg2://u@db.example/tracker"


def test_sqlite_runs_in_wal_mode_with_foreign_keys(app: Flask) -> None:
    with app.app_context():
        assert db.session.execute(db.text("PRAGMA journal_mode")).scalar() == "wal"
        assert db.session.execute(db.text("PRAGMA foreign_keys")).scalar() == 1


def test_security_headers_and_session_cookie(
    template_db: Path, tmp_path: Path, world: World
) -> None:
    import shutil

    path = tmp_path / "secure.sqlite"
    shutil.copy(template_db, path)
    app = make_app(f"sqlite:///{path}", SESSION_COOKIE_SECURE=True)
    with app.app_context():
        from tests.tracker.conftest import build_world

        build_world()
    client = app.test_client()
    page = client.get("/login")
    assert "default-src 'self'" in page.headers["Content-Security-Policy"]
    assert page.headers["X-Frame-Options"] == "DENY"
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert page.headers["Cache-Control"] == "no-store"
    signed_in = client.post("/login", data={"username": "coord_a", "password": PASSWORD})
    cookie = signed_in.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_sign_in_and_out(client: FlaskClient, auth: AuthActions, world: World) -> None:
    assert client.get("/cohorts/").status_code == 302
    wrong = auth.login("coord_a", "not-the-password")
    assert wrong.status_code == 200 and b"do not match" in wrong.data
    unknown = auth.login("nobody", "whatever")
    assert b"do not match" in unknown.data
    assert auth.login("coord_a").headers["Location"] == "/"
    assert client.get("/cohorts/").status_code == 200
    auth.logout()
    assert client.get("/cohorts/").status_code == 302


def test_next_only_goes_to_this_site(client: FlaskClient, world: World) -> None:
    data = {"username": "coord_a", "password": PASSWORD}
    away = client.post("/login?next=https://evil.example/", data=data)
    assert away.headers["Location"] == "/"
    client.post("/logout")
    inside = client.post("/login?next=/summaries/", data=data)
    assert inside.headers["Location"] == "/summaries/"


def test_failed_sign_ins_are_rate_limited(
    client: FlaskClient, auth: AuthActions, world: World
) -> None:
    codes = [auth.login("coord_a", "wrong-password").status_code for _ in range(6)]
    assert codes == [200] * 5 + [429]
    assert b"Too many" in auth.login("COORD_A").data  # even the right password waits
    # One office, one router: a colleague on the same address still signs in.
    assert auth.login("fac_a").status_code == 302


def test_failures_from_many_addresses_hold_the_account_back(
    client: FlaskClient, auth: AuthActions, world: World
) -> None:
    data = {"username": "coord_a", "password": "wrong-password"}
    codes = [
        client.post(
            "/login", data=data, environ_base={"REMOTE_ADDR": f"198.51.100.{n}"}
        ).status_code
        for n in range(21)
    ]
    assert codes == [200] * 20 + [429]
    other = client.post(
        "/login",
        data={"username": "fac_a", "password": PASSWORD},
        environ_base={"REMOTE_ADDR": "198.51.100.1"},
    )
    assert other.status_code == 302


def test_csrf_is_required_when_enabled(template_db: Path, tmp_path: Path) -> None:
    import shutil

    path = tmp_path / "csrf.sqlite"
    shutil.copy(template_db, path)
    app = make_app(f"sqlite:///{path}", WTF_CSRF_ENABLED=True)
    with app.app_context():
        from tests.tracker.conftest import build_world

        world = build_world()
    client = app.test_client()
    refused = client.post("/login", data={"username": "coord_a", "password": PASSWORD})
    assert refused.status_code == 400
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    ok = client.post(
        "/login", data={"username": "coord_a", "password": PASSWORD, "csrf_token": token}
    )
    assert ok.status_code == 302
    forged = client.post(
        f"/sessions/{world.session_a}/attendance", data={f"status-{world.participant_a}": "absent"}
    )
    assert forged.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Attendance)) == 0


def test_language_follows_choice_then_cohort_then_browser(
    client: FlaskClient, auth: AuthActions, world: World
) -> None:
    page = client.get("/login", headers={"Accept-Language": "hi,en;q=0.5"})
    assert '<html lang="hi">' in page.get_data(as_text=True)
    auth.login("coord_a", language=None)
    cohort_page = client.get(f"/cohorts/{world.cohort_a}").get_data(as_text=True)
    assert '<html lang="bn">' in cohort_page  # the cohort's language
    client.post("/language", data={"language": "en", "next": "/cohorts/"})
    chosen = client.get(f"/cohorts/{world.cohort_a}").get_data(as_text=True)
    assert '<html lang="en">' in chosen
    client.post("/language", data={"language": "klingon"})
    assert '<html lang="en">' in client.get("/cohorts/").get_data(as_text=True)


def test_assessment_form_shows_items_in_the_cohort_language(
    client: FlaskClient, auth: AuthActions, world: World
) -> None:
    auth.login("fac_a")
    page = client.get(
        f"/cohorts/{world.cohort_a}/assessments/selfworth/pre/{world.participant_a}"
    ).get_data(as_text=True)
    assert "আমি নিজেকে মূল্য দিই।" in page  # the Bengali item
    assert "একদম না" in page  # the Bengali scale label


def test_roster_records_attendance_and_the_summary_changes(
    app: Flask, client: FlaskClient, auth: AuthActions, world: World
) -> None:
    auth.login("fac_a")
    before = client.get(f"/summaries/cohort/{world.cohort_a}/attendance.csv").get_data(as_text=True)
    assert ",0,1,0.0" in before
    roster = client.get(f"/sessions/{world.session_a}/attendance").get_data(as_text=True)
    assert f'name="status-{world.participant_a}" value="present" checked' in roster
    assert 'name="version" value="1"' in roster  # the version the save is based on
    saved = client.post(
        f"/sessions/{world.session_a}/attendance",
        data={f"status-{world.participant_a}": "late", "version": "1"},
        follow_redirects=True,
    )
    assert "Attendance saved for 1 participants." in saved.get_data(as_text=True)
    after = client.get(f"/summaries/cohort/{world.cohort_a}/attendance.csv").get_data(as_text=True)
    assert ",1,1,100.0" in after
    with app.app_context():
        event = db.session.scalar(
            select(AuditEvent)
            .where(AuditEvent.entity == "attendance")  # downloads are audited too
            .order_by(AuditEvent.id.desc())
        )
        assert event is not None and (event.action, event.username) == ("record", "fac_a")


def test_bad_form_input_is_a_message_and_writes_nothing(
    app: Flask, client: FlaskClient, auth: AuthActions, world: World
) -> None:
    auth.login("coord_a")
    cohort = client.post(
        "/cohorts/new",
        data={"name": "X", "programme_id": "nope", "language": "bn", "place": "Hall",
              "starts_on": "not a date"},
    )  # fmt: skip
    assert cohort.status_code == 200 and b"Not a valid" in cohort.data
    person = client.post(
        f"/cohorts/{world.cohort_a}/participants",
        data={"code": "Full Name", "group": "survivor", "consent_given": "y",
              "consent_given_on": "2025-01-01"},
    )  # fmt: skip
    assert person.status_code == 200 and b"never a name" in person.data
    answers = client.post(
        f"/cohorts/{world.cohort_a}/assessments/selfworth/post/{world.participant_a}",
        data={"item-value-myself": "42", "answered_on": "2025-02-30"},
    )
    text = answers.get_data(as_text=True)
    assert "42 is not on the scale" in text and "answered_on" in text
    evaluation = client.post(
        f"/cohorts/{world.cohort_a}/evaluations/useful-skills",
        data={"choice": ["resilience", "protest", "connection", "inner-peace"],
              "answered_on": "2025-03-01", "participant": "abc"},
    )  # fmt: skip
    assert b"not a participant of this cohort" in evaluation.data
    withdraw = client.post(
        f"/participants/{world.participant_a}/withdraw", data={"confirm_code": "SUR-Z99"}
    )
    assert b"does not match" in withdraw.data
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Cohort)) == 2
        assert db.session.scalar(select(func.count()).select_from(Participant)) == 2


def test_withdraw_through_the_browser(
    app: Flask, client: FlaskClient, auth: AuthActions, world: World
) -> None:
    auth.login("coord_a")
    done = client.post(
        f"/participants/{world.participant_a}/withdraw",
        data={"confirm_code": "sur-a01"},
        follow_redirects=True,
    )
    assert b"Consent withdrawn" in done.data and b"SUR-A01" not in done.data
    with app.app_context():
        assert db.session.get(Participant, world.participant_a) is None


def test_pages_have_one_h1_and_a_language(
    client: FlaskClient, auth: AuthActions, world: World
) -> None:
    auth.login("admin")
    for url in (
        "/cohorts/",
        f"/cohorts/{world.cohort_a}",
        f"/sessions/{world.session_a}/attendance",
        f"/summaries/cohort/{world.cohort_a}",
        "/admin/users",
    ):
        text = client.get(url).get_data(as_text=True)
        assert text.count("<h1") == 1, url
        assert '<html lang="' in text
    with client.get("/static/tracker.css") as response:
        assert "http" not in response.get_data(as_text=True)  # no outside fonts or files
    with client.get("/static/fonts/NotoSansBengali-Regular.ttf") as response:
        assert response.status_code == 200


def test_a_curriculum_that_does_not_load_is_a_clear_503(template_db: Path, tmp_path: Path) -> None:
    import shutil

    broken = tmp_path / "content"
    shutil.copytree(Path(__file__).parent / "content", broken)
    (broken / "curriculum" / "programmes" / "care.yaml").write_text("id: care\n", encoding="utf-8")
    path = tmp_path / "broken.sqlite"
    shutil.copy(template_db, path)
    app = make_app(f"sqlite:///{path}", CONTENT_ROOT=str(broken))
    with app.app_context():
        from tests.tracker.conftest import build_world

        with pytest.raises(Exception, match="error"):
            build_world()
    client = app.test_client()
    page = client.get("/summaries/programme/care")
    assert page.status_code == 302  # signed out: to the sign-in page first
    from tracker.models import Role
    from tracker.records import accounts

    with app.app_context():
        accounts.create_user(accounts.UserInput("admin", Role.admin, None, PASSWORD))
    client.post("/login", data={"username": "admin", "password": PASSWORD})
    page = client.get("/cohorts/")
    assert page.status_code == 503
    assert b"The curriculum has errors" in page.data and b"care.yaml" in page.data


def test_a_cookie_copied_before_sign_out_is_refused_after(
    app: Flask, client: FlaskClient, auth: AuthActions, world: World
) -> None:
    from tracker.models import SignIn

    assert auth.login("coord_a").status_code == 302
    copied = client.get_cookie("session")
    assert copied is not None and client.get("/cohorts/").status_code == 200
    auth.logout()
    thief = app.test_client()
    thief.set_cookie("session", copied.value)
    assert thief.get("/cohorts/").status_code == 302  # sent to sign in
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SignIn)) == 0
