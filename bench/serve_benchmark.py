"""Throughput of `tracker serve` (waitress) under mixed reads and writes from 8 clients at
once, on the demo data: requests per second, and p50/p95 per kind of request, and errors.

    .venv/bin/python bench/serve_benchmark.py [--clients 8] [--requests 60] [--threads 8]

Each client signs in as the demo coordinator (own sign-in, own cookies) and repeats a mix:
the roster page (read), saving the roster (write), the cohort page and the coordinator's exact
cohort summary (read). The server runs in its own process, as in an office.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TRACKER = str(ROOT / ".venv" / "bin" / "tracker")
PASSWORD = "demo-only-password"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Client:
    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def get(self, path: str) -> tuple[int, str]:
        try:
            with self.opener.open(self.base + path, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")

    def post(self, path: str, data: dict[str, str]) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode()
        try:
            with self.opener.open(self.base + path, data=body, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")


def csrf(page: str) -> str:
    found = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
        r'name="csrf_token" value="([^"]+)"', page
    )
    return found.group(1) if found else ""


def _hidden(page: str) -> dict[str, str]:
    """The roster form's hidden fields (CSRF token, the version it was based on...)."""
    return dict(
        re.findall(r'<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page)
    )


def run_client(base: str, session_path: str, cohort_path: str, summary_path: str,
               count: int, timings: dict[str, list[float]], errors: list[str],
               lock: threading.Lock) -> None:  # fmt: skip
    client = Client(base)
    status, page = client.get("/login")
    status, _ = client.post(
        "/login",
        {"csrf_token": csrf(page), "username": "demo-coordinator", "password": PASSWORD},
    )
    for n in range(count):
        kind = ("roster", "save", "cohort", "summary")[n % 4]
        started = time.perf_counter()
        if kind == "save":
            status, page = client.get(session_path)
            fields = _hidden(page)
            marks = dict.fromkeys(re.findall(r'name="(status-\d+)"', page), "present")
            status, page = client.post(session_path, {**fields, **marks})
            if "conflict" in page.lower():
                kind = "save (conflict)"
        elif kind == "roster":
            status, page = client.get(session_path)
        elif kind == "cohort":
            status, page = client.get(cohort_path)
        else:
            status, page = client.get(summary_path)
        elapsed = time.perf_counter() - started
        with lock:
            timings.setdefault(kind, []).append(elapsed)
            if status >= 400:
                errors.append(f"{kind} {status}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=60, help="per client")
    parser.add_argument("--threads", type=int, default=8, help="waitress threads")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="serve-bench-"))
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{work / 'tracker.sqlite'}",
           "TRACKER_SECRET_KEY": "bench-only"}  # fmt: skip
    subprocess.run([TRACKER, "init-db"], env=env, check=True, capture_output=True)
    subprocess.run([TRACKER, "demo"], env=env, check=True, capture_output=True)
    port = _free_port()
    server = subprocess.Popen(
        [TRACKER, "serve", "--port", str(port), "--threads", str(args.threads)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/login", timeout=1).read()
                break
            except OSError:
                time.sleep(0.1)
        probe = Client(base)
        _, page = probe.get("/login")
        probe.post("/login", {"csrf_token": csrf(page), "username": "demo-coordinator",
                              "password": PASSWORD})  # fmt: skip
        _, cohorts = probe.get("/cohorts/")
        cohort_id = re.findall(r'href="/cohorts/(\d+)"', cohorts)[0]
        _, cohort = probe.get(f"/cohorts/{cohort_id}")
        # Each client keeps its own session's roster, as facilitators of different days do.
        session_paths = sorted(set(re.findall(r'href="(/sessions/\d+/attendance)"', cohort)))
        summary_path = f"/summaries/cohort/{cohort_id}"
        timings: dict[str, list[float]] = {}
        errors: list[str] = []
        lock = threading.Lock()
        workers = [
            threading.Thread(
                target=run_client,
                args=(
                    base,
                    session_paths[index % len(session_paths)],
                    f"/cohorts/{cohort_id}",
                    summary_path,
                    args.requests,
                    timings,
                    errors,
                    lock,
                ),
            )
            for index in range(args.clients)
        ]
        started = time.perf_counter()
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        wall = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=10)
    total = sum(len(v) for v in timings.values())
    print(f"{args.clients} clients x {args.requests} requests, waitress {args.threads} threads,"
          f" load average {os.getloadavg()[0]:.2f}")  # fmt: skip
    print(f"{total} requests in {wall:.1f} s: {total / wall:.1f} requests/s, {len(errors)} errors")
    for kind, values in sorted(timings.items()):
        values.sort()
        p95 = values[min(len(values) - 1, int(0.95 * len(values)))]
        print(f"  {kind:16} n={len(values):4}  p50 {statistics.median(values) * 1000:7.1f} ms"
              f"  p95 {p95 * 1000:7.1f} ms")  # fmt: skip
    if errors:
        print("errors:", sorted(set(errors)))
        sys.exit(1)


if __name__ == "__main__":
    main()
