"""Cohorts: the list a user may see, creating and editing one, its page, its facilitators."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from tracker import content, scope
from tracker.forms import CohortForm, FacilitatorsForm, options
from tracker.models import Cohort, Role
from tracker.permissions import Perm, requires
from tracker.records import cohorts as cohort_records
from tracker.records import participants as participant_records
from tracker.records import sessions as session_records

bp = Blueprint("cohorts", __name__, url_prefix="/cohorts")


def _cohort_form(cohort: Cohort | None = None) -> CohortForm:
    form = CohortForm(obj=cohort)
    form.programme_id.choices = options(content.programme_choices())
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
    programmes = content.content().programmes
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
        programme=loaded.programmes.get(cohort.programme_id),
        modules=loaded.modules,
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
    )


@bp.route("/<int:cohort_id>/edit", methods=["GET", "POST"])
@requires(Perm.cohort_manage)
def edit(cohort_id: int) -> Response | str:
    cohort = scope.cohort_or_404(current_user, cohort_id)
    form = _cohort_form(cohort)
    problems = None
    if form.validate_on_submit():
        updated = cohort_records.update(cohort, _input(form, cohort.organisation_id))
        if isinstance(updated, list):
            problems = updated
        else:
            flash(_("Cohort saved."))
            return redirect(url_for("cohorts.show", cohort_id=cohort.id))
    return render_template("cohorts/form.html", form=form, cohort=cohort, problems=problems)


@bp.route("/<int:cohort_id>/facilitators", methods=["GET", "POST"])
@requires(Perm.cohort_manage)
def facilitators(cohort_id: int) -> Response | str:
    cohort = scope.cohort_or_404(current_user, cohort_id)
    form = FacilitatorsForm()
    form.facilitators.choices = options(
        [(u.id, u.username) for u in cohort_records.facilitator_choices(cohort)]
    )
    problems = None
    if form.validate_on_submit():
        problems = cohort_records.assign(cohort, form.facilitators.data or [])
        if not problems:
            flash(_("Facilitators saved."))
            return redirect(url_for("cohorts.show", cohort_id=cohort.id))
    else:
        form.facilitators.data = cohort_records.facilitator_ids(cohort)
    return render_template("cohorts/facilitators.html", form=form, cohort=cohort, problems=problems)
