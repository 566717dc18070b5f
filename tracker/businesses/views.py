"""Her businesses, for her cohort's facilitators and coordinator (and admins), never for
evaluators: the cohort's list, a business with its history, adding and editing a business.
Stocktakings and money are in `entry_views`; the CSV import in `import_views`.

Only cohorts of a programme that keeps business records (curriculum/businesses.yaml) have
these pages; any other cohort answers 404, as does another organisation's or cohort's id.
"""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import Any

from babel.numbers import format_decimal
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from tracker.access import scope
from tracker.access.permissions import Perm, requires, user_may
from tracker.blueprints.versions import form_version
from tracker.businesses import checks, reading, records, vocabulary
from tracker.businesses.forms import BusinessForm
from tracker.businesses.models import Business
from tracker.businesses.posting import submitted
from tracker.forms import ActionForm, options
from tracker.i18n import interface_language
from tracker.models import Cohort, Participant
from tracker.problems import Problem

bp = Blueprint("businesses", __name__, url_prefix="/cohorts/<int:cohort_id>")


def cohort_or_404(cohort_id: int) -> Cohort:
    cohort = scope.cohort_or_404(current_user, cohort_id)
    if not vocabulary.keeps_records(cohort.programme_id):
        abort(404)
    return cohort


def business_or_404(cohort: Cohort, business_id: int) -> tuple[Business, Participant]:
    """A business of this cohort, and its owner, reachable by this user."""
    business = records.business_in(cohort, business_id)
    if business is None:
        abort(404)
    return business, scope.member_or_404(current_user, cohort, business.participant_id)


def labels() -> dict[str, Any]:
    """What a business template shows beside ids, in the interface language."""
    language = interface_language()
    return {
        "kind_labels": vocabulary.kinds(language),
        "source_labels": vocabulary.sources(language),
        "risk_labels": vocabulary.risks(language),
        "stage_labels": vocabulary.STAGE_LABELS,
        "money_labels": vocabulary.MONEY_LABELS,
    }


@bp.app_template_global("business_panel")
def business_panel(cohort: Cohort, participant_id: int) -> dict[str, Any] | None:
    """Her businesses for her page (care/participant.html): None where the cohort's
    programme keeps no business records or the user may not see them."""
    if not user_may(Perm.care_record) or not vocabulary.keeps_records(cohort.programme_id):
        return None
    return {"views": reading.views(cohort, participant_id), **labels()}


def grouped(amount: int | float) -> str:
    """1,20,000: Indian digit grouping, as amounts are written on the programme's forms;
    up to two decimals (a median may fall between two amounts)."""
    return format_decimal(amount, format="#,##,##0.##", locale="en_IN")


@bp.app_template_filter("rupees")
def rupees(amount: int | float) -> str:
    """₹1,20,000, for an amount of whole rupees."""
    return "₹" + grouped(amount)


@bp.app_template_global("keeps_business_records")
def keeps_business_records(programme_id: str) -> bool:
    return vocabulary.keeps_records(programme_id)


# ---------------------------------------------------------------- the cohort's list


@bp.route("/businesses")
@requires(Perm.care_record)
def index(cohort_id: int) -> str:
    cohort = cohort_or_404(cohort_id)
    return render_template(
        "businesses/index.html", cohort=cohort, views=reading.views(cohort), **labels()
    )


# ---------------------------------------------------------------- a business


def _form(business: Business | None = None, partners: list[str] | None = None) -> BusinessForm:
    form = BusinessForm()
    form.business_kind.choices = options(vocabulary.kinds(interface_language()).items())
    if not form.is_submitted():
        if business is None:
            form.started_on.data = date.today().isoformat()
        else:
            form.business_kind.data = business.kind
            form.started_on.data = business.started_on.isoformat()
            form.group_business.data = business.group_business
            form.partner_codes.data = ", ".join(partners or [])
            form.version.data = str(business.version)
    return form


def business_input(form: BusinessForm) -> checks.BusinessInput | list[Problem]:
    kind = checks.parse_kind(form.business_kind.data or "")
    started = checks.parse_day(form.started_on.data or "", "started_on")
    partners = checks.parse_partner_codes(form.partner_codes.data or "")
    if isinstance(kind, Problem) or isinstance(started, Problem) or isinstance(partners, Problem):
        return [v for v in (kind, started, partners) if isinstance(v, Problem)]
    return checks.BusinessInput(kind, started, bool(form.group_business.data), partners)


@bp.route("/participants/<int:participant_id>/businesses/new", methods=["GET", "POST"])
@requires(Perm.care_record)
def new(cohort_id: int, participant_id: int) -> Response | str:
    cohort = cohort_or_404(cohort_id)
    owner = scope.member_or_404(current_user, cohort, participant_id)
    form = _form()
    made = submitted(form, business_input, partial(records.add_business, cohort, owner))
    if isinstance(made, Business):
        flash(_("Business recorded for %(code)s.", code=owner.code))
        return redirect(url_for(".show", cohort_id=cohort.id, business_id=made.id))
    return render_template(
        "businesses/new.html", cohort=cohort, owner=owner, form=form, problems=made
    )


@bp.route("/businesses/<int:business_id>", methods=["GET", "POST"])
@requires(Perm.care_record)
def show(cohort_id: int, business_id: int) -> Response | str:
    cohort = cohort_or_404(cohort_id)
    business, owner = business_or_404(cohort, business_id)
    view = reading.view(cohort, business)
    form = _form(business, view.partners)

    def save(data: checks.BusinessInput) -> Business | list[Problem] | records.Conflict:
        return records.edit_business(cohort, business, owner.code, data, form_version())

    saved = submitted(form, business_input, save)
    if isinstance(saved, Business):
        flash(_("Business saved for %(code)s.", code=owner.code))
        return redirect(url_for(".show", cohort_id=cohort.id, business_id=business.id))
    conflict = saved if isinstance(saved, records.Conflict) else None
    if conflict is not None:
        view = reading.view(cohort, business)
        form.version.data = str(business.version)  # saving again is a choice made
    return render_template(
        "businesses/show.html",
        cohort=cohort,
        owner=owner,
        view=view,
        form=form,
        problems=saved if isinstance(saved, list) else None,
        conflict=conflict,
        action=ActionForm(),
        **labels(),
    )


@bp.route("/businesses/<int:business_id>/delete", methods=["GET", "POST"])
@requires(Perm.record_delete)
def delete(cohort_id: int, business_id: int) -> Response | str:
    cohort = cohort_or_404(cohort_id)
    business, owner = business_or_404(cohort, business_id)
    form = ActionForm()
    if form.validate_on_submit():
        done = records.delete_business(cohort, business, form_version())
        if done is True:
            flash(_("The business was deleted from the records of %(code)s.", code=owner.code))
            return redirect(url_for(".index", cohort_id=cohort.id))
        flash(
            _(
                "Someone else changed this business after you opened the page, so nothing was "
                "deleted. Check it and try again if you still mean to."
            ),
            "error",
        )
    return render_template(
        "businesses/delete.html",
        cohort=cohort,
        owner=owner,
        view=reading.view(cohort, business),
        form=form,
        **labels(),
    )
