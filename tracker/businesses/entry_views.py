"""What is recorded about a business over time: its stocktakings and the money disbursed to
it. Add and edit (based on the version the page showed) for her cohort's staff; deleting a
record made by mistake for coordinators, as with sessions and responses."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from tracker.access.permissions import Perm, requires
from tracker.blueprints.versions import form_version
from tracker.businesses import checks, entries
from tracker.businesses.forms import DisbursementForm, StocktakingForm
from tracker.businesses.models import Business, Disbursement, Stocktaking
from tracker.businesses.records import Conflict
from tracker.businesses.views import business_or_404, cohort_or_404, labels
from tracker.forms import ActionForm
from tracker.i18n import interface_language
from tracker.models import Cohort, Participant
from tracker.problems import Problem

bp = Blueprint(
    "business_entries", __name__, url_prefix="/cohorts/<int:cohort_id>/businesses/<int:business_id>"
)


def _back(cohort: Cohort, business: Business) -> Response:
    return redirect(url_for("businesses.show", cohort_id=cohort.id, business_id=business.id))


def _conflict_flash() -> None:
    flash(
        _(
            "Someone else changed this record after you opened the page, so nothing was "
            "changed. Check it and try again if you still mean to."
        ),
        "error",
    )


# ---------------------------------------------------------------- stocktakings


def _stocktaking_form(found: Stocktaking | None = None) -> StocktakingForm:
    form = StocktakingForm()
    form.offer(interface_language())
    if not form.is_submitted():
        if found is None:
            form.taken_on.data = date.today().isoformat()
        else:
            form.taken_on.data = found.taken_on.isoformat()
            form.stage.data = found.stage.value
            form.running.data = "yes" if found.running else "no"
            form.risks.data = entries.risks_of(found.id)
            form.other_risk.data = found.other_risk or ""
            form.next_steps.data = found.next_steps or ""
            form.version.data = str(found.version)
    return form


def stocktaking_input(form: StocktakingForm) -> checks.StocktakingInput | list[Problem]:
    taken = checks.parse_day(form.taken_on.data or "", "taken_on")
    stage = checks.parse_stage(form.stage.data or "")
    running = checks.parse_yes_no(form.running.data or "", "running")
    risks = checks.parse_risks(";".join(form.risks.data or []))
    if (
        isinstance(taken, Problem)
        or isinstance(stage, Problem)
        or isinstance(running, Problem)
        or isinstance(risks, Problem)
    ):
        return [v for v in (taken, stage, running, risks) if isinstance(v, Problem)]
    other = checks.clean_text(form.other_risk.data)
    return checks.StocktakingInput(
        taken,
        stage,
        running,
        checks.with_other(risks, other),
        other,
        checks.clean_text(form.next_steps.data),
    )


def _page(
    template: str, cohort: Cohort, owner: Participant, business: Business, **context: Any
) -> str:
    context.setdefault("problems", None)
    context.setdefault("conflict", None)
    return render_template(
        template,
        cohort=cohort,
        owner=owner,
        business=business,
        action=ActionForm(),
        **context,
        **labels(),
    )


@bp.route("/stocktakings/new", methods=["GET", "POST"])
@requires(Perm.care_record)
def stocktaking_new(cohort_id: int, business_id: int) -> Response | str:
    cohort = cohort_or_404(cohort_id)
    business, owner = business_or_404(cohort, business_id)
    form = _stocktaking_form()
    problems: list[Problem] | None = None
    if form.validate_on_submit():
        data = stocktaking_input(form)
        made = data if isinstance(data, list) else entries.add_stocktaking(cohort, business, data)
        if isinstance(made, Stocktaking):
            flash(_("Stocktaking of %(day)s recorded.", day=made.taken_on))
            return _back(cohort, business)
        problems = made
    return _page(
        "businesses/stocktaking.html",
        cohort,
        owner,
        business,
        form=form,
        problems=problems,
        stocktaking=None,
    )


def _stocktaking_or_404(business: Business, stocktaking_id: int) -> Stocktaking:
    found = entries.stocktaking_in(business, stocktaking_id)
    if found is None:
        abort(404)
    return found


@bp.route("/stocktakings/<int:stocktaking_id>", methods=["GET", "POST"])
@requires(Perm.care_record)
def stocktaking_edit(cohort_id: int, business_id: int, stocktaking_id: int) -> Response | str:
    cohort = cohort_or_404(cohort_id)
    business, owner = business_or_404(cohort, business_id)
    found = _stocktaking_or_404(business, stocktaking_id)
    form = _stocktaking_form(found)
    problems: list[Problem] | None = None
    conflict: Conflict | None = None
    if form.validate_on_submit():
        data = stocktaking_input(form)
        saved = (
            data
            if isinstance(data, list)
            else entries.edit_stocktaking(cohort, business, found, data, form_version())
        )
        if isinstance(saved, Stocktaking):
            flash(_("Stocktaking of %(day)s saved.", day=saved.taken_on))
            return _back(cohort, business)
        if isinstance(saved, Conflict):
            conflict = saved
            form.version.data = str(found.version)
        else:
            problems = saved
    return _page(
        "businesses/stocktaking.html",
        cohort,
        owner,
        business,
        form=form,
        problems=problems,
        conflict=conflict,
        stocktaking=found,
        stocktaking_risks=entries.risks_of(found.id),
    )


@bp.route("/stocktakings/<int:stocktaking_id>/delete", methods=["POST"])
@requires(Perm.record_delete)
def stocktaking_delete(cohort_id: int, business_id: int, stocktaking_id: int) -> Response:
    cohort = cohort_or_404(cohort_id)
    business, _owner = business_or_404(cohort, business_id)
    found = _stocktaking_or_404(business, stocktaking_id)
    if ActionForm().validate_on_submit():
        day = found.taken_on
        if entries.delete_stocktaking(cohort, found, form_version()) is True:
            flash(_("Stocktaking of %(day)s deleted.", day=day))
            return _back(cohort, business)
    _conflict_flash()
    return _back(cohort, business)


# ---------------------------------------------------------------- money


def _money_form(found: Disbursement | None = None) -> DisbursementForm:
    form = DisbursementForm()
    form.offer(interface_language())
    if not form.is_submitted():
        if found is None:
            form.paid_on.data = date.today().isoformat()
        else:
            form.paid_on.data = found.paid_on.isoformat()
            form.amount.data = str(found.amount)
            form.money_kind.data = found.kind.value
            form.paid_by.data = found.source
            form.version.data = str(found.version)
    return form


def money_input(form: DisbursementForm) -> checks.DisbursementInput | list[Problem]:
    paid = checks.parse_day(form.paid_on.data or "", "paid_on")
    amount = checks.parse_amount(form.amount.data or "")
    kind = checks.parse_money_kind(form.money_kind.data or "")
    source = checks.parse_source(form.paid_by.data or "")
    if (
        isinstance(paid, Problem)
        or isinstance(amount, Problem)
        or isinstance(kind, Problem)
        or isinstance(source, Problem)
    ):
        return [v for v in (paid, amount, kind, source) if isinstance(v, Problem)]
    return checks.DisbursementInput(paid, amount, kind, source)


@bp.route("/money/new", methods=["GET", "POST"])
@requires(Perm.care_record)
def money_new(cohort_id: int, business_id: int) -> Response | str:
    cohort = cohort_or_404(cohort_id)
    business, owner = business_or_404(cohort, business_id)
    form = _money_form()
    problems: list[Problem] | None = None
    if form.validate_on_submit():
        data = money_input(form)
        made = data if isinstance(data, list) else entries.add_disbursement(cohort, business, data)
        if isinstance(made, Disbursement):
            flash(_("Money disbursed on %(day)s recorded.", day=made.paid_on))
            return _back(cohort, business)
        problems = made
    return _page(
        "businesses/money.html",
        cohort,
        owner,
        business,
        form=form,
        problems=problems,
        disbursement=None,
    )


def _money_or_404(business: Business, disbursement_id: int) -> Disbursement:
    found = entries.disbursement_in(business, disbursement_id)
    if found is None:
        abort(404)
    return found


@bp.route("/money/<int:disbursement_id>", methods=["GET", "POST"])
@requires(Perm.care_record)
def money_edit(cohort_id: int, business_id: int, disbursement_id: int) -> Response | str:
    cohort = cohort_or_404(cohort_id)
    business, owner = business_or_404(cohort, business_id)
    found = _money_or_404(business, disbursement_id)
    form = _money_form(found)
    problems: list[Problem] | None = None
    conflict: Conflict | None = None
    if form.validate_on_submit():
        data = money_input(form)
        saved = (
            data
            if isinstance(data, list)
            else entries.edit_disbursement(cohort, business, found, data, form_version())
        )
        if isinstance(saved, Disbursement):
            flash(_("Money disbursed on %(day)s saved.", day=saved.paid_on))
            return _back(cohort, business)
        if isinstance(saved, Conflict):
            conflict = saved
            form.version.data = str(found.version)
        else:
            problems = saved
    return _page(
        "businesses/money.html",
        cohort,
        owner,
        business,
        form=form,
        problems=problems,
        conflict=conflict,
        disbursement=found,
    )


@bp.route("/money/<int:disbursement_id>/delete", methods=["POST"])
@requires(Perm.record_delete)
def money_delete(cohort_id: int, business_id: int, disbursement_id: int) -> Response:
    cohort = cohort_or_404(cohort_id)
    business, _owner = business_or_404(cohort, business_id)
    found = _money_or_404(business, disbursement_id)
    if ActionForm().validate_on_submit():
        day = found.paid_on
        if entries.delete_disbursement(cohort, found, form_version()) is True:
            flash(_("Money disbursed on %(day)s deleted.", day=day))
            return _back(cohort, business)
    _conflict_flash()
    return _back(cohort, business)
