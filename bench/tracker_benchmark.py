"""Time exact summaries, publishing a release, the evaluator endpoints (which read a release)
and a 10,000-row CSV import at full scale; print medians.

    .venv/bin/python bench/tracker_benchmark.py [FOLDER] [--repeats 15] [--scale N]
        [--no-publish] [--no-imports]

FOLDER (default build/bench-tracker, or build/bench-xN with --scale N) is made by
bench/tracker_generate.py, generated first when missing. Exact summaries are timed with
nothing cached, and (what a coordinator opens after saving) after a write in one cohort of
the scope, when the other cohorts' counts are kept; beside them the same figures from
hand-written SQL, the floor any summary code pays. --no-publish leaves out publishing and
the evaluator endpoints (they need a release).

Targets (issue 8, at 4x): a release read under 50 ms; a coordinator's fresh programme summary
under 200 ms on SQLite; a cohort's summary costs the same at every scale; a 10,000-row import
under 10 s, all or nothing.
"""

from __future__ import annotations

import argparse
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


def median_ms(
    action: Callable[[], object], repeats: int, before: Callable[[], object] | None = None
) -> str:
    """Median wall time, and in brackets the median CPU time of this process: on a shared
    machine the wall time includes waiting for a core, the CPU time does not. `before` runs
    ahead of each timed call, untimed (a write that makes the cached figures stale)."""
    action()  # warm: content loaded, statements compiled
    walls, cpus = [], []
    for _ in range(repeats):
        if before is not None:
            before()
        started, used = time.perf_counter(), time.process_time()
        action()
        walls.append((time.perf_counter() - started) * 1000)
        cpus.append((time.process_time() - used) * 1000)
    return f"{statistics.median(walls):8.1f} ms ({statistics.median(cpus):6.1f} ms CPU)"


def load() -> str:
    return "load average " + " ".join(f"{value:.2f}" for value in os.getloadavg())


def main(folder: Path, repeats: int, scale: int, publish: bool, imports: bool) -> None:
    folder = folder.resolve()  # the app reads a relative SQLite path from its instance folder
    if not (folder / "tracker.sqlite").exists():
        generate(folder, scale=scale)
    work = folder / "work.sqlite"
    for suffix in ("-wal", "-shm"):  # a stopped run's log would replay its writes on the copy
        Path(f"{work}{suffix}").unlink(missing_ok=True)
    shutil.copy(folder / "tracker.sqlite", work)
    from flask_migrate import upgrade
    from sqlalchemy import select

    from tracker import create_app
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
        "cohort summary": ("cohort", "1", [1]),
        "organisation summary": ("organisation", "1", [1, 2]),
        "programme summary": ("programme", cohort.programme_id, programme_cohorts),
    }
    _summaries(app, cases, repeats)
    if not publish:
        print(load())
        return
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
    if imports:
        _imports(app, folder)
    print(load())


def _summaries(app: Any, cases: dict[str, tuple[str, str, list[int]]], repeats: int) -> None:
    from tracker import summaries

    for label, (scope, key, ids) in cases.items():

        def build(scope: str = scope, key: str = key, ids: list[int] = ids) -> object:
            with app.test_request_context():
                return summaries.exact("bench", scope, key, ids)

        app.config["SUMMARY_CACHE_SIZE"] = 0
        cold = median_ms(build, repeats)
        print(f"  {label + ', exact, nothing cached':58s} {cold}")
        app.config["SUMMARY_CACHE_SIZE"] = 256
        written = median_ms(build, repeats, before=_writer(app, ids[-1]))
        print(f"  {label + ', exact, after a write in one cohort':58s} {written}")
        sql = median_ms(lambda ids=ids: _hand_sql(app, ids), repeats)
        print(f"  {label + ', the same counts by hand-written SQL':58s} {sql}")


def _writer(app: Any, cohort_id: int) -> Callable[[], object]:
    """A coordinator's save: one participant's mark in the cohort's first session, flipped
    between present and absent each time (audited, as the roster page saves it)."""
    from sqlalchemy import select

    from tracker.db import db
    from tracker.models import Cohort, Membership, TrainingSession
    from tracker.records import sessions

    with app.app_context():
        session_id = db.session.scalars(
            select(TrainingSession.id).where(TrainingSession.cohort_id == cohort_id).limit(1)
        ).one()
        member = db.session.scalars(
            select(Membership.participant_id).where(Membership.cohort_id == cohort_id).limit(1)
        ).one()
    flips = iter(("present", "absent") * 10_000)

    def write() -> object:
        with app.test_request_context():
            session = db.session.get(TrainingSession, session_id)
            cohort = db.session.get(Cohort, cohort_id)
            assert session is not None and cohort is not None
            saved = sessions.record_attendance(
                session, {str(member): next(flips)}, cohort.organisation_id
            )
            assert not isinstance(saved, list), saved
            return saved

    return write


# The figures a summary is made of, as one would count them by hand in SQL (attendance per
# session and per member, answers per item and value, pre/post pairs per item and value,
# each response's mean, evaluation choices): what the database must do at the least.
HAND_SQL = (
    "SELECT cohort_id, count(*) FROM membership WHERE cohort_id IN ({ids}) GROUP BY cohort_id",
    "SELECT s.id, s.cohort_id, count(a.participant_id) FROM training_session s"
    " LEFT JOIN attendance a ON a.session_id = s.id AND a.status IN ('present', 'late')"
    " WHERE s.cohort_id IN ({ids}) GROUP BY s.id",
    "SELECT s.cohort_id, a.participant_id, count(*) FROM training_session s"
    " JOIN attendance a ON a.session_id = s.id AND a.status IN ('present', 'late')"
    " WHERE s.cohort_id IN ({ids}) GROUP BY s.cohort_id, a.participant_id",
    "SELECT r.cohort_id, r.instrument_id, r.timepoint, a.item_id, a.value, count(*)"
    " FROM assessment_response r JOIN assessment_answer a ON a.response_id = r.id"
    " WHERE r.cohort_id IN ({ids}) AND r.instrument_id <> 'bench-likert'"
    " GROUP BY r.cohort_id, r.instrument_id, r.timepoint, a.item_id, a.value",
    "SELECT r.cohort_id, r.participant_id, r.instrument_id, r.timepoint, sum(a.value), count(*)"
    " FROM assessment_response r JOIN assessment_answer a ON a.response_id = r.id"
    " WHERE r.cohort_id IN ({ids}) GROUP BY r.id",
    "SELECT f.cohort_id, f.instrument_id, w.item_id, w.value, n.value, count(*)"
    " FROM assessment_response f JOIN assessment_response t ON t.cohort_id = f.cohort_id"
    " AND t.participant_id = f.participant_id AND t.instrument_id = f.instrument_id"
    " AND t.timepoint = 'post'"
    " JOIN assessment_answer w ON w.response_id = f.id"
    " JOIN assessment_answer n ON n.response_id = t.id AND n.item_id = w.item_id"
    " WHERE f.cohort_id IN ({ids}) AND f.timepoint = 'pre'"
    " GROUP BY f.cohort_id, f.instrument_id, w.item_id, w.value, n.value",
    "SELECT r.cohort_id, r.form_id, c.option_id, count(*) FROM evaluation_response r"
    " JOIN evaluation_choice c ON c.response_id = r.id WHERE r.cohort_id IN ({ids})"
    " GROUP BY r.cohort_id, r.form_id, c.option_id",
)


def _hand_sql(app: Any, cohort_ids: list[int]) -> int:
    from tracker.db import db

    listed = ", ".join(str(int(cid)) for cid in cohort_ids)
    rows = 0
    with app.app_context():
        connection = db.session.connection()
        for statement in HAND_SQL:
            rows += len(connection.exec_driver_sql(statement.format(ids=listed)).fetchall())
    return rows


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
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", nargs="?", type=Path)
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--scale", type=int, default=1, help="data made by --scale N")
    parser.add_argument("--no-publish", action="store_true", help="no release, no endpoints")
    parser.add_argument("--no-imports", action="store_true", help="leave out the imports")
    arguments = parser.parse_args()
    default = "build/bench-tracker" if arguments.scale == 1 else f"build/bench-x{arguments.scale}"
    main(
        arguments.folder or Path(default),
        arguments.repeats,
        arguments.scale,
        not arguments.no_publish,
        not arguments.no_imports,
    )
