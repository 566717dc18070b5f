"""Lost updates refused: two people open the same roster, answer form or facilitators page;
the first save wins, the second is told what changed and keeps her own choices on the page,
and saves again on the new version if she still means it."""

from __future__ import annotations

import re
import threading
import time
from datetime import date

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.tracker.conftest import AuthActions, World, build_world
from tracker.db import db
from tracker.models import (
    AssessmentAnswer,
    AssessmentResponse,
    Attendance,
    AttendanceStatus,
    Cohort,
    CohortFacilitator,
    TrainingSession,
    User,
)
from tracker.records import sessions


def signed_in(app: Flask, username: str) -> FlaskClient:
    client = app.test_client()
    assert AuthActions(client).login(username).status_code == 302
    return client


def hidden(page: str) -> dict[str, str]:
    """The page's hidden fields but the CSRF token: what it posts back unseen."""
    pairs = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page)
    return {name: value for name, value in pairs if name not in {"csrf_token", "shown"}}


def checked(page: str, name: str) -> set[str]:
    found = set()
    for tag in re.findall(r"<input[^>]*>", page):
        if f'name="{name}"' in tag and "checked" in tag:
            found.add(re.search(r'value="([^"]*)"', tag).group(1))  # type: ignore[union-attr]
    return found


def marks(app: Flask) -> dict[int, AttendanceStatus]:
    with app.app_context():
        return dict(db.session.execute(select(Attendance.participant_id, Attendance.status)).all())


# ---------------------------------------------------------------- the roster


def test_two_roster_saves_from_the_same_version_one_wins_the_other_is_told(
    app: Flask, world: World
) -> None:
    first, second = signed_in(app, "fac_a"), signed_in(app, "coord_a")
    url = f"/sessions/{world.session_a}/attendance"
    first_page = first.get(url).get_data(as_text=True)
    second_page = second.get(url).get_data(as_text=True)
    assert hidden(first_page)["version"] == hidden(second_page)["version"] == "1"
    status = f"status-{world.participant_a}"
    saved = first.post(url, data=hidden(first_page) | {status: "late"})
    assert saved.status_code == 302
    refused = second.post(url, data=hidden(second_page) | {status: "absent"})
    text = refused.get_data(as_text=True)
    assert refused.status_code == 200
    assert "Someone else saved this roster after you opened it." in text
    assert "SUR-A01: not taken when you opened the page, now Late" in text
    assert checked(text, status) == {"absent"}  # her own choice, still there
    assert marks(app) == {world.participant_a: AttendanceStatus.late}  # the first one's
    # She saves again, on the version the page now carries: hers is kept.
    assert hidden(text)["version"] == "2"
    again = second.post(url, data=hidden(text) | {status: "absent"})
    assert again.status_code == 302
    assert marks(app) == {world.participant_a: AttendanceStatus.absent}
    with app.app_context():
        session = db.session.get(TrainingSession, world.session_a)
        assert session is not None and session.version == 3


def test_a_save_with_no_version_is_refused_not_overwriting(
    app: Flask, client: FlaskClient, auth: AuthActions, world: World
) -> None:
    auth.login("fac_a")
    url = f"/sessions/{world.session_a}/attendance"
    client.post(url, data={f"status-{world.participant_a}": "late", "version": "1"})
    stale = client.post(url, data={f"status-{world.participant_a}": "absent"})
    assert "Someone else saved this roster" in stale.get_data(as_text=True)
    assert marks(app) == {world.participant_a: AttendanceStatus.late}


def test_an_import_that_changes_marks_moves_the_roster_version_and_one_that_does_not_does_not(
    app: Flask, world: World
) -> None:
    with app.app_context():
        assert sessions.write_attendance(
            world.session_a, {world.participant_a: AttendanceStatus.late}
        )
        db.session.commit()
        assert not sessions.write_attendance(
            world.session_a, {world.participant_a: AttendanceStatus.late}
        )
        db.session.commit()
        session = db.session.get(TrainingSession, world.session_a)
        assert session is not None and session.version == 2


@pytest.fixture
def pg_or_sqlite_world(db_app: Flask) -> World:
    with db_app.app_context():
        return build_world(publish=False)


def test_truly_concurrent_roster_saves_let_exactly_one_through(
    db_app: Flask, pg_or_sqlite_world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first save holds its claim on the version while the second tries: the database
    makes the second wait, then match nothing."""
    world = pg_or_sqlite_world
    claimed, go = threading.Event(), threading.Event()
    real_replace = sessions._replace_marks

    def slow_replace(session_id: int, parsed: object) -> None:
        if threading.current_thread().name == "first":
            claimed.set()
            go.wait(10)
        real_replace(session_id, parsed)  # type: ignore[arg-type]

    monkeypatch.setattr(sessions, "_replace_marks", slow_replace)
    outcomes: dict[str, object] = {}

    def save(name: str, status: str) -> None:
        with db_app.test_request_context():
            session = db.session.get(TrainingSession, world.session_a)
            assert session is not None
            outcomes[name] = sessions.save_roster(
                session, {str(world.participant_a): status}, {}, 1, world.org_a
            )
            db.session.remove()

    first = threading.Thread(target=save, args=("first", "late"), name="first")
    second = threading.Thread(target=save, args=("second", "absent"), name="second")
    first.start()
    assert claimed.wait(10)
    second.start()
    time.sleep(0.3)  # the second is now waiting on the first's claim
    go.set()
    first.join(15)
    second.join(15)
    assert outcomes["first"] == {world.participant_a: AttendanceStatus.late}
    conflict = outcomes["second"]
    assert isinstance(conflict, sessions.RosterConflict) and conflict.version == 2
    assert [(c.code, c.now) for c in conflict.changes] == [("SUR-A01", AttendanceStatus.late)]
    assert marks(db_app) == {world.participant_a: AttendanceStatus.late}


# ---------------------------------------------------------------- the answer form


def test_two_answer_forms_from_the_same_version_one_wins_the_other_is_told(
    app: Flask, world: World
) -> None:
    first, second = signed_in(app, "fac_a"), signed_in(app, "coord_a")
    url = f"/cohorts/{world.cohort_a}/assessments/selfworth/pre/{world.participant_a}"
    first_page = first.get(url).get_data(as_text=True)
    second_page = second.get(url).get_data(as_text=True)
    assert hidden(second_page)["version"] == "0"
    assert first.post(url, data=hidden(first_page) | {"item-speak-up": "3"}).status_code == 302
    refused = second.post(
        url, data=hidden(second_page) | {"item-speak-up": "5", "item-value-myself": "4"}
    )
    text = refused.get_data(as_text=True)
    assert "Someone else saved or deleted these answers" in text
    assert "passed when you opened the page, now 3" in text
    assert checked(text, "item-speak-up") == {"5"} and checked(text, "item-value-myself") == {"4"}
    with app.app_context():
        kept = dict(
            db.session.execute(select(AssessmentAnswer.item_id, AssessmentAnswer.value)).all()
        )
        assert kept == {"speak-up": 3}
    again = second.post(url, data=hidden(text) | {"item-speak-up": "5", "item-value-myself": "4"})
    assert again.status_code == 302
    with app.app_context():
        kept = dict(
            db.session.execute(select(AssessmentAnswer.item_id, AssessmentAnswer.value)).all()
        )
        assert kept == {"speak-up": 5, "value-myself": 4}
        response = db.session.scalar(select(AssessmentResponse))
        assert response is not None and response.version == 2


def test_answers_deleted_meanwhile_are_not_brought_back_silently(app: Flask, world: World) -> None:
    facilitator, coordinator = signed_in(app, "fac_a"), signed_in(app, "coord_a")
    url = f"/cohorts/{world.cohort_a}/assessments/selfworth/pre/{world.participant_a}"
    facilitator.post(url, data={"item-speak-up": "3", "version": "0"})
    page = facilitator.get(url).get_data(as_text=True)
    assert coordinator.post(f"{url}/delete").status_code == 302
    refused = facilitator.post(url, data=hidden(page) | {"item-speak-up": "4"})
    text = refused.get_data(as_text=True)
    assert "3 when you opened the page, now passed" in text
    with app.app_context():
        assert db.session.scalar(select(AssessmentResponse)) is None


# ---------------------------------------------------------------- the facilitators page


def user_id(app: Flask, username: str) -> int:
    with app.app_context():
        found = db.session.scalar(select(User.id).where(User.username == username))
        assert found is not None
        return found


def assigned(app: Flask, cohort_id: int) -> set[int]:
    with app.app_context():
        return set(
            db.session.scalars(
                select(CohortFacilitator.user_id).where(CohortFacilitator.cohort_id == cohort_id)
            )
        )


def test_two_facilitator_assignments_from_the_same_page_one_wins_the_other_is_told(
    app: Flask, world: World
) -> None:
    admin, coordinator = signed_in(app, "admin"), signed_in(app, "coord_a")
    url = f"/cohorts/{world.cohort_a}/facilitators"
    fac_a, fac_a2, coord_a = (user_id(app, u) for u in ("fac_a", "fac_a2", "coord_a"))
    admin_page = admin.get(url).get_data(as_text=True)
    coordinator_page = coordinator.get(url).get_data(as_text=True)
    assert checked(coordinator_page, "facilitators") == {str(fac_a)}

    def posted(page: str, ticks: list[int]) -> dict[str, object]:
        shown = re.findall(r'<input type="hidden" name="shown" value="(\d+)">', page)
        return hidden(page) | {"shown": shown, "facilitators": [str(t) for t in ticks]}

    assert admin.post(url, data=posted(admin_page, [fac_a, fac_a2])).status_code == 302
    refused = coordinator.post(url, data=posted(coordinator_page, [coord_a]))
    text = refused.get_data(as_text=True)
    assert "Someone else changed this cohort's facilitators" in text
    assert "Added since: fac_a2" in text
    assert checked(text, "facilitators") == {str(coord_a)}  # her ticks, still there
    assert assigned(app, world.cohort_a) == {fac_a, fac_a2}
    again = coordinator.post(url, data=posted(text, [coord_a]))
    assert again.status_code == 302
    assert assigned(app, world.cohort_a) == {coord_a}


def test_a_cohort_edit_alone_does_not_refuse_a_facilitator_assignment(
    app: Flask, world: World
) -> None:
    coordinator = signed_in(app, "coord_a")
    url = f"/cohorts/{world.cohort_a}/facilitators"
    page = coordinator.get(url).get_data(as_text=True)
    with app.app_context():
        cohort = db.session.get(Cohort, world.cohort_a)
        assert cohort is not None
        cohort.place, cohort.version = "Another hall", cohort.version + 1
        db.session.commit()
    fac_a2 = user_id(app, "fac_a2")
    shown = re.findall(r'<input type="hidden" name="shown" value="(\d+)">', page)
    saved = coordinator.post(
        url, data=hidden(page) | {"shown": shown, "facilitators": [str(fac_a2)]}
    )
    assert saved.status_code == 302
    assert assigned(app, world.cohort_a) == {fac_a2}


def test_the_world_starts_at_version_one(app: Flask, world: World) -> None:
    with app.app_context():
        session = db.session.get(TrainingSession, world.session_a)
        assert session is not None and session.version == 1 and session.held_on == date(2025, 1, 6)
