"""The numbers summaries are made of, collected with a few aggregate queries per scope.

Each function takes the ids of the cohorts in scope and returns plain data; no row names a
participant (ids only, and they never leave `tracker.summaries`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import (
    func,
    select,
)

from tracker.db import db
from tracker.models import (
    Attendance,
    AttendanceStatus,
    Membership,
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
