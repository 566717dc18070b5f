"""Per-cohort aggregates ("parts"): everything a summary needs, counted once per cohort.

A part is the counts of one source in one cohort: its attendance, its answers to one
instrument, its responses to one evaluation form. Every figure of every scope (a cohort, an
organisation, a programme) is computed from the parts of the cohorts in it, never from the
raw rows again; so a scope's counts are exact sums of its cohorts' counts, which is what the
protection step (`protection`) reasons about, and a release can keep the parts it was made
from (counts only: no code, no participant id, no answer of one person).

Part data is plain JSON (str keys) so that a release can store it as it is:

- attendance: {"enrolled", "held", "sessions": [[session id, module id, iso date, present]],
  "bands": [participants per attendance band], "completed"}
- assess:<instrument>: {"respondents": {timepoint: n},
  "values": {timepoint: {item: {value: n}}},
  "pairs": {"pre>post": {item: [[before, after, n]]}},
  "overall": {"pre>post": [[mean before, mean after, n]]}}
- form:<form>: {"respondents": n, "options": {option: n}}
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import aliased

from tracker.db import db
from tracker.models import (
    AssessmentAnswer,
    AssessmentResponse,
    EvaluationChoice,
    EvaluationResponse,
    Timepoint,
)
from tracker.summaries import queries

PartData = dict[str, Any]
# (before, after) pairs reported, in this order; retro_pre only where it was asked.
COMPARISONS: tuple[tuple[Timepoint, Timepoint], ...] = (
    (Timepoint.pre, Timepoint.post),
    (Timepoint.pre, Timepoint.follow_up),
    (Timepoint.post, Timepoint.follow_up),
    (Timepoint.retro_pre, Timepoint.post),
)
BAND_LOWS = (0.0, 0.25, 0.5, 0.75)


def comparison_key(before: Timepoint, after: Timepoint) -> str:
    return f"{before.value}>{after.value}"


def attendance_parts(cohort_ids: Sequence[int], completion_share: float) -> dict[int, PartData]:
    enrolled = queries.enrolled(cohort_ids)
    held = queries.sessions_held(cohort_ids)
    attended = queries.attended_per_member(cohort_ids)
    parts: dict[int, PartData] = {
        cid: {
            "enrolled": enrolled.get(cid, 0),
            "held": held.get(cid, 0),
            "sessions": [],
            "bands": [0] * len(BAND_LOWS),
            "completed": 0,
        }
        for cid in cohort_ids
    }
    for count in queries.session_counts(cohort_ids):
        parts[count.cohort_id]["sessions"].append(
            [count.session_id, count.module_id, count.held_on.isoformat(), count.attended]
        )
    # Whole numbers: a participant completes with at least ceil(share * held) sessions.
    for cid, members in attended.items():
        sessions = held.get(cid, 0)
        if not sessions:
            continue
        needed = math.ceil(completion_share * sessions - 1e-9)
        for times in members.values():
            rate = times / sessions
            band = max(i for i, low in enumerate(BAND_LOWS) if rate >= low - 1e-9)
            parts[cid]["bands"][band] += 1
            parts[cid]["completed"] += times >= needed
    return parts


def assessment_parts(
    cohort_ids: Sequence[int],
    instrument_id: str,
    *,
    reverse_items: Sequence[str],
    scale_min: int,
    scale_max: int,
    with_values: bool = True,
) -> dict[int, PartData]:
    """with_values: count each answer value per item and time (yes/no and ratings show
    them; a likert instrument's summary uses only its pairs, so the query is skipped)."""
    parts: dict[int, PartData] = {
        cid: {"respondents": {}, "values": {}, "pairs": {}, "overall": {}} for cid in cohort_ids
    }
    counts = _value_counts(cohort_ids, instrument_id) if with_values else []
    for cid, timepoint, item_id, value, count in counts:
        given = parts[cid]["values"].setdefault(timepoint.value, {}).setdefault(item_id, {})
        given[str(value)] = count
    scores = _scores(cohort_ids, instrument_id, reverse_items, scale_min + scale_max)
    for cid, by_participant in scores.items():
        part = parts[cid]
        for answered in by_participant.values():
            for point in answered:
                part["respondents"][point] = part["respondents"].get(point, 0) + 1
        for before, after in COMPARISONS:
            counted: dict[tuple[float, float], int] = defaultdict(int)
            for answered in by_participant.values():
                if before.value in answered and after.value in answered:
                    counted[(answered[before.value], answered[after.value])] += 1
            if counted:
                part["overall"][comparison_key(before, after)] = [
                    [b, a, n] for (b, a), n in sorted(counted.items())
                ]
    asked = {point for part in parts.values() for point in part["respondents"]}
    for before, after in COMPARISONS:
        if before.value not in asked or after.value not in asked:
            continue  # nobody answered at one of the two times: no pairs, no join to run
        key = comparison_key(before, after)
        for cid, item_id, was, now, count in _paired_counts(
            cohort_ids, instrument_id, before, after
        ):
            pairs = parts[cid]["pairs"].setdefault(key, {}).setdefault(item_id, [])
            pairs.append([was, now, count])
    return parts


def form_parts(cohort_ids: Sequence[int], form_id: str) -> dict[int, PartData]:
    parts: dict[int, PartData] = {cid: {"respondents": 0, "options": {}} for cid in cohort_ids}
    in_scope = EvaluationResponse.cohort_id.in_(cohort_ids) & (
        EvaluationResponse.form_id == form_id
    )
    for cid, count in db.session.execute(
        select(EvaluationResponse.cohort_id, func.count())
        .where(in_scope)
        .group_by(EvaluationResponse.cohort_id)
    ):
        parts[cid]["respondents"] = count
    for cid, option_id, count in db.session.execute(
        select(EvaluationResponse.cohort_id, EvaluationChoice.option_id, func.count())
        .join(EvaluationChoice, EvaluationChoice.response_id == EvaluationResponse.id)
        .where(in_scope)
        .group_by(EvaluationResponse.cohort_id, EvaluationChoice.option_id)
    ):
        parts[cid]["options"][option_id] = count
    return parts


# ------------------------------------------------------------------ queries


def _value_counts(
    cohort_ids: Sequence[int], instrument_id: str
) -> list[tuple[int, Timepoint, str, int, int]]:
    rows = db.session.execute(
        select(
            AssessmentResponse.cohort_id,
            AssessmentResponse.timepoint,
            AssessmentAnswer.item_id,
            AssessmentAnswer.value,
            func.count(),
        )
        .join(AssessmentAnswer, AssessmentAnswer.response_id == AssessmentResponse.id)
        .where(
            AssessmentResponse.cohort_id.in_(cohort_ids),
            AssessmentResponse.instrument_id == instrument_id,
        )
        .group_by(
            AssessmentResponse.cohort_id,
            AssessmentResponse.timepoint,
            AssessmentAnswer.item_id,
            AssessmentAnswer.value,
        )
    )
    return [tuple(row) for row in rows]  # type: ignore[misc]


def _scores(
    cohort_ids: Sequence[int], instrument_id: str, reverse_items: Sequence[str], scale_ends: int
) -> dict[int, dict[int, dict[str, float]]]:
    """{cohort: {participant: {timepoint: mean over answered items}}}, reverse items recoded.

    Participant ids stay inside this function's caller: only counts leave the part."""
    recoded = case(
        (AssessmentAnswer.item_id.in_(list(reverse_items)), scale_ends - AssessmentAnswer.value),
        else_=AssessmentAnswer.value,
    )
    rows = db.session.execute(
        select(
            AssessmentResponse.cohort_id,
            AssessmentResponse.participant_id,
            AssessmentResponse.timepoint,
            func.sum(recoded),
            func.count(),
        )
        .join(AssessmentAnswer, AssessmentAnswer.response_id == AssessmentResponse.id)
        .where(
            AssessmentResponse.cohort_id.in_(cohort_ids),
            AssessmentResponse.instrument_id == instrument_id,
        )
        .group_by(AssessmentResponse.id)
    )
    found: dict[int, dict[int, dict[str, float]]] = defaultdict(lambda: defaultdict(dict))
    for cid, pid, timepoint, total, answered in rows:
        # The sum of whole numbers is exact, so one division gives the same float anywhere.
        found[cid][pid][timepoint.value] = int(total) / int(answered)
    return found


def _paired_counts(
    cohort_ids: Sequence[int], instrument_id: str, before: Timepoint, after: Timepoint
) -> list[tuple[int, str, int, int, int]]:
    first = aliased(AssessmentResponse, name="first")
    then = aliased(AssessmentResponse, name="then")
    was = aliased(AssessmentAnswer, name="was")
    now = aliased(AssessmentAnswer, name="now")
    rows = db.session.execute(
        select(first.cohort_id, was.item_id, was.value, now.value, func.count())
        .select_from(first)
        .join(
            then,
            (then.cohort_id == first.cohort_id)
            & (then.participant_id == first.participant_id)
            & (then.instrument_id == first.instrument_id)
            & (then.timepoint == after),
        )
        .join(was, was.response_id == first.id)
        .join(now, (now.response_id == then.id) & (now.item_id == was.item_id))
        .where(
            first.cohort_id.in_(cohort_ids),
            first.instrument_id == instrument_id,
            first.timepoint == before,
        )
        .group_by(first.cohort_id, was.item_id, was.value, now.value)
        .order_by(first.cohort_id, was.item_id, was.value, now.value)
    )
    return [(cid, item, int(b), int(a), n) for cid, item, b, a, n in rows]


__all__ = [
    "BAND_LOWS",
    "COMPARISONS",
    "PartData",
    "assessment_parts",
    "attendance_parts",
    "comparison_key",
    "form_parts",
]
