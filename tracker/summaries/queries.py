"""The numbers summaries are made of, collected with a few aggregate queries per scope.

Each function takes the ids of the cohorts in scope and returns plain data; no row names a
participant (ids only, and they never leave `tracker.summaries`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache

from sqlalchemy import (
    ColumnElement,
    Integer,
    ScalarSelect,
    Select,
    bindparam,
    case,
    func,
    select,
)
from sqlalchemy.orm import aliased

from tracker.db import db
from tracker.models import (
    AssessmentAnswer,
    AssessmentResponse,
    Attendance,
    AttendanceStatus,
    AuditEvent,
    Cohort,
    EvaluationChoice,
    EvaluationResponse,
    Membership,
    Timepoint,
    TrainingSession,
)

ATTENDED = (AttendanceStatus.present, AttendanceStatus.late)


@dataclass(frozen=True)
class SessionCount:
    session_id: int
    cohort_id: int
    module_id: str
    held_on: date
    attended: int


def cohorts(cohort_ids: Sequence[int]) -> list[Cohort]:
    return list(
        db.session.scalars(
            select(Cohort).where(Cohort.id.in_(cohort_ids)).order_by(Cohort.starts_on, Cohort.id)
        )
    )


def enrolled(cohort_ids: Sequence[int]) -> dict[int, int]:
    rows = db.session.execute(
        select(Membership.cohort_id, func.count())
        .where(Membership.cohort_id.in_(cohort_ids))
        .group_by(Membership.cohort_id)
    )
    return {cohort_id: count for cohort_id, count in rows}


def session_counts(cohort_ids: Sequence[int]) -> list[SessionCount]:
    attended = func.count(Attendance.participant_id)
    rows = db.session.execute(
        select(
            TrainingSession.id,
            TrainingSession.cohort_id,
            TrainingSession.module_id,
            TrainingSession.held_on,
            attended,
        )
        .outerjoin(
            Attendance,
            (Attendance.session_id == TrainingSession.id) & Attendance.status.in_(ATTENDED),
        )
        .where(TrainingSession.cohort_id.in_(cohort_ids))
        .group_by(TrainingSession.id)
        .order_by(TrainingSession.held_on, TrainingSession.id)
    )
    return [SessionCount(*row) for row in rows]


def attended_per_member(cohort_ids: Sequence[int]) -> dict[int, dict[int, int]]:
    """{cohort id: {participant id: sessions attended}}, members with none included."""
    result: dict[int, dict[int, int]] = defaultdict(dict)
    for cohort_id, participant_id in db.session.execute(
        select(Membership.cohort_id, Membership.participant_id).where(
            Membership.cohort_id.in_(cohort_ids)
        )
    ):
        result[cohort_id][participant_id] = 0
    rows = db.session.execute(
        select(TrainingSession.cohort_id, Attendance.participant_id, func.count())
        .join(Attendance, Attendance.session_id == TrainingSession.id)
        .where(TrainingSession.cohort_id.in_(cohort_ids), Attendance.status.in_(ATTENDED))
        .group_by(TrainingSession.cohort_id, Attendance.participant_id)
    )
    for cohort_id, participant_id, count in rows:
        # Attendance of someone no longer a member (left the cohort) does not count.
        if participant_id in result[cohort_id]:
            result[cohort_id][participant_id] = count
    return result


def sessions_held(cohort_ids: Sequence[int]) -> dict[int, int]:
    rows = db.session.execute(
        select(TrainingSession.cohort_id, func.count())
        .where(TrainingSession.cohort_id.in_(cohort_ids))
        .group_by(TrainingSession.cohort_id)
    )
    return {cohort_id: count for cohort_id, count in rows}


# Assessments are aggregated in SQL: a summary needs counts per item and answer, never the
# answers of one participant, so only a few hundred rows reach Python however large the scope.


def _assessed(
    response: type[AssessmentResponse], cohort_ids: Sequence[int], instrument_id: str
) -> ColumnElement[bool]:
    return response.cohort_id.in_(cohort_ids) & (response.instrument_id == instrument_id)


def respondents(cohort_ids: Sequence[int], instrument_id: str) -> dict[Timepoint, int]:
    """{timepoint: responses with at least one answer}: a response left blank is no response."""
    answered = (
        select(AssessmentAnswer.response_id)
        .where(AssessmentAnswer.response_id == AssessmentResponse.id)
        .exists()
    )
    rows = db.session.execute(
        select(AssessmentResponse.timepoint, func.count())
        .where(_assessed(AssessmentResponse, cohort_ids, instrument_id), answered)
        .group_by(AssessmentResponse.timepoint)
    )
    return {timepoint: count for timepoint, count in rows}


@dataclass(frozen=True)
class ItemTotal:
    """The answers given to one item at one timepoint."""

    answered: int
    total: int  # sum of the values
    yes: int  # answers with the value 1 (yes in a yes/no instrument)


def item_totals(
    cohort_ids: Sequence[int], instrument_id: str
) -> dict[tuple[Timepoint, str], ItemTotal]:
    """{(timepoint, item id): ItemTotal}"""
    rows = db.session.execute(
        select(
            AssessmentResponse.timepoint,
            AssessmentAnswer.item_id,
            func.count(),
            func.sum(AssessmentAnswer.value),
            func.count(case((AssessmentAnswer.value == 1, 1))),
        )
        .join(AssessmentAnswer, AssessmentAnswer.response_id == AssessmentResponse.id)
        .where(_assessed(AssessmentResponse, cohort_ids, instrument_id))
        .group_by(AssessmentResponse.timepoint, AssessmentAnswer.item_id)
    )
    return {
        (timepoint, item_id): ItemTotal(answered, total or 0, yes)
        for timepoint, item_id, answered, total, yes in rows
    }


def paired_answers(
    cohort_ids: Sequence[int], instrument_id: str, before: Timepoint
) -> dict[str, list[tuple[int, int, int]]]:
    """{item id: [(answer before, answer after, participants who gave that pair)]}.

    A pair is the same participant's answers to the same item in the same cohort, before
    (pre or retro_pre) and post; an item answered only once has no pair.
    """
    rows = db.session.execute(
        _paired_answers_statement(),
        {"cohort_ids": list(cohort_ids), "instrument_id": instrument_id, "before": before},
    )
    found: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
    for item_id, value_before, value_after, count in rows:
        found[item_id].append((value_before, value_after, count))
    return found


def paired_scores(
    cohort_ids: Sequence[int],
    instrument_id: str,
    before: Timepoint,
    *,
    reverse_items: Sequence[str],
    scale_min: int,
    scale_max: int,
) -> list[tuple[int, int, int, int]]:
    """(sum before, items answered before, sum after, items answered after) per participant
    with an answer in both responses, reverse-worded items recoded (scale_min + scale_max -
    value); in cohort and participant order."""
    rows = db.session.execute(
        _paired_scores_statement(),
        {
            "cohort_ids": list(cohort_ids),
            "instrument_id": instrument_id,
            "before": before,
            "reverse_items": list(reverse_items),
            "scale_ends": scale_min + scale_max,
        },
    )
    return [
        (total_before, n_before, total_after, n_after)
        for total_before, n_before, total_after, n_after in rows
        if n_before and n_after
    ]


# The two pairing statements are built once (building one costs about as much as SQLite
# takes to run it for a cohort) and take their values as bound parameters.


def _matched() -> tuple[type[AssessmentResponse], type[AssessmentResponse], ColumnElement[bool]]:
    """A before response, the same participant's post response, and the join between them."""
    first = aliased(AssessmentResponse, name="before")
    then = aliased(AssessmentResponse, name="after")
    same = (
        (then.cohort_id == first.cohort_id)
        & (then.participant_id == first.participant_id)
        & (then.instrument_id == first.instrument_id)
        & (then.timepoint == Timepoint.post)
    )
    return first, then, same


def _in_scope(first: type[AssessmentResponse]) -> ColumnElement[bool]:
    return (
        first.cohort_id.in_(bindparam("cohort_ids", expanding=True))
        & (first.instrument_id == bindparam("instrument_id"))
        & (first.timepoint == bindparam("before"))
    )


@cache
def _paired_answers_statement() -> Select[str, int, int, int]:
    first, then, same = _matched()
    was, now = aliased(AssessmentAnswer, name="was"), aliased(AssessmentAnswer, name="now")
    return (
        select(was.item_id, was.value, now.value, func.count())
        .select_from(first)
        .join(then, same)
        .join(was, was.response_id == first.id)
        .join(now, (now.response_id == then.id) & (now.item_id == was.item_id))
        .where(_in_scope(first))
        .group_by(was.item_id, was.value, now.value)
    )


@cache
def _paired_scores_statement() -> Select[int, int, int, int]:
    recoded = case(
        (
            AssessmentAnswer.item_id.in_(bindparam("reverse_items", expanding=True)),
            bindparam("scale_ends", type_=Integer) - AssessmentAnswer.value,
        ),
        else_=AssessmentAnswer.value,
    )

    def of(response: type[AssessmentResponse], aggregate: ColumnElement[int]) -> ScalarSelect[int]:
        return (
            select(aggregate).where(AssessmentAnswer.response_id == response.id).scalar_subquery()
        )

    first, then, same = _matched()
    return (
        select(
            of(first, func.sum(recoded)),
            of(first, func.count()),
            of(then, func.sum(recoded)),
            of(then, func.count()),
        )
        .select_from(first)
        .join(then, same)
        .where(_in_scope(first))
        .order_by(first.cohort_id, first.participant_id)
    )


def data_version() -> int:
    """Changes with every write: each change records an audit event in its transaction."""
    return db.session.scalar(select(func.max(AuditEvent.id))) or 0


def tally(cohort_ids: Sequence[int], form_id: str) -> tuple[dict[str, int], int]:
    """Times each option was chosen, and the number of responses."""
    rows = db.session.execute(
        select(EvaluationChoice.option_id, func.count())
        .join(EvaluationResponse, EvaluationResponse.id == EvaluationChoice.response_id)
        .where(EvaluationResponse.cohort_id.in_(cohort_ids), EvaluationResponse.form_id == form_id)
        .group_by(EvaluationChoice.option_id)
    )
    counts = {option: count for option, count in rows}
    responses = db.session.scalar(
        select(func.count())
        .select_from(EvaluationResponse)
        .where(EvaluationResponse.cohort_id.in_(cohort_ids), EvaluationResponse.form_id == form_id)
    )
    return counts, responses or 0
