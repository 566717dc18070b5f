"""The business summary of a cohort, organisation or programme that keeps business records:
the business sections of the same summary every other figure is in, so staff read their
own exact figures and evaluators a protected release, with the same exports (the summary's
CSV and XLSX links) and the API."""

from __future__ import annotations

import math

from flask import Blueprint, abort, jsonify, render_template
from werkzeug.wrappers import Response

from tracker import summaries
from tracker.access.auth_session import csrf
from tracker.access.permissions import Perm, requires
from tracker.blueprints import api
from tracker.blueprints import summaries as summary_pages
from tracker.businesses.sections import MONEY_COLUMNS, SECTION_KEYS
from tracker.businesses.views import grouped
from tracker.summaries import publish
from tracker.summaries.tables import SummaryTable

bp = Blueprint("business_summaries", __name__, url_prefix="/summaries")
api_bp = Blueprint("business_api", __name__, url_prefix="/api/v1")
csrf.exempt(api_bp)  # no cookies there: every request carries its own token
api_bp.after_request(api.no_store)


def business_only(summary: summaries.Summary) -> summaries.Summary:
    """The summary with its business sections only; 404 where it has none."""
    sections = [s for s in summary.sections if s.key in SECTION_KEYS]
    if not sections:
        abort(404)
    return summaries.Summary(
        summary.scope,
        summary.key,
        summary.title,
        summary.cohort_count,
        summary.protected,
        sections,
        summary.gettext,
        summary.release_id,
        summary.released_at,
        # The rules of these sections only, as the whole summary's note is of all of them.
        publish.rules_note((rule for s in sections for rule in s.rules), summary.gettext)
        if summary.protected
        else [],
    )


def display_rows(table: SummaryTable) -> list[list[str]]:
    """A table's cells as every summary page shows them, with the money columns' rupees
    grouped the Indian way (2,02,000). Only the page: the exports keep plain numbers."""
    shown = summaries.tables.display_rows(table)
    money = [i for i, column in enumerate(table.columns) if column.key in MONEY_COLUMNS]
    for cells, texts in zip(table.rows, shown, strict=True):
        for i in money:
            cell = cells[i]
            if isinstance(cell, int | float) and not math.isnan(cell):
                texts[i] = grouped(cell)
    return shown


@bp.route("/<scope_name>/<key>/businesses")
@requires(Perm.summary_view)
def show(scope_name: str, key: str) -> str:
    # The summary exactly as its own page reads it: live for staff, a release for evaluators.
    summary = business_only(summary_pages._summary(scope_name, key))
    return render_template(
        "businesses/summary.html",
        summary=summary,
        export_args=summary_pages.export_args(summary),
        evaluator_view=summary_pages.evaluator_view(),
        display_rows=display_rows,
    )


@api_bp.route("/summaries/<scope_name>/<key>/businesses")
@api.api_requires(Perm.api_read)
def api_summary(scope_name: str, key: str) -> Response:
    """The business sections of a scope's summary, from a release, protected: the summary
    route answers (its checks of language and release, its 404s), then only they are kept."""
    response = api.summary(scope_name, key)
    if response.status_code != 200:
        return response
    body = response.get_json()
    body["sections"] = [s for s in body["sections"] if s["key"] in SECTION_KEYS]
    if not body["sections"]:
        abort(404)
    return jsonify(body)
