"""Serving for real: waitress over a socket, a secret key that survives a restart, cookies
Secure exactly over HTTPS, and proxy headers trusted only when a proxy is configured."""

from __future__ import annotations

import http.client
import shutil
import stat
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import Flask

from tests.tracker.conftest import CONTENT, PASSWORD, World, build_world
from tracker import create_app, serving
from tracker.db import db


def _app(database: Path, instance: Path, **extra: object) -> Flask:
    config = {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
        "CONTENT_ROOT": str(CONTENT),
        "WTF_CSRF_ENABLED": False,
        **extra,
    }
    return create_app(config, instance_path=str(instance))


@contextmanager
def _served(app: Flask) -> Iterator[int]:
    server = serving.server(app, "127.0.0.1", 0, threads=2)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield int(server.effective_port)  # type: ignore[attr-defined]
    finally:
        server.close()
        thread.join(timeout=5)


def _request(
    port: int, method: str, path: str, body: str = "", **headers: str
) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    if body:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    connection.request(method, path, body=body or None, headers=headers)
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


def _sign_in(port: int) -> str:
    signed_in = _request(port, "POST", "/login", f"username=coord_a&password={PASSWORD}")
    assert signed_in.status == 302
    return signed_in.headers["Set-Cookie"]


def test_the_secret_key_is_made_once_and_kept_private(tmp_path: Path) -> None:
    first = serving.secret_key(str(tmp_path))
    assert len(first) == 64 and serving.secret_key(str(tmp_path)) == first
    mode = stat.S_IMODE((tmp_path / serving.SECRET_FILE).stat().st_mode)
    assert mode == 0o600


def test_a_restart_keeps_everyone_signed_in_over_plain_http(
    template_db: Path, tmp_path: Path
) -> None:
    database = tmp_path / "tracker.sqlite"
    shutil.copy(template_db, database)
    instance = tmp_path / "instance"
    app = _app(database, instance)
    with app.app_context():
        build_world()
        db.engine.dispose()
    with _served(app) as port:
        cookie = _sign_in(port)
        # Plain HTTP on a LAN: a Secure cookie would never come back, so it is not Secure.
        assert "HttpOnly" in cookie and "Secure" not in cookie
        assert _request(port, "GET", "/cohorts/", Cookie=cookie.split(";")[0]).status == 200
    restarted = _app(database, instance)
    assert restarted.config["SECRET_KEY"] == app.config["SECRET_KEY"]
    with _served(restarted) as port:
        assert _request(port, "GET", "/cohorts/", Cookie=cookie.split(";")[0]).status == 200
    with restarted.app_context():
        db.engine.dispose()


def test_behind_a_trusted_proxy_https_cookies_are_secure(template_db: Path, tmp_path: Path) -> None:
    database = tmp_path / "tracker.sqlite"
    shutil.copy(template_db, database)
    direct = _app(database, tmp_path / "a", SECRET_KEY="k")
    proxied = _app(database, tmp_path / "b", SECRET_KEY="k", PROXY_HOPS=1)
    with direct.app_context():
        build_world()
    form = {"username": "coord_a", "password": PASSWORD}
    https = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}
    # Without a configured proxy, a client's own X-Forwarded-Proto is not believed.
    spoofed = direct.test_client().post("/login", data=form, headers=https)
    assert "Secure" not in spoofed.headers["Set-Cookie"]
    behind = proxied.test_client().post("/login", data=form, headers=https)
    assert "Secure" in behind.headers["Set-Cookie"]
    always = _app(database, tmp_path / "c", SECRET_KEY="k", SESSION_COOKIE_SECURE=True)
    assert "Secure" in always.test_client().post("/login", data=form).headers["Set-Cookie"]
    for app in (direct, proxied, always):
        with app.app_context():
            db.engine.dispose()


def test_files_that_leave_are_not_cached_and_are_audited(
    app: Flask, auth: object, world: object
) -> None:
    from sqlalchemy import select

    from tracker.models import AuditEvent

    client = app.test_client()
    client.post("/login", data={"username": "coord_a", "password": PASSWORD})
    template = client.get("/imports/templates/attendance.csv")
    assert template.status_code == 200 and template.headers["Cache-Control"] == "no-store"
    style = client.get("/static/tracker.css")
    assert style.headers.get("Cache-Control") != "no-store"  # the stylesheet may be kept
    style.close()
    with app.app_context():
        downloads = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "download"))
        assert [e.detail for e in downloads] == ["attendance-template.csv"]


def test_the_database_file_is_readable_by_its_owner_only(app: Flask, world: object) -> None:
    with app.app_context():
        path = Path(db.engine.url.database or "")
        db.session.execute(db.text("select 1"))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_paper_pdfs_wait_for_a_free_printer(app: Flask, world: object, monkeypatch: object) -> None:
    from tracker.blueprints import paper

    monkeypatch.setattr(paper, "PRINT_WAIT_SECONDS", 0.05)  # type: ignore[attr-defined]
    busy = paper._printers(int(app.config["PDF_PRINTERS"]))
    taken = [busy.acquire(timeout=1) for _ in range(int(app.config["PDF_PRINTERS"]))]
    assert all(taken)
    try:
        client = app.test_client()
        client.post("/login", data={"username": "coord_a", "password": PASSWORD})
        client.post("/language", data={"language": "en"})
        with app.app_context():
            from tracker.models import Cohort

            cohort_id = db.session.scalar(db.select(Cohort.id))
        answer = client.get(f"/cohorts/{cohort_id}/paper/attendance.pdf")
        assert answer.status_code == 503 and b"busy" in answer.data
    finally:
        for _ in taken:
            busy.release()


def test_serve_counts_the_cohorts_in_the_background(app: Flask, world: World) -> None:
    """`tracker serve` warms the summary cache while it starts: every cohort's counts are
    kept once the thread is done, and a failure would only leave the cache cold."""
    thread = serving.warm_in_background(app)
    thread.join(timeout=60)
    assert not thread.is_alive()
    kept, _ = app.extensions["tracker_exact_cache"]["parts"]
    assert sorted(key[2] for key in kept) == sorted([world.cohort_a, world.cohort_b])
