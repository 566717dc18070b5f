"""Benchmark: the full handbook build, and what our rendering adds over plain MkDocs.

    .venv/bin/python bench/handbook_build.py [--runs 5]

Times, as whole processes and interleaved (a busy machine slows each alike), median of N:

- ours, first build: `mkdocs build` of the real handbook (every module, three languages)
  with no staging folder yet, so every page is rendered, written and compiled afresh;
- ours, again: the same with the staging folder of the previous build left in place (what
  `make handbook` and `mkdocs serve` do after the first time: unchanged pages are not
  rewritten and the theme's compiled templates are reused);
- plain: MkDocs alone, without our plugin, over the same pages already rendered by
  `facilitator render` (its staging folder and the mkdocs.yml it writes there).

and prints the ratios ours / plain. The target is 1.10 or less.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def timed(command: list[str], staging: Path | None = None) -> float:
    env = {**ENV, "HANDBOOK_STAGING_DIR": str(staging)} if staging else ENV
    start = time.perf_counter()
    subprocess.run(command, check=True, env=env, cwd=REPO)
    return time.perf_counter() - start


def mkdocs(config: Path, site_dir: Path) -> list[str]:
    return [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(site_dir)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        plain_stage = work / "plain-staging"
        subprocess.run(
            [sys.executable, "-m", "facilitator.cli", "render", "--out", str(plain_stage)],
            check=True,
            cwd=REPO,
            stdout=subprocess.DEVNULL,
        )
        staging = work / "ours-staging"  # the plugin's, moved out of the project
        cold: list[float] = []
        warm: list[float] = []
        plain: list[float] = []
        for _ in range(args.runs):
            shutil.rmtree(staging, ignore_errors=True)
            cold.append(timed(mkdocs(REPO / "mkdocs.yml", work / "ours"), staging))
            warm.append(timed(mkdocs(REPO / "mkdocs.yml", work / "ours"), staging))
            plain.append(timed(mkdocs(plain_stage / "mkdocs.yml", work / "plain")))
        pages = sum(1 for _ in (work / "ours").rglob("*.html"))
    plain_median = statistics.median(plain)
    print(f"handbook build ({pages} HTML pages, {args.runs} runs each, medians)")
    for name, times in [
        ("ours, first build    ", cold),
        ("ours, again          ", warm),
        ("plain mkdocs, staged ", plain),
    ]:
        median = statistics.median(times)
        spread = ", ".join(f"{t:.2f}" for t in sorted(times))
        print(f"  {name} {median:.2f} s  ratio {median / plain_median:.2f}  [{spread}]")


if __name__ == "__main__":
    main()
