"""Entering scorecards: collectives, one sheet at a time, corrections, and CSV import."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from facilitator.printing.scorecard import face_svg
from facilitator.scorecard_model import FACE_IDS, Scorecard
from tracker.access import scope
from tracker.access.permissions import Perm, requires
from tracker.blueprints.imports import import_said
from tracker.blueprints.versions import form_version
from tracker.downloads import attachment
from tracker.forms import ActionForm, form_problems, options
from tracker.models import Role
from tracker.problems import Problem
from tracker.records.imports import decode
from tracker.scorecards import access, imports, records
from tracker.scorecards import counts as period_counts
from tracker.scorecards.models import Collective, ScorecardRound
from tracker.scorecards.periods import label
from tracker.scorecards.view import publication
from tracker.scorecards.web.common import (
    CollectiveForm,
    ScorecardImportForm,
    labels,
    loaded,
)

bp = Blueprint("entry", __name__)


# ---------------------------------------------------------------- collectives


@bp.route("/collectives/new", methods=["GET", "POST"])
@requires(Perm.scorecard_manage)
def new_collective() -> Response | str:
    form = CollectiveForm()
    organisations = scope.organisations(current_user)
    form.organisation_id.choices = options((o.id, o.name) for o in organisations)
    problems: list[Problem] | None = None
    if form.validate_on_submit():
        if current_user.role is Role.admin:
            owner = scope.organisation_or_404(current_user, form.organisation_id.data or 0)
        else:
            owner = scope.organisation_or_404(current_user, current_user.organisation_id or 0)
        made = records.create_collective(owner, form.name.data or "")
        if isinstance(made, Collective):
            flash(_("Collective %(name)s created.", name=made.name))
            return redirect(url_for("scorecards.entry.collective", collective_id=made.id))
        problems = made
    return render_template(
        "scorecards/collective_form.html",
        form=form,
        problems=problems,
        choose_organisation=current_user.role is Role.admin,
    )


@bp.route("/<int:collective_id>")
@requires(Perm.scorecard_record)
def collective(collective_id: int) -> str:
    found = access.collective_or_404(current_user, collective_id)
    scorecard = loaded()[1]
    periods = [
        (period, label(period), publication(found, period))
        for period in period_counts.periods(found.id)
    ]
    latest = records.rounds(found, limit=50)
    return render_template(
        "scorecards/collective.html",
        collective=found,
        scorecard=scorecard,
        periods=periods,
        rounds=latest,
        answers=records.answers_of([r.id for r in latest]),
        form=ActionForm(),
        today=date.today(),
    )


# ---------------------------------------------------------------- one sheet


def _posted(scorecard: Scorecard) -> records.RoundInput | list[Problem]:
    """The round form as posted: every problem of its own values, or the input."""
    form = request.form
    problems: list[Problem] = []
    held_on = records.parse_held_on(form.get("held_on", ""))
    outcome = records.parse_outcome(form.get("outcome", ""))
    days = records.parse_days(form.get("days_waited", ""))
    problems += [v for v in (held_on, outcome, days) if isinstance(v, Problem)]
    serial = form.get("serial", "").strip()
    if len(serial) > records.SERIAL_MAX:
        message = _("A sheet number has at most %(n)d characters.", n=records.SERIAL_MAX)
        problems.append(Problem("serial", message))
    answers = {
        q.id: form.get(f"face-{q.id}", "")
        for q in scorecard.questions
        if form.get(f"face-{q.id}", "") in FACE_IDS
    }
    if isinstance(held_on, Problem) or isinstance(outcome, Problem) or isinstance(days, Problem):
        return problems
    if problems:
        return problems
    return records.RoundInput(
        held_on,
        form.get("district", ""),
        form.get("block", ""),
        form.get("duty_bearer", ""),
        form.get("service", ""),
        outcome,
        days,
        answers,
        serial or None,
    )


def _render_round(
    found: Collective,
    scorecard: Scorecard,
    *,
    sheet: ScorecardRound | None = None,
    values: dict[str, str] | None = None,
    problems: list[Problem] | None = None,
    conflict: records.Conflict | None = None,
) -> str:
    districts, blocks = records.places(found)
    return render_template(
        "scorecards/round_form.html",
        collective=found,
        scorecard=scorecard,
        sheet=sheet,
        values=values if values is not None else request.form,
        problems=problems,
        conflict=conflict,
        changed=[labels(scorecard).get(f, f) for f in (conflict.fields if conflict else [])],
        field_labels=labels(scorecard),
        districts=districts,
        blocks=blocks,
        face_svg=face_svg,
        form=ActionForm(),
        today=date.today().isoformat(),
    )


@bp.route("/<int:collective_id>/rounds/new", methods=["GET", "POST"])
@requires(Perm.scorecard_record)
def new_round(collective_id: int) -> Response | str:
    found = access.collective_or_404(current_user, collective_id)
    scorecard = loaded()[1]
    form = ActionForm()
    problems: list[Problem] | None = None
    if form.validate_on_submit():
        data = _posted(scorecard)
        saved = data if isinstance(data, list) else records.save(scorecard, found, data)
        if isinstance(saved, ScorecardRound):
            flash(_("Scorecard saved. Ready for the next sheet."))
            return redirect(url_for("scorecards.entry.new_round", collective_id=found.id))
        problems = saved
    elif form.is_submitted():
        problems = form_problems(form)
    return _render_round(found, scorecard, problems=problems)


def _stored_values(sheet: ScorecardRound) -> dict[str, str]:
    answers = records.answers_of([sheet.id])[sheet.id]
    values = {
        "held_on": sheet.held_on.isoformat(),
        "district": sheet.district,
        "block": sheet.block,
        "duty_bearer": sheet.duty_bearer,
        "service": sheet.service,
        "outcome": sheet.outcome.value if sheet.outcome else "",
        "days_waited": "" if sheet.days_waited is None else str(sheet.days_waited),
        "serial": sheet.round_key if sheet.round_key and len(sheet.round_key) <= 40 else "",
        "version": str(sheet.version),
    }
    values.update({f"face-{q}": face for q, face in answers.items()})
    return values


def _sheet_or_404(collective_id: int, round_id: int) -> tuple[Collective, ScorecardRound]:
    found = access.collective_or_404(current_user, collective_id)
    sheet = records.round_in(found, round_id)
    if sheet is None:
        abort(404)
    return found, sheet


@bp.route("/<int:collective_id>/rounds/<int:round_id>", methods=["GET", "POST"])
@requires(Perm.scorecard_record)
def edit_round(collective_id: int, round_id: int) -> Response | str:
    found, sheet = _sheet_or_404(collective_id, round_id)
    scorecard = loaded()[1]
    form = ActionForm()
    if not form.validate_on_submit():
        problems = form_problems(form)
        return _render_round(
            found,
            scorecard,
            sheet=sheet,
            problems=problems or None,
            values=None if form.is_submitted() else _stored_values(sheet),
        )
    data = _posted(scorecard)
    if isinstance(data, list):
        return _render_round(found, scorecard, sheet=sheet, problems=data)
    if data.round_key is None and sheet.round_key and len(sheet.round_key) > records.SERIAL_MAX:
        data = records.RoundInput(**{**vars(data), "round_key": sheet.round_key})  # keep the hash
    saved = records.edit(scorecard, found, sheet, data, form_version())
    if isinstance(saved, ScorecardRound):
        flash(_("Scorecard corrected."))
        return redirect(url_for("scorecards.entry.collective", collective_id=found.id))
    if isinstance(saved, records.Conflict):
        if saved.current is None:
            flash(_("Someone else deleted this scorecard meanwhile: nothing was saved."), "error")
            return redirect(url_for("scorecards.entry.collective", collective_id=found.id))
        values = {**request.form, "version": str(saved.current.version)}
        return _render_round(found, scorecard, sheet=saved.current, values=values, conflict=saved)
    return _render_round(found, scorecard, sheet=sheet, problems=saved)


@bp.route("/<int:collective_id>/rounds/<int:round_id>/delete", methods=["GET", "POST"])
@requires(Perm.record_delete)
def delete_round(collective_id: int, round_id: int) -> Response | str:
    found, sheet = _sheet_or_404(collective_id, round_id)
    scorecard = loaded()[1]
    form = ActionForm()
    if form.validate_on_submit():
        refused = records.remove(found, sheet, form_version())
        if refused is None:
            flash(_("Scorecard deleted."))
            return redirect(url_for("scorecards.entry.collective", collective_id=found.id))
        flash(
            _(
                "Someone else changed this scorecard after you opened the page, so it was not "
                "deleted. Check it below and delete it again if you still mean to."
            ),
            "error",
        )
        if refused.current is None:
            return redirect(url_for("scorecards.entry.collective", collective_id=found.id))
        sheet = refused.current
    return render_template(
        "scorecards/round_delete.html",
        collective=found,
        scorecard=scorecard,
        sheet=sheet,
        answers=records.answers_of([sheet.id])[sheet.id],
        form=form,
    )


# ---------------------------------------------------------------- import


@bp.route("/template.csv")
@requires(Perm.import_run)
def template() -> Response:
    scorecard = loaded("en")[1]
    return attachment(imports.template(scorecard), "text/csv", "scorecard-template.csv")


@bp.route("/<int:collective_id>/import", methods=["GET", "POST"])
@requires(Perm.import_run)
def upload(collective_id: int) -> Response | str:
    found = access.collective_or_404(current_user, collective_id)
    scorecard = loaded()[1]
    form = ScorecardImportForm()
    problems: list[Problem] | None = None
    if form.validate_on_submit():
        text = decode(form.file.data.read())
        if isinstance(text, Problem):
            problems = [text]
        else:
            max_rows = int(current_app.config["IMPORT_MAX_ROWS"])
            result = imports.import_rounds(loaded("en")[1], found, text, max_rows)
            if result.ok:
                flash(import_said(result))
                return redirect(url_for("scorecards.entry.collective", collective_id=found.id))
            problems = result.problems
    return render_template(
        "scorecards/import.html",
        collective=found,
        scorecard=scorecard,
        form=form,
        problems=problems,
        field_labels=labels(scorecard),
    )
