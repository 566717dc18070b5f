"""CSV import: the templates to download, and the upload that writes all rows or none."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from tracker import content
from tracker.access import scope
from tracker.access.permissions import Perm, requires, user_may
from tracker.downloads import attachment
from tracker.forms import ImportForm, form_problems, options
from tracker.i18n import interface_language
from tracker.models import Cohort
from tracker.problems import Problem
from tracker.records import imports

bp = Blueprint("imports", __name__)


def _csv(text: str, filename: str) -> Response:
    return attachment(text, "text/csv", filename)


@bp.route("/imports/templates/attendance.csv")
@requires(Perm.import_run)
def attendance_template() -> Response:
    return _csv(imports.template("attendance"), "attendance-template.csv")


@bp.route("/imports/templates/assessments/<instrument_id>.csv")
@requires(Perm.import_run)
def assessment_template(instrument_id: str) -> Response:
    instrument = content.content().instruments.get(instrument_id)
    if instrument is None:
        abort(404)
    return _csv(
        imports.template("assessments", instrument), f"assessments-{instrument_id}-template.csv"
    )


@bp.route("/imports/templates/evaluations.csv")
@requires(Perm.import_run)
def evaluation_template() -> Response:
    return _csv(imports.template("evaluations"), "evaluations-template.csv")


@bp.route("/imports/templates/participants.csv")
@requires(Perm.participant_manage)
def participant_template() -> Response:
    return _csv(imports.template("participants"), "participants-template.csv")


@bp.route("/cohorts/<int:cohort_id>/import", methods=["GET", "POST"])
@requires(Perm.import_run)
def upload(cohort_id: int) -> Response | str:
    cohort = scope.cohort_or_404(current_user, cohort_id)
    loaded = content.content(interface_language())  # titles and items as the page is read
    form = ImportForm()
    if not user_may(Perm.participant_manage):  # enrolling is the coordinator's
        kinds = list(form.kind.choices or [])
        form.kind.choices = [c for c in kinds if getattr(c, "value", c) != "participants"]
    instrument_ids = content.programme_instruments(cohort.programme_id)
    form_ids = content.programme_forms(cohort.programme_id)
    form.instrument.choices = options(
        [("", "–")]
        + [(i, loaded.instruments[i].title) for i in instrument_ids if i in loaded.instruments]
    )
    form.form_id.choices = options(
        [("", "–")]
        + [(f, loaded.evaluation_forms[f].title) for f in form_ids if f in loaded.evaluation_forms]
    )
    problems: list[Problem] | None = None
    if form.validate_on_submit():
        result = _run(cohort, form)
        if isinstance(result, imports.ImportResult) and result.ok:
            flash(import_said(result))
            return redirect(url_for("cohorts.show", cohort_id=cohort.id))
        problems = result.problems if isinstance(result, imports.ImportResult) else [result]
    elif form.is_submitted():
        problems = form_problems(form)
    return render_template(
        "imports/upload.html",
        cohort=cohort,
        form=form,
        problems=problems,
        field_labels={"serial": _("Serial number")},
        instruments=[loaded.instruments[i] for i in instrument_ids if i in loaded.instruments],
        evaluation_forms=[
            loaded.evaluation_forms[f] for f in form_ids if f in loaded.evaluation_forms
        ],
    )


def _run(cohort: Cohort, form: ImportForm) -> imports.ImportResult | Problem:
    text = imports.decode(form.file.data.read())
    if isinstance(text, Problem):
        return text
    max_rows = int(current_app.config["IMPORT_MAX_ROWS"])
    if form.kind.data == "attendance":
        return imports.import_attendance(cohort, text, max_rows)
    if form.kind.data == "assessments":
        return imports.import_assessments(cohort, form.instrument.data or "", text, max_rows)
    if form.kind.data == "participants":
        return imports.import_participants(cohort, text, max_rows)
    return imports.import_evaluations(cohort, form.form_id.data or "", text, max_rows)


def import_said(result: imports.ImportResult) -> str:
    """What an import did, in a sentence for the page it returns to."""
    if result.nothing_changed:
        return _("Already imported: nothing changed (%(n)d rows, all as they were).", n=result.rows)
    return _(
        "Imported %(n)d rows: %(new)d new, %(changed)d changed, %(unchanged)d unchanged.",
        n=result.rows,
        new=result.new,
        changed=result.changed,
        unchanged=result.unchanged,
    )
