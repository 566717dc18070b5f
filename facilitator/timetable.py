"""A module's session plan as a timetable: running time from the start, per day.

Computed here, in Python, so the templates only loop over rows.
"""

from __future__ import annotations

from dataclasses import dataclass

from facilitator.model import Module, Session


def clock(minutes: int) -> str:
    """Running time as h:mm, the way a facilitator reads a plan: 0:00, 0:20, 1:05."""
    return f"{minutes // 60}:{minutes % 60:02d}"


@dataclass(frozen=True)
class Row:
    start: str  # running time from the start of the day, h:mm
    end: str
    session: Session
    number: int  # the activity's number in the module; 0 for a break


@dataclass(frozen=True)
class Day:
    number: int
    rows: list[Row]
    minutes: int

    @property
    def total(self) -> str:
        return clock(self.minutes)


@dataclass(frozen=True)
class Timetable:
    days: list[Day]

    @property
    def minutes(self) -> int:
        return sum(day.minutes for day in self.days)

    @property
    def total(self) -> str:
        return clock(self.minutes)

    @property
    def multi_day(self) -> bool:
        return len(self.days) > 1

    def row_for(self, session_id: str) -> Row:
        return next(row for day in self.days for row in day.rows if row.session.id == session_id)


def timetable(module: Module) -> Timetable:
    """Sessions grouped by day in the order written; the running time restarts each day."""
    by_day: dict[int, list[tuple[int, Session]]] = {}
    number = 0
    for session in module.sessions:
        number += session.kind != "break"
        by_day.setdefault(session.day, []).append(
            (number if session.kind != "break" else 0, session)
        )
    days = []
    for day_number in sorted(by_day):
        elapsed = 0
        rows = []
        for number, session in by_day[day_number]:
            rows.append(Row(clock(elapsed), clock(elapsed + session.minutes), session, number))
            elapsed += session.minutes
        days.append(Day(day_number, rows, elapsed))
    return Timetable(days)
