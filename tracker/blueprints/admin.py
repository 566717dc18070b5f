"""Organisations, users, evaluator grants and the audit trail."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from tracker.access import scope
from tracker.access.permissions import Perm, requires
from tracker.forms import ActionForm, GrantForm, OrganisationForm, UserForm, options
from tracker.i18n import ROLE_LABELS
from tracker.models import Role
from tracker.records import accounts, lifecycle
from tracker.records.audit import events

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/organisations", methods=["GET", "POST"])
@requires(Perm.organisation_manage)
def organisations() -> Response | str:
    form = OrganisationForm()
    problems = None
    if form.validate_on_submit():
        created = accounts.create_organisation(form.name.data or "")
        if isinstance(created, list):
            problems = created
        else:
            flash(_("Organisation created."))
            return redirect(url_for("admin.organisations"))
    return render_template(
        "admin/organisations.html",
        organisations=scope.organisations(current_user),
        form=form,
        problems=problems,
    )


@bp.route("/users", methods=["GET", "POST"])
@requires(Perm.user_manage)
def users() -> Response | str:
    form = UserForm()
    if current_user.role is Role.admin:
        form.organisation_id.choices = options(
            [(0, "–")] + [(o.id, o.name) for o in scope.organisations(current_user)]
        )
    else:
        form.role.choices = options(
            [(r.value, ROLE_LABELS[r]) for r in (Role.coordinator, Role.facilitator)]
        )
        form.organisation_id.choices = options(
            [(current_user.organisation_id, current_user.organisation.name)]
        )
    problems = None
    if form.validate_on_submit():
        organisation_id = form.organisation_id.data or None
        if current_user.role is not Role.admin:
            organisation_id = current_user.organisation_id
        created = accounts.create_user(
            accounts.UserInput(
                username=form.username.data or "",
                role=Role(form.role.data),
                organisation_id=organisation_id,
                password=form.password.data or "",
            ),
            actor=current_user,
        )
        if isinstance(created, list):
            problems = created
        else:
            flash(_("User %(name)s created.", name=created.username))
            return redirect(url_for("admin.users"))
    return render_template(
        "admin/users.html",
        users=scope.users(current_user),
        form=form,
        problems=problems,
        may_manage=lifecycle.may_manage,
        action_form=ActionForm(),
    )


@bp.route("/users/<int:user_id>/grants", methods=["GET", "POST"])
@requires(Perm.grant_manage)
def grants(user_id: int) -> Response | str:
    evaluator = scope.user_or_404(current_user, user_id)
    if evaluator.role is not Role.evaluator:
        abort(404)
    form = GrantForm()
    form.organisations.choices = options(
        [(o.id, o.name) for o in scope.organisations(current_user)]
    )
    problems = None
    if form.validate_on_submit():
        problems = accounts.set_grants(evaluator, form.organisations.data or [])
        if not problems:
            flash(_("Grants saved."))
            return redirect(url_for("admin.users"))
    elif request.method == "GET":
        form.organisations.data = accounts.grants(evaluator)
    return render_template("admin/grants.html", evaluator=evaluator, form=form, problems=problems)


@bp.route("/audit")
@requires(Perm.audit_view)
def audit() -> str:
    page = request.args.get("page", "1")
    # ASCII digits only ("²" is a digit to Python), and few of them (SQL offsets overflow).
    number = int(page) if page.isascii() and page.isdigit() and len(page) < 7 else 1
    number = max(number, 1)
    return render_template("admin/audit.html", events=events(current_user, number), page=number)
