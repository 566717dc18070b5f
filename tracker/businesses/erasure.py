"""What a consent withdrawal removes of the business records: the businesses she owns with
everything recorded about them, and her name as a partner in another's group business (that
business is the other woman's record and stays). The audit trail keeps that things happened,
not to whose business."""

from __future__ import annotations

from sqlalchemy import delete, select, update

from tracker.businesses.models import Business, BusinessPartner, Disbursement, Stocktaking
from tracker.businesses.records import erase_children
from tracker.db import db
from tracker.models import AuditEvent


def erase(participant_id: int) -> int:
    """Erase her business records (no commit): called by the consent withdrawal before her
    participant row goes. How many businesses of hers went."""
    owned = list(
        db.session.scalars(select(Business.id).where(Business.participant_id == participant_id))
    )
    _unlink_trail(owned)
    if owned:
        erase_children(owned)
        db.session.execute(delete(Business).where(Business.id.in_(owned)))
    db.session.execute(
        delete(BusinessPartner).where(BusinessPartner.participant_id == participant_id)
    )
    return len(owned)


def _unlink_trail(business_ids: list[int]) -> None:
    if not business_ids:
        return
    entities = {
        "business": business_ids,
        "stocktaking": select(Stocktaking.id).where(Stocktaking.business_id.in_(business_ids)),
        "disbursement": select(Disbursement.id).where(Disbursement.business_id.in_(business_ids)),
    }
    for entity, ids in entities.items():
        db.session.execute(
            update(AuditEvent)
            .where(AuditEvent.entity == entity, AuditEvent.entity_id.in_(ids))  # type: ignore[arg-type]
            .values(entity_id=None)
        )
