"""Passwords, API tokens, response headers and the login rate limit."""

from __future__ import annotations

import hashlib
import secrets
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import Flask, Response, current_app, has_app_context, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

MIN_PASSWORD_LENGTH = 10


@cache
def _hasher(time_cost: int, memory_cost: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_cost)


def _current_hasher() -> PasswordHasher:
    # argon2's defaults unless the config says otherwise (the tests ask for cheap hashes).
    config = current_app.config if has_app_context() else {}
    return _hasher(config.get("ARGON2_TIME_COST", 3), config.get("ARGON2_MEMORY_COST", 65536))


def hash_password(password: str) -> str:
    return _current_hasher().hash(password)


def check_password(password_hash: str, password: str) -> bool:
    """Verification reads the cost from the hash itself, whatever made it."""
    try:
        return _hasher(3, 65536).verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@cache
def _dummy_hash(time_cost: int, memory_cost: int) -> str:
    return _hasher(time_cost, memory_cost).hash(secrets.token_hex(8))


def burn_time(password: str) -> None:
    """Verify against a throwaway hash when the username is unknown, so that a wrong
    username takes as long to reject as a wrong password."""
    hasher = _current_hasher()
    check_password(_dummy_hash(hasher.time_cost, hasher.memory_cost), password)


def new_api_token() -> tuple[str, str]:
    """A token to show once, and the digest to store."""
    token = "mwu_" + secrets.token_urlsafe(32)
    return token, token_digest(token)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)


def add_security_headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    response.headers.setdefault(
        "Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()"
    )
    response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if request.endpoint != "static":
        # Pages, exports, paper forms and API answers carry records of survivors or figures
        # about them: keep every one out of shared caches and the browser's history.
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def _login_name() -> str:
    """The account a sign-in attempt is for, folded so that case does not dodge the count."""
    return request.form.get("username", "").strip().casefold()[:80]


def init_app(app: Flask) -> Limiter:
    app.after_request(add_security_headers)
    # One limiter per app: its counters must not leak between apps (tests make many).
    limiter = Limiter(get_remote_address, app=app, default_limits=[])
    login_view = app.view_functions["auth.login"]
    # Only failed attempts count: a successful sign-in answers with a redirect. The counts
    # are per address *and* account, and per account: one office behind one router shares
    # an address, so a colleague's typos must never lock out the right password of another.
    failed = {"methods": ["POST"], "deduct_when": lambda response: response.status_code != 302}
    message = "Too many sign-in attempts. Wait a minute and try again."
    limited = limiter.limit(
        lambda: app.config["LOGIN_RATE_LIMIT"],
        key_func=lambda: f"{get_remote_address()} {_login_name()}",
        error_message=message,
        **failed,  # type: ignore[arg-type]
    )(login_view)
    limited = limiter.limit(
        lambda: app.config["LOGIN_ACCOUNT_RATE_LIMIT"],
        key_func=lambda: f"account {_login_name()}",
        error_message=message,
        **failed,  # type: ignore[arg-type]
    )(limited)
    app.view_functions["auth.login"] = limited  # type: ignore[assignment]
    return limiter
