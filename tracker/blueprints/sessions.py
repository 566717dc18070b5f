"""Training sessions and the attendance roster, which a facilitator fills in on a phone."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from tracker import content, scope
from tracker.forms import ActionForm, SessionForm, options
from tracker.models import AttendanceStatus
from tracker.permissions import Perm, requires
from tracker.records import cohorts as cohort_records
from tracker.records import participants as participant_records
from tracker.records import sessions as records

bp = Blueprint("sessions", __name__)

STATUS_PREFIX = "status-"


@bp.route("/cohorts/<int:cohort_id>/sessions/new", methods=["GET", "POST"])
@requires(Perm.session_record)
def new(cohort_id: int) -> Response | str:
    cohort = scope.cohort_or_404(current_user, cohort_id)
    form = SessionForm()
    loaded = content.content(cohort.language)
    programme = loaded.programmes.get(cohort.programme_id)
    form.module_id.choices = options(
        [
            (mid, loaded.modules[mid].title)
            for mid in (programme.modules if programme else [])
            if mid in loaded.modules
        ]
    )
    form.facilitators.choices = options(
        [(u.id, u.username) for u in cohort_records.facilitator_choices(cohort)]
    )
    problems = None
    if form.validate_on_submit():
        created = records.create(
            cohort,
            records.SessionInput(
                module_id=form.module_id.data or "",
                held_on=form.held_on.data,  # type: ignore[arg-type]
                facilitator_ids=form.facilitators.data or [],
            ),
        )
        if isinstance(created, list):
            problems = created
        else:
            flash(_("Session created. Now take the roster."))
            return redirect(url_for("sessions.roster", session_id=created.id))
    elif request.method == "GET":
        form.facilitators.data = [current_user.id]
    return render_template("sessions/new.html", form=form, cohort=cohort, problems=problems)


@bp.route("/sessions/<int:session_id>/attendance", methods=["GET", "POST"])
@requires(Perm.session_record)
def roster(session_id: int) -> Response | str:
    session = scope.session_or_404(current_user, session_id)
    cohort = session.cohort
    form = ActionForm()
    problems = None
    marks = records.statuses(session)
    if form.validate_on_submit():
        submitted = {
            key.removeprefix(STATUS_PREFIX): value
            for key, value in request.form.items()
            if key.startswith(STATUS_PREFIX)
        }
        saved = records.record_attendance(session, submitted, cohort.organisation_id)
        if isinstance(saved, list):
            problems = saved
        else:
            flash(_("Attendance saved for %(n)d participants.", n=len(saved)))
            return redirect(url_for("sessions.roster", session_id=session.id))
    elif request.method == "POST":
        problems = [_("The form had expired. Please try again.")]
    module = content.content(cohort.language).modules.get(session.module_id)
    return render_template(
        "sessions/roster.html",
        session=session,
        cohort=cohort,
        module=module,
        participants=participant_records.roster(cohort),
        marks=marks,
        statuses=list(AttendanceStatus),
        form=form,
        problems=problems,
    )
