"""Participants of a cohort: enrolment with consent, and withdrawal of consent."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from tracker.access import scope
from tracker.access.permissions import Perm, requires
from tracker.forms import ParticipantForm, PasteCodesForm, WithdrawForm, form_problems
from tracker.models import Cohort, Group
from tracker.problems import Problem
from tracker.records import enrolment
from tracker.records import participants as records

bp = Blueprint("participants", __name__)


@bp.route("/cohorts/<int:cohort_id>/participants", methods=["GET", "POST"])
@requires(Perm.participant_view)
def index(cohort_id: int) -> Response | str:
    cohort = scope.cohort_or_404(current_user, cohort_id)
    form = ParticipantForm()
    problems = None
    if form.is_submitted():
        from tracker.access.permissions import user_may

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
    return _page(cohort, form, PasteCodesForm(prefix="paste"), problems)


@bp.route("/cohorts/<int:cohort_id>/participants/paste", methods=["POST"])
@requires(Perm.participant_manage)
def paste(cohort_id: int) -> Response | str:
    """Enrol many pasted codes at once, all or none."""
    cohort = scope.cohort_or_404(current_user, cohort_id)
    paste_form = PasteCodesForm(prefix="paste")
    if not paste_form.validate():
        return _page(cohort, _blank(), paste_form, form_problems(paste_form), pasted=True)
    if not paste_form.consent_given.data:
        message = _("Add participants only once every one of them has given consent.")
        problems = [Problem("consent_given", message)]
        return _page(cohort, _blank(), paste_form, problems, pasted=True)
    enrolled = enrolment.enrol_pasted(
        cohort,
        paste_form.codes.data or "",
        Group(paste_form.group.data),
        paste_form.consent_given_on.data,
        int(current_app.config["IMPORT_MAX_ROWS"]),
    )
    if isinstance(enrolled, list):
        return _page(cohort, _blank(), paste_form, enrolled, pasted=True)
    if enrolled.new:
        flash(
            _(
                "%(new)d added to this cohort; %(unchanged)d were in it already.",
                new=enrolled.new,
                unchanged=enrolled.unchanged,
            )
        )
    else:
        flash(_("All %(n)d were in this cohort already: nothing changed.", n=enrolled.unchanged))
    return redirect(url_for("participants.index", cohort_id=cohort.id))


def _page(
    cohort: Cohort,
    form: ParticipantForm,
    paste_form: PasteCodesForm,
    problems: list[Problem] | None,
    pasted: bool = False,
) -> str:
    return render_template(
        "participants/index.html",
        cohort=cohort,
        participants=records.roster(cohort),
        form=form,
        paste_form=paste_form,
        problems=problems,
        # The paste form's problems name its fields as it labels them (the page's `form`
        # is the one-participant form).
        field_labels=(
            {name: f.label.text for name, f in paste_form._fields.items()} if pasted else None
        ),
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


def _blank() -> ParticipantForm:
    return ParticipantForm(formdata=None)
