"""CSV import of scorecard sheets: all or nothing, counted once, errors by row and column.

One row per sheet: the date, the district and block, the kind of office and the service
asked for (ids from curriculum/scorecard.yaml), the outcome and days waited if known, and
one column per question holding good, okay or bad (blank: not answered). A row's key is the
sheet's number (the optional `serial` column), else a hash of the row, so importing the
same file twice changes nothing. Every row is checked before anything is written.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from facilitator.scorecard_model import CSV_OPTIONAL, CSV_SERIAL, Scorecard, csv_columns
from tracker.db import db
from tracker.problems import Problem
from tracker.records import audit
from tracker.records.imports.reading import header_row
from tracker.records.imports.running import ImportResult, RowImporter, run
from tracker.scorecards import records
from tracker.scorecards.models import Collective, ScorecardAnswer, ScorecardRound

SERIAL = CSV_SERIAL


def template(scorecard: Scorecard) -> str:
    return header_row(csv_columns(scorecard))


class Rows(RowImporter[records.RoundInput]):
    """What one file holds, checked row by row against the scorecard. The file is read
    twice (checked, then written); a place first written in the file is kept from the
    first reading, so both readings spell it the same way."""

    entity = "scorecard_round"

    def __init__(self, scorecard: Scorecard, collective: Collective) -> None:
        # A collective's import, not a cohort's: RowImporter's cohort is never set.
        self.scorecard = scorecard
        self.collective = collective
        self.required = tuple(c for c in csv_columns(scorecard) if c not in CSV_OPTIONAL)
        self.districts, self.blocks = records.places(collective)

    def check_header(self, header: list[str]) -> list[Problem]:
        known = set(csv_columns(self.scorecard))
        return [
            Problem(name, _("This column is not on the scorecard: remove it."), 1)
            for name in header
            if name and name not in known
        ]

    def check(self, number: int, row: Mapping[str, str]) -> records.RoundInput | list[Problem]:
        problems: list[Problem] = []
        held_on = records.parse_held_on(row["held_on"], number)
        outcome = records.parse_outcome(row.get("outcome", ""), number)
        days = records.parse_days(row.get("days_waited", ""), number)
        problems += [v for v in (held_on, outcome, days) if isinstance(v, Problem)]
        answers = {
            question.id: row[question.id].strip().lower()
            for question in self.scorecard.questions
            if row.get(question.id, "").strip()
        }
        serial = row.get(SERIAL, "").strip()
        if len(serial) > records.SERIAL_MAX:
            message = _("A sheet number has at most %(n)d characters.", n=records.SERIAL_MAX)
            problems.append(Problem(SERIAL, message, number))
        # Every problem of the row at once: the rest is checked even when a value is unreadable.
        data = records.RoundInput(
            held_on if not isinstance(held_on, Problem) else date.today(),
            row["district"],
            row["block"],
            row["duty_bearer"].strip(),
            row["service"].strip(),
            outcome if not isinstance(outcome, Problem) else None,
            days if not isinstance(days, Problem) else None,
            answers,
            serial or None,
        )
        problems += records.check(self.scorecard, data, number)
        if problems:
            return problems
        data = records.canonical(data, self.districts, self.blocks)
        # A place first written in this file is how the rest of the file writes it too.
        for known, name in ((self.districts, data.district), (self.blocks, data.block)):
            if name not in known:
                known.append(name)
        return records.RoundInput(**{**vars(data), "round_key": serial or records.row_key(data)})

    def key(self, entry: records.RoundInput) -> str:
        return entry.round_key or ""

    def duplicate(self, data: records.RoundInput, first: int, number: int) -> Problem:
        if len(data.round_key or "") > records.SERIAL_MAX:  # a hash: the row had no number
            message = _(
                "Row %(first)d has exactly the same answers. If these are two different sheets, "
                "number the sheets and write each sheet's number in the serial column.",
                first=first,
            )
        else:
            message = _(
                "Row %(first)d has the same sheet number: each sheet has a number of its own.",
                first=first,
            )
        return Problem(SERIAL, message, number)

    def write(self, chunk: list[records.RoundInput], tally: Counter[str]) -> None:
        _write(self.collective, chunk, tally)

    def audited(self, detail: str, counts: str) -> None:
        # Under the collective, and said as it always was: no kind of file to name.
        collective = self.collective
        audit.record("import", self.entity, collective.id, collective.organisation_id, counts)


def import_rounds(
    scorecard: Scorecard, collective: Collective, text: str, max_rows: int
) -> ImportResult:
    return run(Rows(scorecard, collective), text, max_rows, "scorecard sheets")


def _write(collective: Collective, chunk: list[records.RoundInput], tally: Counter[str]) -> None:
    """Rows stored as they are stay untouched; rows that differ are changed in place (same
    id, version bumped); others are new. No commit."""
    keys = [data.round_key for data in chunk if data.round_key]
    stored = {
        found.round_key: found
        for found in db.session.scalars(
            select(ScorecardRound).where(
                ScorecardRound.collective_id == collective.id, ScorecardRound.round_key.in_(keys)
            )
        )
    }
    answers = records.answers_of([found.id for found in stored.values()])
    for data in chunk:
        found = stored.get(data.round_key)
        if found is None:
            found = ScorecardRound(collective_id=collective.id, round_key=data.round_key)
            _fill(found, data)
            db.session.add(found)
            db.session.flush()
            db.session.add_all(
                ScorecardAnswer(round_id=found.id, question_id=q, face=f)
                for q, f in data.answers.items()
            )
            tally["new"] += 1
        elif records.input_of(found, answers[found.id]) == data:
            tally["unchanged"] += 1
        else:
            _fill(found, data)
            found.version += 1
            records.replace_answers(found.id, data.answers)
            tally["changed"] += 1
    db.session.flush()


def _fill(found: ScorecardRound, data: records.RoundInput) -> None:
    found.held_on = data.held_on
    found.district = data.district
    found.block = data.block
    found.duty_bearer = data.duty_bearer
    found.service = data.service
    found.outcome = data.outcome
    found.days_waited = data.days_waited
