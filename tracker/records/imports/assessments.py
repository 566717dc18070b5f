"""Self-assessment answers from paper: a row per participant and timepoint, a column per item."""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Hashable, Mapping
from typing import cast

from flask_babel import gettext as _

from facilitator import csvlayout
from facilitator.model import Instrument
from tracker import content
from tracker.models import Cohort, Timepoint
from tracker.problems import Problem
from tracker.records import assessments
from tracker.records.assessments import NO, YES
from tracker.records.imports.running import RowImporter, cohort_codes, member
from tracker.records.values import parse_enum, parse_past_date

Entry = tuple[int, assessments.AssessmentInput]
TIMEPOINTS = {timepoint.value: timepoint for timepoint in Timepoint}
UNREAD = object()  # a cell that is not one of the usual ways of writing an answer
UNREADABLE = itertools.repeat(UNREAD)


class AssessmentRows(RowImporter[Entry]):
    entity = "assessment"
    required = tuple(csvlayout.ASSESSMENT_COLUMNS)

    def __init__(self, cohort: Cohort, instrument_id: str) -> None:
        super().__init__(cohort)
        self.instrument = content.content().instruments[instrument_id]
        self.item_ids = [item.id for item in self.instrument.items]
        self.members = cohort_codes(cohort)
        self.readings = _readings(self.instrument)

    def check_header(self, header: list[str]) -> list[Problem]:
        known = {*self.required, *self.item_ids}
        self.present = [item_id for item_id in self.item_ids if item_id in header]
        message = _("This column is not an item of this questionnaire.")
        return [Problem(name, message, 1) for name in header if name and name not in known]

    def check(self, number: int, row: Mapping[str, str]) -> Entry | list[Problem]:
        pid = member(row["participant_code"], self.members, number)
        timepoint = TIMEPOINTS.get(row["timepoint"]) or parse_enum(
            Timepoint, row["timepoint"], "timepoint", number
        )
        answered_on = parse_past_date(row["answered_on"], "answered_on", number)
        answers = self._answers(row, number)
        if (
            isinstance(pid, Problem)
            or isinstance(timepoint, Problem)
            or isinstance(answered_on, Problem)
            or isinstance(answers, list)
        ):
            problems = [v for v in (pid, timepoint, answered_on) if isinstance(v, Problem)]
            return problems + (answers if isinstance(answers, list) else [])
        data = assessments.AssessmentInput(pid, self.instrument.id, timepoint, answered_on, answers)
        return (self.cohort.id, data)

    def _answers(self, row: Mapping[str, str], number: int) -> dict[str, int] | list[Problem]:
        """The row's answers. A hundred thousand rows of twenty items: each cell is looked up
        among the ways a valid answer is written; parse_answers names the problems if not."""
        values = list(map(self.readings.get, map(row.__getitem__, self.present), UNREADABLE))
        if UNREAD not in values:
            if None not in values:
                return dict(zip(self.present, cast(list[int], values), strict=True))
            answers = {i: v for i, v in zip(self.present, values, strict=True) if v is not None}
            if answers:
                return cast(dict[str, int], answers)
        raw = {item: row[item] for item in self.present}
        return assessments.parse_answers(self.instrument, raw, number)

    def key(self, entry: Entry) -> Hashable:
        return (entry[1].participant_id, entry[1].timepoint)

    def duplicate(self, entry: Entry, first: int, number: int) -> Problem:
        message = _(
            "Row %(first)d already has this participant's %(timepoint)s answers: "
            "one row per participant and timepoint.",
            first=first,
            timepoint=entry[1].timepoint.value,
        )
        return Problem("participant_code", message, number)

    def write(self, chunk: list[Entry], tally: Counter[str]) -> None:
        assessments.write(chunk, tally)


def _readings(instrument: Instrument) -> dict[str, int | None]:
    """Every way a valid answer is commonly written, and its value as parse_answers reads
    it; an empty cell is a pass (None)."""
    readings: dict[str, int | None] = {"": None}
    readings |= {str(value): value for value in assessments.allowed_values(instrument)}
    if instrument.kind == "yes_no":
        for word, value in (("yes", YES), ("y", YES), ("no", NO), ("n", NO)):
            readings |= dict.fromkeys((word, word.upper(), word.capitalize()), value)
    return readings
