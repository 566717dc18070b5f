"""Paper forms for one cohort: the attendance sheet, the questionnaires and the evaluation
forms of its programme, in the cohort's language, with its participant codes filled in.

The forms themselves come from `facilitator.printing.forms`, the same functions that print
the handbook's blank forms; here they only get the cohort's codes and sessions. Each form is
a PDF (printed by Chromium) or the print-ready HTML it is printed from.
"""

from __future__ import annotations

import threading
from functools import cache

from flask import Blueprint, abort, current_app, render_template
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from facilitator.printing import forms
from facilitator.printing.engine import PrintError
from tracker import content
from tracker.access import scope
from tracker.access.permissions import Perm, requires
from tracker.downloads import attachment
from tracker.models import Cohort, Timepoint
from tracker.records import assessments as assessment_records
from tracker.records import evaluations as evaluation_records
from tracker.records import participants as participant_records
from tracker.records import sessions as session_records

bp = Blueprint("paper", __name__, url_prefix="/cohorts/<int:cohort_id>/paper")

FORMATS = ("pdf", "html")
PRINT_WAIT_SECONDS = 30
# The printed HTML carries its own stylesheet and fonts inline: only that is allowed in.
HTML_CSP = "default-src 'none'; style-src 'unsafe-inline'; font-src file: data:; img-src data:"


def _codes(cohort: Cohort) -> list[str]:
    return [p.code for p in participant_records.roster(cohort)]


def _session_labels(cohort: Cohort) -> list[str]:
    """The cohort's sessions as columns; before any is planned, its programme's modules."""
    loaded = content.content(cohort.language)
    sessions = session_records.sessions(cohort)
    if sessions:
        return [
            f"{s.held_on.isoformat()} · "
            + (loaded.modules[s.module_id].title if s.module_id in loaded.modules else s.module_id)
            for s in sessions
        ]
    programme = loaded.programmes.get(cohort.programme_id)
    return [
        loaded.modules[mid].title
        for mid in (programme.modules if programme else [])
        if mid in loaded.modules
    ]


def _timepoints(instrument: object) -> list[str]:
    points = list(forms.TIMEPOINTS)
    if getattr(instrument, "retrospective_instructions", None):
        points.append(Timepoint.retro_pre.value)
    return points


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        abort(404)


def _send(html: str, fmt: str, stem: str) -> Response:
    if fmt == "html":
        response = Response(html, mimetype="text/html")
        response.headers["Content-Security-Policy"] = HTML_CSP
        return response
    # Each PDF starts a Chromium: at most PDF_PRINTERS at once, so a burst of downloads
    # cannot exhaust a small office laptop's memory; the rest wait, then are told to retry.
    printers = _printers(int(current_app.config["PDF_PRINTERS"]))
    if not printers.acquire(timeout=PRINT_WAIT_SECONDS):
        abort(503, description=_("The printer is busy with other forms: try again in a minute."))
    try:
        pdf = forms.pdf_from_html(html)
    except PrintError as error:
        current_app.logger.error("paper form %s not printed: %s", stem, error)
        abort(503, description=str(error))
    finally:
        printers.release()
    return attachment(pdf, "application/pdf", f"{stem}.pdf")


@cache
def _printers(count: int) -> threading.BoundedSemaphore:
    return threading.BoundedSemaphore(max(1, count))


@bp.route("/")
@requires(Perm.participant_view)
def index(cohort_id: int) -> str:
    cohort = scope.cohort_or_404(current_user, cohort_id)
    loaded = content.content(cohort.language)
    instruments = [
        loaded.instruments[i]
        for i in content.programme_instruments(cohort.programme_id)
        if i in loaded.instruments
    ]
    return render_template(
        "paper/index.html",
        cohort=cohort,
        participants=participant_records.roster(cohort),
        instruments=[(i, _timepoints(i)) for i in instruments],
        forms=[
            loaded.evaluation_forms[f]
            for f in content.programme_forms(cohort.programme_id)
            if f in loaded.evaluation_forms
        ],
    )


@bp.route("/attendance.<fmt>")
@requires(Perm.participant_view)
def attendance(cohort_id: int, fmt: str) -> Response:
    _check_format(fmt)
    cohort = scope.cohort_or_404(current_user, cohort_id)
    html = forms.attendance_sheet_html(
        content.content(),
        cohort.language,
        cohort.name,
        _codes(cohort),
        _session_labels(cohort),
    )
    return _send(html, fmt, f"cohort-{cohort.id}-attendance")


@bp.route("/assessments/<instrument_id>/<timepoint>.<fmt>")
@requires(Perm.participant_view)
def questionnaire(cohort_id: int, instrument_id: str, timepoint: str, fmt: str) -> Response:
    _check_format(fmt)
    cohort = scope.cohort_or_404(current_user, cohort_id)
    if assessment_records.check_instrument(cohort, instrument_id):
        abort(404)
    loaded = content.content()
    if instrument_id not in loaded.instruments:
        abort(404)
    if timepoint not in _timepoints(loaded.instruments[instrument_id]):
        abort(404)
    html = forms.questionnaire_html(
        loaded,
        cohort.language,
        instrument_id,
        cohort_label=cohort.name,
        participant_codes=_codes(cohort),
        timepoint=timepoint,
    )
    return _send(html, fmt, f"cohort-{cohort.id}-{instrument_id}-{timepoint}")


@bp.route("/evaluations/<form_id>.<fmt>")
@requires(Perm.participant_view)
def evaluation(cohort_id: int, form_id: str, fmt: str) -> Response:
    _check_format(fmt)
    cohort = scope.cohort_or_404(current_user, cohort_id)
    loaded = content.content()
    if evaluation_records.check_form(cohort, form_id) or form_id not in loaded.evaluation_forms:
        abort(404)
    html = forms.evaluation_form_html(
        loaded,
        cohort.language,
        form_id,
        cohort_label=cohort.name,
        participant_codes=_codes(cohort),
    )
    return _send(html, fmt, f"cohort-{cohort.id}-{form_id}")
