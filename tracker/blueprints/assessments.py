"""Self-assessments: an overview per instrument, and the form for one participant's answers."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from tracker import content, scope
from tracker.forms import ActionForm
from tracker.models import Cohort, Timepoint
from tracker.permissions import Perm, requires
from tracker.problems import Problem
from tracker.records import assessments as records
from tracker.records import participants as participant_records
from tracker.records.values import parse_date

bp = Blueprint("assessments", __name__, url_prefix="/cohorts/<int:cohort_id>/assessments")

ITEM_PREFIX = "item-"


def _instrument(cohort: Cohort, instrument_id: str) -> Any:
    if records.check_instrument(cohort, instrument_id):
        abort(404)
    return content.content(cohort.language).instruments[instrument_id]


@bp.route("/<instrument_id>")
@requires(Perm.assessment_record)
def overview(cohort_id: int, instrument_id: str) -> str:
    cohort = scope.cohort_or_404(current_user, cohort_id)
    instrument = _instrument(cohort, instrument_id)
    return render_template(
        "assessments/overview.html",
        cohort=cohort,
        instrument=instrument,
        participants=participant_records.roster(cohort),
        done=records.progress(cohort, instrument_id),
        timepoints=list(Timepoint),
    )


@bp.route("/<instrument_id>/<timepoint>/<int:participant_id>", methods=["GET", "POST"])
@requires(Perm.assessment_record)
def answer(
    cohort_id: int, instrument_id: str, timepoint: str, participant_id: int
) -> Response | str:
    cohort = scope.cohort_or_404(current_user, cohort_id)
    instrument = _instrument(cohort, instrument_id)
    if timepoint not in {t.value for t in Timepoint}:
        abort(404)
    point = Timepoint(timepoint)
    participant = scope.member_or_404(current_user, cohort, participant_id)
    form = ActionForm()
    problems: list[Problem] | None = None
    answers = records.existing_answers(cohort.id, participant.id, instrument_id, point)
    answered_on = request.form.get("answered_on", date.today().isoformat())
    if form.validate_on_submit():
        raw = {
            key.removeprefix(ITEM_PREFIX): value
            for key, value in request.form.items()
            if key.startswith(ITEM_PREFIX)
        }
        parsed = records.parse_answers(instrument, raw)
        when = parse_date(answered_on, "answered_on")
        problems = (parsed if isinstance(parsed, list) else []) + (
            [when] if isinstance(when, Problem) else []
        )
        if not problems and isinstance(parsed, dict) and not isinstance(when, Problem):
            saved = records.save(
                cohort,
                records.AssessmentInput(participant.id, instrument_id, point, when, parsed),
            )
            if isinstance(saved, list):
                problems = saved
            else:
                flash(_("Answers saved for %(code)s.", code=participant.code))
                return redirect(
                    url_for(
                        "assessments.overview", cohort_id=cohort.id, instrument_id=instrument_id
                    )
                )
        answers = {k: int(v) for k, v in raw.items() if v.strip().lstrip("-").isdigit()}
    return render_template(
        "assessments/answer.html",
        cohort=cohort,
        instrument=instrument,
        participant=participant,
        timepoint=point,
        answers=answers,
        answered_on=answered_on,
        form=form,
        problems=problems,
    )
