"""Evaluation forms from paper ('the three most useful skills'), each counted once.

A row's response key is the paper form's serial number (the optional `serial` column), else
a hash of the row itself. Two rows with the same key are one form typed twice; two different
forms with the same answers and no serial number cannot be told apart, so they are refused
with a request to number the forms.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping

from flask_babel import gettext as _

from facilitator import csvlayout
from tracker import content
from tracker.models import Cohort
from tracker.problems import Problem
from tracker.records import evaluations
from tracker.records.imports.running import RowImporter, cohort_codes, member
from tracker.records.values import parse_past_date

Entry = tuple[int, evaluations.EvaluationInput]
SERIAL = csvlayout.EVALUATION_SERIAL
SERIAL_MAX = 40  # shorter than a hash (64), so a key says which it is


class EvaluationRows(RowImporter[Entry]):
    entity = "evaluation"
    required = tuple(c for c in csvlayout.EVALUATION_COLUMNS if c != SERIAL)

    def __init__(self, cohort: Cohort, form_id: str) -> None:
        super().__init__(cohort)
        self.form = content.content().evaluation_forms[form_id]
        self.members = cohort_codes(cohort)

    def check(self, number: int, row: Mapping[str, str]) -> Entry | list[Problem]:
        problems: list[Problem] = []
        pid = (
            member(row["participant_code"], self.members, number)
            if row["participant_code"]
            else None
        )
        answered_on = parse_past_date(row["answered_on"], "answered_on", number)
        separator = csvlayout.CHOICE_SEPARATOR
        choices = [c.strip() for c in row["choices"].split(separator) if c.strip()]
        problems += evaluations.check_choices(self.form, choices, row["other_text"], number)
        serial = row.get(SERIAL, "")
        if len(serial) > SERIAL_MAX:
            message = _("A serial number has at most %(n)d characters.", n=SERIAL_MAX)
            problems.append(Problem(SERIAL, message, number))
        if isinstance(pid, Problem) or isinstance(answered_on, Problem) or problems:
            return [v for v in (pid, answered_on) if isinstance(v, Problem)] + problems
        code = row["participant_code"].strip().upper() if pid is not None else ""
        key = serial or evaluations.response_key(code, answered_on, choices, row["other_text"])
        data = evaluations.EvaluationInput(
            self.form.id, pid, answered_on, choices, row["other_text"], key
        )
        return (self.cohort.id, data)

    def key(self, entry: Entry) -> Hashable:
        return entry[1].response_key

    def duplicate(self, entry: Entry, first: int, number: int) -> Problem:
        if len(entry[1].response_key or "") > SERIAL_MAX:  # a hash: the row had no serial
            message = _(
                "Row %(first)d has exactly the same answers. If these are two different forms, "
                "number the forms and write each form's number in the serial column.",
                first=first,
            )
            return Problem(SERIAL, message, number)
        message = _(
            "Row %(first)d has the same serial number: each form has a number of its own.",
            first=first,
        )
        return Problem(SERIAL, message, number)

    def write(self, chunk: list[Entry], tally: Counter[str]) -> None:
        evaluations.write(chunk, tally)
