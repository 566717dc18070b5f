"""Default settings; an instance `config.py` or environment variables override them."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any


def defaults(instance_path: str) -> dict[str, Any]:
    database_url = os.environ.get("DATABASE_URL")
    return {
        # Empty: made once into the instance folder (tracker.serving.secret_key).
        "SECRET_KEY": os.environ.get("TRACKER_SECRET_KEY", ""),
        "SQLALCHEMY_DATABASE_URI": database_url
        or "sqlite:///" + str(Path(instance_path) / "tracker.sqlite"),
        "CONTENT_ROOT": str(Path(__file__).resolve().parent.parent),
        "BABEL_DEFAULT_LOCALE": "en",
        # A participant "completes" a cohort by attending at least this share of sessions.
        "COMPLETION_SHARE": 0.75,
        # Exact summaries and per-cohort counts kept in memory (0: none), until a change in
        # the organisation that holds them.
        "SUMMARY_CACHE_SIZE": 256,
        # How long a new API token works, in days.
        "API_TOKEN_DAYS": 180,
        "LOGIN_RATE_LIMIT": "5 per minute",
        "LOGIN_ACCOUNT_RATE_LIMIT": "20 per hour",
        "RATELIMIT_STORAGE_URI": "memory://",
        "RATELIMIT_HEADERS_ENABLED": False,
        # "auto": Secure exactly when the request is HTTPS; True/False: always/never.
        "SESSION_COOKIE_SECURE": "auto",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "PERMANENT_SESSION_LIFETIME": 8 * 3600,
        # Reverse proxies in front of the tracker whose X-Forwarded-* headers are trusted.
        "PROXY_HOPS": 0,
        # Paper-form PDFs printed at once (each runs a Chromium); others wait their turn.
        "PDF_PRINTERS": 2,
        "MAX_CONTENT_LENGTH": 8 * 1024 * 1024,
        "IMPORT_MAX_ROWS": 100000,
        "WTF_CSRF_TIME_LIMIT": None,
    }
