"""Writing scorecard rounds: checked first, then one audited transaction.

A round is counted once: a sheet with a number (its serial) is stored once per collective,
and an imported row without one is keyed by a hash of the row. An edit or a deletion names
the version it was based on and is refused, with nothing written, when the round moved on.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import delete, select, update

from facilitator.scorecard_model import FACE_IDS, Scorecard
from tracker.db import db
from tracker.models import Organisation
from tracker.problems import Problem
from tracker.records import audit
from tracker.records.values import parse_past_date
from tracker.scorecards.models import Collective, Outcome, ScorecardAnswer, ScorecardRound
from tracker.scorecards.periods import period_of

PLACE_MAX = 100
SERIAL_MAX = 40  # shorter than a hash (64), so a key says which it is
DAYS_MAX = 3650
NAME_MAX = 200


@dataclass(frozen=True)
class RoundInput:
    held_on: date
    district: str
    block: str
    duty_bearer: str
    service: str
    outcome: Outcome | None
    days_waited: int | None
    answers: dict[str, str] = field(default_factory=dict)  # question id -> good/okay/bad
    # The sheet's number, or a hash of the imported row; None: typed in without a number.
    round_key: str | None = None


@dataclass(frozen=True)
class Conflict:
    """Someone saved or deleted the round after the page was opened: nothing was written."""

    current: ScorecardRound | None
    fields: list[str]


# ---------------------------------------------------------------- checks


def tidy(text: str) -> str:
    return " ".join(text.split())


def check(scorecard: Scorecard, data: RoundInput, row: int | None = None) -> list[Problem]:
    """Every problem of one round, each naming its field (a form input or a CSV column)."""
    problems: list[Problem] = []
    for name, value in (("district", data.district), ("block", data.block)):
        if not tidy(value):
            problems.append(Problem(name, _("Write the name of the place."), row))
        elif len(tidy(value)) > PLACE_MAX:
            message = _("A place name has at most %(n)d characters.", n=PLACE_MAX)
            problems.append(Problem(name, message, row))
    if scorecard.duty_bearer(data.duty_bearer) is None:
        message = _("'%(value)s' is not a kind of office on the scorecard.", value=data.duty_bearer)
        problems.append(Problem("duty_bearer", message, row))
    if scorecard.service(data.service) is None:
        message = _("'%(value)s' is not a service on the scorecard.", value=data.service)
        problems.append(Problem("service", message, row))
    if data.days_waited is not None and not 0 <= data.days_waited <= DAYS_MAX:
        message = _("Days waited is a whole number from 0 to %(n)d.", n=DAYS_MAX)
        problems.append(Problem("days_waited", message, row))
    for question_id, face in data.answers.items():
        if scorecard.question(question_id) is None:
            message = _("'%(value)s' is not a question on the scorecard.", value=question_id)
            problems.append(Problem(question_id, message, row))
        elif face not in FACE_IDS:
            message = _("Mark one face: good, okay or bad (or leave it blank).")
            problems.append(Problem(question_id, message, row))
    if not data.answers:
        message = _("Mark a face for at least one question: a sheet with no answers says nothing.")
        problems.append(Problem("answers", message, row))
    if data.round_key is not None and not data.round_key.strip():
        problems.append(Problem("serial", _("A sheet number cannot be only spaces."), row))
    return problems


def parse_days(raw: str, row: int | None = None) -> int | Problem | None:
    text = raw.strip()
    if not text:
        return None
    if not (text.isascii() and text.isdigit()) or int(text) > DAYS_MAX:
        message = _("Days waited is a whole number from 0 to %(n)d.", n=DAYS_MAX)
        return Problem("days_waited", message, row)
    return int(text)


def parse_outcome(raw: str, row: int | None = None) -> Outcome | Problem | None:
    text = raw.strip().lower()
    if not text:
        return None
    try:
        return Outcome(text)
    except ValueError:
        message = _("The outcome is granted, pending or refused (or blank if not known).")
        return Problem("outcome", message, row)


def parse_held_on(raw: str, row: int | None = None) -> date | Problem:
    return parse_past_date(raw, "held_on", row)


def row_key(data: RoundInput) -> str:
    """An imported row's key when its sheet has no number: a SHA-256 of the row, normalised
    (places folded, answers in order), so the same row always has the same key."""
    answers = ";".join(f"{q}={f}" for q, f in sorted(data.answers.items()))
    parts = [
        data.held_on.isoformat(),
        tidy(data.district).casefold(),
        tidy(data.block).casefold(),
        data.duty_bearer,
        data.service,
        data.outcome.value if data.outcome else "",
        "" if data.days_waited is None else str(data.days_waited),
        answers,
    ]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


# ---------------------------------------------------------------- places


def places(collective: Collective) -> tuple[list[str], list[str]]:
    """The districts and blocks this collective has written before, for the form's hints."""
    found = db.session.execute(
        select(ScorecardRound.district, ScorecardRound.block)
        .where(ScorecardRound.collective_id == collective.id)
        .distinct()
    ).all()
    return sorted({d for d, _ in found}), sorted({b for _, b in found})


def spelled(known: list[str], name: str) -> str:
    """The name as the collective first wrote it ('nadia' and 'Nadia' are one district)."""
    wanted = tidy(name)
    return next((k for k in known if k.casefold() == wanted.casefold()), wanted)


def canonical(data: RoundInput, districts: list[str], blocks: list[str]) -> RoundInput:
    return RoundInput(
        data.held_on,
        spelled(districts, data.district),
        spelled(blocks, data.block),
        data.duty_bearer,
        data.service,
        data.outcome,
        data.days_waited,
        dict(data.answers),
        data.round_key.strip() if data.round_key else None,
    )


# ---------------------------------------------------------------- collectives


def collectives_of(organisation_ids: list[int]) -> list[Collective]:
    return list(
        db.session.scalars(
            select(Collective)
            .where(Collective.organisation_id.in_(organisation_ids))
            .order_by(Collective.name, Collective.id)
        )
    )


def create_collective(organisation: Organisation, name: str) -> Collective | list[Problem]:
    name = tidy(name)
    if not name:
        return [Problem("name", _("A collective needs a name."))]
    if len(name) > NAME_MAX:
        return [Problem("name", _("A name has at most %(n)d characters.", n=NAME_MAX))]
    taken = db.session.scalar(
        select(Collective.id).where(
            Collective.organisation_id == organisation.id, Collective.name == name
        )
    )
    if taken is not None:
        return [Problem("name", _("Your organisation already has a collective of that name."))]
    collective = Collective(organisation_id=organisation.id, name=name)
    db.session.add(collective)
    db.session.flush()
    audit.record("create", "collective", collective.id, organisation.id, name)
    db.session.commit()
    return collective


# ---------------------------------------------------------------- rounds


def answers_of(round_ids: list[int]) -> dict[int, dict[str, str]]:
    found: dict[int, dict[str, str]] = {rid: {} for rid in round_ids}
    for start in range(0, len(round_ids), 2000):
        chunk = round_ids[start : start + 2000]
        for rid, question_id, face in db.session.execute(
            select(
                ScorecardAnswer.round_id, ScorecardAnswer.question_id, ScorecardAnswer.face
            ).where(ScorecardAnswer.round_id.in_(chunk))
        ):
            found[rid][question_id] = face
    return found


def round_in(collective: Collective, round_id: int) -> ScorecardRound | None:
    return db.session.scalar(
        select(ScorecardRound).where(
            ScorecardRound.id == round_id, ScorecardRound.collective_id == collective.id
        )
    )


def rounds(collective: Collective, limit: int = 200) -> list[ScorecardRound]:
    """The collective's latest rounds, newest first."""
    return list(
        db.session.scalars(
            select(ScorecardRound)
            .where(ScorecardRound.collective_id == collective.id)
            .order_by(ScorecardRound.held_on.desc(), ScorecardRound.id.desc())
            .limit(limit)
        )
    )


def _detail(data: RoundInput) -> str:
    # Offices and places only: a round names no person.
    return f"{period_of(data.held_on)} {tidy(data.district)} {data.duty_bearer} {data.service}"


def _columns(data: RoundInput) -> dict[str, object]:
    return {
        "held_on": data.held_on,
        "district": tidy(data.district),
        "block": tidy(data.block),
        "duty_bearer": data.duty_bearer,
        "service": data.service,
        "outcome": data.outcome,
        "days_waited": data.days_waited,
    }


def replace_answers(round_id: int, answers: dict[str, str]) -> None:
    db.session.execute(delete(ScorecardAnswer).where(ScorecardAnswer.round_id == round_id))
    db.session.add_all(
        ScorecardAnswer(round_id=round_id, question_id=q, face=f) for q, f in answers.items()
    )


def save(
    scorecard: Scorecard, collective: Collective, data: RoundInput
) -> ScorecardRound | list[Problem]:
    """A new round from the form (a sheet number given twice is refused)."""
    problems = check(scorecard, data)
    if data.round_key and _key_taken(collective, data.round_key):
        message = _("A sheet with this number is already recorded: each sheet has its own.")
        problems.append(Problem("serial", message))
    if problems:
        return problems
    data = canonical(data, *places(collective))
    found = ScorecardRound(collective_id=collective.id, round_key=data.round_key, **_columns(data))
    db.session.add(found)
    db.session.flush()
    replace_answers(found.id, data.answers)
    audit.record("record", "scorecard_round", found.id, collective.organisation_id, _detail(data))
    db.session.commit()
    return found


def _key_taken(collective: Collective, key: str, but: int | None = None) -> bool:
    query = select(ScorecardRound.id).where(
        ScorecardRound.collective_id == collective.id, ScorecardRound.round_key == key.strip()
    )
    if but is not None:
        query = query.where(ScorecardRound.id != but)
    return db.session.scalar(query) is not None


def edit(
    scorecard: Scorecard,
    collective: Collective,
    found: ScorecardRound,
    data: RoundInput,
    version: int,
) -> ScorecardRound | Conflict | list[Problem]:
    """Save an edit based on `version`; refused, nothing written, if the round moved on."""
    problems = check(scorecard, data)
    if data.round_key and _key_taken(collective, data.round_key, but=found.id):
        message = _("A sheet with this number is already recorded: each sheet has its own.")
        problems.append(Problem("serial", message))
    if problems:
        return problems
    data = canonical(data, *places(collective))
    saved = db.session.execute(
        update(ScorecardRound)
        .where(ScorecardRound.id == found.id, ScorecardRound.version == version)
        .values(**_columns(data), round_key=data.round_key, version=version + 1)
        .execution_options(synchronize_session=False)
    )
    if saved.rowcount != 1:  # type: ignore[attr-defined]
        db.session.rollback()
        return _conflict(collective, found.id, {**_columns(data), "answers": data.answers})
    replace_answers(found.id, data.answers)
    audit.record("update", "scorecard_round", found.id, collective.organisation_id, _detail(data))
    db.session.commit()
    db.session.refresh(found)
    return found


def remove(collective: Collective, found: ScorecardRound, version: int) -> Conflict | None:
    """Delete a round recorded by mistake, if it is still the version the page showed."""
    detail = _detail(input_of(found))
    round_id = found.id
    gone = db.session.execute(
        delete(ScorecardRound).where(
            ScorecardRound.id == round_id, ScorecardRound.version == version
        )
    )
    if gone.rowcount != 1:  # type: ignore[attr-defined]
        db.session.rollback()
        return _conflict(collective, round_id, {})
    audit.record("delete", "scorecard_round", round_id, collective.organisation_id, detail)
    db.session.commit()
    return None


def _conflict(collective: Collective, round_id: int, sent: dict[str, object]) -> Conflict:
    """The round as it is now, and the fields where it differs from what was sent."""
    db.session.expire_all()
    current = round_in(collective, round_id)
    if current is None:
        return Conflict(None, [])
    now = {**_columns(input_of(current)), "answers": answers_of([round_id])[round_id]}
    return Conflict(current, [name for name in sent if now[name] != sent[name]])


def input_of(found: ScorecardRound, answers: dict[str, str] | None = None) -> RoundInput:
    """A stored round as the form's input (what an edit starts from)."""
    return RoundInput(
        found.held_on,
        found.district,
        found.block,
        found.duty_bearer,
        found.service,
        found.outcome,
        found.days_waited,
        dict(answers or {}),
        found.round_key,
    )
