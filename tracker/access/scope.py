"""Which rows a user reaches: their organisation, their assigned cohorts, their grants.

A row outside the user's reach answers 404, the same as a row that does not exist, so ids
cannot be probed by guessing.
"""

from __future__ import annotations

from typing import Any

from flask import abort
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
    cohort = db.session.scalar(
        select(Cohort).where(Cohort.id == cohort_id, Cohort.id.in_(cohort_ids(user)))
    )
    if cohort is None:
        abort(404)
    return cohort


def organisation_or_404(user: User, organisation_id: int) -> Organisation:
    organisation = db.session.scalar(
        select(Organisation).where(
            Organisation.id == organisation_id, Organisation.id.in_(organisation_ids(user))
        )
    )
    if organisation is None:
        abort(404)
    return organisation


def session_or_404(user: User, session_id: int) -> TrainingSession:
    found = db.session.scalar(
        select(TrainingSession).where(
            TrainingSession.id == session_id, TrainingSession.cohort_id.in_(cohort_ids(user))
        )
    )
    if found is None:
        abort(404)
    return found


def participant_or_404(user: User, participant_id: int) -> Participant:
    if user.role is Role.facilitator:
        reachable = select(Membership.participant_id).where(
            Membership.cohort_id.in_(cohort_ids(user))
        )
        condition = Participant.id.in_(reachable)
    else:
        condition = Participant.organisation_id.in_(organisation_ids(user))
    found = db.session.scalar(
        select(Participant).where(Participant.id == participant_id, condition)
    )
    if found is None:
        abort(404)
    return found


def users(user: User) -> list[User]:
    query = select(User).order_by(User.username)
    if user.role is not Role.admin:
        query = query.where(User.organisation_id == user.organisation_id)
    return list(db.session.scalars(query))


def user_or_404(user: User, user_id: int) -> User:
    query = select(User).where(User.id == user_id)
    if user.role is not Role.admin:
        query = query.where(User.organisation_id == user.organisation_id)
    found = db.session.scalar(query)
    if found is None:
        abort(404)
    return found


def member_or_404(user: User, cohort: Cohort, participant_id: int) -> Participant:
    """A participant of this cohort, reachable by this user."""
    found = db.session.scalar(
        select(Participant)
        .join(Membership, Membership.participant_id == Participant.id)
        .where(Membership.cohort_id == cohort.id, Participant.id == participant_id)
    )
    if found is None:
        abort(404)
    return participant_or_404(user, found.id)
