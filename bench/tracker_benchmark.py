"""Time exact summaries, publishing a release, the evaluator endpoints (which read a release)
and a 10,000-row CSV import at full scale; print medians.

    .venv/bin/python bench/tracker_benchmark.py [folder] [repeats]

The folder is made by bench/tracker_generate.py (it is generated first when missing).
Targets (DESIGN.md): cohort and programme summaries under 200 ms on SQLite; a 10,000-row
import under 10 s, all or nothing.
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.tracker_generate import generate


def median_ms(action: Callable[[], object], repeats: int) -> str:
    """Median wall time, and in brackets the median CPU time of this process: on a shared
    machine the wall time includes waiting for a core, the CPU time does not."""
    action()  # warm: content loaded, statements compiled
    walls, cpus = [], []
    for _ in range(repeats):
        started, used = time.perf_counter(), time.process_time()
        action()
        walls.append((time.perf_counter() - started) * 1000)
        cpus.append((time.process_time() - used) * 1000)
    return f"{statistics.median(walls):8.1f} ms ({statistics.median(cpus):6.1f} ms CPU)"


def load() -> str:
    return "load average " + " ".join(f"{value:.2f}" for value in os.getloadavg())


def main(folder: Path, repeats: int) -> None:
    if not (folder / "tracker.sqlite").exists():
        generate(folder)
    work = folder / "work.sqlite"
    shutil.copy(folder / "tracker.sqlite", work)
    from flask_migrate import upgrade
    from sqlalchemy import select

    from tracker import create_app, summaries
    from tracker.db import MIGRATIONS, db
    from tracker.models import Cohort, EvaluatorGrant, Organisation, Role
    from tracker.records import accounts

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{work}",
            "CONTENT_ROOT": str(folder / "content"),
            "SECRET_KEY": "bench",
            "SESSION_COOKIE_SECURE": False,
            "WTF_CSRF_ENABLED": False,  # the bench signs in with a plain POST
        }
    )
    with app.app_context():
        # A database generated before a newer migration (an index, say) is measured with it.
        upgrade(directory=MIGRATIONS)
        evaluator = accounts.create_user(
            accounts.UserInput("bench-evaluator", Role.evaluator, None, "bench-password-1")
        )
        assert not isinstance(evaluator, list)
        for organisation_id in db.session.scalars(select(Organisation.id)):
            db.session.add(EvaluatorGrant(user_id=evaluator.id, organisation_id=organisation_id))
        db.session.commit()
        token = accounts.issue_token(evaluator, "bench")
        assert isinstance(token, str)
        cohort = db.session.get(Cohort, 1)
        assert cohort is not None
        programme_cohorts = list(
            db.session.scalars(select(Cohort.id).where(Cohort.programme_id == cohort.programme_id))
        )
    headers = {"Authorization": f"Bearer {token}"}
    client = app.test_client()
    client.post("/login", data={"username": "bench-evaluator", "password": "bench-password-1"})
    print(f"medians of {repeats} runs, SQLite; {load()}")
    cases = {
        "cohort summary, exact, fresh": ("cohort", "1", [1]),
        "programme summary, exact, fresh": ("programme", cohort.programme_id, programme_cohorts),
        "organisation summary, exact, fresh": ("organisation", "1", [1, 2]),
    }
    app.config["SUMMARY_CACHE_SIZE"] = 0
    for label, (scope, key, ids) in cases.items():

        def build(scope: str = scope, key: str = key, ids: list[int] = ids) -> object:
            with app.test_request_context():
                return summaries.exact("bench", scope, key, ids)

        print(f"  {label:54s} {median_ms(build, repeats)}")
    started = time.perf_counter()
    with app.app_context():
        from tracker import content
        from tracker.summaries import releases

        outcome = releases.publish(content.content(), 0.75, "bench")
        db.session.commit()
    print(
        f"  publish a release (joint protection, audit)          "
        f"{(time.perf_counter() - started) * 1000:8.1f} ms  "
        f"({outcome.shown} figures shown, {outcome.hidden} hidden)"
    )
    for cached in (False, True):
        print(
            f"  evaluator endpoints (a release), {'views kept' if cached else 'built each time'}:"
        )
        _endpoints(client, headers, cohort.programme_id, repeats, app if not cached else None)
    _imports(app, folder)
    print(load())


def _endpoints(
    client: Any, headers: dict[str, str], programme_id: str, repeats: int, fresh: Any = None
) -> None:
    """fresh: an app whose kept release views are forgotten before every request."""
    for label, url in {
        "GET /api/v1/summaries/cohort/1": "/api/v1/summaries/cohort/1",
        f"GET /api/v1/summaries/programme/{programme_id}": (
            f"/api/v1/summaries/programme/{programme_id}"
        ),
        "GET /api/v1/summaries/organisation/1": "/api/v1/summaries/organisation/1",
        "GET /summaries/cohort/1 (HTML, charts)": "/summaries/cohort/1",
        f"GET /summaries/programme/{programme_id} (HTML)": (f"/summaries/programme/{programme_id}"),
        "GET /summaries/cohort/1/bench-likert-pre-post.csv": (
            "/summaries/cohort/1/bench-likert-pre-post.csv"
        ),
    }.items():

        def fetch(url: str = url) -> object:
            if fresh is not None:
                fresh.extensions.pop("tracker_release_views", None)
            response = client.get(url, headers=headers if "/api/" in url else {})
            assert response.status_code == 200, (url, response.status_code)
            return response

        print(f"    {label:52s} {median_ms(fetch, repeats)}")


def _imports(app: object, folder: Path) -> None:
    from tracker.db import db
    from tracker.models import Cohort, Membership, Participant
    from tracker.records.imports import import_attendance, import_evaluations

    with app.test_request_context():  # type: ignore[attr-defined]
        cohort = db.session.get(Cohort, 1)
        assert cohort is not None
        codes = list(
            db.session.scalars(
                db.select(Participant.code)
                .join(Membership, Membership.participant_id == Participant.id)
                .where(Membership.cohort_id == 1)
            )
        )
        start = date(2026, 1, 5)
        lines = ["session_date,module,participant_code,status"]
        week = 0
        while len(lines) <= 10000:
            day = start + timedelta(weeks=week)
            module = f"{cohort.programme_id}-m{week % 6 + 1}"
            lines += [f"{day},{module},{code},present" for code in codes]
            week += 1
        text = "\n".join(lines[:10001]) + "\n"
        started = time.perf_counter()
        result = import_attendance(cohort, text, 20000)
        took = time.perf_counter() - started
        assert result.ok, result.problems[:3]
        print(f"  import 10,000 attendance rows (one transaction)  {took * 1000:8.1f} ms")
        # numbered paper forms (serial): the same answers on two forms are two responses
        evaluation_rows = ["participant_code,answered_on,choices,other_text,serial"]
        evaluation_rows += [
            f"{codes[i % len(codes)]},2026-03-01,skill-1;skill-{2 + i % 8},,E-{i}"
            for i in range(10000)
        ]
        started = time.perf_counter()
        result = import_evaluations(cohort, "bench-useful", "\n".join(evaluation_rows), 20000)
        took = time.perf_counter() - started
        assert result.ok, result.problems[:3]
        print(f"  import 10,000 evaluation rows (one transaction)  {took * 1000:8.1f} ms")
        bad = text.replace("present", "sleeping", 1)
        started = time.perf_counter()
        refused = import_attendance(cohort, bad, 20000)
        took = time.perf_counter() - started
        assert not refused.ok
        print(f"  refuse 10,000 rows with one bad row (no write)   {took * 1000:8.1f} ms")
    _ = folder


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "build/bench-tracker")
    main(target, int(sys.argv[2]) if len(sys.argv) > 2 else 15)
