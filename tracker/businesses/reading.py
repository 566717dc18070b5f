"""Reading business records for the organisation's own pages: her businesses, a cohort's
list, one business with its history. Never for evaluators (they see the summary only)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import or_, select

from tracker.businesses.models import (
    Business,
    BusinessPartner,
    Disbursement,
    Stocktaking,
    StocktakingRisk,
)
from tracker.db import db
from tracker.models import Cohort, Participant


@dataclass
class StocktakingView:
    stocktaking: Stocktaking
    risks: list[str] = field(default_factory=list)


@dataclass
class BusinessView:
    business: Business
    owner_code: str
    partners: list[str] = field(default_factory=list)
    stocktakings: list[StocktakingView] = field(default_factory=list)  # newest first
    disbursements: list[Disbursement] = field(default_factory=list)  # newest first

    @property
    def latest(self) -> Stocktaking | None:
        return self.stocktakings[0].stocktaking if self.stocktakings else None

    @property
    def disbursed(self) -> int:
        return sum(d.amount for d in self.disbursements)


def views(cohort: Cohort, participant_id: int | None = None) -> list[BusinessView]:
    """The cohort's businesses (those she owns or is a partner in, when given), oldest
    first, each with its partners, stocktakings and disbursements."""
    query = (
        select(Business, Participant.code)
        .join(Participant, Participant.id == Business.participant_id)
        .where(Business.cohort_id == cohort.id)
        .order_by(Participant.code, Business.started_on, Business.id)
    )
    if participant_id is not None:
        partner_of = select(BusinessPartner.business_id).where(
            BusinessPartner.participant_id == participant_id
        )
        query = query.where(
            or_(Business.participant_id == participant_id, Business.id.in_(partner_of))
        )
    found = {b.id: BusinessView(b, code) for b, code in db.session.execute(query)}
    if found:
        _fill(found)
    return list(found.values())


def _fill(found: dict[int, BusinessView]) -> None:
    ids = list(found)
    for bid, code in db.session.execute(
        select(BusinessPartner.business_id, Participant.code)
        .join(Participant, Participant.id == BusinessPartner.participant_id)
        .where(BusinessPartner.business_id.in_(ids))
        .order_by(Participant.code)
    ):
        found[bid].partners.append(code)
    stocktakings: dict[int, StocktakingView] = {}
    for row in db.session.scalars(
        select(Stocktaking)
        .where(Stocktaking.business_id.in_(ids))
        .order_by(Stocktaking.taken_on.desc(), Stocktaking.id.desc())
    ):
        stocktakings[row.id] = StocktakingView(row)
        found[row.business_id].stocktakings.append(stocktakings[row.id])
    if stocktakings:
        for sid, risk in db.session.execute(
            select(StocktakingRisk.stocktaking_id, StocktakingRisk.risk_id)
            .where(StocktakingRisk.stocktaking_id.in_(list(stocktakings)))
            .order_by(StocktakingRisk.risk_id)
        ):
            stocktakings[sid].risks.append(risk)
    for money in db.session.scalars(
        select(Disbursement)
        .where(Disbursement.business_id.in_(ids))
        .order_by(Disbursement.paid_on.desc(), Disbursement.id.desc())
    ):
        found[money.business_id].disbursements.append(money)


def view(cohort: Cohort, business: Business) -> BusinessView:
    owner = db.session.get(Participant, business.participant_id)
    found = {business.id: BusinessView(business, owner.code if owner else "")}
    _fill(found)
    return found[business.id]
