"""The numbers summaries are made of, collected with a few aggregate queries per scope.

Each function takes the ids of the cohorts in scope and returns plain data; no row names a
participant (ids only, and they never leave `tracker.summaries`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import String, func, select, type_coerce

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
    Membership,
    Timepoint,
    TrainingSession,
)

ATTENDED = (AttendanceStatus.present, AttendanceStatus.late)


@dataclass(frozen=True)
class SessionCount:
    session_id: int
    cohort_id: int
    module_id: str
    held_on: date
    attended: int


def cohorts(cohort_ids: Sequence[int]) -> list[Cohort]:
    return list(
        db.session.scalars(
            select(Cohort).where(Cohort.id.in_(cohort_ids)).order_by(Cohort.starts_on, Cohort.id)
        )
    )


def enrolled(cohort_ids: Sequence[int]) -> dict[int, int]:
    rows = db.session.execute(
        select(Membership.cohort_id, func.count())
        .where(Membership.cohort_id.in_(cohort_ids))
        .group_by(Membership.cohort_id)
    )
    return {cohort_id: count for cohort_id, count in rows}


def session_counts(cohort_ids: Sequence[int]) -> list[SessionCount]:
    attended = func.count(Attendance.participant_id)
    rows = db.session.execute(
        select(
            TrainingSession.id,
            TrainingSession.cohort_id,
            TrainingSession.module_id,
            TrainingSession.held_on,
            attended,
        )
        .outerjoin(
            Attendance,
            (Attendance.session_id == TrainingSession.id) & Attendance.status.in_(ATTENDED),
        )
        .where(TrainingSession.cohort_id.in_(cohort_ids))
        .group_by(TrainingSession.id)
        .order_by(TrainingSession.held_on, TrainingSession.id)
    )
    return [SessionCount(*row) for row in rows]


def attended_per_member(cohort_ids: Sequence[int]) -> dict[int, dict[int, int]]:
    """{cohort id: {participant id: sessions attended}}, members with none included."""
    result: dict[int, dict[int, int]] = defaultdict(dict)
    for cohort_id, participant_id in db.session.execute(
        select(Membership.cohort_id, Membership.participant_id).where(
            Membership.cohort_id.in_(cohort_ids)
        )
    ):
        result[cohort_id][participant_id] = 0
    rows = db.session.execute(
        select(TrainingSession.cohort_id, Attendance.participant_id, func.count())
        .join(Attendance, Attendance.session_id == TrainingSession.id)
        .where(TrainingSession.cohort_id.in_(cohort_ids), Attendance.status.in_(ATTENDED))
        .group_by(TrainingSession.cohort_id, Attendance.participant_id)
    )
    for cohort_id, participant_id, count in rows:
        # Attendance of someone no longer a member (left the cohort) does not count.
        if participant_id in result[cohort_id]:
            result[cohort_id][participant_id] = count
    return result


def sessions_held(cohort_ids: Sequence[int]) -> dict[int, int]:
    rows = db.session.execute(
        select(TrainingSession.cohort_id, func.count())
        .where(TrainingSession.cohort_id.in_(cohort_ids))
        .group_by(TrainingSession.cohort_id)
    )
    return {cohort_id: count for cohort_id, count in rows}


# (cohort id, participant id) -> timepoint -> item id -> value
Answers = dict[tuple[int, int], dict[Timepoint, dict[str, int]]]


def answers(cohort_ids: Sequence[int], instrument_id: str) -> Answers:
    # The biggest read of a summary (participants x items x timepoints): SQLAlchemy compiles
    # the statement, and the rows are read straight from the DBAPI cursor, skipping per-row
    # Row objects and enum conversion (the timepoint is read as its stored text).
    timepoint = type_coerce(AssessmentResponse.timepoint, String)
    result = db.session.connection().execute(
        select(
            AssessmentResponse.cohort_id,
            AssessmentResponse.participant_id,
            timepoint,
            AssessmentAnswer.item_id,
            AssessmentAnswer.value,
        )
        .join(AssessmentAnswer, AssessmentAnswer.response_id == AssessmentResponse.id)
        .where(
            AssessmentResponse.cohort_id.in_(cohort_ids),
            AssessmentResponse.instrument_id == instrument_id,
        )
    )
    rows = result.cursor.fetchall() if result.cursor is not None else []
    result.close()
    points = {point.value: point for point in Timepoint}
    found: Answers = {}
    for cohort_id, participant_id, point, item_id, value in rows:
        by_time = found.get((cohort_id, participant_id))
        if by_time is None:
            by_time = found[(cohort_id, participant_id)] = {}
        answers_at = by_time.get(points[point])
        if answers_at is None:
            answers_at = by_time[points[point]] = {}
        answers_at[item_id] = value
    return found


def data_version() -> int:
    """Changes with every write: each change records an audit event in its transaction."""
    return db.session.scalar(select(func.max(AuditEvent.id))) or 0


def tally(cohort_ids: Sequence[int], form_id: str) -> tuple[dict[str, int], int]:
    """Times each option was chosen, and the number of responses."""
    rows = db.session.execute(
        select(EvaluationChoice.option_id, func.count())
        .join(EvaluationResponse, EvaluationResponse.id == EvaluationChoice.response_id)
        .where(EvaluationResponse.cohort_id.in_(cohort_ids), EvaluationResponse.form_id == form_id)
        .group_by(EvaluationChoice.option_id)
    )
    counts = {option: count for option, count in rows}
    responses = db.session.scalar(
        select(func.count())
        .select_from(EvaluationResponse)
        .where(EvaluationResponse.cohort_id.in_(cohort_ids), EvaluationResponse.form_id == form_id)
    )
    return counts, responses or 0
