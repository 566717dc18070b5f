"""Serving the tracker for real: a stable secret key, cookies Secure exactly over HTTPS, the
client's address and scheme from a trusted reverse proxy, and waitress as the WSGI server.

Waitress is pure Python, so the same `tracker serve` runs on the Windows and Linux laptops
partner offices have; Werkzeug's development server is only for `flask run` while coding.
"""

from __future__ import annotations

import logging
import os
import secrets
import threading
from pathlib import Path

from flask import Flask, Request, request
from flask.sessions import SecureCookieSessionInterface
from waitress.server import BaseWSGIServer, create_server
from werkzeug.middleware.proxy_fix import ProxyFix

SECRET_FILE = "secret_key"
# Cookies are Secure exactly when the request came over HTTPS (the default), or always/never.
AUTO = "auto"


def secret_key(instance_path: str) -> str:
    """The instance's secret key, made once and kept (readable by its owner only), so a
    restart or a second worker keeps everyone signed in."""
    path = Path(instance_path) / SECRET_FILE
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        pass
    key = secrets.token_hex(32)
    try:
        # O_EXCL: two workers starting at once agree on one key (the loser reads the winner's).
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="ascii").strip()
    with os.fdopen(handle, "w", encoding="ascii") as stream:
        stream.write(key + "\n")
    return key


def cookie_secure(app: Flask, setting: str, current: Request | None = None) -> bool:
    value = app.config.get(setting, AUTO)
    if value == AUTO:
        return bool(current is not None and current.is_secure)
    return bool(value)


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, with `SESSION_COOKIE_SECURE = "auto"` meaning: Secure
    when this request is HTTPS. A LAN laptop on plain HTTP keeps its sessions; behind an
    HTTPS proxy (with PROXY_HOPS set) every cookie is Secure."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return cookie_secure(app, "SESSION_COOKIE_SECURE", request if request else None)


def init_app(app: Flask) -> None:
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = secret_key(app.instance_path)
    app.session_interface = SessionInterface()
    hops = int(app.config.get("PROXY_HOPS", 0))
    if hops:
        # Trust X-Forwarded-For/-Proto/-Host from exactly this many proxies in front, never
        # more: without a proxy these headers are whatever a client chooses to send.
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_prefix=hops
        )


def server(app: Flask, host: str, port: int, threads: int) -> BaseWSGIServer:
    """A waitress server for the app (port 0: any free port); `.run()` serves until stopped."""
    return create_server(app, host=host, port=port, threads=threads, ident="tracker")


def warm_in_background(app: Flask) -> threading.Thread:
    """Count the cohorts' figures for the summary cache in a background thread while the
    server starts: a coordinator's first summary then sums kept counts instead of reading
    every answer (a failure here only leaves the cache cold)."""

    def run() -> None:
        from tracker import summaries

        try:
            with app.app_context():
                counted = summaries.warm()
            logging.getLogger(__name__).info("summary counts kept for %d cohorts", counted)
        except Exception:  # the server runs without a warm cache; say why in the log
            logging.getLogger(__name__).exception("could not count the cohorts' figures")

    thread = threading.Thread(target=run, name="tracker-warm", daemon=True)
    thread.start()
    return thread
