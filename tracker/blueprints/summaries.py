"""Outcome summaries as pages with charts, and their CSV/XLSX exports."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request
from flask_babel import get_locale
from flask_login import current_user
from werkzeug.wrappers import Response

from tracker import content, scope, summaries
from tracker.downloads import attachment
from tracker.exports import table_to_csv, table_to_xlsx
from tracker.models import Role
from tracker.permissions import Perm, requires

bp = Blueprint("summaries", __name__, url_prefix="/summaries")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def evaluator_view() -> bool:
    """Evaluators always see suppressed figures; others may preview what evaluators see."""
    return current_user.role is Role.evaluator or request.args.get("view") == "evaluator"


def _summary(scope_name: str, key: str, labels_language: str | None = None) -> summaries.Summary:
    if scope_name not in summaries.SCOPES:
        abort(404)
    title, cohort_ids = summaries.resolve(current_user, scope_name, key)
    threshold = current_app.config["SUPPRESSION_THRESHOLD"] if evaluator_view() else None
    return summaries.cached_build(
        title,
        scope_name,
        key,
        cohort_ids,
        threshold=threshold,
        language=str(get_locale() or "en"),
        labels_language=labels_language,
    )


@bp.route("/")
@requires(Perm.summary_view)
def index() -> str:
    cohorts = scope.cohorts(current_user)
    programme_ids = sorted({c.programme_id for c in cohorts})
    programmes = content.content(str(get_locale() or "en")).programmes
    return render_template(
        "summaries/index.html",
        cohorts=cohorts,
        programmes=[(pid, programmes[pid].title) for pid in programme_ids if pid in programmes],
        organisations=scope.organisations(current_user),
    )


@bp.route("/<scope_name>/<key>")
@requires(Perm.summary_view)
def show(scope_name: str, key: str) -> str:
    summary = _summary(scope_name, key)
    return render_template(
        "summaries/show.html",
        summary=summary,
        evaluator_view=evaluator_view(),
        display_rows=summaries.tables.display_rows,
    )


@bp.route("/<scope_name>/<key>/<section>.<fmt>")
@requires(Perm.summary_export)
def export(scope_name: str, key: str, section: str, fmt: str) -> Response:
    if fmt not in ("csv", "xlsx"):
        abort(404)
    # The CSV is for analysis: its headers and notes stay in English in every interface
    # language (item texts still follow the curriculum's language). The XLSX is for people.
    summary = _summary(scope_name, key, labels_language="en" if fmt == "csv" else None)
    found = summary.section(section)
    if found is None:
        abort(404)
    filename = f"{scope_name}-{key}-{section}.{fmt}"
    if fmt == "csv":
        return attachment(table_to_csv(found.table), "text/csv", filename)
    workbook = table_to_xlsx(found.table, section[:31], summary.gettext)
    return attachment(workbook, XLSX, filename)
