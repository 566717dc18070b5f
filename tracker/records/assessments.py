"""Self-assessment answers: one response per participant, instrument and timepoint."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from itertools import groupby
from operator import itemgetter
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import bindparam, delete, insert, select, update

from facilitator.model import Instrument
from tracker import content
from tracker.db import db
from tracker.models import AssessmentAnswer, AssessmentResponse, Cohort, Timepoint, now
from tracker.problems import Problem
from tracker.records import audit, care
from tracker.records.bulk import BULK, insert_rows, table

YES, NO = 1, 0


@dataclass(frozen=True)
class AssessmentInput:
    participant_id: int
    instrument_id: str
    timepoint: Timepoint
    answered_on: date
    answers: dict[str, int]


def allowed_values(instrument: Instrument) -> set[int]:
    if instrument.kind == "yes_no":
        return {YES, NO}
    return {point.value for point in instrument.scale}


def check_instrument(cohort: Cohort, instrument_id: str, row: int | None = None) -> list[Problem]:
    if instrument_id not in content.programme_instruments(cohort.programme_id):
        message = _("'%(instrument)s' is not used by this programme", instrument=instrument_id)
        return [Problem("instrument", message, row)]
    return []


def parse_answers(
    instrument: Instrument, raw: Mapping[str, str], row: int | None = None
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
            problems.append(Problem(item.id, _("'%(value)s' is not a number", value=text), row))
            continue
        if value not in values:
            shown = ", ".join(str(v) for v in sorted(values))
            message = _("%(value)d is not on the scale (%(scale)s)", value=value, scale=shown)
            problems.append(Problem(item.id, message, row))
            continue
        answers[item.id] = value
    unknown = set(raw) - {item.id for item in instrument.items}
    unknown_item = _("not an item of this instrument")
    problems += [Problem(key, unknown_item, row) for key in sorted(unknown)]
    if not problems and not answers:
        problems.append(Problem("answers", _("no item was answered"), row))
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
        cohort_id=cohort.id,
    )
    db.session.commit()
    return response_id


def write(
    entries: list[tuple[int, AssessmentInput]], tally: Counter[str] | None = None
) -> list[int]:
    """Save responses for (cohort, participant, instrument, timepoint); no commit. The ids,
    in the order of `entries`.

    A response already there with the same date and answers is left alone; one that differs
    is changed in place (same id, its version bumped): saving or importing the same answers
    twice changes nothing. `tally` counts them as new, changed and unchanged. An import calls
    this once per chunk of a few thousand rows: a few bulk statements (executemany) each.
    """
    tally = Counter() if tally is None else tally
    found = _stored_responses(entries)
    ids: list[int] = []
    fresh: list[tuple[int, AssessmentInput]] = []
    changed: list[tuple[_Stored, AssessmentInput]] = []
    for cohort_id, data in entries:
        old = found.get((cohort_id, data.participant_id, data.instrument_id, data.timepoint))
        if old is None:
            fresh.append((cohort_id, data))
        elif (old.answered_on, old.answers) == (data.answered_on, data.answers):
            tally["unchanged"] += 1
        else:
            changed.append((old, data))
        ids.append(0 if old is None else old.id)
    _change_responses(changed)
    new_ids = iter(_insert_responses(fresh))
    tally["new"] += len(fresh)
    tally["changed"] += len(changed)
    care.raise_follow_ups(entries)
    return [response_id or next(new_ids) for response_id in ids]


@dataclass(frozen=True)
class _Stored:
    id: int
    answered_on: date
    answers: dict[str, int]


def _stored_responses(
    entries: list[tuple[int, AssessmentInput]],
) -> dict[tuple[int, int, str, Timepoint], _Stored]:
    """The stored responses that these entries are for, with their answers."""
    answer = table(AssessmentAnswer).c
    heads = list(_heads(entries))
    answers: dict[int, dict[str, int]] = {}
    for start in range(0, len(heads), BULK):
        chunk = [row.id for _, row in heads[start : start + BULK]]
        stored = db.session.execute(
            select(answer.response_id, answer.item_id, answer.value)
            .where(answer.response_id.in_(chunk))
            .order_by(answer.response_id)
        )
        # Millions of answers when a large file comes again: grouped without a Python loop.
        for response_id, rows in groupby(stored.all(), key=itemgetter(0)):
            answers[response_id] = dict(map(itemgetter(1, 2), rows))
    return {key: _Stored(row.id, row.answered_on, answers.get(row.id, {})) for key, row in heads}


def _heads(
    entries: list[tuple[int, AssessmentInput]], dated: bool = True
) -> Iterator[tuple[tuple[int, int, str, Timepoint], Any]]:
    """The stored responses these entries are for, by (cohort, participant, instrument,
    timepoint): their id and (when `dated`) date."""
    wanted: dict[tuple[int, str, Timepoint], list[int]] = {}
    for cohort_id, data in entries:
        key = (cohort_id, data.instrument_id, data.timepoint)
        wanted.setdefault(key, []).append(data.participant_id)
    response = table(AssessmentResponse).c
    columns = [response.id, response.participant_id]
    for (cohort_id, instrument_id, timepoint), pids in wanted.items():
        for start in range(0, len(pids), BULK):
            found = db.session.execute(
                select(*columns, *([response.answered_on] if dated else [])).where(
                    response.cohort_id == cohort_id,
                    response.instrument_id == instrument_id,
                    response.timepoint == timepoint,
                    response.participant_id.in_(pids[start : start + BULK]),
                )
            )
            for row in found.all():
                yield (cohort_id, row.participant_id, instrument_id, timepoint), row


RESPONSE_COLUMNS = (
    "cohort_id",
    "participant_id",
    "instrument_id",
    "timepoint",
    "answered_on",
    "created_at",
    "version",
)


def _insert_responses(fresh: list[tuple[int, AssessmentInput]]) -> list[int]:
    """Plain executemany, then the new ids read back by their keys: RETURNING with the
    rows' order kept runs one statement per row on SQLite."""
    if not fresh:
        return []
    created = now()
    insert_rows(
        AssessmentResponse,
        RESPONSE_COLUMNS,
        [
            (c, d.participant_id, d.instrument_id, d.timepoint, d.answered_on, created, 1)
            for c, d in fresh
        ],
    )
    stored = _stored_ids(fresh)
    ids = [stored[c, d.participant_id, d.instrument_id, d.timepoint] for c, d in fresh]
    answers = [
        (response_id, item, value)
        for response_id, (_, data) in zip(ids, fresh, strict=True)
        for item, value in data.answers.items()
    ]
    insert_rows(AssessmentAnswer, ("response_id", "item_id", "value"), answers)
    return ids


def _stored_ids(
    entries: list[tuple[int, AssessmentInput]],
) -> dict[tuple[int, int, str, Timepoint], int]:
    return {key: row.id for key, row in _heads(entries, dated=False)}


def _change_responses(changed: list[tuple[_Stored, AssessmentInput]]) -> None:
    """In place: the response keeps its id (its version bumped); only answers that differ
    are touched."""
    if not changed:
        return
    response, answer = table(AssessmentResponse), table(AssessmentAnswer)
    db.session.execute(
        update(response)
        .where(response.c.id == bindparam("b_id"))
        .values(answered_on=bindparam("b_on"), version=response.c.version + 1),
        [{"b_id": old.id, "b_on": data.answered_on} for old, data in changed],
    )
    gone = [
        {"b_id": old.id, "b_item": item}
        for old, data in changed
        for item in old.answers
        if item not in data.answers
    ]
    if gone:
        db.session.execute(
            delete(answer).where(
                answer.c.response_id == bindparam("b_id"), answer.c.item_id == bindparam("b_item")
            ),
            gone,
        )
    altered = [
        {"b_id": old.id, "b_item": item, "b_value": value}
        for old, data in changed
        for item, value in data.answers.items()
        if item in old.answers and old.answers[item] != value
    ]
    if altered:
        db.session.execute(
            update(answer)
            .where(
                answer.c.response_id == bindparam("b_id"), answer.c.item_id == bindparam("b_item")
            )
            .values(value=bindparam("b_value")),
            altered,
        )
    added = [
        {"response_id": old.id, "item_id": item, "value": value}
        for old, data in changed
        for item, value in data.answers.items()
        if item not in old.answers
    ]
    if added:
        db.session.execute(insert(answer), added)


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
