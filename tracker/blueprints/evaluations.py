"""Evaluation responses: one respondent's choices on a form such as 'three most useful skills'."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from tracker import content, scope
from tracker.forms import ActionForm
from tracker.models import OTHER_OPTION, Cohort
from tracker.permissions import Perm, requires
from tracker.problems import Problem
from tracker.records import evaluations as records
from tracker.records import participants as participant_records
from tracker.records.values import parse_date

bp = Blueprint("evaluations", __name__)


def _form(cohort: Cohort, form_id: str) -> Any:
    if records.check_form(cohort, form_id):
        abort(404)
    return content.content(cohort.language).evaluation_forms[form_id]


@bp.route("/cohorts/<int:cohort_id>/evaluations/<form_id>", methods=["GET", "POST"])
@requires(Perm.evaluation_record)
def record(cohort_id: int, form_id: str) -> Response | str:
    cohort = scope.cohort_or_404(current_user, cohort_id)
    evaluation_form = _form(cohort, form_id)
    participants = participant_records.roster(cohort)
    form = ActionForm()
    problems: list[Problem] | None = None
    chosen = request.form.getlist("choice")
    if form.validate_on_submit():
        problems = []
        participant_id: int | None = None
        raw_participant = request.form.get("participant", "")
        if raw_participant:
            if not raw_participant.isdigit():
                problems.append(Problem("participant", _("not a participant of this cohort")))
            else:
                participant_id = scope.member_or_404(current_user, cohort, int(raw_participant)).id
        when = parse_date(request.form.get("answered_on", ""), "answered_on")
        if isinstance(when, Problem):
            problems.append(when)
        if not problems and not isinstance(when, Problem):
            saved = records.save(
                cohort,
                records.EvaluationInput(
                    form_id=form_id,
                    participant_id=participant_id,
                    answered_on=when,
                    choices=chosen,
                    other_text=request.form.get("other_text"),
                ),
            )
            if isinstance(saved, list):
                problems = saved
            else:
                flash(_("Response saved. Ready for the next one."))
                return redirect(url_for("evaluations.record", cohort_id=cohort.id, form_id=form_id))
    return render_template(
        "evaluations/record.html",
        cohort=cohort,
        evaluation_form=evaluation_form,
        participants=participants,
        chosen=chosen,
        other_option=OTHER_OPTION,
        today=date.today().isoformat(),
        form=form,
        problems=problems,
    )
