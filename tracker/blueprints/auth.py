"""Signing in and out, the interface language, the start page, and evaluators' API tokens."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from tracker.access import auth_session
from tracker.access.permissions import Perm, requires
from tracker.db import db
from tracker.forms import ActionForm, LoginForm, TokenForm
from tracker.i18n import offered_languages
from tracker.models import Role
from tracker.records import accounts, audit

bp = Blueprint("auth", __name__)


def safe_next(target: str | None, fallback: str) -> str:
    """Only same-site paths: a login link must not send anyone elsewhere."""
    if not target:
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return fallback
    return target


@bp.route("/")
@requires(Perm.account)
def home() -> Response:
    if current_user.role is Role.evaluator:
        return redirect(url_for("summaries.index"))
    return redirect(url_for("cohorts.index"))


@bp.route("/login", methods=["GET", "POST"])
@requires(Perm.public)
def login() -> Response | str:
    form = LoginForm()
    if form.validate_on_submit():
        user = accounts.authenticate(form.username.data or "", form.password.data or "")
        if user is not None:
            auth_session.sign_in(user)
            audit.record("sign_in", "user", user.id, user.organisation_id, actor=user)
            db.session.commit()
            return redirect(safe_next(request.args.get("next"), url_for("auth.home")))
        flash(_("That username and password do not match."), "error")
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@requires(Perm.account)
def logout() -> Response:
    if ActionForm().validate_on_submit():
        auth_session.sign_out()
    return redirect(url_for("auth.login"))


@bp.route("/language", methods=["POST"])
@requires(Perm.public)
def language() -> Response:
    chosen = request.form.get("language", "")
    if ActionForm().validate_on_submit() and chosen in offered_languages():
        session["ui_language"] = chosen
    return redirect(safe_next(request.form.get("next"), url_for("auth.home")))


@bp.route("/account/tokens", methods=["GET", "POST"])
@requires(Perm.token_manage)
def tokens() -> str:
    form = TokenForm()
    new_token: str | None = None
    problems = None
    if form.validate_on_submit():
        issued = accounts.issue_token(current_user, form.label.data or "")
        if isinstance(issued, list):
            problems = issued
        else:
            new_token = issued
    return render_template(
        "auth/tokens.html",
        form=form,
        tokens=accounts.tokens(current_user),
        new_token=new_token,
        problems=problems,
        revoke_form=ActionForm(),
        today=date.today(),
    )


@bp.route("/account/tokens/<int:token_id>/revoke", methods=["POST"])
@requires(Perm.token_manage)
def revoke_token(token_id: int) -> Response:
    if not ActionForm().validate_on_submit():
        flash(_("The form had expired. Please try again."), "error")
    elif not accounts.revoke_token(current_user, token_id):
        from flask import abort

        abort(404)
    else:
        flash(_("Token revoked."))
    return redirect(url_for("auth.tokens"))
