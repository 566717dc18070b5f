"""Deleting what was recorded by mistake: a session with its roster, an assessment response,
an evaluation response. Each says first what would go (for the confirmation page), then goes
in one audited transaction. Coordinators only: the blueprints ask for Perm.record_delete."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, func, select

from tracker.db import db
from tracker.models import (
    AssessmentAnswer,
    AssessmentResponse,
    Attendance,
    Cohort,
    EvaluationChoice,
    EvaluationResponse,
    Participant,
    SessionFacilitator,
    Timepoint,
    TrainingSession,
)
from tracker.records import audit, care


def _count(statement: object) -> int:
    return db.session.scalar(statement) or 0  # type: ignore[call-overload]


# ---------------------------------------------------------------- sessions


def session_marks(session: TrainingSession) -> int:
    return _count(
        select(func.count()).select_from(Attendance).where(Attendance.session_id == session.id)
    )


def remove_session(session: TrainingSession, organisation_id: int) -> int:
    """Delete the session, its roster and its facilitators; how many marks went."""
    marks = session_marks(session)
    detail = f"{session.module_id} {session.held_on} day {session.day}: {marks} attendance marks"
    session_id = session.id
    db.session.execute(delete(Attendance).where(Attendance.session_id == session_id))
    db.session.execute(
        delete(SessionFacilitator).where(SessionFacilitator.session_id == session_id)
    )
    db.session.execute(delete(TrainingSession).where(TrainingSession.id == session_id))
    audit.record(
        "delete", "session", session_id, organisation_id, detail, cohort_id=session.cohort_id
    )
    db.session.commit()
    return marks


# ---------------------------------------------------------------- assessment responses


def assessment_response(
    cohort_id: int, participant_id: int, instrument_id: str, timepoint: Timepoint
) -> AssessmentResponse | None:
    return db.session.scalar(
        select(AssessmentResponse).where(
            AssessmentResponse.cohort_id == cohort_id,
            AssessmentResponse.participant_id == participant_id,
            AssessmentResponse.instrument_id == instrument_id,
            AssessmentResponse.timepoint == timepoint,
        )
    )


def answer_count(response: AssessmentResponse) -> int:
    return _count(
        select(func.count())
        .select_from(AssessmentAnswer)
        .where(AssessmentAnswer.response_id == response.id)
    )


def drop_assessment(response: AssessmentResponse, organisation_id: int) -> int:
    """Delete the response and its answers, forget the follow-ups its answers raised (those
    with a referral stay); audited, no commit. How many answers went."""
    answers = answer_count(response)
    detail = f"{response.instrument_id} {response.timepoint.value}: {answers} answers"
    response_id = response.id
    care.forget_answers(
        response.cohort_id, response.participant_id, response.instrument_id, response.timepoint
    )
    db.session.execute(delete(AssessmentAnswer).where(AssessmentAnswer.response_id == response_id))
    db.session.execute(delete(AssessmentResponse).where(AssessmentResponse.id == response_id))
    audit.record(
        "delete", "assessment", response_id, organisation_id, detail, cohort_id=response.cohort_id
    )
    return answers


def remove_assessment(response: AssessmentResponse, organisation_id: int) -> int:
    answers = drop_assessment(response, organisation_id)
    db.session.commit()
    return answers


# ---------------------------------------------------------------- evaluation responses


@dataclass(frozen=True)
class EvaluationRow:
    """One response as the list shows it: never the 'other' words, which stay on paper."""

    id: int
    answered_on: date
    code: str | None  # None: anonymous
    choices: list[str]  # option ids, in the form's order where known


def evaluation_rows(
    cohort: Cohort, form_id: str, response_id: int | None = None
) -> list[EvaluationRow]:
    """The cohort's responses to the form, newest first (or just the one asked for)."""
    mine = (EvaluationResponse.cohort_id == cohort.id) & (EvaluationResponse.form_id == form_id)
    if response_id is not None:
        mine = mine & (EvaluationResponse.id == response_id)
    responses = db.session.execute(
        select(EvaluationResponse.id, EvaluationResponse.answered_on, Participant.code)
        .outerjoin(Participant, Participant.id == EvaluationResponse.participant_id)
        .where(mine)
        .order_by(EvaluationResponse.answered_on.desc(), EvaluationResponse.id.desc())
    ).all()
    chosen: dict[int, list[str]] = {}
    for rid, option_id in db.session.execute(
        select(EvaluationChoice.response_id, EvaluationChoice.option_id)
        .join(EvaluationResponse, EvaluationResponse.id == EvaluationChoice.response_id)
        .where(mine)
    ):
        chosen.setdefault(rid, []).append(option_id)
    return [
        EvaluationRow(rid, answered_on, code, chosen.get(rid, []))
        for rid, answered_on, code in responses
    ]


def evaluation_response(cohort: Cohort, form_id: str, response_id: int) -> EvaluationRow | None:
    """The response, if it is this cohort's and this form's (else None: the page 404s)."""
    rows = evaluation_rows(cohort, form_id, response_id)
    return rows[0] if rows else None


def remove_evaluation(row: EvaluationRow, cohort: Cohort, form_id: str) -> int:
    """Delete the response and its choices; how many choices went."""
    db.session.execute(delete(EvaluationChoice).where(EvaluationChoice.response_id == row.id))
    db.session.execute(
        delete(EvaluationResponse).where(
            EvaluationResponse.id == row.id, EvaluationResponse.cohort_id == cohort.id
        )
    )
    who = "anonymous" if row.code is None else "participant"
    audit.record(
        "delete",
        "evaluation",
        row.id,
        cohort.organisation_id,
        f"{form_id} {row.answered_on} {who}: {len(row.choices)} choices",
        cohort_id=cohort.id,
    )
    db.session.commit()
    return len(row.choices)
