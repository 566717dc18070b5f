"""Undo and keeping records right: deleting a session or a response (a confirmation page that
names what goes, coordinators only, audited, 404 across organisations), clearing an answer
back to "passed", one session per module, date and day."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from tests.tracker.conftest import CONTENT, AuthActions, World, build_world, make_app
from tracker import content
from tracker.db import db
from tracker.models import (
    AssessmentAnswer,
    AssessmentResponse,
    Attendance,
    AuditEvent,
    Cohort,
    EvaluationChoice,
    EvaluationResponse,
    FollowUp,
    SessionFacilitator,
    Timepoint,
    TrainingSession,
)
from tracker.records import assessments, evaluations, sessions


def count(model: type, *where: object) -> int:
    query = select(func.count()).select_from(model)
    for condition in where:
        query = query.where(condition)  # type: ignore[arg-type]
    return db.session.scalar(query) or 0


def last_event(app: Flask) -> AuditEvent:
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).order_by(AuditEvent.id.desc()))
        assert event is not None
        db.session.expunge(event)
        return event


def answer(app: Flask, world: World, instrument: str, values: dict[str, int]) -> int:
    with app.test_request_context():
        cohort = db.session.get(Cohort, world.cohort_a)
        assert cohort is not None
        entry = assessments.AssessmentInput(
            world.participant_a, instrument, Timepoint.pre, date(2025, 1, 6), values
        )
        saved = assessments.save(cohort, entry)
        assert isinstance(saved, int)
        return saved


def evaluate(app: Flask, world: World, participant: int | None, choices: list[str]) -> int:
    with app.test_request_context():
        cohort = db.session.get(Cohort, world.cohort_a)
        assert cohort is not None
        entry = evaluations.EvaluationInput(
            "useful-skills", participant, date(2025, 2, 3), choices, None
        )
        saved = evaluations.save(cohort, entry)
        assert isinstance(saved, int)
        return saved


# ---------------------------------------------------------------- deleting a session


def test_deleting_a_session_names_what_goes_then_removes_it_with_its_roster(
    app: Flask, client: FlaskClient, auth: AuthActions, world: World
) -> None:
    auth.login("fac_a")
    client.post(
        f"/sessions/{world.session_a}/attendance",
        data={f"status-{world.participant_a}": "absent", "version": "1"},
    )
    with app.app_context():
        db.session.add(SessionFacilitator(session_id=world.session_a, user_id=1))
        db.session.commit()
    auth.logout()
    auth.login("coord_a")
    page = client.get(f"/sessions/{world.session_a}/delete").get_data(as_text=True)
    assert "Module leaders-me" in page and "2025-01-06" in page
    assert "1 attendance marks will be deleted." in page
    with app.app_context():
        assert count(TrainingSession) == 2  # the confirmation page deleted nothing
    done = client.post(f"/sessions/{world.session_a}/delete", follow_redirects=True)
    assert "Session deleted: Module leaders-me on 2025-01-06, with 1 attendance marks." in (
        done.get_data(as_text=True)
    )
    with app.app_context():
        assert db.session.get(TrainingSession, world.session_a) is None
        assert count(Attendance) == 0
        assert count(SessionFacilitator) == 0
        assert db.session.get(TrainingSession, world.session_b) is not None
    event = last_event(app)
    assert (event.action, event.entity, event.entity_id, event.username) == (
        "delete",
        "session",
        world.session_a,
        "coord_a",
    )
    assert "1 attendance marks" in event.detail


def test_facilitators_cannot_delete_and_other_organisations_get_404(
    app: Flask, client: FlaskClient, auth: AuthActions, world: World
) -> None:
    evaluation = evaluate(app, world, None, ["resilience"])
    answer(app, world, "selfworth", {"speak-up": 3})
    urls = (
        f"/sessions/{world.session_a}/delete",
        f"/cohorts/{world.cohort_a}/assessments/selfworth/pre/{world.participant_a}/delete",
        f"/cohorts/{world.cohort_a}/evaluations/useful-skills/responses/{evaluation}/delete",
    )
    for user, status in (("fac_a", 403), ("coord_b", 404), ("evaluator", 403)):
        auth.login(user)
        for url in urls:
            assert client.get(url).status_code == status, (user, url)
            assert client.post(url).status_code == status, (user, url)
        auth.logout()
    with app.app_context():
        assert count(TrainingSession) == 2
        assert count(AssessmentResponse) == 1 and count(EvaluationResponse) == 1
    # The facilitator sees the list of responses, without a way to delete one.
    auth.login("fac_a")
    listed = client.get(f"/cohorts/{world.cohort_a}/evaluations/useful-skills/responses")
    assert listed.status_code == 200 and "/delete" not in listed.get_data(as_text=True)
    roster = client.get(f"/sessions/{world.session_a}/attendance").get_data(as_text=True)
    assert "/delete" not in roster


def test_ids_that_do_not_belong_together_are_404(
    app: Flask, client: FlaskClient, auth: AuthActions, world: World
) -> None:
    evaluation = evaluate(app, world, None, ["resilience"])
    auth.login("admin")
    for url in (
        "/sessions/999999/delete",
        # no response recorded for this participant and time
        f"/cohorts/{world.cohort_a}/assessments/selfworth/post/{world.participant_a}/delete",
        # a response of cohort A asked for under cohort B, or under another form
        f"/cohorts/{world.cohort_b}/evaluations/useful-skills/responses/{evaluation}/delete",
        f"/cohorts/{world.cohort_a}/evaluations/no-such-form/responses/{evaluation}/delete",
        f"/cohorts/{world.cohort_b}/assessments/selfworth/pre/{world.participant_a}/delete",
    ):
        assert client.post(url).status_code == 404, url
    with app.app_context():
        assert count(EvaluationResponse) == 1


# ---------------------------------------------------------------- deleting responses


def test_deleting_an_assessment_response_forgets_its_follow_up(
    app: Flask, client: FlaskClient, auth: AuthActions, world: World
) -> None:
    answer(app, world, "body", {"like-body": 1, "hide-body": 1})  # "yes" meets the care rule
    with app.app_context():
        assert count(FollowUp) == 1
    auth.login("coord_a")
    url = f"/cohorts/{world.cohort_a}/assessments/body/pre/{world.participant_a}"
    assert f'href="{url}/delete"' in client.get(url).get_data(as_text=True)
    page = client.get(f"{url}/delete").get_data(as_text=True)
    with app.app_context():
        title = content.content("bn").instruments["body"].title  # the cohort's language
    for shown in ("SUR-A01", title, "Before (pre)", "2 answers will be deleted."):
        assert shown in page, shown
    done = client.post(f"{url}/delete", follow_redirects=True).get_data(as_text=True)
    assert "Response deleted: SUR-A01, 2 answers." in done
    with app.app_context():
        assert count(AssessmentResponse) == 0 and count(AssessmentAnswer) == 0
        assert count(FollowUp) == 0
    event = last_event(app)
    assert (event.action, event.entity, event.username) == ("delete", "assessment", "coord_a")
    assert "SUR-A01" not in event.detail and "2 answers" in event.detail


def test_the_evaluation_list_names_each_response_and_deletes_one(
    app: Flask, client: FlaskClient, auth: AuthActions, world: World
) -> None:
    anonymous = evaluate(app, world, None, ["resilience", "protest"])
    named = evaluate(app, world, world.participant_a, ["connection"])
    auth.login("coord_a")
    listed = client.get(f"/cohorts/{world.cohort_a}/evaluations/useful-skills/responses")
    text = listed.get_data(as_text=True)
    assert "2025-02-03" in text and "anonymous" in text and "SUR-A01" in text
    assert text.count("/delete") == 2
    page = client.get(
        f"/cohorts/{world.cohort_a}/evaluations/useful-skills/responses/{anonymous}/delete"
    ).get_data(as_text=True)
    assert "2025-02-03" in page and "anonymous" in page and "SUR-A01" not in page
    done = client.post(
        f"/cohorts/{world.cohort_a}/evaluations/useful-skills/responses/{anonymous}/delete",
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Response deleted: 2025-02-03, anonymous." in done
    with app.app_context():
        assert db.session.get(EvaluationResponse, anonymous) is None
        assert db.session.get(EvaluationResponse, named) is not None
        assert count(EvaluationChoice) == 1  # the other response's one choice
    event = last_event(app)
    assert (event.action, event.entity, event.entity_id) == ("delete", "evaluation", anonymous)


# ---------------------------------------------------------------- clearing back to "passed"


def test_an_answer_cleared_back_to_passed_is_removed(
    app: Flask, client: FlaskClient, auth: AuthActions, world: World
) -> None:
    auth.login("fac_a")
    url = f"/cohorts/{world.cohort_a}/assessments/selfworth/pre/{world.participant_a}"
    page = client.get(url).get_data(as_text=True)
    assert page.count("Pass / clear") == 4  # one per item
    assert 'name="item-speak-up" value="" checked' in page  # nothing answered: passed
    first = client.post(
        url,
        data={"item-value-myself": "4", "item-speak-up": "2", "version": "0",
              "answered_on": "2025-01-06"},
    )  # fmt: skip
    assert first.status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert 'name="item-speak-up" value="2" checked' in page and 'name="version" value="1"' in page
    cleared = client.post(
        url,
        data={"item-value-myself": "4", "item-speak-up": "", "version": "1",
              "answered_on": "2025-01-06"},
    )  # fmt: skip
    assert cleared.status_code == 302
    with app.app_context():
        assert dict(
            db.session.execute(select(AssessmentAnswer.item_id, AssessmentAnswer.value)).all()
        ) == {"value-myself": 4}
        response = db.session.scalar(select(AssessmentResponse))
        assert response is not None and response.version == 2
    everything_passed = client.post(
        url,
        data={"item-value-myself": "", "item-speak-up": "", "version": "2",
              "answered_on": "2025-01-06"},
        follow_redirects=True,
    )  # fmt: skip
    assert "Every item was passed: the response of SUR-A01 was removed" in (
        everything_passed.get_data(as_text=True)
    )
    with app.app_context():
        assert count(AssessmentResponse) == 0 and count(AssessmentAnswer) == 0
    # Passing everything on a form with nothing recorded saves nothing, and says so.
    nothing = client.post(url, data={"item-speak-up": "", "version": "0"})
    assert nothing.status_code == 200
    assert "Every item is passed: there is nothing to save." in nothing.get_data(as_text=True)


def test_clearing_a_care_answer_closes_nothing_it_should_not(
    app: Flask, client: FlaskClient, auth: AuthActions, world: World
) -> None:
    auth.login("fac_a")
    url = f"/cohorts/{world.cohort_a}/assessments/body/pre/{world.participant_a}"
    client.post(url, data={"item-hide-body": "1", "item-like-body": "1", "version": "0"})
    with app.app_context():
        assert count(FollowUp) == 1
    client.post(url, data={"item-hide-body": "", "item-like-body": "", "version": "1"})
    with app.app_context():
        assert count(AssessmentResponse) == 0
        assert count(FollowUp) == 0  # the answer that raised it is gone, with no referral


# ---------------------------------------------------------------- one session per date


def test_the_new_session_form_defaults_to_today_and_offers_no_day_for_one_day_modules(
    client: FlaskClient, auth: AuthActions, world: World
) -> None:
    auth.login("fac_a")
    page = client.get(f"/cohorts/{world.cohort_a}/sessions/new").get_data(as_text=True)
    assert f'value="{date.today().isoformat()}"' in page
    assert 'name="day"' not in page


def test_creating_a_session_twice_offers_the_existing_one(
    app: Flask, client: FlaskClient, auth: AuthActions, world: World
) -> None:
    auth.login("fac_a")
    data = {"module_id": "leaders-we", "held_on": "2025-03-01"}
    made = client.post(f"/cohorts/{world.cohort_a}/sessions/new", data=data)
    assert made.status_code == 302
    again = client.post(f"/cohorts/{world.cohort_a}/sessions/new", data=data)
    text = again.get_data(as_text=True)
    assert again.status_code == 200 and "This session already exists" in text
    with app.app_context():
        assert count(TrainingSession, TrainingSession.cohort_id == world.cohort_a) == 2
        session_id = db.session.scalar(
            select(TrainingSession.id).where(TrainingSession.module_id == "leaders-we")
        )
    assert made.headers["Location"] == f"/sessions/{session_id}/attendance"
    assert f'href="/sessions/{session_id}/attendance"' in text
    assert "Open the existing session's roster" in text
    # The world's own session, made by build_world, is found the same way.
    world_twice = client.post(
        f"/cohorts/{world.cohort_a}/sessions/new",
        data={"module_id": "leaders-me", "held_on": "2025-01-06"},
    )
    assert f'href="/sessions/{world.session_a}/attendance"' in world_twice.get_data(as_text=True)


@pytest.fixture
def records_world(db_app: Flask):  # type: ignore[no-untyped-def]
    with db_app.test_request_context():
        yield build_world(publish=False)


def test_a_session_made_by_someone_else_meanwhile_is_offered_not_doubled(
    records_world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    cohort = db.session.get(Cohort, records_world.cohort_a)
    assert cohort is not None
    existing = db.session.get(TrainingSession, records_world.session_a)
    assert existing is not None
    # The race: our look finds nothing, then the other request's row is there at insert.
    real_find = sessions.find
    looks: list[int] = []

    def late_find(*args: object) -> TrainingSession | None:
        looks.append(1)
        return None if len(looks) == 1 else real_find(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(sessions, "find", late_find)
    made = sessions.create(cohort, sessions.SessionInput("leaders-me", date(2025, 1, 6), []))
    assert isinstance(made, sessions.Duplicate) and made.session.id == records_world.session_a
    assert count(TrainingSession, TrainingSession.cohort_id == cohort.id) == 1
    # find_or_create, for imports: the same row, and says it made nothing.
    found, created = sessions.find_or_create(cohort.id, "leaders-me", date(2025, 1, 6))
    assert (found.id, created) == (records_world.session_a, False)
    fresh, created = sessions.find_or_create(cohort.id, "leaders-we", date(2025, 1, 6))
    assert created and fresh.id != records_world.session_a
    db.session.commit()


def test_the_database_refuses_a_second_session_and_create_offers_the_first(
    records_world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy.exc import IntegrityError

    cohort = db.session.get(Cohort, records_world.cohort_a)
    assert cohort is not None
    db.session.add(
        TrainingSession(cohort_id=cohort.id, module_id="leaders-me", held_on=date(2025, 1, 6))
    )
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()

    # An IntegrityError at commit (another writer's row): the first one is offered.
    def clash(*_args: object) -> tuple[TrainingSession, bool]:
        raise IntegrityError("INSERT", {}, Exception("unique"))

    monkeypatch.setattr(sessions, "find_or_create", clash)
    made = sessions.create(cohort, sessions.SessionInput("leaders-me", date(2025, 1, 6), []))
    assert isinstance(made, sessions.Duplicate) and made.session.id == records_world.session_a


@pytest.fixture
def multi_day_app(template_db: Path, tmp_path: Path) -> Flask:
    """The fixture content with leaders-we running over two days."""
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    module = content / "modules" / "leaders-we" / "module.yaml"
    text = module.read_text(encoding="utf-8")
    assert "sessions:\n" in text
    module.write_text(_two_days(text), encoding="utf-8")
    path = tmp_path / "multi.sqlite"
    shutil.copy(template_db, path)
    return make_app(f"sqlite:///{path}", CONTENT_ROOT=str(content))


def _two_days(text: str) -> str:
    import yaml

    data = yaml.safe_load(text)
    first = data["sessions"][0]
    half = first["minutes"] // 2
    second = dict(first, id=f"{first['id']}-2", day=2, minutes=first["minutes"] - half)
    first["minutes"] = half
    data["sessions"] = [first, second, *data["sessions"][1:]]
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def test_a_multi_day_module_has_one_session_per_day(multi_day_app: Flask) -> None:
    with multi_day_app.app_context():
        world = build_world(publish=False)
    client = multi_day_app.test_client()
    AuthActions(client).login("fac_a")
    new = f"/cohorts/{world.cohort_a}/sessions/new"
    page = client.get(new).get_data(as_text=True)
    assert 'name="day"' in page and "(2 days)" in page
    for day in ("1", "2"):
        made = client.post(new, data={"module_id": "leaders-we", "held_on": "2025-03-01",
                                      "day": day})  # fmt: skip
        assert made.status_code == 302, made.get_data(as_text=True)
    again = client.post(new, data={"module_id": "leaders-we", "held_on": "2025-03-01",
                                   "day": "2"})  # fmt: skip
    assert "This session already exists" in again.get_data(as_text=True)
    # leaders-me runs one day: no day 2 of it.
    wrong = client.post(new, data={"module_id": "leaders-me", "held_on": "2025-03-01",
                                   "day": "2"})  # fmt: skip
    assert "This module runs for 1 day(s)" in wrong.get_data(as_text=True)
    with multi_day_app.app_context():
        days = db.session.scalars(
            select(TrainingSession.day).where(TrainingSession.module_id == "leaders-we")
        ).all()
        assert sorted(days) == [1, 2]
        db.engine.dispose()


# ---------------------------------------------------------------- the choice limit


def test_the_evaluation_form_limits_choices_while_filling_and_on_the_server(
    app: Flask, client: FlaskClient, auth: AuthActions, world: World
) -> None:
    auth.login("fac_a")
    url = f"/cohorts/{world.cohort_a}/evaluations/useful-skills"
    page = client.get(url).get_data(as_text=True)
    assert 'data-choose-up-to="3"' in page and "0 of 3 chosen" in page
    assert 'data-template="{chosen} of 3 chosen"' in page
    assert '<script src="/static/choices.js" defer></script>' in page
    with client.get("/static/choices.js") as script:
        assert script.status_code == 200 and b"data-choose-up-to" in script.data
    four = ["resilience", "protest", "connection", "inner-peace"]
    refused = client.post(url, data={"choice": four, "answered_on": "2025-03-01"})
    text = refused.get_data(as_text=True)
    assert "Choose at most 3 options: 4 were ticked. Untick 1." in text
    assert "4 of 3 chosen" in text  # her ticks stay, so she unticks one rather than redoing
    with app.app_context():
        assert count(EvaluationResponse) == 0
    # In Bengali, the refusal is not the English sentence with a field name.
    client.post("/language", data={"language": "bn"})
    bengali = client.post(url, data={"choice": four, "answered_on": "2025-03-01"})
    assert "choices: choose at most" not in bengali.get_data(as_text=True)


def test_garbled_posts_are_messages_never_server_errors(
    app: Flask, client: FlaskClient, auth: AuthActions, world: World
) -> None:
    auth.login("coord_a")
    answer_url = f"/cohorts/{world.cohort_a}/assessments/selfworth/pre/{world.participant_a}"
    for url, data in (
        (f"/sessions/{world.session_a}/attendance",
         {"version": "x" * 40, "shown-abc": "?", f"status-{world.participant_a}": "late"}),
        (f"/sessions/{world.session_a}/attendance", {"version": "99999999999999999999"}),
        (answer_url, {"item-speak-up": "--5", "version": "-1", "shown-speak-up": "--"}),
        (answer_url, {"item-speak-up": "", "item-nope": "", "version": "0"}),
        (f"/cohorts/{world.cohort_a}/facilitators",
         {"facilitators": "abc", "shown": "x", "version": "1"}),
        (f"/cohorts/{world.cohort_a}/sessions/new",
         {"module_id": "nope", "held_on": "2025-13-45", "day": "abc"}),
        (f"/cohorts/{world.cohort_a}/evaluations/useful-skills",
         {"choice": ["x"] * 50, "answered_on": "yesterday"}),
    ):  # fmt: skip
        response = client.post(url, data=data)
        assert response.status_code in {200, 302}, (url, data, response.status_code)
    with app.app_context():
        assert count(Attendance) == 0 and count(AssessmentResponse) == 0
        assert count(TrainingSession) == 2 and count(EvaluationResponse) == 0
