"""Attendance from paper sheets: a row per participant and session (module, date, day)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping
from datetime import date
from typing import NamedTuple

from flask_babel import gettext as _
from sqlalchemy import bindparam, insert, select, update

from facilitator import csvlayout
from tracker.access.edge import parse_id
from tracker.db import db
from tracker.models import Attendance, AttendanceStatus, Cohort, TrainingSession
from tracker.problems import Problem
from tracker.records import sessions
from tracker.records.bulk import table
from tracker.records.imports.running import RowImporter, cohort_codes, member
from tracker.records.values import date_problems, parse_date, parse_enum

# Optional: which day of a multi-day module (1 when the column is missing or empty).
DAY_COLUMN = "day"


class Mark(NamedTuple):
    held_on: date
    module_id: str
    day: int
    participant_id: int
    status: AttendanceStatus


class AttendanceRows(RowImporter[Mark]):
    entity = "attendance"
    required = tuple(csvlayout.ATTENDANCE_COLUMNS)

    def __init__(self, cohort: Cohort) -> None:
        super().__init__(cohort)
        self.members = cohort_codes(cohort)
        self.session_ids: dict[tuple[date, str, int], int] = {}
        self.made: set[int] = set()  # sessions this import creates
        self.touched: set[int] = set()  # sessions whose marks it changes

    def check(self, number: int, row: Mapping[str, str]) -> Mark | list[Problem]:
        held_on = parse_date(row["session_date"], "session_date", number)
        if not isinstance(held_on, Problem):
            # an attendance mark is for a session held: within the cohort's dates, not ahead
            outside = sessions.check_date(self.cohort, held_on, "session_date", number)
            if not outside and held_on > date.today():
                outside = date_problems(held_on, "session_date", number, not_after=date.today())
            held_on = outside[0] if outside else held_on
        module_problems = [
            Problem("module", problem.message, number)
            for problem in sessions.check_session(self.cohort, row["module"], number)
        ]
        day = self._day(row, number) if not module_problems else 1
        # a paper sheet's mark (P, L, E, A) is as good as the status's name
        mark = csvlayout.ATTENDANCE_MARKS.get(row["status"].upper(), row["status"])
        status = parse_enum(AttendanceStatus, mark, "status", number)
        pid = member(row["participant_code"], self.members, number)
        if (
            module_problems
            or isinstance(held_on, Problem)
            or isinstance(day, Problem)
            or isinstance(status, Problem)
            or isinstance(pid, Problem)
        ):
            found = [v for v in (held_on, day, status, pid) if isinstance(v, Problem)]
            return [*module_problems, *found]
        return Mark(held_on, row["module"], day, pid, status)

    @staticmethod
    def _day(row: Mapping[str, str], number: int) -> int | Problem:
        raw = row.get(DAY_COLUMN, "")
        days = sessions.module_days(row["module"])
        if not raw:
            return 1
        day = parse_id(raw)
        if day is None or not 1 <= day <= days:
            message = _("This module runs for %(n)d day(s): write a day from 1 to %(n)d.", n=days)
            return Problem(DAY_COLUMN, message, number)
        return day

    def key(self, entry: Mark) -> Hashable:
        return entry[:4]

    def duplicate(self, entry: Mark, first: int, number: int) -> Problem:
        message = _(
            "Row %(first)d already marks this participant at this session: "
            "one row per participant and session.",
            first=first,
        )
        return Problem("participant_code", message, number)

    def write(self, chunk: list[Mark], tally: Counter[str]) -> None:
        marks = {(self._session_id(m), m.participant_id): m.status for m in chunk}
        stored = {
            (sid, pid): status
            for sid, pid, status in db.session.execute(
                select(Attendance.session_id, Attendance.participant_id, Attendance.status).where(
                    Attendance.session_id.in_({sid for sid, _ in marks}),
                    Attendance.participant_id.in_({pid for _, pid in marks}),
                )
            )
        }
        new = [key for key in marks if key not in stored]
        changed = [key for key in marks if key in stored and stored[key] != marks[key]]
        marks_table = table(Attendance)
        if new:
            rows = [{"session_id": s, "participant_id": p, "status": marks[s, p]} for s, p in new]
            db.session.execute(insert(marks_table), rows)
        if changed:
            db.session.execute(
                update(marks_table)
                .where(
                    marks_table.c.session_id == bindparam("b_session"),
                    marks_table.c.participant_id == bindparam("b_participant"),
                )
                .values(status=bindparam("b_status")),
                [{"b_session": s, "b_participant": p, "b_status": marks[s, p]} for s, p in changed],
            )
        self.touched |= {sid for sid, _ in new + changed}
        tally["new"] += len(new)
        tally["changed"] += len(changed)
        tally["unchanged"] += len(marks) - len(new) - len(changed)

    def _session_id(self, mark: Mark) -> int:
        key = (mark.held_on, mark.module_id, mark.day)
        if key not in self.session_ids:
            session, made = sessions.find_or_create(
                self.cohort.id, mark.module_id, mark.held_on, mark.day
            )
            self.session_ids[key] = session.id
            if made:
                self.made.add(session.id)
        return self.session_ids[key]

    def finish(self, tally: Counter[str]) -> None:
        """An open roster page of a session whose marks changed learns of it: its version."""
        bumped = sorted(self.touched - self.made)
        if bumped:
            db.session.execute(
                update(TrainingSession)
                .where(TrainingSession.id.in_(bumped))
                .values(version=TrainingSession.version + 1)
                .execution_options(synchronize_session=False)
            )
