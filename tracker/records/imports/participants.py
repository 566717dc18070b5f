"""Participants from a list: a row per code, with the group and the date consent was given."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping

from flask_babel import gettext as _

from facilitator import csvlayout
from tracker.models import Cohort, Group
from tracker.problems import Problem
from tracker.records.enrolment import Enrolment, Roll, consent_problems
from tracker.records.imports.running import RowImporter
from tracker.records.values import parse_code, parse_date, parse_enum


class ParticipantRows(RowImporter[Enrolment]):
    entity = "participant"
    required = tuple(csvlayout.PARTICIPANT_COLUMNS)

    def __init__(self, cohort: Cohort) -> None:
        super().__init__(cohort)
        self.roll = Roll(cohort)

    def check(self, number: int, row: Mapping[str, str]) -> Enrolment | list[Problem]:
        code = parse_code(row["participant_code"], "participant_code", number)
        group = parse_enum(Group, row["group"], "group", number)
        consent_on = None
        if row["consent_given_on"]:
            consent_on = parse_date(row["consent_given_on"], "consent_given_on", number)
        if (
            isinstance(code, Problem)
            or isinstance(group, Problem)
            or isinstance(consent_on, Problem)
        ):
            problems = [v for v in (code, group, consent_on) if isinstance(v, Problem)]
            return problems + (consent_problems(None, number) if consent_on is None else [])
        return self.roll.check(code, group, consent_on, number)

    def key(self, entry: Enrolment) -> Hashable:
        return entry.code

    def duplicate(self, entry: Enrolment, first: int, number: int) -> Problem:
        message = _(
            "Row %(first)d has %(code)s already: one row per participant.",
            first=first,
            code=entry.code,
        )
        return Problem("participant_code", message, number)

    def write(self, chunk: list[Enrolment], tally: Counter[str]) -> None:
        self.roll.write(chunk, tally)
