"""Training sessions and the attendance roster, which a facilitator fills in on a phone."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from tracker import content
from tracker.access import scope
from tracker.access.permissions import Perm, requires
from tracker.blueprints.versions import form_version, prefixed, row_id
from tracker.forms import ActionForm, NewSessionForm, options
from tracker.i18n import interface_language
from tracker.models import AttendanceStatus, Cohort, TrainingSession
from tracker.records import cohorts as cohort_records
from tracker.records import participants as participant_records
from tracker.records import removals
from tracker.records import sessions as records

bp = Blueprint("sessions", __name__)

STATUS_PREFIX = "status-"
SHOWN_PREFIX = "shown-"  # what the page showed, to say what changed since


def _session_form(cohort: Cohort) -> tuple[NewSessionForm, dict[str, int]]:
    form = NewSessionForm()
    loaded = content.content(interface_language())  # module names as the page is read
    programme = loaded.programmes.get(cohort.programme_id)
    module_ids = [m for m in (programme.modules if programme else []) if m in loaded.modules]
    days = {mid: records.module_days(mid) for mid in module_ids}
    form.module_id.choices = options(
        [
            (
                mid,
                loaded.modules[mid].title
                if days[mid] == 1
                else _("%(title)s (%(n)d days)", title=loaded.modules[mid].title, n=days[mid]),
            )
            for mid in module_ids
        ]
    )
    form.facilitators.choices = options(
        [(u.id, u.username) for u in cohort_records.facilitator_choices(cohort)]
    )
    most = max(days.values(), default=1)
    if most > 1:
        form.day.choices = options([(d, _("Day %(n)d", n=d)) for d in range(1, most + 1)])
    else:
        del form.day  # every module is one day: nothing to choose
    return form, days


@bp.route("/cohorts/<int:cohort_id>/sessions/new", methods=["GET", "POST"])
@requires(Perm.session_record)
def new(cohort_id: int) -> Response | str:
    cohort = scope.cohort_or_404(current_user, cohort_id)
    form, days = _session_form(cohort)
    problems = None
    existing: TrainingSession | None = None
    if form.validate_on_submit():
        created = records.create(
            cohort,
            records.SessionInput(
                module_id=form.module_id.data or "",
                held_on=form.held_on.data,  # type: ignore[arg-type]
                facilitator_ids=form.facilitators.data or [],
                day=form.day.data if "day" in form else 1,
            ),
        )
        if isinstance(created, list):
            problems = created
        elif isinstance(created, records.Duplicate):
            existing = created.session  # offered, not made twice
        else:
            flash(_("Session created. Now take the roster."))
            return redirect(url_for("sessions.roster", session_id=created.id))
    elif request.method == "GET":
        form.facilitators.data = [current_user.id]
        form.held_on.data = date.today()
    return render_template(
        "sessions/new.html",
        form=form,
        cohort=cohort,
        problems=problems,
        existing=existing,
        multi_day=[mid for mid, n in days.items() if n > 1],
    )


@bp.route("/sessions/<int:session_id>/attendance", methods=["GET", "POST"])
@requires(Perm.session_record)
def roster(session_id: int) -> Response | str:
    session = scope.session_or_404(current_user, session_id)
    cohort = session.cohort
    form = ActionForm()
    problems = None
    conflict: records.RosterConflict | None = None
    current = records.statuses(session)
    choices = {pid: status.value for pid, status in current.items()}
    version = session.version
    if form.validate_on_submit():
        submitted = prefixed(STATUS_PREFIX)
        saved = records.save_roster(
            session, submitted, prefixed(SHOWN_PREFIX), form_version(), cohort.organisation_id
        )
        if isinstance(saved, list):
            problems = saved
        elif isinstance(saved, records.RosterConflict):
            # Her own choices stay on the page, on the new version: saving again keeps them.
            conflict, current, version = saved, saved.now, saved.version
            choices = {pid: v for k, v in submitted.items() if (pid := row_id(k)) is not None}
        else:
            flash(_("Attendance saved for %(n)d participants.", n=len(saved)))
            return redirect(url_for("sessions.roster", session_id=session.id))
    elif request.method == "POST":
        problems = [_("The form had expired. Please try again.")]
    module = content.content(interface_language()).modules.get(session.module_id)
    return render_template(
        "sessions/roster.html",
        session=session,
        cohort=cohort,
        module=module,
        participants=participant_records.roster(cohort),
        choices=choices,
        shown={pid: status.value for pid, status in current.items()},
        version=version,
        conflict=conflict,
        statuses=list(AttendanceStatus),
        form=form,
        problems=problems,
    )


@bp.route("/sessions/<int:session_id>/delete", methods=["GET", "POST"])
@requires(Perm.record_delete)
def delete(session_id: int) -> Response | str:
    session = scope.session_or_404(current_user, session_id)
    cohort = session.cohort
    form = ActionForm()
    if form.validate_on_submit():
        title = _module_title(cohort, session.module_id)
        held_on = session.held_on
        marks = removals.remove_session(session, cohort.organisation_id)
        flash(
            _(
                "Session deleted: %(module)s on %(date)s, with %(n)d attendance marks.",
                module=title,
                date=held_on.isoformat(),
                n=marks,
            )
        )
        return redirect(url_for("cohorts.show", cohort_id=cohort.id))
    return render_template(
        "sessions/delete.html",
        session=session,
        cohort=cohort,
        module_title=_module_title(cohort, session.module_id),
        days=records.module_days(session.module_id),
        marks=removals.session_marks(session),
        form=form,
    )


def _module_title(cohort: Cohort, module_id: str) -> str:
    module = content.content(interface_language()).modules.get(module_id)
    return str(module.title) if module is not None else module_id
