"""Creating and changing cohorts, and assigning facilitators to them.

An edit names the version of the cohort it was based on: one based on an older version is
refused (with what changed since), never overwrites; every save bumps the version.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from flask_babel import gettext as _
from sqlalchemy import CursorResult, delete, select
from sqlalchemy import update as sql_update

from tracker import content
from tracker.db import db
from tracker.models import Cohort, CohortFacilitator, Role, User
from tracker.problems import Problem
from tracker.records import audit
from tracker.records.values import date_problems


@dataclass(frozen=True)
class CohortInput:
    organisation_id: int
    name: str
    programme_id: str
    language: str
    place: str
    starts_on: date
    ends_on: date | None


# The fields an edit may change, in the order of the form.
EDITABLE = ("name", "programme_id", "language", "place", "starts_on", "ends_on")


@dataclass(frozen=True)
class CohortChange:
    """A field someone else saved since the page was opened: as shown then, and now."""

    field: str
    shown: str
    now: str


@dataclass(frozen=True)
class CohortConflict:
    """The cohort was saved by someone else after this page was opened."""

    version: int
    changes: list[CohortChange]
    now: dict[str, str]


def check(data: CohortInput) -> list[Problem]:
    problems: list[Problem] = []
    if not data.name.strip():
        problems.append(Problem("name", _("A cohort needs a name.")))
    if not data.place.strip():
        problems.append(Problem("place", _("Say where the cohort meets.")))
    if data.programme_id not in content.content().programmes:
        problems.append(
            Problem(
                "programme_id",
                _(
                    "There is no programme '%(id)s': choose one from the list.",
                    id=data.programme_id,
                ),
            )
        )
    if data.language not in content.language_codes():
        problems.append(
            Problem(
                "language",
                _("There is no language '%(code)s': choose one from the list.", code=data.language),
            )
        )
    problems += date_problems(data.starts_on, "starts_on")
    if data.ends_on is not None and data.ends_on < data.starts_on:
        problems.append(Problem("ends_on", _("The end date is before the start date.")))
    elif data.ends_on is not None:
        problems += date_problems(data.ends_on, "ends_on")
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
    audit.record(
        "create", "cohort", cohort.id, cohort.organisation_id, cohort.name, cohort_id=cohort.id
    )
    db.session.commit()
    return cohort


def update(
    cohort: Cohort,
    data: CohortInput,
    base_version: int | None = None,
    shown: Mapping[str, str] | None = None,
) -> Cohort | CohortConflict | list[Problem]:
    """Save the edit if the cohort is still the version the page was based on (any version
    when None, for scripts), and bump it. The check and the write are one conditional
    UPDATE: of two edits based on the same version, exactly one is saved. `shown` is what
    the page showed (field name: value as in `values`), to tell her what changed since."""
    problems = check(data)
    if data.programme_id != cohort.programme_id and _has_sessions(cohort):
        problems.append(
            Problem("programme_id", _("The cohort has sessions: its programme cannot change."))
        )
    if problems:
        return problems
    claim = sql_update(Cohort).where(Cohort.id == cohort.id)
    if base_version is not None:
        claim = claim.where(Cohort.version == base_version)
    written = db.session.execute(
        claim.values(
            name=data.name.strip(),
            programme_id=data.programme_id,
            language=data.language,
            place=data.place.strip(),
            starts_on=data.starts_on,
            ends_on=data.ends_on,
            version=Cohort.version + 1,
        ).execution_options(synchronize_session=False)
    )
    if cast(CursorResult[Any], written).rowcount != 1:
        db.session.rollback()
        found = conflict(cohort, shown or {})
        if shown and not found.changes and base_version is not None:
            # The version moved for something this form does not show (its facilitators
            # were saved): nothing she saw has changed, so her edit goes on the new version.
            return update(cohort, data, found.version, shown)
        return found
    audit.record(
        "update",
        "cohort",
        cohort.id,
        cohort.organisation_id,
        data.name.strip(),
        cohort_id=cohort.id,
    )
    db.session.commit()
    db.session.refresh(cohort)
    return cohort


def values(cohort: Cohort) -> dict[str, str]:
    """The editable fields as a form shows them (dates as YYYY-MM-DD, no end date as "")."""
    return {
        "name": cohort.name,
        "programme_id": cohort.programme_id,
        "language": cohort.language,
        "place": cohort.place,
        "starts_on": cohort.starts_on.isoformat(),
        "ends_on": cohort.ends_on.isoformat() if cohort.ends_on else "",
    }


def conflict(cohort: Cohort, shown: Mapping[str, str]) -> CohortConflict:
    """What changed since the page showed `shown`: the fields saved by someone else."""
    db.session.refresh(cohort)
    now = values(cohort)
    changes = [
        CohortChange(field, shown[field], now[field])
        for field in EDITABLE
        if field in shown and shown[field] != now[field]
    ]
    return CohortConflict(cohort.version, changes, now)


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
            Problem(
                "facilitators",
                _(
                    "Only facilitators and coordinators of the cohort's organisation can "
                    "facilitate it."
                ),
            )
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
        cohort_id=cohort.id,
    )
    db.session.commit()
    return []
