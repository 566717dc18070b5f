"""Signed-in users: Flask-Login for the browser, bearer tokens for the API, CSRF for forms."""

from __future__ import annotations

import secrets
from datetime import date, timedelta

from flask import Flask, current_app, session
from flask_login import LoginManager, login_user, logout_user
from flask_wtf import CSRFProtect
from sqlalchemy import delete, select

from tracker.access.edge import parse_id
from tracker.access.security import token_digest
from tracker.db import db
from tracker.models import ApiToken, SignIn, User, now

SIGN_IN_KEY = "sign_in"

login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.session_protection = "strong"
csrf = CSRFProtect()


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    uid = parse_id(user_id)
    if uid is None:
        return None
    user = db.session.get(User, uid)
    if user is None or not user.active or not _signed_in(user.id):
        return None
    return user


def _signed_in(user_id: int) -> bool:
    """The cookie's sign-in is still on the server (not signed out, not too old)."""
    token = session.get(SIGN_IN_KEY)
    if not isinstance(token, str):
        return False
    lifetime = current_app.config["PERMANENT_SESSION_LIFETIME"]
    if not isinstance(lifetime, timedelta):
        lifetime = timedelta(seconds=int(lifetime))
    found = db.session.scalar(
        select(SignIn.id).where(
            SignIn.token_hash == token_digest(token),
            SignIn.user_id == user_id,
            SignIn.created_at > now() - lifetime,
        )
    )
    return found is not None


def sign_in(user: User) -> None:
    """Start a sign-in (no commit): a fresh session holding a token the server knows."""
    session.clear()
    token = secrets.token_urlsafe(32)
    db.session.add(SignIn(user_id=user.id, token_hash=token_digest(token)))
    session[SIGN_IN_KEY] = token
    login_user(user)


def sign_out() -> None:
    """End this sign-in everywhere its cookie went (commits)."""
    token = session.get(SIGN_IN_KEY)
    if isinstance(token, str):
        db.session.execute(delete(SignIn).where(SignIn.token_hash == token_digest(token)))
        db.session.commit()
    logout_user()
    session.clear()


def end_all_sign_ins(user_id: int) -> None:
    """Sign a user out of every browser (no commit): deactivation, a new password."""
    db.session.execute(delete(SignIn).where(SignIn.user_id == user_id))


def user_for_token(token: str) -> User | None:
    found = db.session.scalar(
        select(ApiToken).where(
            ApiToken.token_hash == token_digest(token), ApiToken.revoked.is_(False)
        )
    )
    if found is None or not found.user.active:
        return None
    if found.expires_on is not None and found.expires_on < date.today():
        return None
    return found.user


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    csrf.init_app(app)
