"""Writing what is recorded about a business over time: its stocktakings (stage, running,
risks met, next steps) and the money disbursed to it. Add, edit based on the version the
page showed, delete; one audited transaction each."""

from __future__ import annotations

from typing import Any, TypeVar

from flask_babel import gettext as _
from sqlalchemy import delete, select

from tracker.businesses.checks import DisbursementInput, StocktakingInput, stocktaking_problems
from tracker.businesses.models import Business, Disbursement, Stocktaking, StocktakingRisk
from tracker.businesses.records import (
    Conflict,
    deleted_or_conflict,
    saved_or_problem,
    versioned_update,
)
from tracker.db import db
from tracker.models import Cohort
from tracker.problems import Problem
from tracker.records import audit

R = TypeVar("R", Stocktaking, Disbursement)


def stocktaking_in(business: Business, stocktaking_id: int) -> Stocktaking | None:
    return db.session.scalar(
        select(Stocktaking).where(
            Stocktaking.id == stocktaking_id, Stocktaking.business_id == business.id
        )
    )


def disbursement_in(business: Business, disbursement_id: int) -> Disbursement | None:
    return db.session.scalar(
        select(Disbursement).where(
            Disbursement.id == disbursement_id, Disbursement.business_id == business.id
        )
    )


def risks_of(stocktaking_id: int) -> list[str]:
    return list(
        db.session.scalars(
            select(StocktakingRisk.risk_id)
            .where(StocktakingRisk.stocktaking_id == stocktaking_id)
            .order_by(StocktakingRisk.risk_id)
        )
    )


# ---------------------------------------------------------------- stocktakings


def stocktaking_values(data: StocktakingInput) -> dict[str, Any]:
    return {
        "taken_on": data.taken_on,
        "stage": data.stage,
        "running": data.running,
        "other_risk": data.other_risk,
        "next_steps": data.next_steps,
    }


def set_risks(stocktaking_id: int, risks: tuple[str, ...]) -> None:
    db.session.execute(
        delete(StocktakingRisk).where(StocktakingRisk.stocktaking_id == stocktaking_id)
    )
    for risk in risks:
        db.session.add(StocktakingRisk(stocktaking_id=stocktaking_id, risk_id=risk))


def _stocktaking_twice(data: StocktakingInput) -> Problem:
    message = _(
        "This business has a stocktaking on %(day)s already: open it to change it.",
        day=data.taken_on,
    )
    return Problem("taken_on", message)


def _what(data: StocktakingInput) -> str:
    return f"{data.taken_on} {data.stage.value}"


def _stale(row: Stocktaking | Disbursement, values: dict[str, Any]) -> Conflict:
    """Someone saved the row meanwhile: nothing written, and the fields that now differ."""
    db.session.rollback()
    db.session.refresh(row)
    return Conflict(row, [k for k, v in values.items() if getattr(row, k) != v])


def _created(cohort: Cohort, row: R, entity: str, detail: str) -> R:
    db.session.flush()
    audit.record("create", entity, row.id, cohort.organisation_id, detail, cohort_id=cohort.id)
    db.session.commit()
    return row


def _updated(cohort: Cohort, row: R, entity: str, detail: str) -> R:
    db.session.flush()
    audit.record("update", entity, row.id, cohort.organisation_id, detail, cohort_id=cohort.id)
    db.session.commit()
    db.session.refresh(row)
    return row


def add_stocktaking(
    cohort: Cohort, business: Business, data: StocktakingInput
) -> Stocktaking | list[Problem]:
    problems = stocktaking_problems(data, business.started_on)
    if problems:
        return problems

    def write() -> Stocktaking:
        found = Stocktaking(business_id=business.id, **stocktaking_values(data))
        db.session.add(found)
        db.session.flush()
        set_risks(found.id, data.risks)
        return _created(cohort, found, "stocktaking", _what(data))

    return saved_or_problem(write, _stocktaking_twice(data))


def edit_stocktaking(
    cohort: Cohort,
    business: Business,
    stocktaking: Stocktaking,
    data: StocktakingInput,
    version: int,
) -> Stocktaking | list[Problem] | Conflict:
    problems = stocktaking_problems(data, business.started_on)
    if problems:
        return problems
    values = stocktaking_values(data)

    def write() -> Stocktaking | Conflict:
        if not versioned_update(Stocktaking, stocktaking.id, version, values):
            stale = _stale(stocktaking, values)
            if sorted(data.risks) != risks_of(stocktaking.id):
                stale.fields.append("risks")
            return stale
        set_risks(stocktaking.id, data.risks)
        return _updated(cohort, stocktaking, "stocktaking", _what(data))

    return saved_or_problem(write, _stocktaking_twice(data))


def delete_stocktaking(cohort: Cohort, stocktaking: Stocktaking, version: int) -> bool | Conflict:
    def erase(sid: int) -> None:
        db.session.execute(delete(StocktakingRisk).where(StocktakingRisk.stocktaking_id == sid))

    return deleted_or_conflict(cohort, stocktaking, version, "stocktaking", erase)


# ---------------------------------------------------------------- disbursements


def disbursement_values(data: DisbursementInput) -> dict[str, Any]:
    return {
        "paid_on": data.paid_on,
        "amount": data.amount,
        "kind": data.kind,
        "source": data.source,
    }


def _paid_twice(data: DisbursementInput) -> Problem:
    message = _(
        "Money of this kind from the same source on %(day)s is recorded already: "
        "open it to change it.",
        day=data.paid_on,
    )
    return Problem("paid_on", message)


def _paid(data: DisbursementInput) -> str:
    return f"{data.paid_on} {data.kind.value} {data.source}"


def add_disbursement(
    cohort: Cohort, business: Business, data: DisbursementInput
) -> Disbursement | list[Problem]:
    def write() -> Disbursement:
        found = Disbursement(business_id=business.id, **disbursement_values(data))
        db.session.add(found)
        return _created(cohort, found, "disbursement", _paid(data))

    return saved_or_problem(write, _paid_twice(data))


def edit_disbursement(
    cohort: Cohort,
    business: Business,
    disbursement: Disbursement,
    data: DisbursementInput,
    version: int,
) -> Disbursement | list[Problem] | Conflict:
    values = disbursement_values(data)

    def write() -> Disbursement | Conflict:
        if not versioned_update(Disbursement, disbursement.id, version, values):
            return _stale(disbursement, values)
        return _updated(cohort, disbursement, "disbursement", _paid(data))

    return saved_or_problem(write, _paid_twice(data))


def delete_disbursement(
    cohort: Cohort, disbursement: Disbursement, version: int
) -> bool | Conflict:
    return deleted_or_conflict(cohort, disbursement, version, "disbursement")
