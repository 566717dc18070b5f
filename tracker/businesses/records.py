"""Writing businesses: add, edit (based on the version the page showed), delete. One
transaction each, audited with the organisation (which also makes cached summaries stale).

The audit trail names the kind of business and dates, never a code: after a consent
withdrawal it must say nothing about who.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from flask_babel import gettext as _
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from tracker.businesses.checks import BusinessInput, business_problems
from tracker.businesses.models import (
    Business,
    BusinessPartner,
    Disbursement,
    Stocktaking,
    StocktakingRisk,
)
from tracker.db import db
from tracker.models import Cohort, Participant
from tracker.problems import Problem
from tracker.records import audit
from tracker.records.care import Conflict
from tracker.records.imports.running import cohort_codes

__all__ = [
    "Conflict",
    "add_business",
    "business_in",
    "delete_business",
    "deleted_or_conflict",
    "edit_business",
    "members",
    "new_business",
    "saved_or_problem",
    "set_partners",
    "versioned_update",
]

T = TypeVar("T")


def members(cohort: Cohort) -> dict[str, int]:
    """The cohort's participants, code -> id: where owners and partners come from."""
    return cohort_codes(cohort)


def business_in(cohort: Cohort, business_id: int) -> Business | None:
    return db.session.scalar(
        select(Business).where(Business.id == business_id, Business.cohort_id == cohort.id)
    )


def _detail(data: BusinessInput) -> str:
    return f"{data.kind} {data.started_on}" + (" group" if data.group_business else "")


def _duplicate(data: BusinessInput) -> Problem:
    message = _(
        "She has a business of this kind started on %(day)s already: open it to change it.",
        day=data.started_on,
    )
    return Problem("started_on", message)


def saved_or_problem(write: Callable[[], T], problem: Problem) -> T | list[Problem]:
    """Run a write that may meet a unique constraint (a record saved meanwhile, the same
    date twice): its problem instead of an error page, nothing written."""
    try:
        return write()
    except IntegrityError:
        db.session.rollback()
        return [problem]


def set_partners(business_id: int, partner_ids: Iterable[int]) -> None:
    db.session.execute(delete(BusinessPartner).where(BusinessPartner.business_id == business_id))
    for pid in partner_ids:
        db.session.add(BusinessPartner(business_id=business_id, participant_id=pid))


def new_business(
    cohort_id: int, owner_id: int, data: BusinessInput, partner_ids: Iterable[int]
) -> Business:
    """A business added with its partners, its id known (no commit): from her page or a file."""
    business = Business(
        cohort_id=cohort_id,
        participant_id=owner_id,
        kind=data.kind,
        started_on=data.started_on,
        group_business=data.group_business,
    )
    db.session.add(business)
    db.session.flush()
    set_partners(business.id, partner_ids)
    return business


def add_business(
    cohort: Cohort, owner: Participant, data: BusinessInput
) -> Business | list[Problem]:
    known = members(cohort)
    problems = business_problems(data, owner.code, known)
    if problems:
        return problems

    def write() -> Business:
        business = new_business(cohort.id, owner.id, data, [known[c] for c in data.partner_codes])
        db.session.flush()
        audit.record(
            "create",
            "business",
            business.id,
            cohort.organisation_id,
            _detail(data),
            cohort_id=cohort.id,
        )
        db.session.commit()
        return business

    return saved_or_problem(write, _duplicate(data))


def versioned_update(model: Any, row_id: int, version: int, values: Mapping[str, Any]) -> bool:
    """Save `values` if the row is still at `version` (and move it on); False if it moved."""
    saved = db.session.execute(
        update(model)
        .where(model.id == row_id, model.version == version)
        .values(**values, version=version + 1)
        .execution_options(synchronize_session=False)
    )
    return saved.rowcount == 1  # type: ignore[attr-defined, no-any-return]


def partner_codes(business_id: int) -> list[str]:
    return list(
        db.session.scalars(
            select(Participant.code)
            .join(BusinessPartner, BusinessPartner.participant_id == Participant.id)
            .where(BusinessPartner.business_id == business_id)
            .order_by(Participant.code)
        )
    )


def _conflict(business: Business, data: BusinessInput) -> Conflict:
    db.session.rollback()
    db.session.refresh(business)
    wanted = {
        "business_kind": data.kind,
        "started_on": data.started_on,
        "group_business": data.group_business,
        "partner_codes": sorted(data.partner_codes),
    }
    now = {
        "business_kind": business.kind,
        "started_on": business.started_on,
        "group_business": business.group_business,
        "partner_codes": partner_codes(business.id),
    }
    return Conflict(business, [name for name in wanted if wanted[name] != now[name]])


def edit_business(
    cohort: Cohort, business: Business, owner_code: str, data: BusinessInput, version: int
) -> Business | list[Problem] | Conflict:
    known = members(cohort)
    problems = business_problems(data, owner_code, known)
    first = db.session.scalar(
        select(func.min(Stocktaking.taken_on)).where(Stocktaking.business_id == business.id)
    )
    if first is not None and data.started_on > first:
        message = _(
            "Its first stocktaking is dated %(day)s: the business started before it.", day=first
        )
        problems.append(Problem("started_on", message))
    if problems:
        return problems
    values = {
        "kind": data.kind,
        "started_on": data.started_on,
        "group_business": data.group_business,
    }

    def write() -> Business | Conflict:
        if not versioned_update(Business, business.id, version, values):
            return _conflict(business, data)
        set_partners(business.id, [known[c] for c in data.partner_codes])
        db.session.flush()
        audit.record(
            "update",
            "business",
            business.id,
            cohort.organisation_id,
            _detail(data),
            cohort_id=cohort.id,
        )
        db.session.commit()
        db.session.refresh(business)
        return business

    return saved_or_problem(write, _duplicate(data))


def deleted_or_conflict(
    cohort: Cohort,
    row: Business | Stocktaking | Disbursement,
    version: int,
    entity: str,
    erase: Callable[[int], None] = lambda _id: None,
    detail: str = "",
) -> bool | Conflict:
    """Delete a row recorded by mistake if it is still at `version`, after `erase` deleted
    what hangs from it; else nothing deleted and the row as it is now."""
    row_id, model = row.id, type(row)
    if not versioned_update(model, row_id, version, {}):
        db.session.rollback()
        db.session.refresh(row)
        return Conflict(row, [])
    erase(row_id)
    db.session.execute(delete(model).where(model.id == row_id))
    audit.record("delete", entity, row_id, cohort.organisation_id, detail, cohort_id=cohort.id)
    db.session.commit()
    return True


def delete_business(cohort: Cohort, business: Business, version: int) -> bool | Conflict:
    """Delete a business recorded by mistake, with its stocktakings and disbursements."""
    detail = f"{business.kind} {business.started_on}"
    return deleted_or_conflict(
        cohort, business, version, "business", lambda bid: erase_children([bid]), detail
    )


def erase_children(business_ids: list[int]) -> None:
    """Everything that hangs from these businesses (no commit). Explicit deletes rather than
    trusting ON DELETE CASCADE alone: an erasure must not depend on a database setting."""
    stocktakings = select(Stocktaking.id).where(Stocktaking.business_id.in_(business_ids))
    db.session.execute(
        delete(StocktakingRisk).where(StocktakingRisk.stocktaking_id.in_(stocktakings))
    )
    db.session.execute(delete(Stocktaking).where(Stocktaking.business_id.in_(business_ids)))
    db.session.execute(delete(Disbursement).where(Disbursement.business_id.in_(business_ids)))
    db.session.execute(delete(BusinessPartner).where(BusinessPartner.business_id.in_(business_ids)))
