"""Evaluation responses: 'the three most useful lessons or skills learnt' and the like."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import insert

from tracker import audit, content
from tracker.db import db
from tracker.models import OTHER_OPTION, Cohort, EvaluationResponse
from tracker.problems import Problem


@dataclass(frozen=True)
class EvaluationInput:
    form_id: str
    participant_id: int | None
    answered_on: date
    choices: list[str]
    other_text: str | None


def check_form(cohort: Cohort, form_id: str, row: int | None = None) -> list[Problem]:
    if form_id not in content.programme_forms(cohort.programme_id):
        return [Problem("form", f"'{form_id}' is not an evaluation form of this programme", row)]
    return []


def check_choices(
    form: Any, choices: Sequence[str], other_text: str | None, row: int | None = None
) -> list[Problem]:
    problems: list[Problem] = []
    known = {option.id for option in form.options}
    if form.other:
        known.add(OTHER_OPTION)
    unknown = [choice for choice in choices if choice not in known]
    problems += [Problem("choices", f"'{c}' is not an option of this form", row) for c in unknown]
    if len(set(choices)) != len(choices):
        problems.append(Problem("choices", "an option is chosen twice", row))
    if not choices:
        problems.append(Problem("choices", "choose at least one option", row))
    if len(set(choices)) > form.choose_up_to:
        problems.append(Problem("choices", f"choose at most {form.choose_up_to} options", row))
    if OTHER_OPTION in choices and not (other_text or "").strip():
        problems.append(Problem("other_text", "say what the 'other' answer is", row))
    if OTHER_OPTION not in choices and (other_text or "").strip():
        problems.append(Problem("other_text", "text given but 'other' is not chosen", row))
    return problems


def save(cohort: Cohort, data: EvaluationInput) -> int | list[Problem]:
    problems = check_form(cohort, data.form_id)
    if not problems:
        form = content.content().evaluation_forms[data.form_id]
        problems = check_choices(form, data.choices, data.other_text)
    if problems:
        return problems
    response_id = write([(cohort.id, data)])[0]
    audit.record("record", "evaluation", response_id, cohort.organisation_id, data.form_id)
    db.session.commit()
    return response_id


def write(entries: list[tuple[int, EvaluationInput]]) -> list[int]:
    """Insert responses and their choices in bulk; no commit."""
    from tracker.models import EvaluationChoice, now

    if not entries:
        return []
    created = now()
    ids = list(
        db.session.scalars(
            insert(EvaluationResponse).returning(
                EvaluationResponse.id, sort_by_parameter_order=True
            ),
            [
                {
                    "cohort_id": cohort_id,
                    "form_id": data.form_id,
                    "participant_id": data.participant_id,
                    "answered_on": data.answered_on,
                    "other_text": (data.other_text or "").strip() or None,
                    "created_at": created,
                }
                for cohort_id, data in entries
            ],
        )
    )
    choice_rows = [
        {"response_id": response_id, "option_id": choice}
        for response_id, (_, data) in zip(ids, entries, strict=True)
        for choice in data.choices
    ]
    if choice_rows:
        db.session.execute(insert(EvaluationChoice), choice_rows)
    return ids
