"""The tracker's tables. People appear only as pseudonymous codes: there is no name field."""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime

from flask_login import UserMixin
from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.db import Model


def now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class Role(enum.StrEnum):
    admin = "admin"
    coordinator = "coordinator"
    facilitator = "facilitator"
    evaluator = "evaluator"


class Group(enum.StrEnum):
    survivor = "survivor"
    social_worker = "social_worker"
    other = "other"


class AttendanceStatus(enum.StrEnum):
    present = "present"
    late = "late"
    excused = "excused"
    absent = "absent"


class Timepoint(enum.StrEnum):
    pre = "pre"
    post = "post"
    follow_up = "follow_up"
    # "Before the training, I was...": asked after the training to avoid response-shift bias.
    retro_pre = "retro_pre"


def _enum(kind: type[enum.StrEnum], name: str) -> Enum:
    # Stored as plain strings with a CHECK constraint: the same on SQLite and PostgreSQL,
    # and a new value is a migration of one constraint, not of a PostgreSQL type.
    return Enum(kind, name=name, native_enum=False, create_constraint=True, length=20)


def version_column() -> Mapped[int]:
    """A record's edit counter for optimistic concurrency: a save names the version it was
    based on, and one based on an older version is refused instead of overwriting."""
    return mapped_column(Integer, default=1, server_default="1")


class Organisation(Model):
    __tablename__ = "organisation"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)


class User(UserMixin, Model):
    __tablename__ = "user_account"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(_enum(Role, "role"))
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="RESTRICT"), index=True
    )
    ui_language: Mapped[str | None] = mapped_column(String(8))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Set by a password reset: the next sign-in must choose a new password first.
    must_change_password: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=sa_false()
    )
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)

    organisation: Mapped[Organisation | None] = relationship()

    @property
    def is_active(self) -> bool:  # type: ignore[override]
        return self.active


class EvaluatorGrant(Model):
    """An evaluator may read the aggregate summaries of this organisation."""

    __tablename__ = "evaluator_grant"
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True
    )
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), primary_key=True
    )


class ApiToken(Model):
    __tablename__ = "api_token"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    # Only a SHA-256 of the token is kept; the token itself is shown once.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)
    # The last day the token works (None: tokens issued before expiry dates existed).
    expires_on: Mapped[date | None] = mapped_column(Date)

    user: Mapped[User] = relationship()


class SignIn(Model):
    """One signed-in browser. The cookie carries a random token whose SHA-256 is kept here:
    signing out deletes the row, so a copy of the cookie taken before is refused after."""

    __tablename__ = "sign_in"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)


class Cohort(Model):
    __tablename__ = "cohort"
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="RESTRICT"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    programme_id: Mapped[str] = mapped_column(String(64), index=True)
    language: Mapped[str] = mapped_column(String(8))
    place: Mapped[str] = mapped_column(String(200))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    version: Mapped[int] = version_column()

    organisation: Mapped[Organisation] = relationship()


class CohortFacilitator(Model):
    """A facilitator assigned to a cohort records its sessions and assessments."""

    __tablename__ = "cohort_facilitator"
    cohort_id: Mapped[int] = mapped_column(
        ForeignKey("cohort.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True
    )


class Participant(Model):
    __tablename__ = "participant"
    __table_args__ = (UniqueConstraint("organisation_id", "code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="RESTRICT"), index=True
    )
    code: Mapped[str] = mapped_column(String(40))
    group: Mapped[Group] = mapped_column(_enum(Group, "participant_group"))
    consent_given_on: Mapped[date] = mapped_column(Date)
    # Free text for the organisation's own use; never exported or shown to evaluators.
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    version: Mapped[int] = version_column()


class Membership(Model):
    __tablename__ = "membership"
    cohort_id: Mapped[int] = mapped_column(
        ForeignKey("cohort.id", ondelete="CASCADE"), primary_key=True
    )
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participant.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class TrainingSession(Model):
    """One meeting of a cohort for one module (not a login session)."""

    __tablename__ = "training_session"
    # Held once: the same module on the same date (and day of a multi-day module) is one
    # session, so a second "create" finds the first instead of splitting its roster.
    __table_args__ = (UniqueConstraint("cohort_id", "module_id", "held_on", "day"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"), index=True)
    module_id: Mapped[str] = mapped_column(String(64))
    held_on: Mapped[date] = mapped_column(Date)
    # Which day of the module (a module's sessions carry `day` in the curriculum).
    day: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    # Bumped by every roster save: the roster's optimistic-concurrency version.
    version: Mapped[int] = version_column()

    cohort: Mapped[Cohort] = relationship()


class SessionFacilitator(Model):
    __tablename__ = "session_facilitator"
    session_id: Mapped[int] = mapped_column(
        ForeignKey("training_session.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True
    )


class Attendance(Model):
    __tablename__ = "attendance"
    # Summaries count who attended each session: this answers from the index alone.
    __table_args__ = (
        Index("ix_attendance_session_status", "session_id", "status", "participant_id"),
    )
    session_id: Mapped[int] = mapped_column(
        ForeignKey("training_session.id", ondelete="CASCADE"), primary_key=True
    )
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participant.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    status: Mapped[AttendanceStatus] = mapped_column(_enum(AttendanceStatus, "attendance_status"))


class AssessmentResponse(Model):
    __tablename__ = "assessment_response"
    __table_args__ = (
        UniqueConstraint("cohort_id", "participant_id", "instrument_id", "timepoint"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participant.id", ondelete="CASCADE"), index=True
    )
    instrument_id: Mapped[str] = mapped_column(String(64))
    timepoint: Mapped[Timepoint] = mapped_column(_enum(Timepoint, "timepoint"))
    answered_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    version: Mapped[int] = version_column()


class AssessmentAnswer(Model):
    __tablename__ = "assessment_answer"
    # Summaries pair and sum answers per response: with the value in the index, SQLite
    # reads no table rows (the primary key's index lacks the value).
    __table_args__ = (
        Index("ix_assessment_answer_response_item_value", "response_id", "item_id", "value"),
    )
    response_id: Mapped[int] = mapped_column(
        ForeignKey("assessment_response.id", ondelete="CASCADE"), primary_key=True
    )
    item_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[int] = mapped_column(Integer)


class EvaluationResponse(Model):
    __tablename__ = "evaluation_response"
    # A response is counted once: its key is the paper form's serial number, or a hash of
    # the imported row, so importing the same stack twice adds nothing.
    __table_args__ = (UniqueConstraint("cohort_id", "form_id", "response_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"), index=True)
    form_id: Mapped[str] = mapped_column(String(64))
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participant.id", ondelete="CASCADE"), index=True
    )
    answered_on: Mapped[date] = mapped_column(Date)
    # The "other" answer's words: for the organisation, never in evaluator summaries.
    other_text: Mapped[str | None] = mapped_column(Text)
    # None for a response typed into the form without a serial number.
    response_key: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    version: Mapped[int] = version_column()


OTHER_OPTION = "other"


class EvaluationChoice(Model):
    __tablename__ = "evaluation_choice"
    response_id: Mapped[int] = mapped_column(
        ForeignKey("evaluation_response.id", ondelete="CASCADE"), primary_key=True
    )
    # An option id from the form, or OTHER_OPTION.
    option_id: Mapped[str] = mapped_column(String(64), primary_key=True)


class FollowUpStatus(enum.StrEnum):
    open = "open"
    closed = "closed"


class ReferralOutcome(enum.StrEnum):
    waiting = "waiting"  # referred, not yet known whether she went
    reached = "reached"  # she was seen by the service
    declined = "declined"  # she chose not to go: her right
    not_reached = "not_reached"  # the service could not be reached or did not help


class FollowUp(Model):
    """An answer that met an item's care rule (say "yes" to self-harm): her cohort's
    facilitators and coordinator see it until they close it. Participant-level data:
    never in evaluator outputs, erased with her consent withdrawal."""

    __tablename__ = "follow_up"
    # One follow-up per answer: importing or saving the same answer again raises nothing new.
    __table_args__ = (
        UniqueConstraint("cohort_id", "participant_id", "instrument_id", "timepoint", "item_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participant.id", ondelete="CASCADE"), index=True
    )
    instrument_id: Mapped[str] = mapped_column(String(64))
    timepoint: Mapped[Timepoint] = mapped_column(_enum(Timepoint, "timepoint"))
    item_id: Mapped[str] = mapped_column(String(64))
    value: Mapped[int] = mapped_column(Integer)
    answered_on: Mapped[date] = mapped_column(Date)
    status: Mapped[FollowUpStatus] = mapped_column(
        _enum(FollowUpStatus, "follow_up_status"), default=FollowUpStatus.open
    )
    raised_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    closed_on: Mapped[date | None] = mapped_column(Date)
    closed_by: Mapped[str | None] = mapped_column(String(80))
    version: Mapped[int] = version_column()


class Referral(Model):
    """A referral made for a participant: to whom, by whom, what came of it, when to check."""

    __tablename__ = "referral"
    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohort.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participant.id", ondelete="CASCADE"), index=True
    )
    # The follow-up it answers; None for a referral recorded from her page directly.
    follow_up_id: Mapped[int | None] = mapped_column(
        ForeignKey("follow_up.id", ondelete="SET NULL"), index=True
    )
    referred_on: Mapped[date] = mapped_column(Date)
    # A service kind id from the curriculum's list (counsellor, health centre, legal aid...).
    service: Mapped[str] = mapped_column(String(64))
    made_by: Mapped[str] = mapped_column(String(80))  # the username of who referred her
    outcome: Mapped[ReferralOutcome] = mapped_column(
        _enum(ReferralOutcome, "referral_outcome"), default=ReferralOutcome.waiting
    )
    next_check_on: Mapped[date | None] = mapped_column(Date)
    # The organisation's own words; never exported.
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    version: Mapped[int] = version_column()


class AuditEvent(Model):
    __tablename__ = "audit_event"
    # The newest figure-changing event of a cohort (or of its organisation, or of everything)
    # is the version its cached summary counts are kept under: see tracker.records.audit.
    __table_args__ = (
        Index("ix_audit_event_figures", "changes_figures", "cohort_id", "organisation_id", "id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=now, index=True)
    # No foreign keys: the trail outlives what it describes (a withdrawn participant).
    user_id: Mapped[int | None] = mapped_column(Integer)
    username: Mapped[str] = mapped_column(String(80))
    organisation_id: Mapped[int | None] = mapped_column(Integer, index=True)
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    detail: Mapped[str] = mapped_column(Text, default="")
    # Whether the change can alter a summary figure, and of which cohort: NULL with
    # changes_figures set means every cohort of the organisation (of every organisation when
    # organisation_id is NULL too).
    changes_figures: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())
    cohort_id: Mapped[int | None] = mapped_column(Integer)


class PartVersion(Model):
    """One version of a cohort's counts for one source (attendance, an instrument, a form),
    as a release used it. Counts only: no code, no participant id, no answer of one person."""

    __tablename__ = "part_version"
    __table_args__ = (UniqueConstraint("cohort_id", "part_key", "version"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    # No foreign key: a published release outlives a cohort deleted later.
    cohort_id: Mapped[int] = mapped_column(Integer, index=True)
    part_key: Mapped[str] = mapped_column(String(80))
    version: Mapped[int] = mapped_column(Integer)
    data: Mapped[str] = mapped_column(Text)  # JSON, see tracker.summaries.parts
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)


class Release(Model):
    """A dated, protected snapshot of the evaluator figures of every scope.

    Evaluators read releases only, never live data. `parts` says which version of each
    cohort's counts it was made from; `statuses` says, per published figure, whether it is
    shown or hidden and within what label, as the joint protection decided."""

    __tablename__ = "release"
    id: Mapped[int] = mapped_column(primary_key=True)
    # The release this one was protected against (0: none). Unique: of two releases made at
    # once from the same history, only one is stored, since neither was protected against
    # the other (comparing them could tell a hidden count).
    follows: Mapped[int] = mapped_column(Integer, unique=True, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now, index=True)
    made_by: Mapped[str] = mapped_column(String(80))
    # The organisation whose counts were refreshed (others carried over); None: all.
    organisation_id: Mapped[int | None] = mapped_column(Integer)
    cohorts: Mapped[str] = mapped_column(Text)  # JSON {cohort id: name, organisation, ...}
    parts: Mapped[str] = mapped_column(Text)  # JSON {cohort id: {part key: version}}
    statuses: Mapped[str] = mapped_column(Text)  # JSON [[terms, status, low, high]]
    waiting: Mapped[str] = mapped_column(Text, default="[]")  # JSON: parts that wait


__all__ = [
    "OTHER_OPTION",
    "ApiToken",
    "AssessmentAnswer",
    "AssessmentResponse",
    "Attendance",
    "AttendanceStatus",
    "AuditEvent",
    "Cohort",
    "CohortFacilitator",
    "EvaluationChoice",
    "EvaluationResponse",
    "EvaluatorGrant",
    "FollowUp",
    "FollowUpStatus",
    "Group",
    "Membership",
    "Organisation",
    "PartVersion",
    "Participant",
    "Referral",
    "ReferralOutcome",
    "Release",
    "Role",
    "SessionFacilitator",
    "SignIn",
    "Timepoint",
    "TrainingSession",
    "User",
]

# Tables of features kept in their own packages, so that the metadata (and migrations) see them.
import tracker.businesses.models  # noqa: E402
import tracker.scorecards.models  # noqa: E402, F401
