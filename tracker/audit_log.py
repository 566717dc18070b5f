"""Reading the audit trail: admins see all of it, coordinators their organisation's."""

from __future__ import annotations

from sqlalchemy import select

from tracker.db import db
from tracker.models import AuditEvent, Role, User

PAGE_SIZE = 100


def events(user: User, page: int = 1) -> list[AuditEvent]:
    query = select(AuditEvent).order_by(AuditEvent.id.desc())
    if user.role is not Role.admin:
        query = query.where(AuditEvent.organisation_id == user.organisation_id)
    return list(db.session.scalars(query.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)))
