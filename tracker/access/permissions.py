"""Who may do what: every route names one permission, and each role holds a set of them.

Which rows a permitted user reaches (their organisation, their cohorts) is the job of
`tracker.access.scope`; this module only answers "may this role do this kind of thing at all".
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort, redirect, request, url_for
from flask_login import current_user

from tracker.models import Role


class Perm(enum.StrEnum):
    public = "public"  # anyone, signed in or not
    account = "account"  # any signed-in user
    cohort_view = "cohort.view"
    cohort_manage = "cohort.manage"
    participant_view = "participant.view"
    participant_manage = "participant.manage"
    session_record = "session.record"
    assessment_record = "assessment.record"
    evaluation_record = "evaluation.record"
    care_record = "care.record"  # follow-ups, referrals, a participant's own page
    scorecard_record = "scorecard.record"  # a collective's scorecard rounds and exact figures
    # Creating collectives, and sharing a period of their figures: coordinators.
    scorecard_manage = "scorecard.manage"
    # Deleting a session or a response recorded by mistake: coordinators, not facilitators.
    record_delete = "record.delete"
    import_run = "import.run"
    summary_view = "summary.view"
    summary_export = "summary.export"
    user_manage = "user.manage"
    organisation_manage = "organisation.manage"
    grant_manage = "grant.manage"
    audit_view = "audit.view"
    token_manage = "token.manage"
    api_read = "api.read"


_RECORDING = {
    Perm.account,
    Perm.cohort_view,
    Perm.participant_view,
    Perm.session_record,
    Perm.assessment_record,
    Perm.evaluation_record,
    Perm.care_record,
    Perm.scorecard_record,
    Perm.import_run,
    Perm.summary_view,
    Perm.summary_export,
}

ROLE_PERMISSIONS: dict[Role, frozenset[Perm]] = {
    Role.admin: frozenset(Perm) - {Perm.token_manage, Perm.api_read},
    Role.coordinator: frozenset(
        _RECORDING
        | {
            Perm.cohort_manage,
            Perm.participant_manage,
            Perm.record_delete,
            Perm.scorecard_manage,
            Perm.user_manage,
            Perm.audit_view,
        }
    ),
    Role.facilitator: frozenset(_RECORDING),
    # Evaluators read aggregates only: no permission reaches a participant row.
    Role.evaluator: frozenset(
        {Perm.account, Perm.summary_view, Perm.summary_export, Perm.token_manage, Perm.api_read}
    ),
}


def allows(role: Role, perm: Perm) -> bool:
    return perm is Perm.public or perm in ROLE_PERMISSIONS[role]


def user_may(perm: Perm) -> bool:
    """For templates: show a link only to those who may follow it."""
    if perm is Perm.public:
        return True
    return bool(current_user.is_authenticated and allows(current_user.role, perm))


F = TypeVar("F", bound=Callable[..., Any])


def requires(perm: Perm) -> Callable[[F], F]:
    """Mark a view with the permission it needs and enforce it for browser sessions."""

    def decorate(view: F) -> F:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            if perm is not Perm.public:
                if not current_user.is_authenticated:
                    return redirect(url_for("auth.login", next=request.full_path))
                if not allows(current_user.role, perm):
                    abort(403)
            return view(*args, **kwargs)

        guarded.required_permission = perm  # type: ignore[attr-defined]
        return guarded  # type: ignore[return-value]

    return decorate
