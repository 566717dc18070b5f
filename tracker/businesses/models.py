"""The business records' tables. Participant-level data: no name anywhere (codes live in
`participant`), never in evaluator outputs except as protected counts, erased with her
consent withdrawal (tracker.businesses.erasure)."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from tracker.db import Model
from tracker.models import _enum, now, version_column


class Stage(enum.StrEnum):
    """Where a business stands at a stocktaking, as the Kaarya workshops name it."""

    start_up = "start_up"
    initial_growth = "initial_growth"
    maturity = "maturity"
    expansion = "expansion"
    closed = "closed"


class MoneyKind(enum.StrEnum):
    grant = "grant"
    loan = "loan"


class Business(Model):
    """One business of a participant, recorded in a cohort of a programme that keeps
    business records. A group business names its partners among the cohort's codes."""

    __tablename__ = "business"
    # The same kind started on the same day by the same woman is one business: an import of
    # the same file finds it instead of adding a second.
    __table_args__ = (UniqueConstraint("cohort_id", "participant_id", "kind", "started_on"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participant.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(64))  # an id from curriculum/businesses.yaml
    started_on: Mapped[date] = mapped_column(Date)
    group_business: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    version: Mapped[int] = version_column()


class BusinessPartner(Model):
    """Another participant who runs a group business with its owner."""

    __tablename__ = "business_partner"
    business_id: Mapped[int] = mapped_column(
        ForeignKey("business.id", ondelete="CASCADE"), primary_key=True
    )
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participant.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class Stocktaking(Model):
    """A business as a stocktaking workshop found it: its stage, whether it is running, the
    risks it met and the next steps decided."""

    __tablename__ = "business_stocktaking"
    __table_args__ = (UniqueConstraint("business_id", "taken_on"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    business_id: Mapped[int] = mapped_column(
        ForeignKey("business.id", ondelete="CASCADE"), index=True
    )
    taken_on: Mapped[date] = mapped_column(Date)
    stage: Mapped[Stage] = mapped_column(_enum(Stage, "business_stage"))
    running: Mapped[bool] = mapped_column(Boolean)
    # Her words for a risk not on the list, and the next steps: her page only, never exported.
    other_risk: Mapped[str | None] = mapped_column(String(200))
    next_steps: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    version: Mapped[int] = version_column()


class StocktakingRisk(Model):
    __tablename__ = "business_risk"
    stocktaking_id: Mapped[int] = mapped_column(
        ForeignKey("business_stocktaking.id", ondelete="CASCADE"), primary_key=True
    )
    risk_id: Mapped[str] = mapped_column(String(64), primary_key=True)


class Disbursement(Model):
    """Money given or lent to a business: when, how much (whole rupees), and by whom."""

    __tablename__ = "business_disbursement"
    # One disbursement of a kind from a source on a day: importing it again changes nothing.
    __table_args__ = (UniqueConstraint("business_id", "paid_on", "kind", "source"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    business_id: Mapped[int] = mapped_column(
        ForeignKey("business.id", ondelete="CASCADE"), index=True
    )
    paid_on: Mapped[date] = mapped_column(Date)
    amount: Mapped[int] = mapped_column(Integer)  # rupees
    kind: Mapped[MoneyKind] = mapped_column(_enum(MoneyKind, "money_kind"))
    source: Mapped[str] = mapped_column(String(64))  # an id from curriculum/businesses.yaml
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    version: Mapped[int] = version_column()


__all__ = [
    "Business",
    "BusinessPartner",
    "Disbursement",
    "MoneyKind",
    "Stage",
    "Stocktaking",
    "StocktakingRisk",
]
