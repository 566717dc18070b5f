"""Which rows a user reaches: their organisation, their assigned cohorts, their grants.

A row outside the user's reach answers 404, the same as a row that does not exist, so ids
cannot be probed by guessing.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, select

from tracker.db import db
from tracker.models import (
    Cohort,
    CohortFacilitator,
    EvaluatorGrant,
    Membership,
    Organisation,
    Participant,
    Role,
    TrainingSession,
    User,
)


def organisation_ids(user: User) -> Select[Any]:
    if user.role is Role.admin:
        return select(Organisation.id)
    if user.role is Role.evaluator:
        return select(EvaluatorGrant.organisation_id).where(EvaluatorGrant.user_id == user.id)
    return select(Organisation.id).where(Organisation.id == user.organisation_id)


def cohort_ids(user: User) -> Select[Any]:
    if user.role is Role.facilitator:
        return select(CohortFacilitator.cohort_id).where(CohortFacilitator.user_id == user.id)
    return select(Cohort.id).where(Cohort.organisation_id.in_(organisation_ids(user)))


def cohorts(user: User) -> list[Cohort]:
    query = (
        select(Cohort)
        .where(Cohort.id.in_(cohort_ids(user)))
        .order_by(Cohort.starts_on.desc(), Cohort.id)
    )
    return list(db.session.scalars(query))


def organisations(user: User) -> list[Organisation]:
    query = (
        select(Organisation)
        .where(Organisation.id.in_(organisation_ids(user)))
        .order_by(Organisation.name)
    )
    return list(db.session.scalars(query))


def cohort_or_404(user: User, cohort_id: int) -> Cohort:
    return db.one_or_404(
        select(Cohort).where(Cohort.id == cohort_id, Cohort.id.in_(cohort_ids(user)))
    )


def organisation_or_404(user: User, organisation_id: int) -> Organisation:
    return db.one_or_404(
        select(Organisation).where(
            Organisation.id == organisation_id, Organisation.id.in_(organisation_ids(user))
        )
    )


def session_or_404(user: User, session_id: int) -> TrainingSession:
    return db.one_or_404(
        select(TrainingSession).where(
            TrainingSession.id == session_id, TrainingSession.cohort_id.in_(cohort_ids(user))
        )
    )


def participant_or_404(user: User, participant_id: int) -> Participant:
    if user.role is Role.facilitator:
        reachable = select(Membership.participant_id).where(
            Membership.cohort_id.in_(cohort_ids(user))
        )
        condition = Participant.id.in_(reachable)
    else:
        condition = Participant.organisation_id.in_(organisation_ids(user))
    return db.one_or_404(select(Participant).where(Participant.id == participant_id, condition))


def users(user: User) -> list[User]:
    query = select(User).order_by(User.username)
    if user.role is not Role.admin:
        query = query.where(User.organisation_id == user.organisation_id)
    return list(db.session.scalars(query))


def user_or_404(user: User, user_id: int) -> User:
    query = select(User).where(User.id == user_id)
    if user.role is not Role.admin:
        query = query.where(User.organisation_id == user.organisation_id)
    return db.one_or_404(query)


def member_or_404(user: User, cohort: Cohort, participant_id: int) -> Participant:
    """A participant of this cohort, reachable by this user."""
    found: Participant = db.one_or_404(
        select(Participant)
        .join(Membership, Membership.participant_id == Participant.id)
        .where(Membership.cohort_id == cohort.id, Participant.id == participant_id)
    )
    return participant_or_404(user, found.id)
