"""Self-assessment answers: one response per participant, instrument and timepoint."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import delete, insert, select

from tracker import audit, content
from tracker.db import db
from tracker.models import AssessmentAnswer, AssessmentResponse, Cohort, Timepoint, now
from tracker.problems import Problem

YES, NO = 1, 0


@dataclass(frozen=True)
class AssessmentInput:
    participant_id: int
    instrument_id: str
    timepoint: Timepoint
    answered_on: date
    answers: dict[str, int]


def allowed_values(instrument: Any) -> set[int]:
    if instrument.kind == "yes_no":
        return {YES, NO}
    return {point.value for point in instrument.scale}


def check_instrument(cohort: Cohort, instrument_id: str, row: int | None = None) -> list[Problem]:
    if instrument_id not in content.programme_instruments(cohort.programme_id):
        return [Problem("instrument", f"'{instrument_id}' is not used by this programme", row)]
    return []


def parse_answers(
    instrument: Any, raw: Mapping[str, str], row: int | None = None
) -> dict[str, int] | list[Problem]:
    """Answers by item id. A blank answer is a pass, which is every respondent's right."""
    values = allowed_values(instrument)
    answers: dict[str, int] = {}
    problems: list[Problem] = []
    for item in instrument.items:
        text = (raw.get(item.id) or "").strip()
        if not text:
            continue
        if instrument.kind == "yes_no" and text.lower() in {"yes", "no", "y", "n"}:
            answers[item.id] = YES if text.lower().startswith("y") else NO
            continue
        try:
            value = int(text)
        except ValueError:
            problems.append(Problem(item.id, f"'{text}' is not a number", row))
            continue
        if value not in values:
            shown = ", ".join(str(v) for v in sorted(values))
            problems.append(Problem(item.id, f"{value} is not on the scale ({shown})", row))
            continue
        answers[item.id] = value
    unknown = set(raw) - {item.id for item in instrument.items}
    problems += [Problem(key, "not an item of this instrument", row) for key in sorted(unknown)]
    if not problems and not answers:
        problems.append(Problem("answers", "no item was answered", row))
    return problems or answers


def save(cohort: Cohort, data: AssessmentInput) -> int | list[Problem]:
    problems = check_instrument(cohort, data.instrument_id)
    if problems:
        return problems
    response_id = write([(cohort.id, data)])[0]
    audit.record(
        "record",
        "assessment",
        response_id,
        cohort.organisation_id,
        f"{data.instrument_id} {data.timepoint.value}",
    )
    db.session.commit()
    return response_id


def write(entries: list[tuple[int, AssessmentInput]]) -> list[int]:
    """Replace responses for (cohort, participant, instrument, timepoint); no commit.

    Bulk statements, because a stack of paper forms comes in as thousands of rows.
    """
    if not entries:
        return []
    cohort_ids = {cohort_id for cohort_id, _ in entries}
    wanted = {(c, d.participant_id, d.instrument_id, d.timepoint) for c, d in entries}
    existing = [
        row.id
        for row in db.session.execute(
            select(
                AssessmentResponse.id,
                AssessmentResponse.cohort_id,
                AssessmentResponse.participant_id,
                AssessmentResponse.instrument_id,
                AssessmentResponse.timepoint,
            ).where(AssessmentResponse.cohort_id.in_(cohort_ids))
        )
        if (row.cohort_id, row.participant_id, row.instrument_id, row.timepoint) in wanted
    ]
    for start in range(0, len(existing), 500):
        chunk = existing[start : start + 500]
        db.session.execute(delete(AssessmentAnswer).where(AssessmentAnswer.response_id.in_(chunk)))
        db.session.execute(delete(AssessmentResponse).where(AssessmentResponse.id.in_(chunk)))
    created = now()
    ids = list(
        db.session.scalars(
            insert(AssessmentResponse).returning(
                AssessmentResponse.id, sort_by_parameter_order=True
            ),
            [
                {
                    "cohort_id": cohort_id,
                    "participant_id": data.participant_id,
                    "instrument_id": data.instrument_id,
                    "timepoint": data.timepoint,
                    "answered_on": data.answered_on,
                    "created_at": created,
                }
                for cohort_id, data in entries
            ],
        )
    )
    answer_rows = [
        {"response_id": response_id, "item_id": item, "value": value}
        for response_id, (_, data) in zip(ids, entries, strict=True)
        for item, value in data.answers.items()
    ]
    if answer_rows:
        db.session.execute(insert(AssessmentAnswer), answer_rows)
    return ids


def existing_answers(
    cohort_id: int, participant_id: int, instrument_id: str, timepoint: Timepoint
) -> dict[str, int]:
    rows = db.session.execute(
        select(AssessmentAnswer.item_id, AssessmentAnswer.value)
        .join(AssessmentResponse, AssessmentResponse.id == AssessmentAnswer.response_id)
        .where(
            AssessmentResponse.cohort_id == cohort_id,
            AssessmentResponse.participant_id == participant_id,
            AssessmentResponse.instrument_id == instrument_id,
            AssessmentResponse.timepoint == timepoint,
        )
    )
    return {item: value for item, value in rows}


def progress(cohort: Cohort, instrument_id: str) -> dict[int, set[Timepoint]]:
    """Which timepoints each participant has answered, for the overview screen."""
    rows = db.session.execute(
        select(AssessmentResponse.participant_id, AssessmentResponse.timepoint).where(
            AssessmentResponse.cohort_id == cohort.id,
            AssessmentResponse.instrument_id == instrument_id,
        )
    )
    done: dict[int, set[Timepoint]] = {}
    for pid, timepoint in rows:
        done.setdefault(pid, set()).add(timepoint)
    return done
