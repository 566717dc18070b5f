"""The columns of the tracker's CSV import, in one place.

The paper forms print their data-entry grids from these, and the tracker's import reads and
offers templates with them, so what a clerk types from paper is what the import expects.
"""

from __future__ import annotations

from facilitator.model import EvaluationForm, Instrument

ATTENDANCE_COLUMNS = ("session_date", "module", "participant_code", "status")
ASSESSMENT_COLUMNS = ("participant_code", "timepoint", "answered_on")
# The paper form's serial number: a response is counted once. Optional when a file is read
# (files made before it existed have no such column); last, so the old header is a prefix.
EVALUATION_SERIAL = "serial"
EVALUATION_COLUMNS = ("participant_code", "answered_on", "choices", "other_text", EVALUATION_SERIAL)
# Bulk enrolment: one row per participant, consent given on that date.
PARTICIPANT_COLUMNS = ("participant_code", "group", "consent_given_on")
CHOICE_SEPARATOR = ";"
# What a facilitator writes in an attendance sheet's cell, and the status it stands for.
ATTENDANCE_MARKS = {"P": "present", "L": "late", "E": "excused", "A": "absent"}


def assessment_columns(instrument: Instrument) -> list[str]:
    """An instrument's import columns: who and when, then one column per item, in order."""
    return [*ASSESSMENT_COLUMNS, *(item.id for item in instrument.items)]


def evaluation_choices(form: EvaluationForm) -> list[str]:
    """The values the `choices` column takes: option ids (several joined by ';')."""
    return [option.id for option in form.options] + (["other"] if form.other else [])
