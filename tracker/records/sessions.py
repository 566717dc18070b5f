"""Training sessions of a cohort, and the attendance roster of each."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, insert, select

from tracker import audit, content
from tracker.db import db
from tracker.models import (
    Attendance,
    AttendanceStatus,
    Cohort,
    Membership,
    SessionFacilitator,
    TrainingSession,
    User,
)
from tracker.problems import Problem
from tracker.records.cohorts import facilitator_choices
from tracker.records.values import parse_enum


@dataclass(frozen=True)
class SessionInput:
    module_id: str
    held_on: date
    facilitator_ids: list[int]


def sessions(cohort: Cohort) -> list[TrainingSession]:
    return list(
        db.session.scalars(
            select(TrainingSession)
            .where(TrainingSession.cohort_id == cohort.id)
            .order_by(TrainingSession.held_on, TrainingSession.id)
        )
    )


def check_session(cohort: Cohort, module_id: str, row: int | None = None) -> list[Problem]:
    programme = content.content().programmes.get(cohort.programme_id)
    if programme is None or module_id not in programme.modules:
        return [Problem("module_id", f"'{module_id}' is not a module of this programme", row)]
    return []


def create(cohort: Cohort, data: SessionInput) -> TrainingSession | list[Problem]:
    problems = check_session(cohort, data.module_id)
    allowed = {user.id for user in facilitator_choices(cohort)}
    problems += [
        Problem("facilitators", f"user {uid} cannot facilitate this cohort")
        for uid in data.facilitator_ids
        if uid not in allowed
    ]
    if problems:
        return problems
    session = TrainingSession(cohort_id=cohort.id, module_id=data.module_id, held_on=data.held_on)
    db.session.add(session)
    db.session.flush()
    for uid in sorted(set(data.facilitator_ids)):
        db.session.add(SessionFacilitator(session_id=session.id, user_id=uid))
    audit.record(
        "create", "session", session.id, cohort.organisation_id, f"{data.module_id} {data.held_on}"
    )
    db.session.commit()
    return session


def facilitators(session: TrainingSession) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .join(SessionFacilitator, SessionFacilitator.user_id == User.id)
            .where(SessionFacilitator.session_id == session.id)
            .order_by(User.username)
        )
    )


def statuses(session: TrainingSession) -> dict[int, AttendanceStatus]:
    rows = db.session.execute(
        select(Attendance.participant_id, Attendance.status).where(
            Attendance.session_id == session.id
        )
    )
    return {pid: status for pid, status in rows}


def member_ids(cohort_id: int) -> set[int]:
    return set(
        db.session.scalars(
            select(Membership.participant_id).where(Membership.cohort_id == cohort_id)
        )
    )


def check_attendance(
    session: TrainingSession, marks: Mapping[str, str]
) -> dict[int, AttendanceStatus] | list[Problem]:
    """Roster input as {participant id: status}; every participant must be in the cohort."""
    members = member_ids(session.cohort_id)
    parsed: dict[int, AttendanceStatus] = {}
    problems: list[Problem] = []
    for key, raw in marks.items():
        field = f"status-{key}"
        if not key.isdigit() or int(key) not in members:
            problems.append(Problem(field, "not a participant of this cohort"))
            continue
        status = parse_enum(AttendanceStatus, raw, field)
        if isinstance(status, Problem):
            problems.append(status)
        else:
            parsed[int(key)] = status
    return problems or parsed


def record_attendance(
    session: TrainingSession, marks: Mapping[str, str], organisation_id: int
) -> dict[int, AttendanceStatus] | list[Problem]:
    parsed = check_attendance(session, marks)
    if isinstance(parsed, list):
        return parsed
    write_attendance(session.id, parsed)
    audit.record(
        "record",
        "attendance",
        session.id,
        organisation_id,
        f"{len(parsed)} participants",
    )
    db.session.commit()
    return parsed


def write_attendance(session_id: int, parsed: Mapping[int, AttendanceStatus]) -> None:
    """Replace the marks of these participants at this session (no commit)."""
    if not parsed:
        return
    db.session.execute(
        delete(Attendance).where(
            Attendance.session_id == session_id, Attendance.participant_id.in_(list(parsed))
        )
    )
    db.session.execute(
        insert(Attendance),
        [
            {"session_id": session_id, "participant_id": pid, "status": status}
            for pid, status in parsed.items()
        ],
    )
