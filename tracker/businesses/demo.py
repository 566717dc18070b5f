"""Invented businesses for `tracker demo`: codes only, numbers made up so that the business
summary has something to show (most businesses start with a grant from the organisation,
some add a loan, a few close at each stocktaking, the rest grow slowly)."""

from __future__ import annotations

import random
from datetime import date, timedelta

from facilitator.business_model import business_records
from facilitator.load import Content
from tracker.businesses.models import (
    Business,
    BusinessPartner,
    Disbursement,
    MoneyKind,
    Stage,
    Stocktaking,
    StocktakingRisk,
)
from tracker.db import db
from tracker.models import Cohort, Participant

KIND_WEIGHTS = {
    "tailoring": 5,
    "beauty-salon": 3,
    "poultry": 4,
    "goat-rearing": 3,
    "small-shop": 3,
    "food-stall": 2,
}
RISK_WEIGHTS = {
    "family-control": 5,
    "competition": 4,
    "debts": 4,
    "stock-used-at-home": 3,
    "no-funds-when-needed": 5,
    "falling-prices": 2,
    "life-events": 2,
}
ANIMALS = ("poultry", "goat-rearing")
NEXT_STEPS = (
    "Buy thread in bulk before the festival season.",
    "Keep the stock in a locked box and note what the household takes.",
    "Open a savings account for the business.",
    "Agree with the family how much of the takings goes to the household.",
    "Vaccinate the birds before the rains.",
    "Sell for cash only until the old debts are paid.",
    "Ask the group for help with the accounts book.",
    "Visit the block office about the livelihoods scheme.",
)
GROWTH = (Stage.start_up, Stage.initial_growth, Stage.maturity, Stage.expansion)
STOCKTAKING_WEEKS = (16, 28, 40, 52)  # the stocktaking workshops, from the cohort's start


def add(loaded: Content, cohort: Cohort, participants: list[Participant]) -> int:
    """Businesses for a cohort of a programme that keeps business records; how many."""
    records = business_records(loaded)
    if records is None or not records.keeps_records(cohort.programme_id):
        return 0
    # A generator of its own: the other demo figures stay as they were before businesses.
    rng = random.Random(f"businesses {cohort.name}")
    kinds = [k for k in KIND_WEIGHTS if k in {kind.id for kind in records.kinds}]
    owners = rng.sample(participants, k=min(len(participants), 16))
    made = 0
    while owners:
        owner = owners.pop()
        partners = [owners.pop() for _ in range(2) if owners] if made % 7 == 3 else []
        kind = rng.choices(kinds, [KIND_WEIGHTS[k] for k in kinds])[0]
        started = cohort.starts_on + timedelta(weeks=rng.randint(2, 10))
        business = Business(
            cohort_id=cohort.id,
            participant_id=owner.id,
            kind=kind,
            started_on=started,
            group_business=bool(partners),
        )
        db.session.add(business)
        db.session.flush()
        db.session.add_all(
            BusinessPartner(business_id=business.id, participant_id=p.id) for p in partners
        )
        _money(rng, business, records.labels(records.sources))
        _stocktakings(rng, cohort, business, records.labels(records.risks))
        made += 1
    return made


def _money(rng: random.Random, business: Business, sources: dict[str, str]) -> None:
    first = 500 * rng.randint(16, 40)  # INR 8,000 to 20,000, as the first disbursements were
    db.session.add(
        Disbursement(
            business_id=business.id,
            paid_on=business.started_on,
            amount=first,
            kind=MoneyKind.grant,
            source="organisation",
        )
    )
    later = [s for s in ("bank", "government-scheme") if s in sources]
    if later and rng.random() < 0.4:
        db.session.add(
            Disbursement(
                business_id=business.id,
                paid_on=business.started_on + timedelta(weeks=rng.randint(20, 40)),
                amount=1000 * rng.randint(10, 30),
                kind=MoneyKind.loan,
                source=rng.choice(later),
            )
        )


def _stocktakings(
    rng: random.Random, cohort: Cohort, business: Business, risks: dict[str, str]
) -> None:
    step = 0
    for weeks in STOCKTAKING_WEEKS:
        taken_on = cohort.starts_on + timedelta(weeks=weeks)
        if taken_on <= business.started_on or taken_on > date.today():
            continue
        closed = rng.random() < 0.12
        if not closed and rng.random() < 0.6:
            step = min(step + 1, len(GROWTH) - 1)
        stocktaking = Stocktaking(
            business_id=business.id,
            taken_on=taken_on,
            stage=Stage.closed if closed else GROWTH[step],
            running=not closed and rng.random() > 0.06,
            next_steps=None if closed else rng.choice(NEXT_STEPS),
        )
        db.session.add(stocktaking)
        db.session.flush()
        for risk in _risks_met(rng, business.kind, risks):
            db.session.add(StocktakingRisk(stocktaking_id=stocktaking.id, risk_id=risk))
        if closed:
            return  # a closed business is not taken stock of again


def _risks_met(rng: random.Random, kind: str, risks: dict[str, str]) -> set[str]:
    weights = {r: w for r, w in RISK_WEIGHTS.items() if r in risks}
    if kind in ANIMALS and "livestock-disease" in risks:
        weights["livestock-disease"] = 5
    names = list(weights)
    return {rng.choices(names, [weights[n] for n in names])[0] for _ in range(rng.randint(0, 3))}
