"""The answer form of one participant's response: saved only if it is still the version the
page was based on, an item cleared back to "passed" removed, a response with every item
passed deleted (passing is everyone's right: nothing of hers stays recorded)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, cast

from flask_babel import gettext as _
from sqlalchemy import CursorResult, update
from sqlalchemy.exc import IntegrityError

from tracker.db import db
from tracker.models import AssessmentResponse, Cohort
from tracker.problems import Problem
from tracker.records import assessments, audit, removals
from tracker.records.assessments import AssessmentInput


@dataclass(frozen=True)
class AnswerChange:
    item_id: str
    shown: int | None  # what her page showed (None: passed)
    now: int | None


@dataclass(frozen=True)
class AnswerConflict:
    """Someone saved or deleted this response after the page was opened."""

    version: int  # 0: there is no response now
    changes: list[AnswerChange]
    now: dict[str, int]


@dataclass(frozen=True)
class Removed:
    """Every item was passed: the response went."""

    answers: int


def version_of(response: AssessmentResponse | None) -> int:
    return response.version if response is not None else 0


def save_form(
    cohort: Cohort,
    data: AssessmentInput,
    shown: Mapping[str, int | None],
    base_version: int,
) -> int | Removed | AnswerConflict | list[Problem]:
    """Save her answers if the response is still at `base_version` (0: there was none).
    `data.answers` without an item clears it; with no item at all, the response goes."""
    problems = assessments.check_instrument(cohort, data.instrument_id)
    if problems:
        return problems
    key = (cohort.id, data.participant_id, data.instrument_id, data.timepoint)
    current = removals.assessment_response(*key)
    if not _claim(current, base_version):
        db.session.rollback()
        return conflict(cohort, data, shown)
    if not data.answers:
        if current is None:
            return [Problem("answers", _("Every item is passed: there is nothing to save."))]
        answers = removals.drop_assessment(current, cohort.organisation_id)
        db.session.commit()
        return Removed(answers)
    try:
        response_id = assessments.write([(cohort.id, data)])[0]
        # write() may replace the row: the new one carries the next version all the same.
        db.session.execute(
            update(AssessmentResponse)
            .where(AssessmentResponse.id == response_id)
            .values(version=base_version + 1)
            .execution_options(synchronize_session=False)
        )
        audit.record(
            "record",
            "assessment",
            response_id,
            cohort.organisation_id,
            f"{data.instrument_id} {data.timepoint.value}",
            cohort_id=cohort.id,
        )
        db.session.commit()
    except IntegrityError:  # someone made the response while we were writing ours
        db.session.rollback()
        return conflict(cohort, data, shown)
    return response_id


def _claim(current: AssessmentResponse | None, base_version: int) -> bool:
    """Bump the response's version if it is still `base_version`: one conditional UPDATE, so
    of two saves based on the same version exactly one goes through."""
    if current is None:
        return base_version == 0
    bumped = db.session.execute(
        update(AssessmentResponse)
        .where(AssessmentResponse.id == current.id, AssessmentResponse.version == base_version)
        .values(version=AssessmentResponse.version + 1)
        .execution_options(synchronize_session=False)
    )
    return cast(CursorResult[Any], bumped).rowcount == 1


def conflict(
    cohort: Cohort, data: AssessmentInput, shown: Mapping[str, int | None]
) -> AnswerConflict:
    key = (cohort.id, data.participant_id, data.instrument_id, data.timepoint)
    now = assessments.existing_answers(*key)
    current = removals.assessment_response(*key)
    items = list(dict.fromkeys([*shown, *now]))
    changes = [
        AnswerChange(item, shown.get(item), now.get(item))
        for item in items
        if shown.get(item) != now.get(item)
    ]
    return AnswerConflict(version_of(current), changes, now)
