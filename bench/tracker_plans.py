"""Show the query plans of one cohort's summary parts and flag whole reads of the big tables.

A cohort's summary must cost the same whatever the other cohorts hold. This runs
`releases.live_parts` for one cohort, keeps every SELECT it sends, and explains each one:
`EXPLAIN (ANALYZE, BUFFERS)` on PostgreSQL, `EXPLAIN QUERY PLAN` on SQLite. A sequential scan
of a big table, or an index scan with no condition (the whole index), is flagged; the exit
code is 1 if any is found.

    .venv/bin/python bench/tracker_plans.py \\
        --url postgresql://postgres@127.0.0.1:5432/bench_x4 --content /tmp/plans-x4/content
    cp build/bench-x4/tracker.sqlite /tmp/x4.sqlite  # the app sets pragmas: use a copy
    .venv/bin/python bench/tracker_plans.py --url sqlite:////tmp/x4.sqlite \\
        --content build/bench-x4/content --cohort 1

Databases are made by bench/tracker_generate.py (--url for PostgreSQL). Run VACUUM (ANALYZE)
after loading, not ANALYZE alone: until the visibility map is set, index-only scans are costed
with heap fetches and PostgreSQL picks (parallel) sequential scans for one cohort's parts.
--set NAME=VALUE tries a planner setting (max_parallel_workers_per_gather=0, say).
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

BIG = (
    "assessment_answer",
    "assessment_response",
    "attendance",
    "training_session",
    "membership",
    "evaluation_response",
    "evaluation_choice",
)
Captured = list[tuple[str, Any]]
Flags = list[tuple[str, str]]  # (table, what was seen)
# A PostgreSQL plan node that reads a table: its kind and the table.
PG_SCAN = re.compile(r"(Parallel Seq Scan|Seq Scan|Index Only Scan|Index Scan)(?: Backward)?"
                     r"(?: using \S+)? on (\w+)")  # fmt: skip
# SQLite: "SCAN t", "SCAN t AS a", "SCAN t USING COVERING INDEX i", "... AUTOMATIC ... INDEX".
SQLITE_SCAN = re.compile(r"^(SCAN|SEARCH) (\w+)(?: AS \w+)?(.*)$")


def capture(cohort_id: int) -> tuple[Captured, float]:
    """The SELECTs one cohort's live parts send (a second, warm run), and its wall time."""
    from sqlalchemy import event

    from tracker import content
    from tracker.db import db
    from tracker.summaries import completion_share, releases

    cohorts = releases.cohort_infos([cohort_id])
    if not cohorts:
        sys.exit(f"no cohort {cohort_id}")
    loaded, share = content.content(), completion_share()
    releases.live_parts(cohorts, loaded, share)  # warm: content, statements, caches
    found: Captured = []

    def keep(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            found.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", keep)
    started = time.perf_counter()
    try:
        releases.live_parts(cohorts, loaded, share)
    finally:
        event.remove(db.engine, "before_cursor_execute", keep)
    return found, (time.perf_counter() - started) * 1000


def run_ms(connection: Any, statement: str, parameters: Any, repeats: int = 5) -> float:
    """Median wall time of the statement itself, rows fetched."""
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        connection.exec_driver_sql(statement, parameters).fetchall()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def pg_plan(connection: Any, statement: str, parameters: Any) -> tuple[list[str], Flags]:
    """The plan, compact (no cost estimates), and the whole reads of big tables in it."""
    sql = "EXPLAIN (ANALYZE, BUFFERS, FORMAT TEXT) " + statement
    lines = [row[0] for row in connection.exec_driver_sql(sql, parameters)]
    lines = [re.sub(r"\(cost=[^)]*\) ", "", line) for line in lines]
    flagged: Flags = []
    for index, line in enumerate(lines):
        match = PG_SCAN.search(line)
        if not match or match.group(2) not in BIG:
            continue
        kind, table = match.groups()
        # The node's own properties: the lines up to the next node.
        props = []
        for after in lines[index + 1 :]:
            if "->" in after:
                break
            props.append(after.strip())
        removed = next((p for p in props if p.startswith("Rows Removed by Filter")), "")
        if "Seq Scan" in kind:
            flagged.append((table, f"{kind} on {table} {removed}".strip()))
        elif not any(p.startswith("Index Cond") for p in props):
            flagged.append((table, f"{kind} on {table} with no Index Cond (whole index)"))
    return lines, flagged


def sqlite_plan(connection: Any, statement: str, parameters: Any) -> tuple[list[str], Flags]:
    rows = list(connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters))
    aliases: dict[str, str] = {a: t for t, a in re.findall(r"\b(\w+) AS (\w+)", statement)}
    depth: dict[int, int] = {0: 0}
    lines: list[str] = []
    flagged: Flags = []
    for node, parent, _, detail in rows:
        depth[node] = depth.get(parent, 0) + 1
        lines.append("  " * (depth[node] - 1) + detail)
        match = SQLITE_SCAN.match(detail)
        verb, name, rest = match.groups() if match else ("", "", "")
        table = aliases.get(name, name)
        if table not in BIG:
            continue
        if "AUTOMATIC" in rest:
            flagged.append((table, f"{detail} (an automatic index reads the whole table)"))
        elif verb == "SCAN":
            flagged.append((table, detail + ("" if "INDEX" in rest else " (no index)")))
    return lines, flagged


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True, help="postgresql://... or sqlite:////path")
    parser.add_argument("--content", required=True, type=Path, help="the bench content folder")
    parser.add_argument("--cohort", type=int, default=1)
    parser.add_argument("--full", action="store_true", help="print whole statements")
    parser.add_argument(
        "--small",
        type=int,
        default=1000,
        help="a whole read of a table with fewer rows is shown, not failed",
    )
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a PostgreSQL setting for the EXPLAIN connection (repeatable)",
    )
    arguments = parser.parse_args()

    from sqlalchemy import text

    from tracker import create_app
    from tracker.db import db

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": arguments.url,
            "CONTENT_ROOT": str(arguments.content),
            "SECRET_KEY": "bench",
        }
    )
    with app.app_context():
        found, whole_ms = capture(arguments.cohort)
        explain = pg_plan if db.engine.dialect.name == "postgresql" else sqlite_plan
        counted = " UNION ALL ".join(f"SELECT '{t}', count(*) FROM {t}" for t in BIG)
        sizes: dict[str, int] = {t: n for t, n in db.session.execute(text(counted))}
        print(f"{db.engine.dialect.name}, cohort {arguments.cohort}, {' '.join(arguments.set)}; "
              "rows: " + ", ".join(f"{t} {n}" for t, n in sizes.items()))  # fmt: skip
        print(f"live_parts: {len(found)} SELECTs, {whole_ms:.1f} ms (warm, captured run)\n")
        problems: Flags = []
        total = 0.0
        with db.engine.connect() as connection:
            for setting in arguments.set:
                name, value = setting.split("=", 1)
                connection.exec_driver_sql(f"SET {name} = {value}")
            for number, (statement, parameters) in enumerate(found, 1):
                ms = run_ms(connection, statement, parameters)
                total += ms
                lines, flagged = explain(connection, statement, parameters)
                flat = " ".join(statement.split())
                shown = flat if arguments.full else flat[:150] + ("..." if len(flat) > 150 else "")
                print(f"[{number}] {ms:7.2f} ms  {shown}")
                for line in lines:
                    print("      " + line)
                for table, flag in flagged:
                    if sizes[table] < arguments.small:
                        print(f"   .. {flag} (small: {sizes[table]} rows, not failed)")
                        continue
                    print(f"   !! {flag}")
                    problems.append((table, f"[{number}] {flag}"))
                print()
    print(f"sum of statement medians {total:.1f} ms")
    if problems:
        whole = ", ".join(sorted({table for table, _ in problems}))
        print(f"VERDICT: FAIL, {len(problems)} whole reads of big tables for one cohort ({whole})")
        return 1
    print(f"VERDICT: OK, no big table read whole for cohort {arguments.cohort}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
