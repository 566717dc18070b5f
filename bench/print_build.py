"""Benchmark the print build: every PDF of one language, and one module's print pack.

    .venv/bin/python bench/print_build.py [--root .] [--repeat 3] [--module ID]

Prints the median seconds over the repeats. One Chromium stays open for all runs, as in
`facilitator print`; its launch is timed on its own.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from facilitator.load import load_content
from facilitator.printing.build import print_language, print_module
from facilitator.printing.engine import Printer, chromium_available


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--root", default=".", help="the content root")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--module", help="the module for the single-pack timing")
    args = parser.parse_args(argv)
    if not chromium_available():
        print("no Chromium at /usr/bin/chromium", file=sys.stderr)
        return 1
    content = load_content(Path(args.root).resolve())
    module_id = args.module or next(iter(content.modules))
    languages = [x.code for x in content.languages]
    print(
        f"{len(content.modules)} modules, {len(content.instruments)} instruments, "
        f"{len(content.evaluation_forms)} evaluation forms; {args.repeat} runs each"
    )
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        start = time.perf_counter()
        with Printer() as printer:
            print(f"browser launch: {time.perf_counter() - start:.2f} s")
            for lang in languages:
                times, count = [], 0
                for _ in range(args.repeat):
                    start = time.perf_counter()
                    count = len(print_language(content, lang, out, printer))
                    times.append(time.perf_counter() - start)
                print(f"{lang}: all {count} PDFs  median {statistics.median(times):.2f} s")
            for lang in languages:
                times = []
                for _ in range(args.repeat):
                    start = time.perf_counter()
                    print_module(content, module_id, lang, out, printer)
                    times.append(time.perf_counter() - start)
                print(f"{lang}: print pack {module_id}  median {statistics.median(times):.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
