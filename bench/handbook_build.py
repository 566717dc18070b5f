"""Benchmark: the full handbook build, and what our rendering adds over plain mkdocs.

    .venv/bin/python bench/handbook_build.py [--runs 5]

Times `mkdocs build` of the real handbook (every module, three languages), median of N
runs, then a plain mkdocs build of the same pages written out beforehand as static
Markdown (no facilitator plugin), and prints the ratio of the two.
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

import yaml

from facilitator.load import load_content
from facilitator.navigation import handbook_nav
from facilitator.render import dump_pages

REPO = Path(__file__).resolve().parents[1]


def timed_build(config: Path, site_dir: Path) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(site_dir)],
        check=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    return time.perf_counter() - start


def plain_tree(work: Path) -> Path:
    """The same pages as static Markdown, and a config without our plugin."""
    content = load_content(REPO)
    docs = work / "docs"
    shutil.copytree(REPO / "site", docs)
    dump_pages(content, docs)
    config = (REPO / "mkdocs.yml").read_text("utf-8")
    for ours, plain in [
        ("  - facilitator\n", ""),
        ("custom_dir: site/", "custom_dir: docs/"),
        ("docs_dir: site", "docs_dir: docs"),
    ]:
        config = config.replace(ours, plain)
    head = config[: config.index("\nnav:")]
    site_nav = yaml.safe_load(config[config.index("\nnav:") :])["nav"]
    nav = handbook_nav(site_nav, content, content.default_language)
    path = work / "mkdocs.yml"
    path.write_text(head + "\n" + yaml.safe_dump({"nav": nav}, allow_unicode=True), "utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        plain_config = plain_tree(work)
        ours: list[float] = []
        plain: list[float] = []
        for _ in range(args.runs):  # interleaved, so a busy machine slows both alike
            ours.append(timed_build(REPO / "mkdocs.yml", work / "ours"))
            plain.append(timed_build(plain_config, work / "plain"))
        pages = sum(1 for _ in (work / "ours").rglob("*.html"))
    ours_median, plain_median = statistics.median(ours), statistics.median(plain)
    print(f"handbook build ({pages} HTML pages, {args.runs} runs)")
    print(f"  ours (rendered in the build): median {ours_median:.2f} s  {sorted(ours)}")
    print(f"  plain mkdocs, static pages:   median {plain_median:.2f} s  {sorted(plain)}")
    print(
        f"  ratio ours / plain: {ours_median / plain_median:.2f} (best runs: "
        f"{min(ours) / min(plain):.2f})"
    )


if __name__ == "__main__":
    main()
