"""The scorecard's tables: collectives, their scorecard rounds, and the periods they publish.

A round is one filled-in sheet: one member's rating of one visit to one kind of office. It
is anonymous by design: no participant code, no name, no link to a person anywhere.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.db import Model
from tracker.models import Organisation, now, version_column


class Outcome(enum.StrEnum):
    granted = "granted"
    pending = "pending"
    refused = "refused"


class Collective(Model):
    """A survivor collective of an organisation: the group that owns its citizen data (not
    a training cohort; its members are never listed)."""

    __tablename__ = "collective"
    __table_args__ = (UniqueConstraint("organisation_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="RESTRICT"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    version: Mapped[int] = version_column()

    organisation: Mapped[Organisation] = relationship()


class ScorecardRound(Model):
    __tablename__ = "scorecard_round"
    # Counted once: the sheet's number, or a hash of the imported row, per collective.
    __table_args__ = (UniqueConstraint("collective_id", "round_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    collective_id: Mapped[int] = mapped_column(
        ForeignKey("collective.id", ondelete="CASCADE"), index=True
    )
    held_on: Mapped[date] = mapped_column(Date)
    district: Mapped[str] = mapped_column(String(100))
    block: Mapped[str] = mapped_column(String(100))
    # Ids from curriculum/scorecard.yaml: the kind of office, never an official's name.
    duty_bearer: Mapped[str] = mapped_column(String(64))
    service: Mapped[str] = mapped_column(String(64))
    outcome: Mapped[Outcome | None] = mapped_column(
        Enum(
            Outcome, name="scorecard_outcome", native_enum=False, create_constraint=True, length=20
        )
    )
    days_waited: Mapped[int | None] = mapped_column(Integer)
    round_key: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    version: Mapped[int] = version_column()


class ScorecardAnswer(Model):
    __tablename__ = "scorecard_answer"
    round_id: Mapped[int] = mapped_column(
        ForeignKey("scorecard_round.id", ondelete="CASCADE"), primary_key=True
    )
    question_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    face: Mapped[str] = mapped_column(String(8))  # good, okay or bad


class ScorecardPublication(Model):
    """A period the collective chose to share: its counts and what protection decided, as
    they were at publishing. Final: rounds entered later never change what was shared."""

    __tablename__ = "scorecard_publication"
    __table_args__ = (UniqueConstraint("collective_id", "period"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    collective_id: Mapped[int] = mapped_column(
        ForeignKey("collective.id", ondelete="CASCADE"), index=True
    )
    period: Mapped[str] = mapped_column(String(8))  # a quarter, such as 2025-Q3
    published_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    published_by: Mapped[str] = mapped_column(String(80))
    counts: Mapped[str] = mapped_column(Text)  # JSON, see tracker.scorecards.counts
    statuses: Mapped[str] = mapped_column(Text)  # JSON, see tracker.scorecards.protect


__all__ = ["Collective", "Outcome", "ScorecardAnswer", "ScorecardPublication", "ScorecardRound"]
