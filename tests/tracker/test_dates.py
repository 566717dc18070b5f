"""Dates that cannot be: a session in the year 1 or 9999 or outside its cohort, consent in
the future or before 2000, an answer from tomorrow, attendance imported for 2099. Each is
refused with the bound it crossed, and nothing is stored."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from flask import Flask
from sqlalchemy import func, select

from tests.tracker.conftest import World
from tracker.db import db
from tracker.models import Cohort, EvaluationResponse, Group, Participant, TrainingSession
from tracker.problems import Problem
from tracker.records import imports, participants, sessions
from tracker.records.values import parse_date, parse_past_date


@pytest.mark.parametrize("raw", ["0001-01-01", "9999-12-31", "1999-12-31"])
def test_dates_outside_the_century_are_refused(raw: str) -> None:
    assert isinstance(parse_date(raw, "held_on"), Problem)


def test_a_day_that_happened_is_not_tomorrow(app: Flask) -> None:
    with app.test_request_context():
        tomorrow = (date.today() + timedelta(days=1)).isoformat()
        refused = parse_past_date(tomorrow, "answered_on")
        assert isinstance(refused, Problem) and "future" in refused.message
        assert parse_past_date(date.today().isoformat(), "answered_on") == date.today()


def _count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_sessions_fall_within_their_cohort(app: Flask, world: World) -> None:
    with app.test_request_context():
        cohort = db.session.get(Cohort, world.cohort_a)
        assert cohort is not None
        before = _count(TrainingSession)
        for held_on in (date(2001, 1, 1), cohort.starts_on - timedelta(days=1), date(2099, 1, 1)):
            made = sessions.create(cohort, sessions.SessionInput("leaders-we", held_on, []))
            assert isinstance(made, list) and made[0].field == "held_on", held_on
        text = "session_date,module,participant_code,status\n2099-01-05,leaders-we,SUR-A01,P\n"
        result = imports.import_attendance(cohort, text, 100)
        assert not result.ok and result.problems[0].field == "session_date"
        assert _count(TrainingSession) == before


def test_consent_and_answers_are_not_from_the_future_or_year_one(app: Flask, world: World) -> None:
    with app.test_request_context():
        cohort = db.session.get(Cohort, world.cohort_a)
        assert cohort is not None
        people = _count(Participant)
        for consent in (date(1, 1, 1), date.today() + timedelta(days=1)):
            made = participants.enrol(
                cohort,
                participants.ParticipantInput("SUR-Z77", Group.survivor, True, consent, None),
            )
            assert isinstance(made, list) and made[0].field == "consent_given_on", consent
        assert _count(Participant) == people
        tomorrow = (date.today() + timedelta(days=1)).isoformat()
        text = f"participant_code,answered_on,choices,other_text\n,{tomorrow},resilience,\n"
        result = imports.import_evaluations(cohort, "useful-skills", text, 100)
        assert not result.ok and result.problems[0].field == "answered_on"
        assert _count(EvaluationResponse) == 0
