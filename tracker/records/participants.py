"""Enrolling participants in cohorts, and withdrawing consent (which erases their records)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import delete, func, select

from tracker.businesses import erasure as business_erasure
from tracker.db import db
from tracker.models import (
    AssessmentResponse,
    Attendance,
    Cohort,
    EvaluationResponse,
    FollowUp,
    Group,
    Membership,
    Participant,
    Referral,
)
from tracker.problems import Problem
from tracker.records import audit, erasure
from tracker.records.values import date_problems, parse_code


@dataclass(frozen=True)
class ParticipantInput:
    code: str
    group: Group
    consent_given: bool
    consent_given_on: date | None
    note: str | None


def roster(cohort: Cohort) -> list[Participant]:
    return list(
        db.session.scalars(
            select(Participant)
            .join(Membership, Membership.participant_id == Participant.id)
            .where(Membership.cohort_id == cohort.id)
            .order_by(Participant.code)
        )
    )


def by_code(organisation_id: int, code: str) -> Participant | None:
    return db.session.scalar(
        select(Participant).where(
            Participant.organisation_id == organisation_id, Participant.code == code
        )
    )


def enrol(cohort: Cohort, data: ParticipantInput) -> Participant | list[Problem]:
    """Add a participant to the cohort, creating them in the organisation when the code is new."""
    problems: list[Problem] = []
    code = parse_code(data.code)
    if isinstance(code, Problem):
        problems.append(code)
    if not data.consent_given or data.consent_given_on is None:
        message = _("Record a participant only once they have given consent.")
        problems.append(Problem("consent_given", message))
    else:
        problems += date_problems(data.consent_given_on, "consent_given_on", not_after=date.today())
    if problems or isinstance(code, Problem):
        return problems
    participant = by_code(cohort.organisation_id, code)
    if participant is None:
        participant = Participant(
            organisation_id=cohort.organisation_id,
            code=code,
            group=data.group,
            consent_given_on=data.consent_given_on,
            note=(data.note or "").strip() or None,
        )
        db.session.add(participant)
        db.session.flush()
        audit.record(
            "create", "participant", participant.id, cohort.organisation_id, cohort_id=cohort.id
        )
    elif _is_member(cohort.id, participant.id):
        return [Problem("code", _("%(code)s is already in this cohort.", code=code))]
    db.session.add(Membership(cohort_id=cohort.id, participant_id=participant.id))
    audit.record(
        "enrol",
        "participant",
        participant.id,
        cohort.organisation_id,
        f"cohort {cohort.id}",
        cohort_id=cohort.id,
    )
    db.session.commit()
    return participant


def _is_member(cohort_id: int, participant_id: int) -> bool:
    return (
        db.session.get(Membership, {"cohort_id": cohort_id, "participant_id": participant_id})
        is not None
    )


def cohort_ids_of(participant: Participant) -> list[int]:
    return list(
        db.session.scalars(
            select(Membership.cohort_id).where(Membership.participant_id == participant.id)
        )
    )


def withdraw_consent(participant: Participant, again: bool = False) -> dict[str, int]:
    """Erase the participant and every record about them, everywhere, in one transaction.

    The audit trail keeps only that a withdrawal happened and how many records went: not the
    code, which could tie the trail back to a person.
    """
    pid = participant.id
    counts = {
        "attendance": _count(Attendance.participant_id == pid, Attendance),
        "assessments": _count(AssessmentResponse.participant_id == pid, AssessmentResponse),
        "evaluations": _count(EvaluationResponse.participant_id == pid, EvaluationResponse),
        "cohorts": _count(Membership.participant_id == pid, Membership),
    }
    # The trail keeps that things happened, not to whom (before her rows go: it needs their ids).
    erasure.unlink_trail(pid)
    # Explicit deletes rather than trusting ON DELETE CASCADE alone: the erasure must not
    # depend on a database setting.
    from tracker.models import AssessmentAnswer, EvaluationChoice

    response_ids = select(AssessmentResponse.id).where(AssessmentResponse.participant_id == pid)
    db.session.execute(
        delete(AssessmentAnswer).where(AssessmentAnswer.response_id.in_(response_ids))
    )
    db.session.execute(delete(AssessmentResponse).where(AssessmentResponse.participant_id == pid))
    evaluation_ids = select(EvaluationResponse.id).where(EvaluationResponse.participant_id == pid)
    db.session.execute(
        delete(EvaluationChoice).where(EvaluationChoice.response_id.in_(evaluation_ids))
    )
    db.session.execute(delete(EvaluationResponse).where(EvaluationResponse.participant_id == pid))
    db.session.execute(delete(Attendance).where(Attendance.participant_id == pid))
    # Her businesses, and her name as a partner in another's (tracker.businesses.erasure);
    # counted only where her programme keeps them.
    if businesses := business_erasure.erase(pid):
        counts["businesses"] = businesses
    # Care records are hers too: referrals first (they point at follow-ups).
    db.session.execute(delete(Referral).where(Referral.participant_id == pid))
    db.session.execute(delete(FollowUp).where(FollowUp.participant_id == pid))
    db.session.execute(delete(Membership).where(Membership.participant_id == pid))
    organisation_id, code = participant.organisation_id, participant.code
    db.session.execute(delete(Participant).where(Participant.id == pid))
    audit.record(
        "erase_again" if again else "withdraw_consent",
        "participant",
        None,
        organisation_id,
        ", ".join(f"{key}: {value}" for key, value in counts.items()),
    )
    db.session.commit()
    # So that restoring an older backup cannot bring her back (tracker restore re-applies it).
    if not again:
        erasure.note(organisation_id, code)
        erasure.scrub_files()
    return counts


def _count(condition: object, model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(condition)) or 0  # type: ignore[arg-type]
