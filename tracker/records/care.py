"""Care follow-ups and referrals: an answer that meets its item's care rule (a "yes" to
self-harm) raises a follow-up her cohort's facilitators and coordinator see until they close
it; a referral records where she was referred, by whom, and what came of it.

Participant-level data: never read by tracker.summaries, erased with consent withdrawal.
Every edit names the version it was based on; one based on an older version is refused.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from flask_babel import gettext as _
from sqlalchemy import delete, exists, insert, select, update

from facilitator.care import follow_up_values
from tracker import content
from tracker.db import db
from tracker.models import (
    Cohort,
    FollowUp,
    FollowUpStatus,
    Participant,
    Referral,
    ReferralOutcome,
    Timepoint,
)
from tracker.problems import Problem
from tracker.records import audit

if TYPE_CHECKING:  # a type only: assessments calls raise_follow_ups from its write()
    from tracker.records.assessments import AssessmentInput

Key = tuple[int, int, str, Timepoint, str]  # cohort, participant, instrument, timepoint, item
KEY_COLUMNS = ("cohort_id", "participant_id", "instrument_id", "timepoint", "item_id")
NOTE_MAX = 500


# ---------------------------------------------------------------- raised by answers


def _rules(instrument_ids: Iterable[str]) -> dict[str, dict[str, frozenset[int]]]:
    instruments = content.content().instruments
    rules = {i: follow_up_values(instruments[i]) for i in set(instrument_ids) if i in instruments}
    return {i: items for i, items in rules.items() if items}


def raise_follow_ups(entries: list[tuple[int, AssessmentInput]]) -> None:
    """Raise a follow-up for each answer that meets its item's rule; remove an open one with
    no referral whose answer no longer does. No commit; a few statements per call."""
    rules = _rules(data.instrument_id for _, data in entries)
    relevant = [(c, d) for c, d in entries if d.instrument_id in rules]
    if not relevant:
        return
    existing = {
        (r.cohort_id, r.participant_id, r.instrument_id, r.timepoint, r.item_id): r
        for r in db.session.execute(
            select(
                FollowUp.id,
                FollowUp.cohort_id,
                FollowUp.participant_id,
                FollowUp.instrument_id,
                FollowUp.timepoint,
                FollowUp.item_id,
                FollowUp.status,
                FollowUp.value,
                FollowUp.answered_on,
                exists().where(Referral.follow_up_id == FollowUp.id).label("referred"),
            ).where(
                FollowUp.cohort_id.in_({c for c, _ in relevant}),
                FollowUp.instrument_id.in_(rules),
            )
        )
    }
    new: dict[Key, dict[str, Any]] = {}
    changed: list[dict[str, Any]] = []
    gone: list[Any] = []
    for cohort_id, data in relevant:
        for item_id, values in rules[data.instrument_id].items():
            key = (cohort_id, data.participant_id, data.instrument_id, data.timepoint, item_id)
            value = data.answers.get(item_id)
            found: Any = existing.get(key)
            answer = {"value": value, "answered_on": data.answered_on}
            if value in values and found is None:
                new[key] = dict(zip(KEY_COLUMNS, key, strict=True)) | answer
            elif value in values and (found.value, found.answered_on) != (value, data.answered_on):
                changed.append({"id": found.id} | answer)
            elif value not in values and found is not None and _removable(found):
                gone.append(found)
    _write(list(new.values()), changed, gone)


def _removable(row: Any) -> bool:
    """An open follow-up with no referral: raised by an answer that no longer meets the rule."""
    return row.status is FollowUpStatus.open and not row.referred


def _write(new: list[dict[str, Any]], changed: list[dict[str, Any]], gone: list[Any]) -> None:
    if changed:
        db.session.execute(update(FollowUp), changed)
    if not new and not gone:
        return
    ids = (
        list(
            db.session.scalars(
                insert(FollowUp).returning(FollowUp.id, sort_by_parameter_order=True), new
            )
        )
        if new
        else []
    )
    for start in range(0, len(gone), 500):
        chunk = [row.id for row in gone[start : start + 500]]
        db.session.execute(delete(FollowUp).where(FollowUp.id.in_(chunk)))
    organisations = _organisations({row["cohort_id"] for row in new} | {r.cohort_id for r in gone})
    for fid, row in zip(ids, new, strict=True):
        audit.record(
            "raise",
            "follow_up",
            fid,
            organisations[row["cohort_id"]],
            _what(row),
            cohort_id=row["cohort_id"],
        )
    for row in gone:
        audit.record(
            "remove",
            "follow_up",
            row.id,
            organisations[row.cohort_id],
            _what(row),
            cohort_id=row.cohort_id,
        )


def _what(row: Any) -> str:
    values = row if isinstance(row, dict) else {k: getattr(row, k) for k in KEY_COLUMNS[2:]}
    return f"{values['instrument_id']}/{values['item_id']} {Timepoint(values['timepoint']).value}"


def _organisations(cohort_ids: set[int]) -> dict[int, int]:
    rows = db.session.execute(
        select(Cohort.id, Cohort.organisation_id).where(Cohort.id.in_(cohort_ids))
    )
    return {cid: oid for cid, oid in rows}


def forget_answers(
    cohort_id: int, participant_id: int, instrument_id: str, timepoint: Timepoint
) -> int:
    """For a deleted response: its open follow-ups with no referral go (no commit); those
    with a referral stay, as the record of the care given. How many went."""
    gone = list(
        db.session.execute(
            select(
                FollowUp.id,
                FollowUp.cohort_id,
                FollowUp.instrument_id,
                FollowUp.item_id,
                FollowUp.timepoint,
            ).where(
                FollowUp.cohort_id == cohort_id,
                FollowUp.participant_id == participant_id,
                FollowUp.instrument_id == instrument_id,
                FollowUp.timepoint == timepoint,
                FollowUp.status == FollowUpStatus.open,
                ~exists().where(Referral.follow_up_id == FollowUp.id),
            )
        )
    )
    _write([], [], gone)
    return len(gone)


# ---------------------------------------------------------------- what a page shows


@dataclass
class FollowUpView:
    follow_up: FollowUp
    code: str
    referrals: list[Referral] = field(default_factory=list)

    @property
    def next_check(self) -> date | None:
        dates = [r.next_check_on for r in self.referrals if r.next_check_on is not None]
        return min(dates) if dates else None

    @property
    def overdue(self) -> bool:
        check = self.next_check
        return (
            self.follow_up.status is FollowUpStatus.open
            and check is not None
            and check < date.today()
        )


def follow_ups(
    cohort: Cohort, participant_id: int | None = None, open_only: bool = True
) -> list[FollowUpView]:
    """A cohort's follow-ups (open ones only unless told), oldest answer first."""
    query = (
        select(FollowUp, Participant.code)
        .join(Participant, Participant.id == FollowUp.participant_id)
        .where(FollowUp.cohort_id == cohort.id)
        .order_by(FollowUp.status, FollowUp.answered_on, Participant.code, FollowUp.id)
    )
    if participant_id is not None:
        query = query.where(FollowUp.participant_id == participant_id)
    if open_only:
        query = query.where(FollowUp.status == FollowUpStatus.open)
    views = [FollowUpView(f, code) for f, code in db.session.execute(query)]
    by_id = {view.follow_up.id: view for view in views}
    if by_id:
        for referral in db.session.scalars(
            select(Referral)
            .where(Referral.follow_up_id.in_(by_id))
            .order_by(Referral.referred_on, Referral.id)
        ):
            by_id[referral.follow_up_id].referrals.append(referral)  # type: ignore[index]
    return views


def referrals(cohort: Cohort, participant_id: int) -> list[Referral]:
    """Every referral of a participant in this cohort, the latest first."""
    return list(
        db.session.scalars(
            select(Referral)
            .where(Referral.cohort_id == cohort.id, Referral.participant_id == participant_id)
            .order_by(Referral.referred_on.desc(), Referral.id.desc())
        )
    )


def follow_up_in(cohort: Cohort, follow_up_id: int) -> FollowUp | None:
    return db.session.scalar(
        select(FollowUp).where(FollowUp.id == follow_up_id, FollowUp.cohort_id == cohort.id)
    )


def referral_in(cohort: Cohort, referral_id: int) -> Referral | None:
    return db.session.scalar(
        select(Referral).where(Referral.id == referral_id, Referral.cohort_id == cohort.id)
    )


def services(language: str | None = None) -> list[tuple[str, str]]:
    """The curriculum's kinds of service, (id, label) in `language`."""
    return [(s.id, s.label) for s in content.content(language).curriculum.services]


# ---------------------------------------------------------------- referrals


@dataclass(frozen=True)
class ReferralInput:
    referred_on: date
    service: str
    outcome: ReferralOutcome
    next_check_on: date | None
    note: str | None


@dataclass(frozen=True)
class Conflict:
    """Someone saved the record after the form was opened: nothing was written. `current`
    is the record as it is now; `fields` the ones where it differs from what was sent."""

    current: Any
    fields: list[str]


EDITABLE = ("referred_on", "service", "outcome", "next_check_on", "note")


def check_referral(data: ReferralInput) -> list[Problem]:
    problems = []
    if data.service not in {sid for sid, _ in services()}:
        problems.append(Problem("service", _("Choose a kind of service from the list.")))
    if data.referred_on > date.today():
        problems.append(Problem("referred_on", _("The referral date is in the future.")))
    if data.next_check_on is not None and data.next_check_on < data.referred_on:
        problems.append(
            Problem("next_check_on", _("The next check cannot come before the referral."))
        )
    if data.note is not None and len(data.note) > NOTE_MAX:
        problems.append(Problem("note", _("Keep the note under %(n)s characters.", n=NOTE_MAX)))
    return problems


def _values(data: ReferralInput) -> dict[str, Any]:
    return {
        "referred_on": data.referred_on,
        "service": data.service,
        "outcome": data.outcome,
        "next_check_on": data.next_check_on,
        "note": (data.note or "").strip() or None,
    }


def add_referral(
    cohort: Cohort, participant_id: int, follow_up: FollowUp | None, data: ReferralInput, by: str
) -> Referral | list[Problem]:
    """Record a referral (for a follow-up, or from her page), made by `by` (a username)."""
    problems = check_referral(data)
    if problems:
        return problems
    referral = Referral(
        cohort_id=cohort.id,
        participant_id=participant_id,
        follow_up_id=follow_up.id if follow_up else None,
        made_by=by,
        **_values(data),
    )
    db.session.add(referral)
    db.session.flush()
    audit.record(
        "create",
        "referral",
        referral.id,
        cohort.organisation_id,
        f"{data.service} {data.outcome.value}"
        + (f" follow_up {follow_up.id}" if follow_up else ""),
        cohort_id=cohort.id,
    )
    db.session.commit()
    return referral


def edit_referral(
    cohort: Cohort, referral: Referral, data: ReferralInput, version: int
) -> Referral | list[Problem] | Conflict:
    """Save an edit based on `version`; refused (nothing written) if the record moved on."""
    problems = check_referral(data)
    if problems:
        return problems
    values = _values(data)
    saved = db.session.execute(
        update(Referral)
        .where(Referral.id == referral.id, Referral.version == version)
        .values(**values, version=version + 1)
        .execution_options(synchronize_session=False)
    )
    if saved.rowcount != 1:  # type: ignore[attr-defined]
        db.session.rollback()
        db.session.refresh(referral)
        return Conflict(referral, [f for f in EDITABLE if getattr(referral, f) != values[f]])
    audit.record(
        "update",
        "referral",
        referral.id,
        cohort.organisation_id,
        f"{data.service} {data.outcome.value}",
        cohort_id=cohort.id,
    )
    db.session.commit()
    db.session.refresh(referral)
    return referral


# ---------------------------------------------------------------- closing a follow-up


def set_status(
    cohort: Cohort, follow_up: FollowUp, status: FollowUpStatus, version: int, by: str
) -> FollowUp | Conflict:
    """Close (or reopen) a follow-up, based on `version`; refused if it moved on."""
    closed = status is FollowUpStatus.closed
    saved = db.session.execute(
        update(FollowUp)
        .where(FollowUp.id == follow_up.id, FollowUp.version == version)
        .values(
            status=status,
            closed_on=date.today() if closed else None,
            closed_by=by if closed else None,
            version=version + 1,
        )
        .execution_options(synchronize_session=False)
    )
    if saved.rowcount != 1:  # type: ignore[attr-defined]
        db.session.rollback()
        db.session.refresh(follow_up)
        return Conflict(follow_up, ["status"] if follow_up.status is not status else [])
    audit.record(
        "close" if closed else "reopen",
        "follow_up",
        follow_up.id,
        cohort.organisation_id,
        _what(follow_up),
        cohort_id=cohort.id,
    )
    db.session.commit()
    db.session.refresh(follow_up)
    return follow_up
