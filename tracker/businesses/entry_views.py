"""What is recorded about a business over time: its stocktakings and the money disbursed to
it. Add and edit (based on the version the page showed) for her cohort's staff; deleting a
record made by mistake for coordinators, as with sessions and responses."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial
from typing import Any, TypeVar

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from tracker.access.permissions import Perm, requires
from tracker.blueprints.versions import form_version
from tracker.businesses import checks, entries
from tracker.businesses.forms import DisbursementForm, StocktakingForm
from tracker.businesses.models import Business, Disbursement, Stocktaking
from tracker.businesses.posting import submitted
from tracker.businesses.records import Conflict
from tracker.businesses.views import business_or_404, cohort_or_404, labels
from tracker.forms import ActionForm
from tracker.i18n import interface_language
from tracker.models import Cohort, Participant
from tracker.problems import Problem

T = TypeVar("T")
Saved = TypeVar("Saved")

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


def _place(cohort_id: int, business_id: int) -> tuple[Cohort, Business, Participant]:
    cohort = cohort_or_404(cohort_id)
    business, owner = business_or_404(cohort, business_id)
    return cohort, business, owner


def _found(record: T | None) -> T:
    if record is None:
        abort(404)
    return record


def _entry(
    place: tuple[Cohort, Business, Participant],
    form: Any,
    outcome: Saved | list[Problem] | Conflict | None,
    said: Callable[[Saved], str],
    template: str,
    shown: Callable[[], dict[str, Any]] = dict,
    **context: Any,
) -> Response | str:
    """The page after a new or edited entry was posted (or first opened): back to the
    business when it was saved, else the form again with its problems or the conflict."""
    cohort, business, owner = place
    problems: list[Problem] | None = None
    conflict: Conflict | None = None
    if isinstance(outcome, Conflict):
        conflict = outcome
        form.version.data = str(outcome.current.version)  # saving again is a choice made
    elif isinstance(outcome, list):
        problems = outcome
    elif outcome is not None:
        flash(said(outcome))
        return _back(cohort, business)
    return _page(
        template,
        cohort,
        owner,
        business,
        form=form,
        problems=problems,
        conflict=conflict,
        **context,
        **shown(),
    )


def _removed(
    cohort: Cohort, business: Business, remove: Callable[[int], object], said: str
) -> Response:
    """Back to the business after a delete: `said` when it was deleted, else the conflict."""
    if ActionForm().validate_on_submit() and remove(form_version()) is True:
        flash(said)
    else:
        _conflict_flash()
    return _back(cohort, business)


@bp.route("/stocktakings/new", methods=["GET", "POST"])
@requires(Perm.care_record)
def stocktaking_new(cohort_id: int, business_id: int) -> Response | str:
    cohort, business, _owner = place = _place(cohort_id, business_id)
    form = _stocktaking_form()
    return _entry(
        place,
        form,
        submitted(form, stocktaking_input, partial(entries.add_stocktaking, cohort, business)),
        lambda made: _("Stocktaking of %(day)s recorded.", day=made.taken_on),
        "businesses/stocktaking.html",
        stocktaking=None,
    )


@bp.route("/stocktakings/<int:stocktaking_id>", methods=["GET", "POST"])
@requires(Perm.care_record)
def stocktaking_edit(cohort_id: int, business_id: int, stocktaking_id: int) -> Response | str:
    cohort, business, _owner = place = _place(cohort_id, business_id)
    found = _found(entries.stocktaking_in(business, stocktaking_id))
    form = _stocktaking_form(found)

    def save(data: checks.StocktakingInput) -> Stocktaking | list[Problem] | Conflict:
        return entries.edit_stocktaking(cohort, business, found, data, form_version())

    return _entry(
        place,
        form,
        submitted(form, stocktaking_input, save),
        lambda saved: _("Stocktaking of %(day)s saved.", day=saved.taken_on),
        "businesses/stocktaking.html",
        lambda: {"stocktaking_risks": entries.risks_of(found.id)},
        stocktaking=found,
    )


@bp.route("/stocktakings/<int:stocktaking_id>/delete", methods=["POST"])
@requires(Perm.record_delete)
def stocktaking_delete(cohort_id: int, business_id: int, stocktaking_id: int) -> Response:
    cohort, business, _owner = _place(cohort_id, business_id)
    found = _found(entries.stocktaking_in(business, stocktaking_id))
    said = _("Stocktaking of %(day)s deleted.", day=found.taken_on)
    return _removed(cohort, business, partial(entries.delete_stocktaking, cohort, found), said)


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
    cohort, business, _owner = place = _place(cohort_id, business_id)
    form = _money_form()
    return _entry(
        place,
        form,
        submitted(form, money_input, partial(entries.add_disbursement, cohort, business)),
        lambda made: _("Money disbursed on %(day)s recorded.", day=made.paid_on),
        "businesses/money.html",
        disbursement=None,
    )


@bp.route("/money/<int:disbursement_id>", methods=["GET", "POST"])
@requires(Perm.care_record)
def money_edit(cohort_id: int, business_id: int, disbursement_id: int) -> Response | str:
    cohort, business, _owner = place = _place(cohort_id, business_id)
    found = _found(entries.disbursement_in(business, disbursement_id))
    form = _money_form(found)

    def save(data: checks.DisbursementInput) -> Disbursement | list[Problem] | Conflict:
        return entries.edit_disbursement(cohort, business, found, data, form_version())

    return _entry(
        place,
        form,
        submitted(form, money_input, save),
        lambda saved: _("Money disbursed on %(day)s saved.", day=saved.paid_on),
        "businesses/money.html",
        disbursement=found,
    )


@bp.route("/money/<int:disbursement_id>/delete", methods=["POST"])
@requires(Perm.record_delete)
def money_delete(cohort_id: int, business_id: int, disbursement_id: int) -> Response:
    cohort, business, _owner = _place(cohort_id, business_id)
    found = _found(entries.disbursement_in(business, disbursement_id))
    said = _("Money disbursed on %(day)s deleted.", day=found.paid_on)
    return _removed(cohort, business, partial(entries.delete_disbursement, cohort, found), said)
