"""A user's access over time: her own password; deactivating, reactivating and resetting
other users (admins anyone, coordinators their own organisation's staff)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from tracker.access import auth_session, scope
from tracker.access.permissions import Perm, requires
from tracker.db import db
from tracker.forms import ActionForm
from tracker.models import User
from tracker.problems import Problem
from tracker.records import lifecycle

bp = Blueprint("accounts", __name__)

# Where a user who must change her password may still go.
OPEN_WHILE_CHANGING = {"accounts.password", "auth.logout", "auth.language", "static"}


@bp.route("/account/password", methods=["GET", "POST"])
@requires(Perm.account)
def password() -> Response | str:
    form = ActionForm()
    problems: list[Problem] | None = None
    if form.validate_on_submit():
        user = current_user._get_current_object()
        problems = lifecycle.change_password(
            user,
            request.form.get("current", ""),
            request.form.get("password", ""),
            request.form.get("confirm", ""),
        )
        if not problems:
            auth_session.sign_in(user)  # a fresh sign-in: the old ones ended with the password
            db.session.commit()
            flash(_("Your password is changed. Other browsers signed in as you are signed out."))
            return redirect(url_for("auth.home"))
    return render_template("accounts/password.html", form=form, problems=problems)


def _managed(user_id: int) -> User:
    user = scope.user_or_404(current_user, user_id)
    if not lifecycle.may_manage(current_user, user):
        abort(404)
    return user


@bp.route("/admin/users/<int:user_id>/active", methods=["POST"])
@requires(Perm.user_manage)
def set_active(user_id: int) -> Response:
    user = _managed(user_id)
    if ActionForm().validate_on_submit():
        active = request.form.get("active") == "1"
        problems = lifecycle.set_active(current_user, user, active)
        if problems:
            flash(problems[0].message, "error")
        elif active:
            flash(_("%(name)s can sign in again.", name=user.username))
        else:
            flash(_("%(name)s is deactivated and signed out everywhere.", name=user.username))
    return redirect(url_for("admin.users"))


@bp.route("/admin/users/<int:user_id>/reset-password", methods=["GET", "POST"])
@requires(Perm.user_manage)
def reset_password(user_id: int) -> Response | str:
    user = _managed(user_id)
    form = ActionForm()
    temporary = None
    if form.validate_on_submit():
        made = lifecycle.reset_password(current_user, user)
        if isinstance(made, list):
            abort(404)
        temporary = made
    return render_template("accounts/reset.html", form=form, user=user, temporary=temporary)


def require_new_password() -> Response | None:
    """Before any page: a user whose password was reset chooses a new one first."""
    if (
        current_user
        and current_user.is_authenticated
        and current_user.must_change_password
        and request.endpoint not in OPEN_WHILE_CHANGING
        and not request.path.startswith("/api/")
    ):
        flash(_("Choose a new password before you go on."))
        return redirect(url_for("accounts.password"))
    return None


bp.before_app_request(require_new_password)
