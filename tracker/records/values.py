"""Parsing of the small values forms and CSV files carry: dates, codes, enums."""

from __future__ import annotations

import enum
import re
from datetime import date
from typing import TypeVar

from flask_babel import gettext as _

from tracker.problems import Problem

CODE_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9-]{1,39}$")

E = TypeVar("E", bound=enum.StrEnum)


# No record of these programmes is older than this, and none is dated past the century:
# 0001-01-01 and 9999-12-31 are typing slips, not dates.
EARLIEST = date(2000, 1, 1)
LATEST = date(2099, 12, 31)


def parse_date(raw: str, field: str, row: int | None = None) -> date | Problem:
    try:
        value = date.fromisoformat(raw.strip())
    except ValueError:
        return Problem(
            field,
            _("'%(value)s' is not a date: write it as YYYY-MM-DD, like 2025-03-14.", value=raw),
            row,
        )
    problems = date_problems(value, field, row)
    return problems[0] if problems else value


def parse_past_date(raw: str, field: str, row: int | None = None) -> date | Problem:
    """A day something happened (answered, consented, attended): not in the future."""
    value = parse_date(raw, field, row)
    if isinstance(value, Problem):
        return value
    problems = date_problems(value, field, row, not_after=date.today())
    return problems[0] if problems else value


def date_problems(
    value: date,
    field: str,
    row: int | None = None,
    *,
    not_before: date = EARLIEST,
    not_after: date = LATEST,
) -> list[Problem]:
    """A date within its bounds (for example: consent not in the future; a session within
    its cohort's dates), or the problem in words that say which bound it crossed."""
    if value < not_before:
        message = _("%(value)s is too early: the earliest possible is %(day)s.", value=value,
                    day=not_before)  # fmt: skip
        return [Problem(field, message, row)]
    if value > not_after:
        if not_after == date.today():
            message = _("%(value)s is in the future: write the day it happened.", value=value)
        else:
            message = _("%(value)s is too late: the latest possible is %(day)s.", value=value,
                        day=not_after)  # fmt: skip
        return [Problem(field, message, row)]
    return []


def parse_enum(kind: type[E], raw: str, field: str, row: int | None = None) -> E | Problem:
    value = raw.strip().lower().replace("-", "_").replace(" ", "_")
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(member.value for member in kind)
        return Problem(
            field, _("'%(value)s' is not one of: %(allowed)s.", value=raw, allowed=allowed), row
        )


def parse_code(raw: str, field: str = "code", row: int | None = None) -> str | Problem:
    """A pseudonymous participant code such as SUR-014: never a name, so a digit is required."""
    code = raw.strip().upper()
    if not CODE_PATTERN.match(code) or not any(ch.isdigit() for ch in code):
        return Problem(
            field,
            _(
                "'%(value)s' is not a participant code: use letters, digits and hyphens with "
                "at least one digit, such as SUR-014 (never a name).",
                value=raw,
            ),
            row,
        )
    return code
