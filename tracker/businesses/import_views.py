"""The business records' CSV import page and templates, for a cohort of a programme that
keeps them: all rows or none, each problem with its row and the column's visible label."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from tracker.access.permissions import Perm, requires
from tracker.blueprints.imports import import_said
from tracker.businesses import imports, vocabulary
from tracker.businesses.forms import BusinessImportForm
from tracker.businesses.views import cohort_or_404
from tracker.downloads import attachment
from tracker.forms import form_problems
from tracker.i18n import interface_language
from tracker.models import Cohort
from tracker.problems import Problem
from tracker.records.imports import ImportResult, decode
from tracker.records.imports.running import run

bp = Blueprint("business_imports", __name__, url_prefix="/cohorts/<int:cohort_id>/businesses")

# The columns as the import page names them in its problems.
COLUMN_LABELS = {
    "participant_code": _l("Participant code"),
    "business_kind": _l("Kind of business"),
    "started_on": _l("Date started"),
    "group_business": _l("Group business"),
    "partner_codes": _l("Partners' codes"),
    "taken_on": _l("Date of the stocktaking"),
    "stage": _l("Stage"),
    "running": _l("Running"),
    "risks": _l("Risks met"),
    "other_risk": _l("Another risk, in a few words"),
    "next_steps": _l("Next steps decided"),
    "paid_on": _l("Date paid"),
    "amount": _l("Amount in rupees"),
    "money_kind": _l("Grant or loan"),
    "paid_by": _l("From"),
}
KINDS = ("stocktakings", "disbursements")


@bp.route("/<kind>-template.csv")
@requires(Perm.import_run)
def template(cohort_id: int, kind: str) -> Response:
    cohort_or_404(cohort_id)
    if kind not in KINDS:
        abort(404)
    return attachment(imports.template(kind), "text/csv", f"business-{kind}-template.csv")


@bp.route("/import", methods=["GET", "POST"])
@requires(Perm.import_run)
def upload(cohort_id: int) -> Response | str:
    cohort = cohort_or_404(cohort_id)
    form = BusinessImportForm()
    problems: list[Problem] | None = None
    if form.validate_on_submit():
        result = _run(cohort, form)
        if isinstance(result, ImportResult) and result.ok:
            flash(import_said(result))
            return redirect(url_for("businesses.index", cohort_id=cohort.id))
        problems = result.problems if isinstance(result, ImportResult) else [result]
    elif form.is_submitted():
        problems = form_problems(form)
    language = interface_language()
    return render_template(
        "businesses/import.html",
        cohort=cohort,
        form=form,
        problems=problems,
        field_labels=COLUMN_LABELS,
        kinds=vocabulary.kinds(language),
        sources=vocabulary.sources(language),
        risks=vocabulary.risks(language),
        stage_labels=vocabulary.STAGE_LABELS,
        money_labels=vocabulary.MONEY_LABELS,
    )


def _run(cohort: Cohort, form: BusinessImportForm) -> ImportResult | Problem:
    text = decode(form.file.data.read())
    if isinstance(text, Problem):
        return text
    max_rows = int(current_app.config["IMPORT_MAX_ROWS"])
    if form.kind.data == "disbursements":
        return run(imports.DisbursementRows(cohort), text, max_rows, "business disbursements")
    return run(imports.StocktakingRows(cohort), text, max_rows, "business stocktakings")
