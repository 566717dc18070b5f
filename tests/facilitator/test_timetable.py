"""Lengths of time on a plan: "1 h 30 min" in the page's language, never "1:30"."""

from __future__ import annotations

import pytest

from facilitator.timetable import DurationWords, clock, duration

HINDI = {"duration_hour": "1 घंटा", "duration_hours": "{n} घंटे", "duration_minutes": "{n} मिनट"}


@pytest.mark.parametrize(
    ("minutes", "written"),
    [
        (0, "0 min"),
        (20, "20 min"),
        (60, "1 h"),
        (90, "1 h 30 min"),
        (720, "12 h"),
        (2250, "37 h 30 min"),
        (3240, "54 h"),
    ],
)
def test_a_length_of_time_is_written_in_words(minutes: int, written: str) -> None:
    assert duration(minutes) == written
    assert ":" not in duration(minutes)


def test_each_language_writes_its_own_words_and_english_fills_the_gaps() -> None:
    hindi = DurationWords.from_labels(HINDI)
    assert [duration(m, hindi) for m in (45, 60, 150)] == ["45 मिनट", "1 घंटा", "2 घंटे 30 मिनट"]
    partial = DurationWords.from_labels({"duration_minutes": "{n} মিনিট"})
    assert duration(90, partial) == "1 h 30 মিনিট"


def test_a_point_in_the_day_stays_a_running_time() -> None:
    assert [clock(m) for m in (0, 35, 605)] == ["0:00", "0:35", "10:05"]
