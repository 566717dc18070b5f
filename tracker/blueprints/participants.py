"""Participants of a cohort: enrolment with consent, and withdrawal of consent."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from tracker import scope
from tracker.forms import ParticipantForm, WithdrawForm
from tracker.models import Group
from tracker.permissions import Perm, requires
from tracker.records import participants as records

bp = Blueprint("participants", __name__)


@bp.route("/cohorts/<int:cohort_id>/participants", methods=["GET", "POST"])
@requires(Perm.participant_view)
def index(cohort_id: int) -> Response | str:
    cohort = scope.cohort_or_404(current_user, cohort_id)
    form = ParticipantForm()
    problems = None
    if form.is_submitted():
        from tracker.permissions import user_may

        if not user_may(Perm.participant_manage):
            abort(403)
        if form.validate():
            enrolled = records.enrol(
                cohort,
                records.ParticipantInput(
                    code=form.code.data or "",
                    group=Group(form.group.data),
                    consent_given=bool(form.consent_given.data),
                    consent_given_on=form.consent_given_on.data,
                    note=form.note.data,
                ),
            )
            if isinstance(enrolled, list):
                problems = enrolled
            else:
                flash(_("%(code)s is now in this cohort.", code=enrolled.code))
                return redirect(url_for("participants.index", cohort_id=cohort.id))
    return render_template(
        "participants/index.html",
        cohort=cohort,
        participants=records.roster(cohort),
        form=form,
        problems=problems,
    )


@bp.route("/participants/<int:participant_id>/withdraw", methods=["GET", "POST"])
@requires(Perm.participant_manage)
def withdraw(participant_id: int) -> Response | str:
    participant = scope.participant_or_404(current_user, participant_id)
    form = WithdrawForm()
    problems = None
    if form.validate_on_submit():
        if (form.confirm_code.data or "").strip().upper() != participant.code:
            from tracker.problems import Problem

            problems = [Problem("confirm_code", _("the code typed does not match"))]
        else:
            cohort_ids = records.cohort_ids_of(participant)
            records.withdraw_consent(participant)
            flash(_("Consent withdrawn: every record of this participant has been removed."))
            if cohort_ids:
                return redirect(url_for("participants.index", cohort_id=cohort_ids[0]))
            return redirect(url_for("cohorts.index"))
    return render_template(
        "participants/withdraw.html", participant=participant, form=form, problems=problems
    )
