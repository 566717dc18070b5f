"""Who reaches which collective and which shared period.

A collective's rounds and exact figures: its organisation's coordinators and facilitators
(and admins). A period the collective published: evaluators granted its organisation, and
the staff of every organisation, as protected aggregates only. Anything else answers 404,
the same as an id that does not exist.
"""

from __future__ import annotations

from flask import abort
from sqlalchemy import select

from tracker.access.scope import organisation_ids
from tracker.db import db
from tracker.models import Organisation, Role, User
from tracker.scorecards.models import Collective, ScorecardPublication


def collectives(user: User) -> list[Collective]:
    if user.role is Role.evaluator:
        return []
    query = select(Collective).order_by(Collective.name, Collective.id)
    if user.role is not Role.admin:
        query = query.where(Collective.organisation_id == user.organisation_id)
    return list(db.session.scalars(query))


def collective_or_404(user: User, collective_id: int) -> Collective:
    found = db.session.get(Collective, collective_id)
    if found is None or user.role is Role.evaluator:
        abort(404)
    if user.role is not Role.admin and found.organisation_id != user.organisation_id:
        abort(404)
    return found


def _shared_with(user: User) -> list[int] | None:
    """The organisations whose shared periods `user` reads; None: every organisation."""
    if user.role is Role.evaluator:
        return list(db.session.scalars(organisation_ids(user)))
    return None


def publications(user: User) -> list[tuple[ScorecardPublication, Collective, Organisation]]:
    query = (
        select(ScorecardPublication, Collective, Organisation)
        .join(Collective, Collective.id == ScorecardPublication.collective_id)
        .join(Organisation, Organisation.id == Collective.organisation_id)
        .order_by(Organisation.name, Collective.name, ScorecardPublication.period.desc())
    )
    granted = _shared_with(user)
    if granted is not None:
        query = query.where(Collective.organisation_id.in_(granted))
    return [(p, c, o) for p, c, o in db.session.execute(query)]


def publication_or_404(user: User, publication_id: int) -> tuple[ScorecardPublication, Collective]:
    shared = db.session.get(ScorecardPublication, publication_id)
    if shared is None:
        abort(404)
    collective = db.session.get(Collective, shared.collective_id)
    granted = _shared_with(user)
    if collective is None or (granted is not None and collective.organisation_id not in granted):
        abort(404)
    return shared, collective
