"""Evaluation responses: 'the three most useful lessons or skills learnt' and the like."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import bindparam, delete, insert, select, update

from facilitator.model import EvaluationForm
from tracker import content
from tracker.db import db
from tracker.models import OTHER_OPTION, Cohort, EvaluationChoice, EvaluationResponse, now
from tracker.problems import Problem
from tracker.records import audit
from tracker.records.bulk import BULK, table


@dataclass(frozen=True)
class EvaluationInput:
    form_id: str
    participant_id: int | None
    answered_on: date
    choices: list[str]
    other_text: str | None
    # The paper form's serial number, or a hash of the imported row: counted once.
    response_key: str | None = None


def check_form(cohort: Cohort, form_id: str, row: int | None = None) -> list[Problem]:
    if form_id not in content.programme_forms(cohort.programme_id):
        message = _("'%(form)s' is not an evaluation form of this programme", form=form_id)
        return [Problem("form", message, row)]
    return []


def check_choices(
    form: EvaluationForm, choices: Sequence[str], other_text: str | None, row: int | None = None
) -> list[Problem]:
    problems: list[Problem] = []
    known = {option.id for option in form.options}
    if form.other:
        known.add(OTHER_OPTION)
    unknown = [choice for choice in choices if choice not in known]
    problems += [
        Problem("choices", _("'%(option)s' is not an option of this form", option=c), row)
        for c in unknown
    ]
    if len(set(choices)) != len(choices):
        problems.append(Problem("choices", _("an option is chosen twice"), row))
    if not choices:
        problems.append(Problem("choices", _("choose at least one option"), row))
    if len(set(choices)) > form.choose_up_to:
        message = _("choose at most %(n)d options", n=form.choose_up_to)
        problems.append(Problem("choices", message, row))
    if OTHER_OPTION in choices and not (other_text or "").strip():
        problems.append(Problem("other_text", _("say what the 'other' answer is"), row))
    if OTHER_OPTION not in choices and (other_text or "").strip():
        problems.append(Problem("other_text", _("text given but 'other' is not chosen"), row))
    return problems


def save(cohort: Cohort, data: EvaluationInput) -> int | list[Problem]:
    problems = check_form(cohort, data.form_id)
    if not problems:
        form = content.content().evaluation_forms[data.form_id]
        problems = check_choices(form, data.choices, data.other_text)
    if problems:
        return problems
    response_id = write([(cohort.id, data)])[0]
    audit.record(
        "record",
        "evaluation",
        response_id,
        cohort.organisation_id,
        data.form_id,
        cohort_id=cohort.id,
    )
    db.session.commit()
    return response_id


def write(
    entries: list[tuple[int, EvaluationInput]], tally: Counter[str] | None = None
) -> list[int]:
    """Save responses and their choices; no commit. The ids, in the order of `entries`.

    A response with a key (a paper form's serial number, or a hash of an imported row) is
    stored once per cohort and form: given again with the same answers it is left alone,
    with other answers it is changed in place (same id, its version bumped). A response
    without a key (typed into the form) is always new. `tally` counts new, changed and
    unchanged. Bulk statements: an import calls this once per chunk of a few thousand rows.
    """
    tally = Counter() if tally is None else tally
    found = _stored_responses(entries)
    ids: list[int] = []
    fresh: list[tuple[int, EvaluationInput]] = []
    changed: list[tuple[int, EvaluationInput]] = []
    for cohort_id, data in entries:
        old = found.get((cohort_id, data.form_id, data.response_key or ""))
        if old is None:
            fresh.append((cohort_id, data))
        elif old.same_as(data):
            tally["unchanged"] += 1
        else:
            changed.append((old.id, data))
        ids.append(0 if old is None else old.id)
    _change_responses(changed)
    new_ids = iter(_insert_responses(fresh))
    tally["new"] += len(fresh)
    tally["changed"] += len(changed)
    return [response_id or next(new_ids) for response_id in ids]


def response_key(
    code: str, answered_on: date, choices: Sequence[str], other_text: str | None
) -> str:
    """An imported row's key when its form has no serial number: a SHA-256 of the row,
    normalised (choices in order, spaces collapsed), so the same row always has one key."""
    other = " ".join((other_text or "").split())
    row = "\x1f".join([code, answered_on.isoformat(), ";".join(sorted(choices)), other])
    return hashlib.sha256(row.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class _Stored:
    id: int
    participant_id: int | None
    answered_on: date
    other_text: str | None
    choices: frozenset[str]

    def same_as(self, data: EvaluationInput) -> bool:
        return (self.participant_id, self.answered_on, self.other_text, self.choices) == (
            data.participant_id,
            data.answered_on,
            _other(data.other_text),
            frozenset(data.choices),
        )


def _other(text: str | None) -> str | None:
    """The 'other' words as stored: spaces collapsed, as the response key reads them."""
    return " ".join((text or "").split()) or None


def _stored_responses(
    entries: list[tuple[int, EvaluationInput]],
) -> dict[tuple[int, str, str], _Stored]:
    """The stored responses with the keys these entries carry, with their choices."""
    wanted: dict[tuple[int, str], list[str]] = {}
    for cohort_id, data in entries:
        if data.response_key:
            wanted.setdefault((cohort_id, data.form_id), []).append(data.response_key)
    heads: list[tuple[int, str, Any]] = []
    for (cohort_id, form_id), keys in wanted.items():
        for start in range(0, len(keys), BULK):
            heads += [
                (cohort_id, form_id, row)
                for row in db.session.execute(
                    select(
                        EvaluationResponse.id,
                        EvaluationResponse.response_key,
                        EvaluationResponse.participant_id,
                        EvaluationResponse.answered_on,
                        EvaluationResponse.other_text,
                    ).where(
                        EvaluationResponse.cohort_id == cohort_id,
                        EvaluationResponse.form_id == form_id,
                        EvaluationResponse.response_key.in_(keys[start : start + BULK]),
                    )
                )
            ]
    choices: dict[int, set[str]] = {}
    for start in range(0, len(heads), BULK):
        chunk = [row.id for _, _, row in heads[start : start + BULK]]
        for response_id, option_id in db.session.execute(
            select(EvaluationChoice.response_id, EvaluationChoice.option_id).where(
                EvaluationChoice.response_id.in_(chunk)
            )
        ):
            choices.setdefault(response_id, set()).add(option_id)
    return {
        (c, f, row.response_key): _Stored(
            row.id,
            row.participant_id,
            row.answered_on,
            row.other_text,
            frozenset(choices.get(row.id, ())),
        )
        for c, f, row in heads
    }


def _insert_responses(fresh: list[tuple[int, EvaluationInput]]) -> list[int]:
    """Keyed responses (an import's) in one executemany, their ids read back by key
    (RETURNING with the rows' order kept is one statement per row on SQLite); a response
    without a key (the form's, one at a time) with RETURNING."""
    if not fresh:
        return []
    response = table(EvaluationResponse)
    created = now()
    rows = [
        {
            "cohort_id": cohort_id,
            "form_id": data.form_id,
            "participant_id": data.participant_id,
            "answered_on": data.answered_on,
            "other_text": _other(data.other_text),
            "response_key": data.response_key,
            "created_at": created,
        }
        for cohort_id, data in fresh
    ]
    keyed = [row for row in rows if row["response_key"]]
    if keyed:
        db.session.execute(insert(response), keyed)
    found = {(c, f, key): stored.id for (c, f, key), stored in _stored_responses(fresh).items()}
    ids = []
    for (cohort_id, data), row in zip(fresh, rows, strict=True):
        if data.response_key:
            ids.append(found[cohort_id, data.form_id, data.response_key])
        else:
            ids.append(db.session.scalars(insert(response).returning(response.c.id), [row]).one())
    _insert_choices(list(zip(ids, (data for _, data in fresh), strict=True)))
    return ids


def _insert_choices(responses: list[tuple[int, EvaluationInput]]) -> None:
    rows = [
        {"response_id": response_id, "option_id": choice}
        for response_id, data in responses
        for choice in dict.fromkeys(data.choices)
    ]
    if rows:
        db.session.execute(insert(table(EvaluationChoice)), rows)


def _change_responses(changed: list[tuple[int, EvaluationInput]]) -> None:
    """In place: the response keeps its id (its version bumped); its choices are replaced."""
    if not changed:
        return
    response = table(EvaluationResponse)
    db.session.execute(
        update(response)
        .where(response.c.id == bindparam("b_id"))
        .values(
            participant_id=bindparam("b_participant"),
            answered_on=bindparam("b_on"),
            other_text=bindparam("b_other"),
            version=response.c.version + 1,
        ),
        [
            {
                "b_id": response_id,
                "b_participant": data.participant_id,
                "b_on": data.answered_on,
                "b_other": _other(data.other_text),
            }
            for response_id, data in changed
        ],
    )
    ids = [response_id for response_id, _ in changed]
    db.session.execute(delete(EvaluationChoice).where(EvaluationChoice.response_id.in_(ids)))
    _insert_choices(changed)
