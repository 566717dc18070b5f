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
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from facilitator.scorecard_model import CSV_OPTIONAL, CSV_SERIAL, Scorecard, csv_columns
from tracker.db import db
from tracker.problems import Problem
from tracker.records import audit
from tracker.records.imports.reading import Problems, header_row, read_header, rows
from tracker.records.imports.running import ImportResult
from tracker.scorecards import records
from tracker.scorecards.models import Collective, ScorecardAnswer, ScorecardRound

SERIAL = CSV_SERIAL
CHUNK = 2000


def template(scorecard: Scorecard) -> str:
    return header_row(csv_columns(scorecard))


@dataclass
class Rows:
    """What one file holds, checked row by row against the scorecard."""

    scorecard: Scorecard
    collective: Collective

    def __post_init__(self) -> None:
        self.districts, self.blocks = records.places(self.collective)

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


def import_rounds(
    scorecard: Scorecard, collective: Collective, text: str, max_rows: int
) -> ImportResult:
    problems = Problems()
    required = [c for c in csv_columns(scorecard) if c not in CSV_OPTIONAL]
    header = read_header(text, required, problems)
    if header is None:
        return ImportResult(0, problems.all())
    known = set(csv_columns(scorecard))
    unknown = [name for name in header if name and name not in known]
    problems.add(
        *(
            Problem(name, _("This column is not on the scorecard: remove it."), 1)
            for name in unknown
        )
    )
    checker = Rows(scorecard, collective)
    entries, count = _checked(checker, text, header, max_rows, problems)
    if not count and not problems:
        problems.add(Problem("file", _("The file has a header but no rows.")))
    if problems:
        return ImportResult(count, problems.all())
    tally: Counter[str] = Counter()
    try:
        for start in range(0, len(entries), CHUNK):
            _write(collective, entries[start : start + CHUNK], tally)
    except IntegrityError:  # someone saved the same sheets meanwhile
        db.session.rollback()
        message = _("These records were changed by someone else meanwhile: import the file again.")
        return ImportResult(count, [Problem("file", message)])
    result = ImportResult(count, [], tally["new"], tally["changed"], tally["unchanged"])
    if result.nothing_changed:
        db.session.rollback()
        return result
    said = f"{count} rows, {result.new} new, {result.changed} changed"
    audit.record("import", "scorecard_round", collective.id, collective.organisation_id, said)
    db.session.commit()
    return result


def _checked(
    checker: Rows, text: str, header: list[str], max_rows: int, problems: Problems
) -> tuple[list[records.RoundInput], int]:
    """Every row checked; rows that are one sheet given twice named with both numbers.
    Scorecard files are small (a collective's sheets), so the checked rows are kept."""
    seen: dict[str, int] = {}
    entries: list[records.RoundInput] = []
    count = 0
    for number, row in rows(text, header, problems):
        count += 1
        if count > max_rows:
            message = _(
                "The file has more than %(n)d rows: split it into smaller files.", n=max_rows
            )
            problems.add(Problem("file", message, number))
            break
        entry = checker.check(number, row)
        if isinstance(entry, list):
            problems.add(*entry)
            continue
        key = entry.round_key or ""
        first = seen.setdefault(key, number)
        if first != number:
            problems.add(checker.duplicate(entry, first, number))
        entries.append(entry)
    return entries, count


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
