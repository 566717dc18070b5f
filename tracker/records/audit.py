"""The audit trail: who changed what, and when, written in the same transaction as the
change; and reading it (admins all of it, coordinators their organisation's)."""

from __future__ import annotations

from flask import has_request_context
from flask_login import current_user
from sqlalchemy import select

from tracker.db import db
from tracker.models import AuditEvent, Role, User

# Events that change nothing (who signed in, who took which file): audited, but they do not
# make cached figures stale.
READS = ("sign_in", "download")


def record(
    action: str,
    entity: str,
    entity_id: int | None,
    organisation_id: int | None,
    detail: str = "",
    actor: User | None = None,
) -> None:
    who = actor if actor is not None else _current()
    db.session.add(
        AuditEvent(
            user_id=who.id if who else None,
            username=who.username if who else "system",
            organisation_id=organisation_id,
            action=action,
            entity=entity,
            entity_id=entity_id,
            detail=detail,
        )
    )


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
