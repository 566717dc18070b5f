"""Signed-in users: Flask-Login for the browser, bearer tokens for the API, CSRF for forms."""

from __future__ import annotations

from flask import Flask
from flask_login import LoginManager
from flask_wtf import CSRFProtect
from sqlalchemy import select

from tracker.db import db
from tracker.models import ApiToken, User
from tracker.security import token_digest

login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.session_protection = "strong"
csrf = CSRFProtect()


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    if not user_id.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    return user if user is not None and user.active else None


def user_for_token(token: str) -> User | None:
    found = db.session.scalar(
        select(ApiToken).where(
            ApiToken.token_hash == token_digest(token), ApiToken.revoked.is_(False)
        )
    )
    if found is None or not found.user.active:
        return None
    return found.user


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    csrf.init_app(app)
