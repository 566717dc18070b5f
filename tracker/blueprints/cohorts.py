"""Cohorts: the list a user may see, creating and editing one, its page, its facilitators."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from tracker import content
from tracker.access import scope
from tracker.access.permissions import Perm, requires
from tracker.blueprints import care as care_views
from tracker.blueprints.versions import form_version, prefixed, row_id
from tracker.forms import CohortForm, FacilitatorsForm, options
from tracker.i18n import interface_language
from tracker.models import Cohort, Role
from tracker.records import cohorts as cohort_records
from tracker.records import facilitators as facilitator_records
from tracker.records import participants as participant_records
from tracker.records import sessions as session_records

bp = Blueprint("cohorts", __name__, url_prefix="/cohorts")

SHOWN_PREFIX = "shown-"  # the edit form's values as the page showed them


def _cohort_form(cohort: Cohort | None = None) -> CohortForm:
    form = CohortForm(obj=cohort)
    loaded = content.content(interface_language())  # programme names as the page is read
    form.programme_id.choices = options([(pid, p.title) for pid, p in loaded.programmes.items()])
    form.language.choices = options(
        [(lang.code, lang.name) for lang in content.content().languages]
    )
    organisations = scope.organisations(current_user)
    form.organisation_id.choices = options([(o.id, o.name) for o in organisations])
    return form


def _input(form: CohortForm, organisation_id: int) -> cohort_records.CohortInput:
    return cohort_records.CohortInput(
        organisation_id=organisation_id,
        name=form.name.data or "",
        programme_id=form.programme_id.data or "",
        language=form.language.data or "",
        place=form.place.data or "",
        starts_on=form.starts_on.data,  # type: ignore[arg-type]
        ends_on=form.ends_on.data,
    )


@bp.route("/")
@requires(Perm.cohort_view)
def index() -> str:
    programmes = content.content(interface_language()).programmes
    return render_template(
        "cohorts/index.html", cohorts=scope.cohorts(current_user), programmes=programmes
    )


@bp.route("/new", methods=["GET", "POST"])
@requires(Perm.cohort_manage)
def new() -> Response | str:
    form = _cohort_form()
    problems = None
    if form.validate_on_submit():
        organisation_id = (
            form.organisation_id.data
            if current_user.role is Role.admin
            else current_user.organisation_id
        )
        created = cohort_records.create(_input(form, organisation_id))
        if isinstance(created, list):
            problems = created
        else:
            flash(_("Cohort created."))
            return redirect(url_for("cohorts.show", cohort_id=created.id))
    return render_template("cohorts/form.html", form=form, cohort=None, problems=problems)


@bp.route("/<int:cohort_id>")
@requires(Perm.cohort_view)
def show(cohort_id: int) -> str:
    cohort = scope.cohort_or_404(current_user, cohort_id)
    loaded = content.content(cohort.language)
    from tracker import summaries

    return render_template(
        "cohorts/show.html",
        cohort=cohort,
        # Programme and module names as the page is read; the questionnaires as they are asked.
        programme=content.content(interface_language()).programmes.get(cohort.programme_id),
        modules=content.content(interface_language()).modules,
        sessions=session_records.sessions(cohort),
        participants=participant_records.roster(cohort),
        rates=summaries.participant_attendance(cohort.id),
        instruments=[
            loaded.instruments[i]
            for i in content.programme_instruments(cohort.programme_id)
            if i in loaded.instruments
        ],
        forms=[
            loaded.evaluation_forms[f]
            for f in content.programme_forms(cohort.programme_id)
            if f in loaded.evaluation_forms
        ],
        **care_views.panel(cohort),
    )


@bp.route("/<int:cohort_id>/edit", methods=["GET", "POST"])
@requires(Perm.cohort_manage)
def edit(cohort_id: int) -> Response | str:
    cohort = scope.cohort_or_404(current_user, cohort_id)
    form = _cohort_form(cohort)
    problems = None
    conflict: cohort_records.CohortConflict | None = None
    # What the page showed, to say what someone else changed since (see records.cohorts).
    shown = prefixed(SHOWN_PREFIX) if request.method == "POST" else {}
    shown = shown or cohort_records.values(cohort)
    if form.validate_on_submit():
        updated = cohort_records.update(
            cohort, _input(form, cohort.organisation_id), form_version(), shown
        )
        if isinstance(updated, list):
            problems = updated
        elif isinstance(updated, cohort_records.CohortConflict):
            # Her own input stays in the form, on the new version: saving again keeps it.
            conflict, shown = updated, updated.now
            form.version.data = str(updated.version)
        else:
            flash(_("Cohort saved."))
            return redirect(url_for("cohorts.show", cohort_id=cohort.id))
    return render_template(
        "cohorts/form.html",
        form=form,
        cohort=cohort,
        problems=problems,
        conflict=conflict,
        changes=_changes(conflict, form) if conflict else [],
        shown=shown,
    )


def _changes(conflict: cohort_records.CohortConflict, form: CohortForm) -> list[str]:
    """Each field someone else changed, as a sentence with its label and its new value."""
    programmes = content.content(interface_language()).programmes
    lines = []
    for change in conflict.changes:
        value = change.now
        if change.field == "programme_id" and value in programmes:
            value = programmes[value].title
        elif change.field == "language":
            value = content.language_names().get(value, value)
        label = form[change.field].label.text
        if value:
            lines.append(
                _("%(label)s was changed to %(value)s by someone else.", label=label, value=value)
            )
        else:
            lines.append(_("%(label)s was emptied by someone else.", label=label))
    return lines


@bp.route("/<int:cohort_id>/facilitators", methods=["GET", "POST"])
@requires(Perm.cohort_manage)
def facilitators(cohort_id: int) -> Response | str:
    cohort = scope.cohort_or_404(current_user, cohort_id)
    form = FacilitatorsForm()
    form.facilitators.choices = options(
        [(u.id, u.username) for u in cohort_records.facilitator_choices(cohort)]
    )
    problems = None
    conflict: facilitator_records.FacilitatorConflict | None = None
    version, shown = cohort.version, cohort_records.facilitator_ids(cohort)
    if form.validate_on_submit():
        saved = facilitator_records.assign(
            cohort,
            form.facilitators.data or [],
            [uid for raw in request.form.getlist("shown") if (uid := row_id(raw)) is not None],
            form_version(),
        )
        if isinstance(saved, facilitator_records.FacilitatorConflict):
            # Her ticks stay on the page, on the new version: saving again keeps them.
            conflict, version, shown = saved, saved.version, saved.now
        elif saved:
            problems = saved
        else:
            flash(_("Facilitators saved."))
            return redirect(url_for("cohorts.show", cohort_id=cohort.id))
    else:
        form.facilitators.data = shown
    return render_template(
        "cohorts/facilitators.html",
        form=form,
        cohort=cohort,
        problems=problems,
        conflict=conflict,
        version=version,
        shown=shown,
    )
