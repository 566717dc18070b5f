"""A cohort's facilitators, assigned on a page that names the version it was based on.

The assignment has no row of its own: the cohort's version guards it. A save is refused
when the cohort moved on since the page was opened AND the facilitators the page showed are
no longer the ones assigned (an edit of the cohort's place alone refuses nothing here)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import CursorResult, update

from tracker.db import db
from tracker.models import Cohort
from tracker.problems import Problem
from tracker.records import cohorts as cohort_records


@dataclass(frozen=True)
class FacilitatorConflict:
    """Someone changed the cohort's facilitators after this page was opened."""

    version: int
    added: list[str]  # usernames assigned since
    removed: list[str]  # usernames no longer assigned
    now: list[int]


def assign(
    cohort: Cohort, user_ids: list[int], shown: Iterable[int], base_version: int
) -> list[Problem] | FacilitatorConflict:
    """Replace the cohort's facilitators unless they changed since the page; problems
    (empty when saved) or the conflict. The cohort's version is bumped with the save."""
    seen_version = cohort.version
    now = set(cohort_records.facilitator_ids(cohort))
    if seen_version != base_version and now != set(shown):
        return _conflict(cohort, shown)
    # Claim the version we read: of two saves at once, the second matches nothing.
    claimed = db.session.execute(
        update(Cohort)
        .where(Cohort.id == cohort.id, Cohort.version == seen_version)
        .values(version=Cohort.version + 1)
        .execution_options(synchronize_session=False)
    )
    if cast(CursorResult[Any], claimed).rowcount != 1:
        db.session.rollback()
        return _conflict(cohort, shown)
    problems = cohort_records.assign(cohort, user_ids)  # audits and commits when saved
    if problems:
        db.session.rollback()
    return problems


def _conflict(cohort: Cohort, shown: Iterable[int]) -> FacilitatorConflict:
    db.session.refresh(cohort)
    now = set(cohort_records.facilitator_ids(cohort))
    names = {user.id: user.username for user in cohort_records.facilitator_choices(cohort)}
    before = set(shown)
    return FacilitatorConflict(
        cohort.version,
        sorted(names.get(uid, str(uid)) for uid in now - before),
        sorted(names.get(uid, str(uid)) for uid in before - now),
        sorted(now),
    )
