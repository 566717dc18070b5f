"""What a business record must be, for the forms and the CSV import alike: each raw value
read into a value or a Problem naming its field (and row), then the rules across fields.

Field names are the CSV columns and the form fields both (`business_kind`, `taken_on`...),
so a problem finds its visible label on either page.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _

from facilitator.business_model import OTHER
from tracker.access.edge import CONTROL
from tracker.businesses import vocabulary
from tracker.businesses.models import MoneyKind, Stage
from tracker.problems import Problem
from tracker.records.values import parse_code, parse_enum, parse_past_date

AMOUNT_MAX = 10_000_000  # rupees: more than any micro-business disbursement; a typing slip
OTHER_RISK_MAX = 200
NEXT_STEPS_MAX = 1000
LIST_SEPARATORS = re.compile(r"[;,\s]+")
YES = {"yes", "y", "1", "true", "running"}
NO = {"no", "n", "0", "false", "not running", "not_running"}


@dataclass(frozen=True)
class BusinessInput:
    kind: str
    started_on: date
    group_business: bool
    partner_codes: tuple[str, ...] = ()


@dataclass(frozen=True)
class StocktakingInput:
    taken_on: date
    stage: Stage
    running: bool
    risks: tuple[str, ...] = ()
    other_risk: str | None = None
    next_steps: str | None = None


@dataclass(frozen=True)
class DisbursementInput:
    paid_on: date
    amount: int
    kind: MoneyKind
    source: str


# ---------------------------------------------------------------- one value


def _choice(raw: str, known: Mapping[str, str], field: str, row: int | None) -> str | Problem:
    value = raw.strip().lower().replace(" ", "-").replace("_", "-")
    if value in known:
        return value
    allowed = ", ".join(known)
    message = _(
        "'%(value)s' is not on the list: use one of %(allowed)s.", value=raw, allowed=allowed
    )
    return Problem(field, message, row)


def parse_kind(raw: str, row: int | None = None) -> str | Problem:
    return _choice(raw, vocabulary.kinds(), "business_kind", row)


def parse_source(raw: str, row: int | None = None) -> str | Problem:
    return _choice(raw, vocabulary.sources(), "paid_by", row)


def parse_risks(raw: str, row: int | None = None) -> tuple[str, ...] | Problem:
    found: list[str] = []
    for part in (p for p in raw.split(";") if p.strip()):
        risk = _choice(part, vocabulary.risks(), "risks", row)
        if isinstance(risk, Problem):
            return risk
        if risk not in found:
            found.append(risk)
    return tuple(found)


def parse_partner_codes(raw: str, row: int | None = None) -> tuple[str, ...] | Problem:
    codes: list[str] = []
    for part in (p for p in LIST_SEPARATORS.split(raw) if p):
        code = parse_code(part, "partner_codes", row)
        if isinstance(code, Problem):
            return code
        if code not in codes:
            codes.append(code)
    return tuple(codes)


def parse_yes_no(raw: str, field: str, row: int | None = None) -> bool | Problem:
    value = raw.strip().lower()
    if value in YES:
        return True
    if value in NO:
        return False
    return Problem(field, _("Write yes or no."), row)


def parse_stage(raw: str, row: int | None = None) -> Stage | Problem:
    return parse_enum(Stage, raw, "stage", row)


def parse_money_kind(raw: str, row: int | None = None) -> MoneyKind | Problem:
    return parse_enum(MoneyKind, raw, "money_kind", row)


def parse_amount(raw: str, row: int | None = None) -> int | Problem:
    """Whole rupees, such as 8000, 8,000 or ₹8000; Bengali and Devanagari digits too."""
    text = unicodedata.normalize("NFKC", raw).strip()
    for mark in ("₹", "rs.", "rs", "inr"):
        text = text.lower().removeprefix(mark).strip()
    text = text.replace(",", "").replace(" ", "")
    # isdecimal, not isdigit: '²' is a digit to Python but no number to int().
    if not text or not text.isdecimal() or len(text) > 12:
        return Problem("amount", _("Write the amount in whole rupees, such as 8000."), row)
    amount = int(text)
    if not 0 < amount <= AMOUNT_MAX:
        largest = f"{AMOUNT_MAX:,}"
        message = _("The amount must be between 1 and %(max)s rupees.", max=largest)
        return Problem("amount", message, row)
    return amount


def parse_day(raw: str, field: str, row: int | None = None) -> date | Problem:
    return parse_past_date(raw, field, row)


# ---------------------------------------------------------------- across fields


def business_problems(
    data: BusinessInput, owner_code: str, members: Mapping[str, int], row: int | None = None
) -> list[Problem]:
    """A business's own rules; `members`: the cohort's codes, where partners must be."""
    problems: list[Problem] = []
    if data.partner_codes and not data.group_business:
        message = _(
            "Partners are named only for a group business: mark it as one, or leave "
            "the partner codes empty."
        )
        problems.append(Problem("partner_codes", message, row))
    for code in data.partner_codes:
        if code == owner_code:
            message = _(
                "%(code)s is the owner of this business: name only the other partners.", code=code
            )
            problems.append(Problem("partner_codes", message, row))
        elif code not in members:
            message = _(
                "%(code)s is not in this cohort: partners are named by the codes of this cohort.",
                code=code,
            )
            problems.append(Problem("partner_codes", message, row))
    return problems


def stocktaking_problems(
    data: StocktakingInput, started_on: date, row: int | None = None
) -> list[Problem]:
    problems: list[Problem] = []
    if data.taken_on < started_on:
        message = _(
            "The stocktaking is dated before the business started (%(day)s).", day=started_on
        )
        problems.append(Problem("taken_on", message, row))
    if data.stage is Stage.closed and data.running:
        message = _(
            "A closed business is not running: choose another stage, or mark it as not running."
        )
        problems.append(Problem("running", message, row))
    if data.other_risk and len(data.other_risk) > OTHER_RISK_MAX:
        message = _("Keep the other risk under %(n)s characters.", n=OTHER_RISK_MAX)
        problems.append(Problem("other_risk", message, row))
    if data.next_steps and len(data.next_steps) > NEXT_STEPS_MAX:
        message = _("Keep the next steps under %(n)s characters.", n=NEXT_STEPS_MAX)
        problems.append(Problem("next_steps", message, row))
    return problems


def with_other(risks: tuple[str, ...], other_risk: str | None) -> tuple[str, ...]:
    """Words for another risk mean the risk "other" was met, ticked or not."""
    if other_risk and OTHER in vocabulary.risks() and OTHER not in risks:
        return (*risks, OTHER)
    return risks


def clean_text(raw: str | None) -> str | None:
    text = (raw or "").strip()
    return text or None


def parse_words(raw: str | None, field: str, row: int | None = None) -> str | Problem | None:
    """A facilitator's own words (another risk, next steps), or None when empty. A file can
    carry characters no form can (a NUL byte, which PostgreSQL refuses to store)."""
    if raw and CONTROL.search(raw):
        message = _("This cell holds invisible control characters: type the words again.")
        return Problem(field, message, row)
    return clean_text(raw)
