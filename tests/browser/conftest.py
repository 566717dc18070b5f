"""Browser fixtures: a live tracker on a free port, the built handbook, one Chromium.

The tracker runs in a background thread (werkzeug's `make_server`) on 127.0.0.1 against a
temp SQLite database made by the migrations, with the tracker tests' fixture content and
their small world of users. Debian's Chromium through Playwright; no browser is ever
downloaded, and without /usr/bin/chromium every browser test is skipped with that reason.
Screenshots go to build/screenshots/ for a person to look at.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask_migrate import upgrade
from playwright.sync_api import Browser, Page, ViewportSize, sync_playwright
from werkzeug.serving import WSGIRequestHandler, make_server

from facilitator.printing.engine import CHROMIUM, LAUNCH_ARGS
from tests.tracker.conftest import PASSWORD, World, build_world, make_app
from tracker.db import MIGRATIONS, db
from tracker.summaries import release_job

REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "build" / "screenshots"
PHONE: ViewportSize = {"width": 390, "height": 844}
DESKTOP: ViewportSize = {"width": 1280, "height": 900}


# Package scope, not session: the sync API keeps an event loop running in this thread while
# it is open, and later tests (the print engine's) start Playwright here themselves.
@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.skip("needs Debian's chromium at /usr/bin/chromium (apt-get install chromium)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="package")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


# ------------------------------------------------------------------ the live tracker


def visit(page: Page, url: str) -> None:
    """Open a page and insist that it answered with a success (a 500 has no <main>)."""
    response = page.goto(url)
    assert response is not None and response.ok, f"{url}: {response and response.status}"


@dataclass
class LiveTracker:
    url: str
    app: Flask
    world: World

    def login(self, page: Page, username: str, language: str | None = "en") -> None:
        """Sign in through the form; then pick the interface language in the header (None:
        keep the default, which follows the language of the cohort a page is about)."""
        visit(page, f"{self.url}/login")
        page.fill("#username", username)
        page.fill("#password", PASSWORD)
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(lambda url: "/login" not in url)
        if language is not None:
            page.select_option("#ui-language", language)
            page.locator("header form:has(#ui-language) button").click()
            page.wait_for_load_state("load")
            assert page.locator("html").get_attribute("lang") == language


class QuietHandler(WSGIRequestHandler):
    """No access log: a failing test's output should show the test, not every request.

    When the browser drops a connection mid-response (a page navigated away while a font was
    still loading), werkzeug's development server can raise while draining the socket before
    it closes the response, leaving the open file for the garbage collector, which pytest then
    reports as an unclosed file. The response recorded by `closing` is closed here instead.
    """

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass

    def connection_dropped(
        self, error: BaseException, environ: dict[str, Any] | None = None
    ) -> None:
        body = (environ or {}).get(RESPONSE_KEY)
        if body is not None and hasattr(body, "close"):
            body.close()


RESPONSE_KEY = "tests.response"


def closing(app: Flask) -> Any:
    """The app, recording each response iterable in its environ for `QuietHandler`."""

    def wsgi(environ: dict[str, Any], start_response: Any) -> Any:
        body = app(environ, start_response)
        environ[RESPONSE_KEY] = body
        return body

    return wsgi


@pytest.fixture(scope="package")
def tracker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveTracker]:
    path = tmp_path_factory.mktemp("live-tracker") / "tracker.sqlite"
    app = make_app(f"sqlite:///{path}")
    with app.app_context():
        upgrade(directory=MIGRATIONS)
        world = build_world()
    server = make_server("127.0.0.1", 0, closing(app), threaded=True, request_handler=QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="live-tracker", daemon=True)
    thread.start()
    try:
        yield LiveTracker(f"http://127.0.0.1:{server.server_port}", app, world)
    finally:
        release_job.wait(app)
        server.shutdown()
        thread.join(timeout=10)
        with app.app_context():
            db.engine.dispose()


@contextmanager
def local_page(browser: Browser, **options: Any) -> Iterator[Page]:
    """A page in a fresh context; fails if it asked for anything off this machine."""
    context = browser.new_context(viewport=DESKTOP, accept_downloads=True, **options)
    context.set_default_timeout(15_000)
    outside: list[str] = []

    def note(request: Any) -> None:
        if not request.url.startswith(("http://127.0.0.1", "file://", "data:", "blob:", "about:")):
            outside.append(request.url)

    context.on("request", note)
    try:
        yield context.new_page()
    finally:
        context.close()
    assert outside == [], f"requests that left this machine: {outside}"


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    with local_page(browser) as opened:
        yield opened


# ------------------------------------------------------------------ the built handbook


@pytest.fixture(scope="package")
def handbook(real_handbook: Path) -> Path:
    return real_handbook
