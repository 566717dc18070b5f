"""Enrolling many participants at once: a CSV import, or codes pasted into the cohort's page.

The same rules as enrolling one (tracker.records.participants.enrol): a pseudonymous code,
consent given on a date that is not in the future. A code the organisation already has is
enrolled as it is; with another group or consent date it is a problem, never overwritten.
A code already in the cohort is left alone, so enrolling the same list twice changes nothing.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import insert, select

from tracker.db import db
from tracker.models import Cohort, Group, Membership, Participant, now
from tracker.problems import Problem
from tracker.records import audit
from tracker.records.bulk import table
from tracker.records.values import date_problems, parse_code

GROUP_LABELS = {
    Group.survivor: _l("Survivor"),
    Group.social_worker: _l("Social worker"),
    Group.other: _l("Other"),
}
# Pasted codes: one a line, or several on a line separated by commas (or a spreadsheet's
# tabs). Not spaces: a name typed by mistake is refused whole, not as two "codes".
PASTE_SEPARATORS = re.compile(r"[,;\t]")
PASTE_FIELD = "codes"


@dataclass(frozen=True)
class Enrolment:
    code: str
    group: Group
    consent_given_on: date


class Roll:
    """The organisation's participants and the cohort's members, read once, to check and
    enrol many codes with a few statements."""

    def __init__(self, cohort: Cohort) -> None:
        self.cohort = cohort
        # code -> (id, group, consent date)
        self.known: dict[str, tuple[int, Group, date]] = {
            code: (pid, group, consent_on)
            for pid, code, group, consent_on in db.session.execute(
                select(
                    Participant.id,
                    Participant.code,
                    Participant.group,
                    Participant.consent_given_on,
                ).where(Participant.organisation_id == cohort.organisation_id)
            )
        }
        self.members = set(
            db.session.scalars(
                select(Membership.participant_id).where(Membership.cohort_id == cohort.id)
            )
        )

    def check(
        self,
        raw_code: str,
        group: Group,
        consent_given_on: date | None,
        row: int | None = None,
        field: str = "participant_code",
    ) -> Enrolment | list[Problem]:
        code = parse_code(raw_code, field, row)
        problems = [code] if isinstance(code, Problem) else []
        problems += consent_problems(consent_given_on, row)
        if isinstance(code, Problem) or consent_given_on is None or problems:
            return problems
        stored = self.known.get(code)
        if stored is not None and stored[1:] != (group, consent_given_on):
            message = _(
                "%(code)s is already recorded in your organisation as %(group)s, consent "
                "given on %(date)s: enrolling does not change that. Write it the same way, "
                "or leave the code out.",
                code=code,
                group=GROUP_LABELS[stored[1]],
                date=stored[2].isoformat(),
            )
            return [Problem(field, message, row)]
        return Enrolment(code, group, consent_given_on)

    def write(self, chunk: list[Enrolment], tally: Counter[str]) -> None:
        """Create the new codes, enrol those not yet in the cohort (no commit)."""
        fresh = [e for e in chunk if e.code not in self.known]
        if fresh:
            participants = table(Participant)
            created = now()
            ids = db.session.scalars(
                insert(participants).returning(participants.c.id, sort_by_parameter_order=True),
                [
                    {
                        "organisation_id": self.cohort.organisation_id,
                        "code": e.code,
                        "group": e.group,
                        "consent_given_on": e.consent_given_on,
                        "created_at": created,
                    }
                    for e in fresh
                ],
            )
            for enrolment, pid in zip(fresh, ids, strict=True):
                self.known[enrolment.code] = (pid, enrolment.group, enrolment.consent_given_on)
        joining = sorted({self.known[e.code][0] for e in chunk} - self.members)
        if joining:
            rows = [{"cohort_id": self.cohort.id, "participant_id": pid} for pid in joining]
            db.session.execute(insert(table(Membership)), rows)
            self.members.update(joining)
        tally["new"] += len(joining)
        tally["unchanged"] += len(chunk) - len(joining)


def consent_problems(consent_given_on: date | None, row: int | None = None) -> list[Problem]:
    if consent_given_on is None:
        message = _(
            "Write the date consent was given: a participant is recorded only once "
            "they have given consent."
        )
        return [Problem("consent_given_on", message, row)]
    return date_problems(consent_given_on, "consent_given_on", row, not_after=date.today())


@dataclass(frozen=True)
class Enrolled:
    """What enrolling pasted codes did: how many joined the cohort, how many were in it."""

    new: int
    unchanged: int


def enrol_pasted(
    cohort: Cohort, text: str, group: Group, consent_given_on: date | None, max_codes: int
) -> Enrolled | list[Problem]:
    """Enrol every code pasted (one a line, or comma-separated), all or none; audited."""
    roll = Roll(cohort)
    problems: list[Problem] = []
    checked: list[Enrolment] = []
    first_line: dict[str, int] = {}
    for line, raw in _pasted(text):
        if len(first_line) >= max_codes:
            message = _("More than %(n)d codes: enrol them in several goes.", n=max_codes)
            problems.append(Problem(PASTE_FIELD, message))
            break
        found = roll.check(raw, group, consent_given_on, None, PASTE_FIELD)
        if isinstance(found, list):
            problems += [_on_line(line, p) for p in found if p.field == PASTE_FIELD]
            problems += [p for p in found if p.field != PASTE_FIELD and p not in problems]
            continue
        if found.code in first_line:
            message = _(
                "%(code)s is on line %(first)d and on line %(line)d.",
                code=found.code,
                first=first_line[found.code],
                line=line,
            )
            problems.append(Problem(PASTE_FIELD, message))
            continue
        first_line[found.code] = line
        checked.append(found)
    if not checked and not problems:
        problems.append(Problem(PASTE_FIELD, _("Paste at least one participant code.")))
    if problems:
        return problems
    tally: Counter[str] = Counter()
    roll.write(checked, tally)
    if tally["new"]:
        detail = f"{len(checked)} codes pasted: {tally['new']} enrolled"
        audit.record(
            "enrol", "participant", cohort.id, cohort.organisation_id, detail, cohort_id=cohort.id
        )
        db.session.commit()
    else:
        db.session.rollback()
    return Enrolled(tally["new"], tally["unchanged"])


def _pasted(text: str) -> list[tuple[int, str]]:
    return [
        (line, code)
        for line, content in enumerate(text.splitlines(), start=1)
        for code in map(str.strip, PASTE_SEPARATORS.split(content))
        if code
    ]


def _on_line(line: int, problem: Problem) -> Problem:
    message = _("Line %(line)d: %(problem)s", line=line, problem=problem.message)
    return Problem(problem.field, message)
