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


def parse_date(raw: str, field: str, row: int | None = None) -> date | Problem:
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        return Problem(
            field,
            _("'%(value)s' is not a date: write it as YYYY-MM-DD, like 2025-03-14.", value=raw),
            row,
        )


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
