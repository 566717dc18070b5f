"""Training sessions of a cohort, and the attendance roster of each.

A session is held once: the same module on the same date and day is one row (the database
says so too), so creating it twice finds the first. A roster save names the version of the
session it was based on: one based on an older version is refused, never overwrites.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, cast

from flask_babel import gettext as _
from sqlalchemy import CursorResult, delete, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from tracker import content
from tracker.access.edge import parse_id
from tracker.db import db
from tracker.models import (
    Attendance,
    AttendanceStatus,
    Cohort,
    Membership,
    Participant,
    SessionFacilitator,
    TrainingSession,
    User,
)
from tracker.problems import Problem
from tracker.records import audit
from tracker.records.cohorts import facilitator_choices
from tracker.records.values import date_problems, parse_enum


@dataclass(frozen=True)
class SessionInput:
    module_id: str
    held_on: date
    facilitator_ids: list[int]
    day: int = 1


@dataclass(frozen=True)
class Duplicate:
    """The session exists already: offered instead of a second one."""

    session: TrainingSession


@dataclass(frozen=True)
class MarkChange:
    """A participant's mark as her page showed it, and as it is now (None: not taken)."""

    code: str
    shown: AttendanceStatus | None
    now: AttendanceStatus | None


@dataclass(frozen=True)
class RosterConflict:
    """Someone saved the roster after this page was opened: what changed since."""

    version: int
    changes: list[MarkChange]
    now: dict[int, AttendanceStatus]


def sessions(cohort: Cohort) -> list[TrainingSession]:
    return list(
        db.session.scalars(
            select(TrainingSession)
            .where(TrainingSession.cohort_id == cohort.id)
            .order_by(TrainingSession.held_on, TrainingSession.day, TrainingSession.id)
        )
    )


def check_session(cohort: Cohort, module_id: str, row: int | None = None) -> list[Problem]:
    programme = content.content().programmes.get(cohort.programme_id)
    if programme is None or module_id not in programme.modules:
        message = _("'%(module)s' is not a module of this programme", module=module_id)
        return [Problem("module_id", message, row)]
    return []


def check_date(cohort: Cohort, held_on: date, field: str, row: int | None = None) -> list[Problem]:
    """A session falls within its cohort's dates (up to a year ahead when it has no end)."""
    latest = cohort.ends_on or max(date.today(), cohort.starts_on) + timedelta(days=366)
    return date_problems(held_on, field, row, not_before=cohort.starts_on, not_after=latest)


def module_days(module_id: str) -> int:
    """How many days the module runs: its sessions carry `day` in the curriculum."""
    module = content.content().modules.get(module_id)
    if module is None:
        return 1
    return max((session.day for session in module.sessions), default=1)


def find(cohort_id: int, module_id: str, held_on: date, day: int = 1) -> TrainingSession | None:
    return db.session.scalar(
        select(TrainingSession).where(
            TrainingSession.cohort_id == cohort_id,
            TrainingSession.module_id == module_id,
            TrainingSession.held_on == held_on,
            TrainingSession.day == day,
        )
    )


def find_or_create(
    cohort_id: int, module_id: str, held_on: date, day: int = 1
) -> tuple[TrainingSession, bool]:
    """The session of this module, date and day, made if missing; True when made. No commit.

    INSERT ... ON CONFLICT DO NOTHING: a second request making the same session at the same
    moment finds the first one's row instead of failing (for imports and the form alike)."""
    found = find(cohort_id, module_id, held_on, day)
    if found is not None:
        return found, False
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    made = db.session.execute(
        dialect.insert(TrainingSession)
        .values(cohort_id=cohort_id, module_id=module_id, held_on=held_on, day=day)
        .on_conflict_do_nothing(index_elements=["cohort_id", "module_id", "held_on", "day"])
    )
    created = cast(CursorResult[Any], made).rowcount == 1
    session = find(cohort_id, module_id, held_on, day)
    assert session is not None  # inserted now, or by whoever won the race
    return session, created


def create(cohort: Cohort, data: SessionInput) -> TrainingSession | Duplicate | list[Problem]:
    problems = check_session(cohort, data.module_id)
    allowed = {user.id for user in facilitator_choices(cohort)}
    problems += [
        Problem("facilitators", _("Someone chosen cannot facilitate this cohort."))
        for uid in data.facilitator_ids
        if uid not in allowed
    ]
    problems += check_date(cohort, data.held_on, "held_on")
    days = module_days(data.module_id)
    if not problems and not 1 <= data.day <= days:
        problems.append(
            Problem("day", _("This module runs for %(n)d day(s): choose one of them.", n=days))
        )
    if problems:
        return problems
    try:
        session, created = find_or_create(cohort.id, data.module_id, data.held_on, data.day)
        if not created:
            db.session.rollback()
            return Duplicate(session)
        for uid in sorted(set(data.facilitator_ids)):
            db.session.add(SessionFacilitator(session_id=session.id, user_id=uid))
        audit.record(
            "create",
            "session",
            session.id,
            cohort.organisation_id,
            f"{data.module_id} {data.held_on} day {data.day}",
            cohort_id=cohort.id,
        )
        db.session.commit()
    except IntegrityError:  # made by someone else between our look and our write
        db.session.rollback()
        existing = find(cohort.id, data.module_id, data.held_on, data.day)
        if existing is None:
            raise
        return Duplicate(existing)
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


def mark_count(session: TrainingSession) -> int:
    return (
        db.session.scalar(
            select(func.count()).select_from(Attendance).where(Attendance.session_id == session.id)
        )
        or 0
    )


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
        pid = parse_id(key)
        if pid is None or pid not in members:
            problems.append(Problem(field, _("Not a participant of this cohort.")))
            continue
        status = parse_enum(AttendanceStatus, raw, field)
        if isinstance(status, Problem):
            problems.append(status)
        else:
            parsed[pid] = status
    return problems or parsed


def record_attendance(
    session: TrainingSession, marks: Mapping[str, str], organisation_id: int
) -> dict[int, AttendanceStatus] | list[Problem]:
    """Save marks whatever the roster's version (for scripts and tests); the roster page
    uses `save_roster`, which refuses a save based on an older version."""
    saved = save_roster(session, marks, {}, None, organisation_id)
    assert not isinstance(saved, RosterConflict)  # no base version: nothing to conflict with
    return saved


def save_roster(
    session: TrainingSession,
    marks: Mapping[str, str],
    shown: Mapping[str, str],
    base_version: int | None,
    organisation_id: int,
) -> dict[int, AttendanceStatus] | RosterConflict | list[Problem]:
    """Save the roster if it is still the version the page was based on, and bump it.

    The check and the bump are one conditional UPDATE: of two saves based on the same
    version, the database lets exactly one through (the other waits, then matches nothing).
    `shown` is what the page showed, to tell her what changed since."""
    parsed = check_attendance(session, marks)
    if isinstance(parsed, list):
        return parsed
    claim = update(TrainingSession).where(TrainingSession.id == session.id)
    if base_version is not None:
        claim = claim.where(TrainingSession.version == base_version)
    bumped = db.session.execute(
        claim.values(version=TrainingSession.version + 1).execution_options(
            synchronize_session=False
        )
    )
    if cast(CursorResult[Any], bumped).rowcount != 1:
        db.session.rollback()
        return roster_conflict(session, shown)
    _replace_marks(session.id, parsed)
    audit.record(
        "record",
        "attendance",
        session.id,
        organisation_id,
        f"{len(parsed)} participants",
        cohort_id=session.cohort_id,
    )
    db.session.commit()
    return parsed


def roster_conflict(session: TrainingSession, shown: Mapping[str, str]) -> RosterConflict:
    db.session.refresh(session)
    now = statuses(session)
    codes = {
        pid: code
        for pid, code in db.session.execute(
            select(Participant.id, Participant.code)
            .join(Membership, Membership.participant_id == Participant.id)
            .where(Membership.cohort_id == session.cohort_id)
            .order_by(Participant.code)
        )
    }
    changes = []
    for pid, code in codes.items():
        before = _status_or_none(shown.get(str(pid), ""))
        if before != now.get(pid):
            changes.append(MarkChange(code, before, now.get(pid)))
    return RosterConflict(session.version, changes, now)


def _status_or_none(raw: str) -> AttendanceStatus | None:
    try:
        return AttendanceStatus(raw)
    except ValueError:
        return None


def write_attendance(session_id: int, parsed: Mapping[int, AttendanceStatus]) -> bool:
    """Replace the marks of these participants at this session (no commit), bumping the
    session's version when a mark changes, so that an open roster page learns of it.
    Marks already as given are left alone: the same file imported twice changes nothing.
    True when something changed."""
    current = {
        pid: status
        for pid, status in db.session.execute(
            select(Attendance.participant_id, Attendance.status).where(
                Attendance.session_id == session_id,
                Attendance.participant_id.in_(list(parsed)),
            )
        )
    }
    changed = {pid: status for pid, status in parsed.items() if current.get(pid) != status}
    if not changed:
        return False
    _replace_marks(session_id, changed)
    db.session.execute(
        update(TrainingSession)
        .where(TrainingSession.id == session_id)
        .values(version=TrainingSession.version + 1)
        .execution_options(synchronize_session=False)
    )
    return True


def _replace_marks(session_id: int, parsed: Mapping[int, AttendanceStatus]) -> None:
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
