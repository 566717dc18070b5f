"""Outcome summaries as pages with charts, their CSV/XLSX exports, and releases.

Evaluators read releases only (protected, dated); an organisation's staff read their own
cohorts' exact live figures, and may preview what evaluators see in the latest release.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from tracker import content, summaries
from tracker.access import scope
from tracker.access.edge import parse_id
from tracker.access.permissions import Perm, requires
from tracker.downloads import attachment
from tracker.models import Role
from tracker.summaries import release_job, releases
from tracker.summaries.exports import exact_marking, release_marking, table_to_csv, table_to_xlsx

bp = Blueprint("summaries", __name__, url_prefix="/summaries")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def evaluator_view() -> bool:
    """Evaluators always see a release; others may preview what evaluators see."""
    return current_user.role is Role.evaluator or request.args.get("view") == "evaluator"


def release_arg() -> int | None:
    raw = request.args.get("release", "")
    if not raw:
        return None
    number = parse_id(raw)
    if number is None:
        abort(404)
    return number


def _summary(scope_name: str, key: str, labels_language: str | None = None) -> summaries.Summary:
    if scope_name not in summaries.SCOPES:
        abort(404)
    language = str(get_locale() or "en")
    if evaluator_view():
        return summaries.released(
            current_user,
            scope_name,
            key,
            release_id=release_arg(),
            language=language,
            labels_language=labels_language,
        )
    title, cohort_ids = summaries.resolve(current_user, scope_name, key)
    if scope_name == "programme":  # the programme's name as the page is read
        title = content.content(language).programmes[key].title
    return summaries.exact(
        title, scope_name, key, cohort_ids, language=language, labels_language=labels_language
    )


@bp.route("/")
@requires(Perm.summary_view)
def index() -> str:
    language = str(get_locale() or "en")
    if current_user.role is Role.evaluator:
        latest = releases.latest_id()
        found = releases.load(latest) if latest is not None else None
        visible = summaries.visible_scopes(current_user, found) if found else set()
        return render_template(
            "summaries/released_index.html",
            release=found,
            scopes=_named(found, visible, language) if found else [],
            history=releases.release_ids(),
        )
    cohorts = scope.cohorts(current_user)
    programme_ids = sorted({c.programme_id for c in cohorts})
    programmes = content.content(language).programmes
    return render_template(
        "summaries/index.html",
        cohorts=cohorts,
        programmes=[(pid, programmes[pid].title) for pid in programme_ids if pid in programmes],
        organisations=scope.organisations(current_user),
    )


def _named(
    release: releases.Loaded, visible: set[tuple[str, str]], language: str
) -> list[tuple[str, str, str]]:
    programmes = content.content(language).programmes
    found = []
    for kind, key in sorted(visible):
        if kind == "cohort":
            name = release.cohorts[int(key)].name
        elif kind == "organisation":
            name = release.organisations.get(int(key), key)
        else:
            programme = programmes.get(key)
            name = programme.title if programme else key
        found.append((kind, key, name))
    return found


def export_args(summary: summaries.Summary) -> dict[str, str | int]:
    """What an export link adds so that it gives the figures the page shows."""
    found: dict[str, str | int] = {}
    if evaluator_view() and current_user.role is not Role.evaluator:
        found["view"] = "evaluator"
    if summary.protected and summary.release_id is not None:
        found["release"] = summary.release_id
    return found


@bp.route("/<scope_name>/<key>")
@requires(Perm.summary_view)
def show(scope_name: str, key: str) -> str:
    summary = _summary(scope_name, key)
    return render_template(
        "summaries/show.html",
        summary=summary,
        export_args=export_args(summary),
        evaluator_view=evaluator_view(),
        display_rows=summaries.tables.display_rows,
        history=releases.release_ids() if summary.protected else [],
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
    gettext = summary.gettext
    if summary.protected:
        marking = release_marking(summary.release_id, summary.released_at, summary.rules, gettext)
        stem = f"{scope_name}-{key}-{section}-release-{summary.release_id}"
    else:
        marking = exact_marking(summary.title, gettext)
        stem = f"{scope_name}-{key}-{section}-EXACT-not-for-sharing"
    filename = f"{stem}.{fmt}"
    if fmt == "csv":
        return attachment(table_to_csv(found.table, marking), "text/csv", filename)
    workbook = table_to_xlsx(
        found.table, section[:31], gettext, marking, exact=not summary.protected
    )
    return attachment(workbook, XLSX, filename)


@bp.route("/releases", methods=["GET", "POST"])
@requires(Perm.summary_view)
def release_list() -> Response | str:
    """The releases so far, and (for admins and coordinators) making a new one: in the
    background, as the protection audit can take minutes (`release_job`)."""
    may_publish = current_user.role in (Role.admin, Role.coordinator)
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if request.method == "POST":
        if not may_publish:
            abort(403)
        organisation_id = None if current_user.role is Role.admin else current_user.organisation_id
        if release_job.start(app, current_user.username, organisation_id) is None:
            flash(_("A release is being made already; this page says when it is done."))
        else:
            flash(_("Making a release; this page says when it is done."))
        return redirect(url_for("summaries.release_list"))
    return render_template(
        "summaries/releases.html",
        history=releases.release_ids(),
        may_publish=may_publish,
        job=release_job.current(app),
    )
