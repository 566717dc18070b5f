"""A module's session plan as a timetable: running time from the start, per day.

Computed here, in Python, so the templates only loop over rows. A point in the day is a
running time, h:mm from the start (0:00, 0:20, 1:05), or a clock time where the facilitator
gave the day's start (9:30, 11:05); a length of time is written in words, "1 h 30 min", so
that nobody reads a 12-hour module as noon.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from facilitator.model import Module, Session


def clock(minutes: int) -> str:
    """Running time as h:mm, the way a facilitator reads a plan: 0:00, 0:20, 1:05."""
    return f"{minutes // 60}:{minutes % 60:02d}"


def time_of_day(minutes: int) -> str:
    """A clock time on the 24-hour clock, from minutes after midnight: 9:30, 14:05."""
    return f"{minutes // 60 % 24}:{minutes % 60:02d}"


class StartError(ValueError):
    """A start time that is not a time of day; the message says how to write one."""


def parse_start(text: str) -> int:
    """The day's start as minutes after midnight, from "9:30", "09:30" or "14:00"."""
    hours, colon, minutes = text.strip().partition(":")
    if not (colon and hours.isdigit() and minutes.isdigit() and len(minutes) == 2):
        raise StartError(f"the start time {text!r} is not a time of day: write it like 09:30")
    if int(hours) > 23 or int(minutes) > 59:
        raise StartError(f"the start time {text!r} is not a time of day: write it like 09:30")
    return int(hours) * 60 + int(minutes)


class Words(Protocol):
    def __getitem__(self, key: str, /) -> str: ...


@dataclass(frozen=True)
class DurationWords:
    """How a language writes a length of time; {n} is the number (labels.yaml)."""

    hour: str = "1 h"
    hours: str = "{n} h"
    minutes: str = "{n} min"

    @classmethod
    def from_labels(cls, labels: Words) -> DurationWords:
        """From a language's labels (a dict, or the templates' `L`); English where missing."""

        def word(key: str, default: str) -> str:
            try:
                return labels[key]
            except KeyError:
                return default

        english = cls()
        return cls(
            word("duration_hour", english.hour),
            word("duration_hours", english.hours),
            word("duration_minutes", english.minutes),
        )


def duration(minutes: int, words: DurationWords | None = None) -> str:
    """A length of time in words: 45 min, 1 h, 2 h 15 min (never 2:15, a time of day)."""
    words = words or DurationWords()
    hours, rest = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(words.hour if hours == 1 else words.hours.replace("{n}", str(hours)))
    if rest or not hours:
        parts.append(words.minutes.replace("{n}", str(rest)))
    return " ".join(parts)


@dataclass(frozen=True)
class Row:
    start: str  # running time from the start of the day, h:mm
    end: str
    session: Session
    number: int  # the activity's number in the module; 0 for a break
    offset: int = 0  # minutes from the start of the day, for a clock set in the browser
    at: str | None = None  # the clock time it starts, where the day's start is known
    until: str | None = None  # the clock time it ends


@dataclass(frozen=True)
class Day:
    number: int
    rows: list[Row]
    minutes: int
    words: DurationWords = field(default_factory=DurationWords)

    @property
    def total(self) -> str:
        """The day's length in words: 5 h 30 min."""
        return duration(self.minutes, self.words)


@dataclass(frozen=True)
class Timetable:
    days: list[Day]
    words: DurationWords = field(default_factory=DurationWords)
    start: int | None = None  # the day's start, minutes after midnight; None: not given

    @property
    def start_time(self) -> str | None:
        return None if self.start is None else time_of_day(self.start)

    @property
    def minutes(self) -> int:
        return sum(day.minutes for day in self.days)

    @property
    def total(self) -> str:
        """The module's length in words: 11 h 15 min."""
        return duration(self.minutes, self.words)

    @property
    def multi_day(self) -> bool:
        return len(self.days) > 1

    def row_for(self, session_id: str) -> Row:
        return next(row for day in self.days for row in day.rows if row.session.id == session_id)


def timetable(
    module: Module, words: DurationWords | None = None, start: int | None = None
) -> Timetable:
    """Sessions grouped by day in the order written; the running time restarts each day.
    `words`: how the page's language writes a length of time (English by default);
    `start`: when each day starts, minutes after midnight, for clock times (None: none)."""
    words = words or DurationWords()
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
            end = elapsed + session.minutes
            rows.append(
                Row(
                    clock(elapsed),
                    clock(end),
                    session,
                    number,
                    offset=elapsed,
                    at=None if start is None else time_of_day(start + elapsed),
                    until=None if start is None else time_of_day(start + end),
                )
            )
            elapsed = end
        days.append(Day(day_number, rows, elapsed, words))
    return Timetable(days, words, start)
