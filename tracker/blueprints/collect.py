"""Collecting on phones, offline: a cohort's questionnaires as XLSForm (with its participant
codes to pick from), and the import of what ODK Central or KoboToolbox exports.

The forms come from `facilitator.xlsform`; the import from
`tracker.records.imports.collect`, which hands the submissions to the paper forms' import.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.file import FileField, FileRequired
from werkzeug.wrappers import Response
from wtforms import SelectField

from facilitator.model import EvaluationForm, Instrument
from tracker import content
from tracker.access import scope
from tracker.access.permissions import Perm, requires
from tracker.downloads import attachment
from tracker.forms import FlaskForm, options
from tracker.i18n import interface_language
from tracker.models import Cohort
from tracker.problems import Problem
from tracker.records.imports import collect

bp = Blueprint("collect", __name__, url_prefix="/cohorts/<int:cohort_id>/collect")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FIELD_LABELS = {
    "questionnaire": _l("Questionnaire"),
    "submission": _l("Submission"),
    "serial": _l("Submission"),
    "form_version": _l("Form version"),
    "file": _l("Export file (CSV)"),
}


class CollectImportForm(FlaskForm):
    questionnaire = SelectField(_l("Questionnaire"))
    file = FileField(_l("Export file (CSV)"), validators=[FileRequired()])


def _questionnaires(cohort: Cohort) -> list[tuple[str, str, Instrument | EvaluationForm]]:
    """(kind, id, the questionnaire as the page is read) of the cohort's programme."""
    loaded = content.content(interface_language())
    found: list[tuple[str, str, Instrument | EvaluationForm]] = [
        ("assessments", i, loaded.instruments[i])
        for i in content.programme_instruments(cohort.programme_id)
        if i in loaded.instruments
    ]
    found += [
        ("evaluations", f, loaded.evaluation_forms[f])
        for f in content.programme_forms(cohort.programme_id)
        if f in loaded.evaluation_forms
    ]
    return found


@bp.route("/", methods=["GET", "POST"])
@requires(Perm.import_run)
def index(cohort_id: int) -> Response | str:
    cohort = scope.cohort_or_404(current_user, cohort_id)
    listed = _questionnaires(cohort)
    form = CollectImportForm()
    form.questionnaire.choices = options(
        [("", "–"), *((f"{kind}:{ref}", item.title) for kind, ref, item in listed)]
    )
    problems: list[Problem] | None = None
    if form.validate_on_submit():
        outcome = _run(cohort, form.questionnaire.data or "", form.file.data.read())
        if isinstance(outcome, collect.CollectResult) and outcome.result.ok:
            flash(_said(outcome))
            return redirect(url_for("cohorts.show", cohort_id=cohort.id))
        problems = (
            outcome.result.problems if isinstance(outcome, collect.CollectResult) else [outcome]
        )
    return render_template(
        "collect/index.html",
        cohort=cohort,
        form=form,
        problems=problems,
        listed=listed,
        field_labels=FIELD_LABELS,
        instruments=[item for kind, _ref, item in listed if kind == "assessments"],
    )


def _run(cohort: Cohort, chosen: str, data: bytes) -> collect.CollectResult | Problem:
    kind, _sep, ref = chosen.partition(":")
    text = collect.export_text(data, int(current_app.config["MAX_CONTENT_LENGTH"]))
    if isinstance(text, Problem):
        return text
    max_rows = int(current_app.config["IMPORT_MAX_ROWS"])
    return collect.import_submissions(cohort, kind, ref, text, max_rows)


def _said(outcome: collect.CollectResult) -> str:
    result = outcome.result
    if result.nothing_changed:
        said = _(
            "Already imported from %(tool)s: nothing changed (submissions: %(n)d, all as they "
            "were).",
            tool=outcome.tool,
            n=result.rows,
        )
    else:
        said = _(
            "Imported from %(tool)s: %(new)d new, %(changed)d changed, %(unchanged)d unchanged "
            "(submissions: %(n)d).",
            tool=outcome.tool,
            new=result.new,
            changed=result.changed,
            unchanged=result.unchanged,
            n=result.rows,
        )
    if outcome.left_out:
        left_out = _("Left out, as rejected in review: %(n)d.", n=outcome.left_out)
        said = f"{said} {left_out}"
    return said


@bp.route("/<kind>/<ref>.xlsx")
@requires(Perm.import_run)
def xlsform(cohort_id: int, kind: str, ref: str) -> Response:
    """The questionnaire as an XLSForm, with this cohort's codes to pick from."""
    cohort = scope.cohort_or_404(current_user, cohort_id)
    if (kind, ref) not in {(k, r) for k, r, _item in _questionnaires(cohort)}:
        abort(404)
    form = collect.form_for(kind, ref, cohort)
    return attachment(form.workbook(), XLSX, f"{form.form_id}.xlsx")
