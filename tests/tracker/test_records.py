"""Records on SQLite and PostgreSQL: validation collects problems and writes nothing; consent
withdrawal erases a person everywhere; every change leaves an audit event."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from tests.tracker.conftest import World, build_world
from tracker.db import db
from tracker.models import (
    AssessmentAnswer,
    AssessmentResponse,
    Attendance,
    AttendanceStatus,
    AuditEvent,
    Cohort,
    EvaluationChoice,
    EvaluationResponse,
    Group,
    Membership,
    Participant,
    Timepoint,
    TrainingSession,
)
from tracker.problems import Problem
from tracker.records import assessments, cohorts, evaluations, participants, sessions


def count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


@pytest.fixture
def ctx(db_app: Flask):  # type: ignore[no-untyped-def]
    with db_app.test_request_context():
        yield build_world()


def cohort(world: World, key: str = "a") -> Cohort:
    found = db.session.get(Cohort, world.cohort_a if key == "a" else world.cohort_b)
    assert found is not None
    return found


def test_cohort_problems_are_collected_together(ctx: World) -> None:
    result = cohorts.create(
        cohorts.CohortInput(
            ctx.org_a, " ", "no-programme", "xx", "", date(2025, 2, 1), date(2025, 1, 1)
        )
    )
    assert isinstance(result, list)
    assert {p.field for p in result} == {"name", "place", "programme_id", "language", "ends_on"}
    assert count(Cohort) == 2


def test_participant_codes_are_pseudonymous_and_unique_per_organisation(ctx: World) -> None:
    def enrol(code: str, key: str = "a") -> Participant | list[Problem]:
        return participants.enrol(
            cohort(ctx, key),
            participants.ParticipantInput(code, Group.survivor, True, date(2025, 1, 2), None),
        )

    named = enrol("Priya Sharma")
    assert isinstance(named, list) and named[0].field == "code"
    assert isinstance(enrol("sur-002"), Participant)  # normalised to SUR-002
    twice = enrol("SUR-002")
    assert isinstance(twice, list) and "already in this cohort" in twice[0].message
    # The same code in another organisation is another person.
    assert isinstance(enrol("SUR-002", "b"), Participant)
    no_consent = participants.enrol(
        cohort(ctx), participants.ParticipantInput("SUR-003", Group.survivor, False, None, None)
    )
    assert isinstance(no_consent, list) and no_consent[0].field == "consent_given"
    future = participants.enrol(
        cohort(ctx),
        participants.ParticipantInput(
            "SUR-004", Group.survivor, True, date.today() + timedelta(days=3), None
        ),
    )
    assert isinstance(future, list) and future[0].field == "consent_given_on"
    assert count(Participant) == 4  # two from the world, SUR-002 in each organisation


def test_the_database_itself_refuses_a_duplicate_code(ctx: World) -> None:
    db.session.add(
        Participant(
            organisation_id=ctx.org_a,
            code="SUR-A01",
            group=Group.survivor,
            consent_given_on=date.today(),
        )
    )
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_attendance_roster_saves_and_refuses_bad_marks(ctx: World) -> None:
    session = db.session.get(TrainingSession, ctx.session_a)
    assert session is not None
    bad = sessions.record_attendance(session, {str(ctx.participant_a): "sleeping"}, ctx.org_a)
    assert isinstance(bad, list) and bad[0].field == f"status-{ctx.participant_a}"
    outsider = sessions.record_attendance(session, {str(ctx.participant_b): "present"}, ctx.org_a)
    assert isinstance(outsider, list)
    assert count(Attendance) == 0
    good = sessions.record_attendance(session, {str(ctx.participant_a): "late"}, ctx.org_a)
    assert good == {ctx.participant_a: AttendanceStatus.late}
    again = sessions.record_attendance(session, {str(ctx.participant_a): "present"}, ctx.org_a)
    assert again == {ctx.participant_a: AttendanceStatus.present}
    assert count(Attendance) == 1


def test_session_module_must_belong_to_the_programme(ctx: World) -> None:
    made = sessions.create(cohort(ctx), sessions.SessionInput("care-one", date(2025, 2, 1), []))
    assert isinstance(made, list) and made[0].field == "module_id"


def test_assessment_answers_follow_the_instrument(ctx: World) -> None:
    loaded_cohort = cohort(ctx)
    from tracker import content

    likert = content.content().instruments["selfworth"]
    parsed = assessments.parse_answers(likert, {"value-myself": "9", "speak-up": "x", "nope": "1"})
    assert isinstance(parsed, list)
    assert {p.field for p in parsed} == {"value-myself", "speak-up", "nope"}
    assert assessments.parse_answers(likert, {}) == [Problem("answers", "no item was answered")]
    passed = assessments.parse_answers(likert, {"value-myself": "4", "speak-up": ""})
    assert passed == {"value-myself": 4}  # a blank is a pass, not an error
    yes_no = content.content().instruments["body"]
    assert assessments.parse_answers(yes_no, {"like-body": "yes", "hide-body": "0"}) == {
        "like-body": 1,
        "hide-body": 0,
    }
    wrong = assessments.save(
        loaded_cohort,
        assessments.AssessmentInput(
            ctx.participant_a, "not-ours", Timepoint.pre, date.today(), {"a": 1}
        ),
    )
    assert isinstance(wrong, list) and wrong[0].field == "instrument"
    entry = assessments.AssessmentInput(
        ctx.participant_a, "selfworth", Timepoint.pre, date.today(), {"value-myself": 2}
    )
    assert isinstance(assessments.save(loaded_cohort, entry), int)
    replaced = assessments.AssessmentInput(
        ctx.participant_a,
        "selfworth",
        Timepoint.pre,
        date.today(),
        {"value-myself": 3, "speak-up": 4},
    )
    assert isinstance(assessments.save(loaded_cohort, replaced), int)
    assert count(AssessmentResponse) == 1 and count(AssessmentAnswer) == 2


def test_evaluation_choices_are_checked(ctx: World) -> None:
    from tracker import content

    form = content.content().evaluation_forms["useful-skills"]
    too_many = evaluations.check_choices(
        form, ["communication", "resilience", "connection", "protest"], None
    )
    assert [p.message for p in too_many] == ["choose at most 3 options"]
    assert evaluations.check_choices(form, ["other"], "") == [
        Problem("other_text", "say what the 'other' answer is")
    ]
    assert evaluations.check_choices(form, ["flying"], None)[0].field == "choices"
    assert evaluations.check_choices(form, [], None)[0].message == "choose at least one option"
    saved = evaluations.save(
        cohort(ctx),
        evaluations.EvaluationInput(
            "useful-skills", None, date.today(), ["resilience", "other"], "Singing together"
        ),
    )
    assert isinstance(saved, int)
    assert count(EvaluationChoice) == 2


def test_withdrawing_consent_erases_the_person_everywhere(ctx: World) -> None:
    pid = ctx.participant_a
    the_cohort = cohort(ctx)
    session = db.session.get(TrainingSession, ctx.session_a)
    assert session is not None
    sessions.record_attendance(session, {str(pid): "present"}, ctx.org_a)
    for point in (Timepoint.pre, Timepoint.post):
        assessments.save(
            the_cohort,
            assessments.AssessmentInput(pid, "selfworth", point, date.today(), {"speak-up": 3}),
        )
    evaluations.save(
        the_cohort,
        evaluations.EvaluationInput("useful-skills", pid, date.today(), ["resilience"], None),
    )
    evaluations.save(  # an anonymous response stays: it is nobody's record
        the_cohort,
        evaluations.EvaluationInput("useful-skills", None, date.today(), ["protest"], None),
    )
    person = db.session.get(Participant, pid)
    assert person is not None
    removed = participants.withdraw_consent(person)
    assert removed == {"attendance": 1, "assessments": 2, "evaluations": 1, "cohorts": 1}
    assert db.session.get(Participant, pid) is None
    for model, column in (
        (Attendance, Attendance.participant_id),
        (AssessmentResponse, AssessmentResponse.participant_id),
        (EvaluationResponse, EvaluationResponse.participant_id),
        (Membership, Membership.participant_id),
    ):
        assert db.session.scalar(select(func.count()).select_from(model).where(column == pid)) == 0
    assert count(AssessmentAnswer) == 0
    assert count(EvaluationResponse) == 1 and count(EvaluationChoice) == 1
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "withdraw_consent"))
    assert event is not None and "SUR-A01" not in event.detail


def test_every_change_leaves_an_audit_event(ctx: World) -> None:
    before = count(AuditEvent)
    session = db.session.get(TrainingSession, ctx.session_a)
    assert session is not None
    sessions.record_attendance(session, {str(ctx.participant_a): "present"}, ctx.org_a)
    cohorts.update(
        cohort(ctx),
        cohorts.CohortInput(ctx.org_a, "Renamed", "leaders", "hi", "Hall", date(2025, 1, 6), None),
    )
    events = list(db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)))[before:]
    assert [(e.action, e.entity) for e in events] == [
        ("record", "attendance"),
        ("update", "cohort"),
    ]
    # The world's setup itself was audited: organisations, users, cohorts, enrolments...
    kinds = {(e.action, e.entity) for e in db.session.scalars(select(AuditEvent))}
    assert {("create", "organisation"), ("create", "user"), ("enrol", "participant")} <= kinds


def test_foreign_keys_are_enforced(ctx: World) -> None:
    db.session.add(Membership(cohort_id=ctx.cohort_a, participant_id=987654))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
