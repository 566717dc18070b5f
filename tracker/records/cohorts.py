"""Creating and changing cohorts, and assigning facilitators to them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, select

from tracker import audit, content
from tracker.db import db
from tracker.models import Cohort, CohortFacilitator, Role, User
from tracker.problems import Problem


@dataclass(frozen=True)
class CohortInput:
    organisation_id: int
    name: str
    programme_id: str
    language: str
    place: str
    starts_on: date
    ends_on: date | None


def check(data: CohortInput) -> list[Problem]:
    problems: list[Problem] = []
    if not data.name.strip():
        problems.append(Problem("name", "a cohort needs a name"))
    if not data.place.strip():
        problems.append(Problem("place", "say where the cohort meets"))
    if data.programme_id not in content.content().programmes:
        problems.append(Problem("programme_id", f"no programme '{data.programme_id}'"))
    if data.language not in content.language_codes():
        problems.append(Problem("language", f"no language '{data.language}'"))
    if data.ends_on is not None and data.ends_on < data.starts_on:
        problems.append(Problem("ends_on", "the end date is before the start date"))
    return problems


def create(data: CohortInput) -> Cohort | list[Problem]:
    problems = check(data)
    if problems:
        return problems
    cohort = Cohort(
        organisation_id=data.organisation_id,
        name=data.name.strip(),
        programme_id=data.programme_id,
        language=data.language,
        place=data.place.strip(),
        starts_on=data.starts_on,
        ends_on=data.ends_on,
    )
    db.session.add(cohort)
    db.session.flush()
    audit.record("create", "cohort", cohort.id, cohort.organisation_id, cohort.name)
    db.session.commit()
    return cohort


def update(cohort: Cohort, data: CohortInput) -> Cohort | list[Problem]:
    problems = check(data)
    if data.programme_id != cohort.programme_id and _has_sessions(cohort):
        problems.append(
            Problem("programme_id", "the cohort has sessions: its programme cannot change")
        )
    if problems:
        return problems
    cohort.name = data.name.strip()
    cohort.programme_id = data.programme_id
    cohort.language = data.language
    cohort.place = data.place.strip()
    cohort.starts_on = data.starts_on
    cohort.ends_on = data.ends_on
    audit.record("update", "cohort", cohort.id, cohort.organisation_id, cohort.name)
    db.session.commit()
    return cohort


def _has_sessions(cohort: Cohort) -> bool:
    from tracker.models import TrainingSession

    found = db.session.scalar(
        select(TrainingSession.id).where(TrainingSession.cohort_id == cohort.id).limit(1)
    )
    return found is not None


def facilitator_ids(cohort: Cohort) -> list[int]:
    return list(
        db.session.scalars(
            select(CohortFacilitator.user_id).where(CohortFacilitator.cohort_id == cohort.id)
        )
    )


def facilitator_choices(cohort: Cohort) -> list[User]:
    """Users of the cohort's organisation who may be assigned to it."""
    return list(
        db.session.scalars(
            select(User)
            .where(
                User.organisation_id == cohort.organisation_id,
                User.role.in_([Role.facilitator, Role.coordinator]),
            )
            .order_by(User.username)
        )
    )


def assign(cohort: Cohort, user_ids: list[int]) -> list[Problem]:
    """Replace the cohort's facilitators; the problems, empty when saved."""
    allowed = {user.id for user in facilitator_choices(cohort)}
    wrong = [uid for uid in user_ids if uid not in allowed]
    if wrong:
        return [
            Problem("facilitators", f"user {uid} cannot facilitate this cohort") for uid in wrong
        ]
    db.session.execute(delete(CohortFacilitator).where(CohortFacilitator.cohort_id == cohort.id))
    for uid in sorted(set(user_ids)):
        db.session.add(CohortFacilitator(cohort_id=cohort.id, user_id=uid))
    audit.record(
        "assign",
        "cohort",
        cohort.id,
        cohort.organisation_id,
        "facilitators: " + ", ".join(str(u) for u in sorted(set(user_ids))),
    )
    db.session.commit()
    return []
