"""The scorecard's figures: a period per district, sharing it, the advocacy brief and its
CSV, what others read of shared periods, and the blank sheet to print."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from facilitator.printing.scorecard import scorecard_sheet_html
from facilitator.scorecard_model import Scorecard
from tracker import content
from tracker.access.permissions import Perm, requires, user_may
from tracker.blueprints import paper
from tracker.downloads import attachment
from tracker.forms import ActionForm
from tracker.i18n import interface_language
from tracker.scorecards import access, brief, sharing, view
from tracker.scorecards.models import Collective
from tracker.scorecards.periods import label, parse_period
from tracker.scorecards.web.common import loaded
from tracker.summaries.tables import ColumnKind, display_cell, display_rows

bp = Blueprint("figures", __name__)
FORMATS = ("pdf", "html", "csv")


@bp.route("/")
@requires(Perm.summary_view)
def index() -> str:
    scorecard = loaded()[1]
    return render_template(
        "scorecards/index.html",
        scorecard=scorecard,
        collectives=access.collectives(current_user) if user_may(Perm.scorecard_record) else [],
        shared=[(p, c, o, label(p.period)) for p, c, o in access.publications(current_user)],
    )


def _period(text: str) -> str:
    period = parse_period(text)
    if period is None:
        abort(404)
    return period


def _mode() -> view.Mode:
    return "preview" if request.args.get("view") == "preview" else "exact"


@bp.route("/<int:collective_id>/periods/<period>")
@requires(Perm.scorecard_record)
def period_figures(collective_id: int, period: str) -> str:
    found = access.collective_or_404(current_user, collective_id)
    period = _period(period)
    local, scorecard = loaded()
    mode = _mode()
    figures = view.figures(found, period, mode, local, _)
    if figures is None:
        abort(404)
    return _page(found, figures, scorecard, shared=view.publication(found, period))


def _page(
    found: Collective, figures: view.PeriodFigures, scorecard: Scorecard, **extra: object
) -> str:
    chosen = figures.district(request.args.get("district", "")) or figures.districts[0]
    return render_template(
        "scorecards/figures.html",
        collective=found,
        figures=figures,
        district=chosen,
        scorecard=scorecard,
        display_rows=display_rows,
        count_text=lambda cell: display_cell(cell, ColumnKind.COUNT),
        form=ActionForm(),
        **extra,
    )


@bp.route("/<int:collective_id>/periods/<period>/publish", methods=["POST"])
@requires(Perm.scorecard_manage)
def publish(collective_id: int, period: str) -> Response:
    found = access.collective_or_404(current_user, collective_id)
    period = _period(period)
    form = ActionForm()
    back = url_for("scorecards.entry.collective", collective_id=found.id)
    if not form.validate_on_submit():
        flash(_("Nothing was shared: the form was incomplete. Please try again."), "error")
        return redirect(back)
    done = sharing.publish(content.content(), found, period, current_user.username)
    if isinstance(done, list):
        for problem in done:
            flash(problem.message, "error")
    else:
        flash(
            _(
                "%(period)s is shared: evaluators and other organisations now see its protected "
                "figures.",
                period=label(period),
            )
        )
    return redirect(back)


# ---------------------------------------------------------------- the brief


def _format(fmt: str) -> str:
    if fmt not in FORMATS:
        abort(404)
    return fmt


def _language() -> str:
    wanted = request.args.get("lang") or interface_language()
    if wanted not in content.language_codes():
        abort(404)
    return wanted


def _brief(found: Collective, period: str, fmt: str) -> Response:
    """The brief of a shared period: made from what was shared, never from live figures, so
    that two briefs of one period are always the same (nothing to subtract)."""
    language = "en" if fmt == "csv" else _language()  # the CSV is for analysis: in English
    with force_locale(language):
        local = loaded(language)[0]
        figures = view.figures(found, period, "published", local, _)
        if figures is None:
            abort(
                404,
                description=_("Share this period first: a brief is made from shared figures only."),
            )
        district = figures.district(request.args.get("district", "")) or figures.districts[0]
        stem = f"scorecard-{found.id}-{period}-{brief.slug(district.district)}"
        if fmt == "csv":
            return attachment(brief.csv_text(found, figures, district), "text/csv", f"{stem}.csv")
        html = brief.html(found, figures, district, local, language)
    return paper._send(html, fmt, f"{stem}-{language}")  # one queue for every printed PDF


@bp.route("/<int:collective_id>/periods/<period>/brief.<fmt>")
@requires(Perm.scorecard_record)
def own_brief(collective_id: int, period: str, fmt: str) -> Response:
    """The collective's own way to its brief (the same as others get for a shared period)."""
    found = access.collective_or_404(current_user, collective_id)
    return _brief(found, _period(period), _format(fmt))


# ---------------------------------------------------------------- shared periods


@bp.route("/shared/<int:publication_id>")
@requires(Perm.summary_view)
def shared(publication_id: int) -> str:
    found, collective = access.publication_or_404(current_user, publication_id)
    local, scorecard = loaded()
    figures = view.figures(collective, found.period, "published", local, _)
    if figures is None:
        abort(404)
    others = [p for p, c, _o in access.publications(current_user) if c.id == collective.id]
    return _page(collective, figures, scorecard, shared=found, other_periods=others)


@bp.route("/shared/<int:publication_id>/brief.<fmt>")
@requires(Perm.summary_export)
def shared_brief(publication_id: int, fmt: str) -> Response:
    found, collective = access.publication_or_404(current_user, publication_id)
    return _brief(collective, found.period, _format(fmt))


# ---------------------------------------------------------------- the blank sheet


@bp.route("/sheet.<fmt>")
@requires(Perm.scorecard_record)
def sheet(fmt: str) -> Response:
    if fmt not in ("pdf", "html"):
        abort(404)
    language = _language()
    loaded(language)
    html = scorecard_sheet_html(content.content(), language)
    return paper._send(html, fmt, f"citizen-scorecard-{language}")
