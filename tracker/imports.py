"""CSV import of the paper forms that come back in a stack: attendance, assessments, evaluations.

One template per kind. Every row is checked first; a problem is reported with its row number
(the header is row 1) and field, and if there is any, nothing of the file is written.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from facilitator import csvlayout
from tracker import audit, content
from tracker.db import db
from tracker.models import (
    AttendanceStatus,
    Cohort,
    Membership,
    Participant,
    Timepoint,
    TrainingSession,
)
from tracker.problems import Problem
from tracker.records import assessments, evaluations, sessions
from tracker.records.values import parse_code, parse_date, parse_enum

KINDS = ("attendance", "assessments", "evaluations")
# The columns are shared with the paper forms' data-entry grids (facilitator.csvlayout).
ATTENDANCE_COLUMNS = list(csvlayout.ATTENDANCE_COLUMNS)
ASSESSMENT_COLUMNS = list(csvlayout.ASSESSMENT_COLUMNS)
EVALUATION_COLUMNS = list(csvlayout.EVALUATION_COLUMNS)
CHOICE_SEPARATOR = csvlayout.CHOICE_SEPARATOR


@dataclass(frozen=True)
class ImportResult:
    rows: int
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return not self.problems


def template(kind: str, reference: Any | None = None) -> str:
    """The header row of a kind's template (assessments: the instrument's items as columns)."""
    if kind == "attendance":
        columns = ATTENDANCE_COLUMNS
    elif kind == "assessments" and reference is not None:
        columns = ASSESSMENT_COLUMNS + [item.id for item in reference.items]
    elif kind == "evaluations":
        columns = EVALUATION_COLUMNS
    else:
        raise ValueError(f"no template for {kind}")
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(columns)
    return buffer.getvalue()


def _rows(
    text: str, required: list[str], problems: list[Problem]
) -> Iterator[tuple[int, dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text))
    header = [name.strip() for name in (reader.fieldnames or [])]
    missing = [name for name in required if name not in header]
    if missing:
        problems += [Problem(name, "column missing from the header", 1) for name in missing]
        return
    reader.fieldnames = header
    for number, row in enumerate(reader, start=2):
        if None in row:
            problems.append(Problem("row", "more cells than the header has columns", number))
            continue
        cleaned = {key: (value or "").strip() for key, value in row.items()}
        if not any(cleaned.values()):
            continue  # a blank line in the stack
        yield number, cleaned


def decode(data: bytes) -> str | Problem:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return Problem("file", "the file is not UTF-8 text: save it as 'CSV UTF-8'", None)


def _members(cohort: Cohort) -> dict[str, int]:
    rows = db.session.execute(
        select(Participant.code, Participant.id)
        .join(Membership, Membership.participant_id == Participant.id)
        .where(Membership.cohort_id == cohort.id)
    )
    return {code: pid for code, pid in rows}


def _member(
    code_text: str, members: dict[str, int], row: int, problems: list[Problem]
) -> int | None:
    code = parse_code(code_text, "participant_code", row)
    if isinstance(code, Problem):
        problems.append(code)
        return None
    if code not in members:
        problems.append(Problem("participant_code", f"{code} is not in this cohort", row))
        return None
    return members[code]


def import_attendance(cohort: Cohort, text: str, max_rows: int) -> ImportResult:
    problems: list[Problem] = []
    members = _members(cohort)
    existing = {(s.held_on, s.module_id): s.id for s in sessions.sessions(cohort)}
    marks: dict[tuple[Any, str], dict[int, AttendanceStatus]] = {}
    count = 0
    for number, row in _rows(text, ATTENDANCE_COLUMNS, problems):
        count += 1
        if count > max_rows:
            problems.append(Problem("file", f"more than {max_rows} rows: split the file", number))
            break
        held_on = parse_date(row["session_date"], "session_date", number)
        module_problems = sessions.check_session(cohort, row["module"], number)
        for problem in module_problems:
            problems.append(Problem("module", problem.message, number))
        # a paper sheet's mark (P, L, E, A) is as good as the status's name
        mark = csvlayout.ATTENDANCE_MARKS.get(row["status"].strip().upper(), row["status"])
        status = parse_enum(AttendanceStatus, mark, "status", number)
        pid = _member(row["participant_code"], members, number, problems)
        for value in (held_on, status):
            if isinstance(value, Problem):
                problems.append(value)
        if (
            module_problems
            or pid is None
            or isinstance(held_on, Problem)
            or isinstance(status, Problem)
        ):
            continue
        key = (held_on, row["module"])
        if pid in marks.setdefault(key, {}):
            problems.append(Problem("participant_code", "marked twice for this session", number))
            continue
        marks[key][pid] = status

    def write() -> None:
        for (held_on, module_id), statuses in marks.items():
            session_id = existing.get((held_on, module_id))
            if session_id is None:
                created = TrainingSession(cohort_id=cohort.id, module_id=module_id, held_on=held_on)
                db.session.add(created)
                db.session.flush()
                session_id = created.id
            sessions.write_attendance(session_id, statuses)

    return _finish(cohort, "attendance", f"{count} rows", count, problems, write)


def import_assessments(
    cohort: Cohort, instrument_id: str, text: str, max_rows: int
) -> ImportResult:
    problems = assessments.check_instrument(cohort, instrument_id, None)
    if problems:
        return ImportResult(0, problems)
    instrument = content.content().instruments[instrument_id]
    members = _members(cohort)
    item_ids = [item.id for item in instrument.items]
    entries: list[tuple[int, assessments.AssessmentInput]] = []
    seen: set[tuple[int, Timepoint]] = set()
    count = 0
    reader_problems: list[Problem] = []
    for number, row in _rows(text, ASSESSMENT_COLUMNS, reader_problems):
        count += 1
        if count > max_rows:
            problems.append(Problem("file", f"more than {max_rows} rows: split the file", number))
            break
        pid = _member(row["participant_code"], members, number, problems)
        timepoint = parse_enum(Timepoint, row["timepoint"], "timepoint", number)
        answered_on = parse_date(row["answered_on"], "answered_on", number)
        extra = {k: v for k, v in row.items() if k not in ASSESSMENT_COLUMNS and k not in item_ids}
        problems += [Problem(k, "not an item of this instrument", number) for k in extra if k]
        answers = assessments.parse_answers(
            instrument, {k: v for k, v in row.items() if k in item_ids}, number
        )
        for value in (timepoint, answered_on):
            if isinstance(value, Problem):
                problems.append(value)
        if isinstance(answers, list):
            problems += answers
            continue
        if pid is None or isinstance(timepoint, Problem) or isinstance(answered_on, Problem):
            continue
        if (pid, timepoint) in seen:
            problems.append(Problem("participant_code", f"a second {timepoint.value} row", number))
            continue
        seen.add((pid, timepoint))
        entries.append(
            (
                cohort.id,
                assessments.AssessmentInput(pid, instrument_id, timepoint, answered_on, answers),
            )
        )
    problems = reader_problems + problems
    detail = f"{instrument_id}: {count} rows"
    return _finish(
        cohort, "assessment", detail, count, problems, lambda: assessments.write(entries)
    )


def import_evaluations(cohort: Cohort, form_id: str, text: str, max_rows: int) -> ImportResult:
    problems = evaluations.check_form(cohort, form_id)
    if problems:
        return ImportResult(0, problems)
    form = content.content().evaluation_forms[form_id]
    members = _members(cohort)
    entries: list[tuple[int, evaluations.EvaluationInput]] = []
    count = 0
    for number, row in _rows(text, EVALUATION_COLUMNS, problems):
        count += 1
        if count > max_rows:
            problems.append(Problem("file", f"more than {max_rows} rows: split the file", number))
            break
        pid = None
        if row["participant_code"]:
            pid = _member(row["participant_code"], members, number, problems)
            if pid is None:
                continue
        answered_on = parse_date(row["answered_on"], "answered_on", number)
        choices = [c.strip() for c in row["choices"].split(CHOICE_SEPARATOR) if c.strip()]
        choice_problems = evaluations.check_choices(form, choices, row["other_text"], number)
        problems += choice_problems
        if isinstance(answered_on, Problem):
            problems.append(answered_on)
            continue
        if not choice_problems:
            entries.append(
                (
                    cohort.id,
                    evaluations.EvaluationInput(
                        form_id, pid, answered_on, choices, row["other_text"]
                    ),
                )
            )
    detail = f"{form_id}: {count} rows"
    return _finish(
        cohort, "evaluation", detail, count, problems, lambda: evaluations.write(entries)
    )


def _finish(
    cohort: Cohort,
    kind: str,
    detail: str,
    count: int,
    problems: list[Problem],
    write: Callable[[], object],
) -> ImportResult:
    """All or nothing: with any problem nothing is written; else write, audit, commit once."""
    if not count and not problems:
        problems.append(Problem("file", "the file has a header but no rows", None))
    if problems:
        return ImportResult(count, problems)
    write()
    audit.record("import", kind, cohort.id, cohort.organisation_id, detail)
    db.session.commit()
    return ImportResult(count, [])
