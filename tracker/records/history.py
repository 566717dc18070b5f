"""One participant's record in one cohort, for her facilitators between sessions: attendance
per session, answers by timepoint, evaluation responses. Never for evaluators."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from tracker.db import db
from tracker.models import (
    AssessmentAnswer,
    AssessmentResponse,
    Attendance,
    AttendanceStatus,
    Cohort,
    EvaluationChoice,
    EvaluationResponse,
    Timepoint,
    TrainingSession,
)


@dataclass(frozen=True)
class SessionAttendance:
    session: TrainingSession
    status: AttendanceStatus | None  # None: not recorded


@dataclass
class Answers:
    """Her answers to one instrument at one timepoint."""

    timepoint: Timepoint
    answered_on: date
    values: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Evaluation:
    response: EvaluationResponse
    options: list[str]


def attendance(cohort: Cohort, participant_id: int) -> list[SessionAttendance]:
    rows = db.session.execute(
        select(TrainingSession, Attendance.status)
        .outerjoin(
            Attendance,
            (Attendance.session_id == TrainingSession.id)
            & (Attendance.participant_id == participant_id),
        )
        .where(TrainingSession.cohort_id == cohort.id)
        .order_by(TrainingSession.held_on, TrainingSession.id)
    )
    return [SessionAttendance(session, status) for session, status in rows]


def answers(cohort: Cohort, participant_id: int) -> dict[str, list[Answers]]:
    """Instrument id -> her answers, one per timepoint, in the order timepoints are asked."""
    rows = db.session.execute(
        select(
            AssessmentResponse.id,
            AssessmentResponse.instrument_id,
            AssessmentResponse.timepoint,
            AssessmentResponse.answered_on,
            AssessmentAnswer.item_id,
            AssessmentAnswer.value,
        )
        .outerjoin(AssessmentAnswer, AssessmentAnswer.response_id == AssessmentResponse.id)
        .where(
            AssessmentResponse.cohort_id == cohort.id,
            AssessmentResponse.participant_id == participant_id,
        )
    )
    by_response: dict[int, tuple[str, Answers]] = {}
    for rid, instrument_id, timepoint, answered_on, item_id, value in rows:
        _, found = by_response.setdefault(rid, (instrument_id, Answers(timepoint, answered_on)))
        if item_id is not None:
            found.values[item_id] = value
    order = list(Timepoint)
    out: dict[str, list[Answers]] = {}
    for instrument_id, found in by_response.values():
        out.setdefault(instrument_id, []).append(found)
    for found_list in out.values():
        found_list.sort(key=lambda a: order.index(a.timepoint))
    return out


def evaluations(cohort: Cohort, participant_id: int) -> list[Evaluation]:
    responses = list(
        db.session.scalars(
            select(EvaluationResponse)
            .where(
                EvaluationResponse.cohort_id == cohort.id,
                EvaluationResponse.participant_id == participant_id,
            )
            .order_by(EvaluationResponse.answered_on, EvaluationResponse.id)
        )
    )
    choices: dict[int, list[str]] = {r.id: [] for r in responses}
    if choices:
        for rid, option in db.session.execute(
            select(EvaluationChoice.response_id, EvaluationChoice.option_id)
            .where(EvaluationChoice.response_id.in_(choices))
            .order_by(EvaluationChoice.option_id)
        ):
            choices[rid].append(option)
    return [Evaluation(r, choices[r.id]) for r in responses]
