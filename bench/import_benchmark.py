"""Time a large assessment CSV import and measure its peak memory.

    .venv/bin/python bench/import_benchmark.py [--rows 100000] [--participants N] [folder]

First a database with one cohort of N participants (default: rows / 2, so that every
participant has a pre and a post row) and a CSV of that many rows on the 20-item bench
instrument are made in `folder` (build/bench-import). Then, in a fresh process each, the
CSV is imported the way the upload page does it (decode, validate every row, write all or
nothing), and imported a second time (nothing may change). Printed per import: wall and CPU
time, the process's memory before the import and its peak during it (ru_maxrss), and what
the import said. Target (DESIGN.md): 100,000 rows x 20 items under 15 s and 400 MB.

`--tracemalloc` also reports the Python allocations' peak (much slower: for comparing, not
for timing). `DATABASE_URL` set to a PostgreSQL database whose name says bench (it is
emptied first) runs it there instead of SQLite.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import subprocess
import sys
import time
import tracemalloc
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.tracker_generate import ITEMS, write_content

INSTRUMENT = "bench-likert"
PROGRAMME = "bench-leaders"
TIMEPOINTS = ("pre", "post", "follow_up", "retro_pre")


def _app(folder: Path) -> object:
    from tracker import create_app

    url = os.environ.get("DATABASE_URL") or f"sqlite:///{folder / 'tracker.sqlite'}"
    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "CONTENT_ROOT": str(folder / "content"),
            "SECRET_KEY": "bench",
            "SESSION_COOKIE_SECURE": False,
        }
    )


def prepare(folder: Path, rows: int, participants: int, seed: int = 1) -> None:
    """A fresh database (one organisation, one cohort of `participants`) and the CSV."""
    from flask_migrate import upgrade
    from sqlalchemy import insert, text

    from tracker.db import MIGRATIONS, db
    from tracker.models import Cohort, Membership, Organisation, Participant

    url = os.environ.get("DATABASE_URL", "")
    if url and "bench" not in url.rsplit("/", 1)[-1]:
        raise SystemExit(
            "DATABASE_URL: name a database made for this (its name says bench): it is emptied"
        )
    if participants * len(TIMEPOINTS) < rows:
        raise SystemExit(f"{participants} participants give at most {participants * 4} rows")
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    write_content(folder / "content")
    app = _app(folder)
    with app.app_context():  # type: ignore[attr-defined]
        if os.environ.get("DATABASE_URL"):
            db.session.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
            db.session.commit()
        upgrade(directory=MIGRATIONS)
        db.session.execute(insert(Organisation), [{"id": 1, "name": "Bench organisation"}])
        db.session.execute(
            insert(Cohort),
            [
                {
                    "id": 1, "organisation_id": 1, "name": "Bench cohort",
                    "programme_id": PROGRAMME, "language": "en", "place": "Bench hall",
                    "starts_on": date(2026, 1, 5), "ends_on": None,
                }
            ],
        )  # fmt: skip
        people = [
            {"id": n, "organisation_id": 1, "code": f"SUR-{n:06d}", "group": "survivor",
             "consent_given_on": date(2026, 1, 1)}
            for n in range(1, participants + 1)
        ]  # fmt: skip
        db.session.execute(insert(Participant), people)
        db.session.execute(
            insert(Membership), [{"cohort_id": 1, "participant_id": p["id"]} for p in people]
        )
        if os.environ.get("DATABASE_URL"):  # ids were given: move the sequences past them
            for table in ("organisation", "cohort", "participant"):
                db.session.execute(
                    text(f"SELECT setval('{table}_id_seq', (SELECT max(id) FROM {table}))")
                )
        db.session.commit()
        db.engine.dispose()  # type: ignore[attr-defined]
    rng = random.Random(seed)
    items = ",".join(f"item-{i:02d}" for i in range(1, ITEMS + 1))
    with (folder / "assessments.csv").open("w", encoding="utf-8", newline="") as out:
        out.write(f"participant_code,timepoint,answered_on,{items}\r\n")
        for number in range(rows):
            code = f"SUR-{number % participants + 1:06d}"
            timepoint = TIMEPOINTS[number // participants]
            values = ",".join(str(rng.randint(1, 5)) for _ in range(ITEMS))
            out.write(f"{code},{timepoint},2026-03-30,{values}\r\n")


def rss_mb() -> float:
    """The resident memory of this process now, in MB."""
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


def run_import(folder: Path, trace: bool) -> None:
    """One import in this process, as the upload page does it; prints one line."""
    from tracker import content
    from tracker.db import db
    from tracker.models import Cohort
    from tracker.records import imports

    app = _app(folder)
    with app.test_request_context():  # type: ignore[attr-defined]
        cohort = db.session.get(Cohort, 1)
        assert cohort is not None
        content.content()  # loaded once per process, as in a running tracker
        data = (folder / "assessments.csv").read_bytes()
        before = rss_mb()
        if trace:
            tracemalloc.start()
        wall, cpu = time.perf_counter(), time.process_time()
        text = imports.decode(data)
        assert isinstance(text, str)
        del data
        result = imports.import_assessments(cohort, INSTRUMENT, text, 10**7)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1000
        traced = ""
        if trace:
            traced = f", Python allocations' peak {tracemalloc.get_traced_memory()[1] / 1e6:.0f} MB"
            tracemalloc.stop()
        assert result.ok, result.problems[:3]
        said = ", ".join(
            f"{name} {getattr(result, name)}"
            for name in ("rows", "new", "changed", "unchanged")
            if hasattr(result, name)
        )
        print(
            f"  {wall:6.1f} s wall ({cpu:5.1f} s CPU); memory {before:5.0f} MB before, "
            f"peak {peak:5.0f} MB (+{peak - before:.0f} MB){traced}; {said}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", nargs="?", default="build/bench-import", type=Path)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--participants", type=int, default=0, help="default: rows / 2")
    parser.add_argument("--tracemalloc", action="store_true")
    parser.add_argument("--import-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.folder = args.folder.resolve()  # a relative SQLite path would be the instance's
    if args.import_only:
        run_import(args.folder, args.tracemalloc)
        return
    participants = args.participants or -(-args.rows // 2)
    started = time.perf_counter()
    prepare(args.folder, args.rows, participants)
    where = "PostgreSQL" if os.environ.get("DATABASE_URL") else "SQLite"
    print(
        f"{args.rows:,} rows x {ITEMS} items, a cohort of {participants:,} participants, "
        f"{where} (prepared in {time.perf_counter() - started:.1f} s); load average "
        + " ".join(f"{value:.2f}" for value in os.getloadavg())
    )
    command = [sys.executable, __file__, str(args.folder), "--import-only"]
    command += ["--tracemalloc"] if args.tracemalloc else []
    for label in ("first import", "the same file again"):
        print(label)
        subprocess.run(command, check=True)


if __name__ == "__main__":
    main()
