"""CSV import of the paper forms that come back in a stack: attendance, assessments,
evaluations, and lists of participants to enrol.

One template per kind. Every row is checked first; a problem is reported with its row number
(the header is row 1) and column, and if there is any, nothing of the file is written. The
same file imported again changes nothing, and the result says so (tracker.records.imports.running).
"""

from __future__ import annotations

from facilitator import csvlayout
from facilitator.model import Instrument
from tracker.models import Cohort

# Aliased: this package's own modules of the same names would shadow them.
from tracker.records import assessments as assessment_records
from tracker.records import evaluations as evaluation_records
from tracker.records.imports.assessments import AssessmentRows
from tracker.records.imports.attendance import AttendanceRows
from tracker.records.imports.evaluations import EvaluationRows
from tracker.records.imports.participants import ParticipantRows
from tracker.records.imports.reading import decode, header_row
from tracker.records.imports.running import ImportResult, run

__all__ = [
    "KINDS",
    "ImportResult",
    "decode",
    "import_assessments",
    "import_attendance",
    "import_evaluations",
    "import_participants",
    "template",
]

KINDS = ("attendance", "assessments", "evaluations", "participants")


def template(kind: str, reference: Instrument | None = None) -> str:
    """The header row of a kind's template (assessments: the instrument's items as columns)."""
    if kind == "attendance":
        return header_row(csvlayout.ATTENDANCE_COLUMNS)
    if kind == "assessments" and reference is not None:
        return header_row(csvlayout.assessment_columns(reference))
    if kind == "evaluations":
        return header_row(csvlayout.EVALUATION_COLUMNS)
    if kind == "participants":
        return header_row(csvlayout.PARTICIPANT_COLUMNS)
    raise ValueError(f"no template for {kind}")


def import_attendance(cohort: Cohort, text: str, max_rows: int) -> ImportResult:
    return run(AttendanceRows(cohort), text, max_rows, "attendance")


def import_assessments(
    cohort: Cohort, instrument_id: str, text: str, max_rows: int
) -> ImportResult:
    problems = assessment_records.check_instrument(cohort, instrument_id)
    if problems:
        return ImportResult(0, problems)
    return run(AssessmentRows(cohort, instrument_id), text, max_rows, instrument_id)


def import_evaluations(cohort: Cohort, form_id: str, text: str, max_rows: int) -> ImportResult:
    problems = evaluation_records.check_form(cohort, form_id)
    if problems:
        return ImportResult(0, problems)
    return run(EvaluationRows(cohort, form_id), text, max_rows, form_id)


def import_participants(cohort: Cohort, text: str, max_rows: int) -> ImportResult:
    return run(ParticipantRows(cohort), text, max_rows, "participants")
