"""Evaluation responses: one respondent's choices on a form such as 'three most useful
skills', the list of a cohort's responses to a form, and deleting one recorded by mistake."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from facilitator.model import EvaluationForm
from tracker import content
from tracker.access import scope
from tracker.access.permissions import Perm, requires
from tracker.blueprints.versions import row_id
from tracker.forms import ActionForm
from tracker.models import OTHER_OPTION, Cohort
from tracker.problems import Problem
from tracker.records import evaluations as records
from tracker.records import participants as participant_records
from tracker.records import removals
from tracker.records.values import parse_past_date

bp = Blueprint("evaluations", __name__)


def _form(cohort: Cohort, form_id: str) -> EvaluationForm:
    if records.check_form(cohort, form_id):
        abort(404)
    return content.content(cohort.language).evaluation_forms[form_id]


def _option_labels(evaluation_form: EvaluationForm) -> dict[str, str]:
    labels = {option.id: option.text for option in evaluation_form.options}
    labels[OTHER_OPTION] = _("Other")
    return labels


def too_many(evaluation_form: EvaluationForm, chosen: list[str]) -> list[Problem]:
    """The choice limit, said in the interface language (the page also enforces it while
    filling, but a page without JavaScript, or an old one, may still send more)."""
    limit = evaluation_form.choose_up_to
    if len(set(chosen)) <= limit:
        return []
    return [
        Problem(
            "choice",
            _(
                "Choose at most %(limit)d options: %(n)d were ticked. Untick %(extra)d.",
                limit=limit,
                n=len(set(chosen)),
                extra=len(set(chosen)) - limit,
            ),
        )
    ]


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
        problems = too_many(evaluation_form, chosen)
        participant_id: int | None = None
        raw_participant = request.form.get("participant", "")
        if raw_participant:
            posted_id = row_id(raw_participant)
            if posted_id is None:
                problems.append(Problem("participant", _("not a participant of this cohort")))
            else:
                participant_id = scope.member_or_404(current_user, cohort, posted_id).id
        when = parse_past_date(request.form.get("answered_on", ""), "answered_on")
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


@bp.route("/cohorts/<int:cohort_id>/evaluations/<form_id>/responses")
@requires(Perm.evaluation_record)
def responses(cohort_id: int, form_id: str) -> str:
    cohort = scope.cohort_or_404(current_user, cohort_id)
    evaluation_form = _form(cohort, form_id)
    return render_template(
        "evaluations/responses.html",
        cohort=cohort,
        evaluation_form=evaluation_form,
        rows=removals.evaluation_rows(cohort, form_id),
        labels=_option_labels(evaluation_form),
    )


@bp.route(
    "/cohorts/<int:cohort_id>/evaluations/<form_id>/responses/<int:response_id>/delete",
    methods=["GET", "POST"],
)
@requires(Perm.record_delete)
def delete(cohort_id: int, form_id: str, response_id: int) -> Response | str:
    cohort = scope.cohort_or_404(current_user, cohort_id)
    evaluation_form = _form(cohort, form_id)
    row = removals.evaluation_response(cohort, form_id, response_id)
    if row is None:
        abort(404)
    form = ActionForm()
    if form.validate_on_submit():
        removals.remove_evaluation(row, cohort, form_id)
        flash(
            _(
                "Response deleted: %(date)s, %(who)s.",
                date=row.answered_on.isoformat(),
                who=row.code or _("anonymous"),
            )
        )
        return redirect(url_for("evaluations.responses", cohort_id=cohort.id, form_id=form_id))
    return render_template(
        "evaluations/delete.html",
        cohort=cohort,
        evaluation_form=evaluation_form,
        row=row,
        labels=_option_labels(evaluation_form),
        form=form,
    )
