"""The audit trail: who changed what, and when, written in the same transaction as the
change; and reading it (admins all of it, coordinators their organisation's)."""

from __future__ import annotations

from collections.abc import Mapping

from flask import has_request_context
from flask_login import current_user
from sqlalchemy import func, select

from tracker.db import db
from tracker.models import AuditEvent, Role, User

# Events that change nothing (who signed in, who took which file), and what no summary
# counts (accounts, tokens, releases, files): audited, but they make no cached figure stale.
READS = ("sign_in", "download")
NO_FIGURES = ("user", "api_token", "release", "file")


def record(
    action: str,
    entity: str,
    entity_id: int | None,
    organisation_id: int | None,
    detail: str = "",
    actor: User | None = None,
    *,
    cohort_id: int | None = None,
) -> None:
    """cohort_id: the one cohort whose records the change touched. Without it a change that
    can alter figures makes every cohort of the organisation stale (of every organisation,
    without one): naming the cohort is what keeps other cohorts' cached counts."""
    who = actor if actor is not None else _current()
    changes = action not in READS and entity not in NO_FIGURES
    db.session.add(
        AuditEvent(
            user_id=who.id if who else None,
            username=who.username if who else "system",
            organisation_id=organisation_id,
            action=action,
            entity=entity,
            entity_id=entity_id,
            detail=detail,
            changes_figures=changes,
            cohort_id=cohort_id if changes else None,
        )
    )


def figure_versions(cohorts: Mapping[int, int]) -> dict[int, int]:
    """{cohort id: the id of the newest event that can have changed its figures} for
    {cohort id: its organisation id}: cached counts are kept under this version, so a write
    makes stale only what it touched. 0 where nothing was ever audited."""
    if not cohorts:
        return {}
    figures = AuditEvent.changes_figures.is_(True)
    found = {cid: 0 for cid in cohorts}
    rows = db.session.execute(
        select(AuditEvent.cohort_id, func.max(AuditEvent.id))
        .where(figures, AuditEvent.cohort_id.in_(list(cohorts)))
        .group_by(AuditEvent.cohort_id)
    )
    for cid, version in rows:
        if cid is not None:
            found[cid] = version
    organisations = set(cohorts.values())
    wide: dict[int | None, int] = dict(
        db.session.execute(  # type: ignore[arg-type]
            select(AuditEvent.organisation_id, func.max(AuditEvent.id))
            .where(
                figures,
                AuditEvent.cohort_id.is_(None),
                AuditEvent.organisation_id.in_(organisations)
                | AuditEvent.organisation_id.is_(None),
            )
            .group_by(AuditEvent.organisation_id)
        ).all()
    )
    everywhere = wide.get(None, 0)
    return {
        cid: max(version, wide.get(cohorts[cid], 0), everywhere) for cid, version in found.items()
    }


def _current() -> User | None:
    if has_request_context() and current_user and current_user.is_authenticated:
        return current_user._get_current_object()  # type: ignore[no-any-return]
    return None  # the CLI, the demo loader


PAGE_SIZE = 100


def events(user: User, page: int = 1) -> list[AuditEvent]:
    query = select(AuditEvent).order_by(AuditEvent.id.desc())
    if user.role is not Role.admin:
        query = query.where(AuditEvent.organisation_id == user.organisation_id)
    return list(db.session.scalars(query.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)))
