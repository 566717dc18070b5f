"""Periods: the quarters a collective's ratings are counted and published by."""

from __future__ import annotations

import re
from datetime import date

from flask_babel import format_date

PERIOD = re.compile(r"^(?P<year>\d{4})-Q(?P<quarter>[1-4])$")


def period_of(day: date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def parse_period(text: str | None) -> str | None:
    """A period as written in a URL (2025-Q3), or None for anything else."""
    match = PERIOD.match(text or "")
    if match is None or not 2000 <= int(match["year"]) <= 2099:
        return None
    return match.group(0)


def bounds(period: str) -> tuple[date, date]:
    """The first and the last day of a period."""
    year, quarter = int(period[:4]), int(period[-1])
    first = date(year, 3 * quarter - 2, 1)
    last = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
    return first, date.fromordinal(last.toordinal() - 1)


def previous(period: str) -> str:
    year, quarter = int(period[:4]), int(period[-1])
    return f"{year - 1}-Q4" if quarter == 1 else f"{year}-Q{quarter - 1}"


def label(period: str) -> str:
    """The period in words of the interface language, such as 'July – September 2025'."""
    first, last = bounds(period)
    return f"{format_date(first, 'MMMM')} – {format_date(last, 'MMMM y')}"
