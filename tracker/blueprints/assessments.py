"""Self-assessments: an overview per instrument, the form for one participant's answers (an
item may be cleared back to "passed"), and deleting a response recorded by mistake."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from facilitator.model import Instrument
from tracker import content
from tracker.access import scope
from tracker.access.permissions import Perm, requires
from tracker.blueprints.versions import form_version, prefixed
from tracker.forms import ActionForm
from tracker.models import Cohort, Participant, Timepoint
from tracker.problems import Problem
from tracker.records import answering, removals
from tracker.records import assessments as records
from tracker.records import participants as participant_records
from tracker.records.values import parse_past_date

bp = Blueprint("assessments", __name__, url_prefix="/cohorts/<int:cohort_id>/assessments")

ITEM_PREFIX = "item-"
SHOWN_PREFIX = "shown-"  # the answer the page showed, to say what changed since


def _instrument(cohort: Cohort, instrument_id: str) -> Instrument:
    if records.check_instrument(cohort, instrument_id):
        abort(404)
    return content.content(cohort.language).instruments[instrument_id]


def _timepoint(timepoint: str) -> Timepoint:
    if timepoint not in {t.value for t in Timepoint}:
        abort(404)
    return Timepoint(timepoint)


def _values(raw: dict[str, str]) -> dict[str, int | None]:
    """Posted answers as numbers; a blank or garbled one as None (passed)."""
    return {key: _number(value) for key, value in raw.items()}


def _number(text: str) -> int | None:
    try:
        return int(text)
    except ValueError:
        return None


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
    point = _timepoint(timepoint)
    participant = scope.member_or_404(current_user, cohort, participant_id)
    form = ActionForm()
    problems: list[Problem] | None = None
    conflict: answering.AnswerConflict | None = None
    key = (cohort.id, participant.id, instrument_id, point)
    response = removals.assessment_response(*key)
    version = answering.version_of(response)
    answers: dict[str, int | None] = dict(records.existing_answers(*key))
    shown = dict(answers)
    answered_on = request.form.get(
        "answered_on", (response.answered_on if response else date.today()).isoformat()
    )
    if form.validate_on_submit():
        raw = prefixed(ITEM_PREFIX)
        saved = _save(cohort, instrument, participant, point, raw, answered_on)
        if isinstance(saved, Response):
            return saved
        if isinstance(saved, answering.AnswerConflict):
            # Her own answers stay on the page, on the new version: saving again keeps them.
            conflict, version, shown = saved, saved.version, dict(saved.now)
        else:
            problems = saved
        answers = _values(raw)
    return render_template(
        "assessments/answer.html",
        cohort=cohort,
        instrument=instrument,
        participant=participant,
        timepoint=point,
        answers=answers,
        shown=shown,
        version=version,
        conflict=conflict,
        recorded=response is not None,
        answered_on=answered_on,
        form=form,
        problems=problems,
    )


def _save(
    cohort: Cohort,
    instrument: Instrument,
    participant: Participant,
    point: Timepoint,
    raw: dict[str, str],
    answered_on: str,
) -> Response | answering.AnswerConflict | list[Problem]:
    """Save the posted answers: a redirect when saved, else the conflict or the problems."""
    items = {item.id for item in instrument.items}
    every_item_passed = set(raw) <= items and not any(v.strip() for v in raw.values())
    parsed = {} if every_item_passed else records.parse_answers(instrument, raw)
    when = parse_past_date(answered_on, "answered_on")
    problems = (parsed if isinstance(parsed, list) else []) + (
        [when] if isinstance(when, Problem) else []
    )
    if problems or isinstance(parsed, list) or isinstance(when, Problem):
        return problems
    shown = _values(prefixed(SHOWN_PREFIX))
    saved = answering.save_form(
        cohort,
        records.AssessmentInput(participant.id, instrument.id, point, when, parsed),
        shown,
        form_version(),
    )
    if isinstance(saved, list | answering.AnswerConflict):
        return saved
    if isinstance(saved, answering.Removed):
        flash(
            _(
                "Every item was passed: the response of %(code)s was removed "
                "(%(n)d answers deleted).",
                code=participant.code,
                n=saved.answers,
            )
        )
    else:
        flash(_("Answers saved for %(code)s.", code=participant.code))
    return redirect(
        url_for("assessments.overview", cohort_id=cohort.id, instrument_id=instrument.id)
    )


@bp.route("/<instrument_id>/<timepoint>/<int:participant_id>/delete", methods=["GET", "POST"])
@requires(Perm.record_delete)
def delete(
    cohort_id: int, instrument_id: str, timepoint: str, participant_id: int
) -> Response | str:
    cohort = scope.cohort_or_404(current_user, cohort_id)
    instrument = _instrument(cohort, instrument_id)
    point = _timepoint(timepoint)
    participant = scope.member_or_404(current_user, cohort, participant_id)
    response = removals.assessment_response(cohort.id, participant.id, instrument_id, point)
    if response is None:
        abort(404)
    form = ActionForm()
    if form.validate_on_submit():
        answers = removals.remove_assessment(response, cohort.organisation_id)
        flash(
            _(
                "Response deleted: %(code)s, %(n)d answers.",
                code=participant.code,
                n=answers,
            )
        )
        return redirect(
            url_for("assessments.overview", cohort_id=cohort.id, instrument_id=instrument_id)
        )
    return render_template(
        "assessments/delete.html",
        cohort=cohort,
        instrument=instrument,
        participant=participant,
        timepoint=point,
        response=response,
        answers=removals.answer_count(response),
        form=form,
    )
