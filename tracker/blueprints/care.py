"""Care follow-ups and referrals of a cohort, and each participant's own page: for the
cohort's facilitators and coordinator (and admins), never for evaluators."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.widgets import DateInput

from tracker import content
from tracker.access import scope
from tracker.access.permissions import Perm, requires, user_may
from tracker.blueprints.versions import form_version
from tracker.forms import ActionForm, FlaskForm, options
from tracker.i18n import interface_language
from tracker.models import (
    AttendanceStatus,
    Cohort,
    FollowUp,
    FollowUpStatus,
    Referral,
    ReferralOutcome,
)
from tracker.problems import Problem
from tracker.records import care, history
from tracker.records.values import parse_date

bp = Blueprint("care", __name__, url_prefix="/cohorts/<int:cohort_id>")

OUTCOME_LABELS = {
    ReferralOutcome.waiting: _l("Waiting: not yet known whether she went"),
    ReferralOutcome.reached: _l("Reached: she was seen by the service"),
    ReferralOutcome.declined: _l("Declined: she chose not to go"),
    ReferralOutcome.not_reached: _l(
        "Not reached: the service could not be reached or did not help"
    ),
}
# In lists, where the form's longer words would crowd a phone's line.
OUTCOME_SHORT = {
    ReferralOutcome.waiting: _l("waiting"),
    ReferralOutcome.reached: _l("reached"),
    ReferralOutcome.declined: _l("declined"),
    ReferralOutcome.not_reached: _l("not reached"),
}
ATTENDANCE_LABELS = {
    AttendanceStatus.present: _l("Present"),
    AttendanceStatus.late: _l("Late"),
    AttendanceStatus.excused: _l("Excused"),
    AttendanceStatus.absent: _l("Absent"),
}


class ReferralForm(FlaskForm):
    # Dates are read by records.values.parse_date, so every message is the tracker's own.
    referred_on = StringField(_l("Date referred"), widget=DateInput())
    service = SelectField(_l("Service"), validate_choice=False)
    outcome = SelectField(
        _l("Outcome"), choices=options(OUTCOME_LABELS.items()), validate_choice=False
    )
    next_check_on = StringField(_l("Next check"), widget=DateInput())
    note = TextAreaField(_l("Note (for your organisation only, never exported)"))
    version = HiddenField()


def _language() -> str:
    return interface_language()


def _cohort(cohort_id: int) -> Cohort:
    return scope.cohort_or_404(current_user, cohort_id)


def _follow_up(cohort: Cohort, follow_up_id: int) -> FollowUp:
    found = care.follow_up_in(cohort, follow_up_id)
    if found is None:
        abort(404)
    return found


def _labels(cohort: Cohort) -> dict[str, Any]:
    """What a care template shows beside ids: item texts, services, outcomes, timepoints."""
    loaded = content.content(_language())
    items = {
        (instrument.id, item.id): item.text
        for instrument in loaded.instruments.values()
        for item in instrument.items
    }
    return {
        "item_texts": items,
        "instrument_titles": {i.id: i.title for i in loaded.instruments.values()},
        "service_labels": dict(care.services(_language())),
        "outcome_labels": OUTCOME_SHORT,
        "today": date.today(),
        "cohort": cohort,
    }


def panel(cohort: Cohort) -> dict[str, Any]:
    """The follow-up list for the cohort page: nothing for those who may not see it."""
    if not user_may(Perm.care_record):
        return {"care_follow_ups": None}
    return {
        "care_follow_ups": care.follow_ups(cohort),
        "care": _labels(cohort),
        "care_action": ActionForm(),
    }


# ---------------------------------------------------------------- her page


@bp.route("/participants/<int:participant_id>")
@requires(Perm.care_record)
def participant(cohort_id: int, participant_id: int) -> str:
    cohort = _cohort(cohort_id)
    person = scope.member_or_404(current_user, cohort, participant_id)
    loaded = content.content(_language())
    instruments = [
        loaded.instruments[i]
        for i in content.programme_instruments(cohort.programme_id)
        if i in loaded.instruments
    ]
    return render_template(
        "care/participant.html",
        participant=person,
        attendance=history.attendance(cohort, person.id),
        attendance_labels=ATTENDANCE_LABELS,
        modules=loaded.modules,
        instruments=instruments,
        answers=history.answers(cohort, person.id),
        evaluations=history.evaluations(cohort, person.id),
        forms=loaded.evaluation_forms,
        follow_ups=care.follow_ups(cohort, person.id, open_only=False),
        referrals=care.referrals(cohort, person.id),
        action=ActionForm(),
        **_labels(cohort),
    )


# ---------------------------------------------------------------- referrals


def _form(referral: Referral | None = None) -> ReferralForm:
    form = ReferralForm(obj=referral)
    form.service.choices = options(care.services(_language()))
    if not form.is_submitted():
        if referral is None:
            form.referred_on.data = date.today().isoformat()
        else:
            form.referred_on.data = referral.referred_on.isoformat()
            form.next_check_on.data = (
                referral.next_check_on.isoformat() if referral.next_check_on else ""
            )
            form.outcome.data = referral.outcome.value
            form.version.data = str(referral.version)
    return form


def _input(form: ReferralForm) -> care.ReferralInput | list[Problem]:
    problems: list[Problem] = []
    referred_on = parse_date(form.referred_on.data or "", "referred_on")
    next_raw = (form.next_check_on.data or "").strip()
    next_check = parse_date(next_raw, "next_check_on") if next_raw else None
    for value, message in (
        (referred_on, _("Give the date of the referral, such as %(day)s.", day=date.today())),
        (next_check, _("Give the next check as a date, such as %(day)s.", day=date.today())),
    ):
        if isinstance(value, Problem):
            problems.append(Problem(value.field, message))
    outcome = form.outcome.data or ""
    if outcome not in {o.value for o in ReferralOutcome}:
        problems.append(Problem("outcome", _("Choose an outcome from the list.")))
    if problems or isinstance(referred_on, Problem) or isinstance(next_check, Problem):
        return problems
    return care.ReferralInput(
        referred_on=referred_on,
        service=form.service.data or "",
        outcome=ReferralOutcome(outcome),
        next_check_on=next_check,
        note=form.note.data,
    )


def _render_form(cohort: Cohort, form: ReferralForm, **context: Any) -> str:
    context.setdefault("care_problems", None)
    context.setdefault("conflict", None)
    return render_template("care/referral.html", form=form, **_labels(cohort), **context)


@bp.route("/follow-ups/<int:follow_up_id>/referral", methods=["GET", "POST"])
@requires(Perm.care_record)
def refer(cohort_id: int, follow_up_id: int) -> Response | str:
    cohort = _cohort(cohort_id)
    follow_up = _follow_up(cohort, follow_up_id)
    person = scope.member_or_404(current_user, cohort, follow_up.participant_id)
    return _new_referral(cohort, person.id, person.code, follow_up)


@bp.route("/participants/<int:participant_id>/referral", methods=["GET", "POST"])
@requires(Perm.care_record)
def refer_participant(cohort_id: int, participant_id: int) -> Response | str:
    cohort = _cohort(cohort_id)
    person = scope.member_or_404(current_user, cohort, participant_id)
    return _new_referral(cohort, person.id, person.code, None)


def _new_referral(
    cohort: Cohort, participant_id: int, code: str, follow_up: FollowUp | None
) -> Response | str:
    form = _form()
    problems: list[Problem] | None = None
    if form.validate_on_submit():
        data = _input(form)
        made = (
            care.add_referral(cohort, participant_id, follow_up, data, current_user.username)
            if not isinstance(data, list)
            else data
        )
        if not isinstance(made, list):
            flash(_("Referral recorded for %(code)s.", code=code))
            return redirect(_back(cohort, participant_id))
        problems = made
    return _render_form(
        cohort,
        form,
        code=code,
        follow_up=follow_up,
        referral=None,
        care_problems=problems,
        participant_id=participant_id,
    )


@bp.route("/referrals/<int:referral_id>", methods=["GET", "POST"])
@requires(Perm.care_record)
def edit_referral(cohort_id: int, referral_id: int) -> Response | str:
    cohort = _cohort(cohort_id)
    referral = care.referral_in(cohort, referral_id)
    if referral is None:
        abort(404)
    person = scope.member_or_404(current_user, cohort, referral.participant_id)
    form = _form(referral)
    problems: list[Problem] | None = None
    conflict: care.Conflict | None = None
    if form.validate_on_submit():
        data = _input(form)
        version = form_version()
        if isinstance(data, list):
            problems = data
        else:
            saved = care.edit_referral(cohort, referral, data, version)
            if isinstance(saved, Referral):
                flash(_("Referral saved for %(code)s.", code=person.code))
                return redirect(_back(cohort, person.id))
            if isinstance(saved, care.Conflict):
                conflict = saved
                form.version.data = str(referral.version)  # saving again is a choice made
            else:
                problems = saved
    follow_up = care.follow_up_in(cohort, referral.follow_up_id) if referral.follow_up_id else None
    return _render_form(
        cohort, form, code=person.code, follow_up=follow_up, referral=referral,
        care_problems=problems, conflict=conflict, participant_id=person.id,
    )  # fmt: skip


def _back(cohort: Cohort, participant_id: int) -> str:
    if request.args.get("from") == "participant":
        return url_for("care.participant", cohort_id=cohort.id, participant_id=participant_id)
    return url_for("cohorts.show", cohort_id=cohort.id, _anchor="follow-ups")


# ---------------------------------------------------------------- close, reopen


@bp.route("/follow-ups/<int:follow_up_id>/status", methods=["POST"])
@requires(Perm.care_record)
def status(cohort_id: int, follow_up_id: int) -> Response:
    cohort = _cohort(cohort_id)
    follow_up = _follow_up(cohort, follow_up_id)
    person = scope.member_or_404(current_user, cohort, follow_up.participant_id)
    form = ActionForm()
    wanted = request.form.get("status", "")
    if not form.validate_on_submit() or wanted not in {s.value for s in FollowUpStatus}:
        flash(_("Nothing was changed: the form was incomplete. Please try again."), "error")
        return redirect(_back(cohort, person.id))
    done = care.set_status(
        cohort,
        follow_up,
        FollowUpStatus(wanted),
        form_version(),
        current_user.username,
    )
    if isinstance(done, care.Conflict):
        flash(_conflict_message(done.current), "error")
    elif done.status is FollowUpStatus.closed:
        flash(_("Follow-up for %(code)s closed.", code=person.code))
    else:
        flash(_("Follow-up for %(code)s opened again.", code=person.code))
    return redirect(_back(cohort, person.id))


def _conflict_message(current: FollowUp) -> str:
    if current.status is FollowUpStatus.closed:
        now = _(
            "It is now closed (by %(who)s on %(day)s).",
            who=current.closed_by,
            day=current.closed_on,
        )
    else:
        now = _("It is now open.")
    return _(
        "Someone else changed this follow-up after you opened the page, so nothing was "
        "changed. %(now)s Check it below and try again if you still mean to.",
        now=now,
    )
