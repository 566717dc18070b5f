"""CSV import: the templates to download, and the upload that writes all rows or none."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from tracker import content, imports, scope
from tracker.downloads import attachment
from tracker.forms import ImportForm, form_problems, options
from tracker.permissions import Perm, requires
from tracker.problems import Problem

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


@bp.route("/cohorts/<int:cohort_id>/import", methods=["GET", "POST"])
@requires(Perm.import_run)
def upload(cohort_id: int) -> Response | str:
    cohort = scope.cohort_or_404(current_user, cohort_id)
    loaded = content.content(cohort.language)
    form = ImportForm()
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
        text = imports.decode(form.file.data.read())
        max_rows = int(current_app.config["IMPORT_MAX_ROWS"])
        if isinstance(text, Problem):
            problems = [text]
        elif form.kind.data == "attendance":
            result = imports.import_attendance(cohort, text, max_rows)
            problems = result.problems
        elif form.kind.data == "assessments":
            result = imports.import_assessments(cohort, form.instrument.data or "", text, max_rows)
            problems = result.problems
        else:
            result = imports.import_evaluations(cohort, form.form_id.data or "", text, max_rows)
            problems = result.problems
        if not problems:
            flash(_("Imported %(n)d rows.", n=result.rows))
            return redirect(url_for("cohorts.show", cohort_id=cohort.id))
    elif form.is_submitted():
        problems = form_problems(form)
    return render_template(
        "imports/upload.html",
        cohort=cohort,
        form=form,
        problems=problems,
        instruments=[loaded.instruments[i] for i in instrument_ids if i in loaded.instruments],
        evaluation_forms=[
            loaded.evaluation_forms[f] for f in form_ids if f in loaded.evaluation_forms
        ],
    )
