"""The `print` and `bundle` subcommands of `facilitator` (added to its parser by cli.py)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any


def _root(value: str | None) -> Path:
    return Path(value).resolve() if value else Path.cwd()


def cmd_print(args: argparse.Namespace) -> int:
    from facilitator.content import load_content
    from facilitator.printing.build import print_all, print_module
    from facilitator.printing.engine import PrintError, chromium_available
    from facilitator.problems import ContentError
    from facilitator.timetable import StartError, parse_start

    try:
        day_start = parse_start(args.start) if args.start else None
    except StartError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if not chromium_available():
        print("error: Chromium not found: apt-get install chromium", file=sys.stderr)
        return 1
    try:
        content = load_content(_root(args.root))
    except ContentError as exc:
        print(exc, file=sys.stderr)
        return 1
    out = Path(args.out)
    languages = args.lang or [x.code for x in content.languages]
    start = time.perf_counter()
    try:
        if args.module:
            done = print_module(
                content, args.module, languages, out, force=args.force, start=day_start
            )
        else:
            done = print_all(content, out, languages, force=args.force, start=day_start)
    except (PrintError, KeyError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for printed in done:
        how = "unchanged" if printed.reused else f"{printed.seconds:.1f} s"
        print(f"{printed.path}  {printed.pages} pages  {how}")
    fresh = sum(not p.reused for p in done)
    print(
        f"{fresh} PDF(s) printed, {len(done) - fresh} unchanged, "
        f"in {time.perf_counter() - start:.1f} s",
        file=sys.stderr,
    )
    return 0


def cmd_bundle(args: argparse.Namespace) -> int:
    from facilitator.bundle import BundleError, make_bundles, outside_references
    from facilitator.load import collect
    from facilitator.printing.labels import print_labels

    # Only the list of languages is needed: the pages and PDFs are built already.
    content, problems = collect(_root(args.root))
    if content is None:
        for problem in problems:
            print(problem, file=sys.stderr)
        return 1
    languages = {x.code: x.name for x in content.languages}
    prints = Path(args.print_dir)
    missing = [code for code in languages if not (prints / code).is_dir()]
    if missing:
        print(f"warning: no PDFs for {', '.join(missing)} in {prints}: run `facilitator print`")
    try:
        words = {code: print_labels(content, code) for code in languages}
        bundles = make_bundles(
            Path(args.site), prints, Path(args.out), languages, content.default_language, words
        )
    except BundleError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    status = 0
    for bundle in bundles:
        print(
            f"{bundle.path}  {bundle.size / 1e6:.1f} MB "
            f"({bundle.size_without_pdfs / 1e6:.1f} MB without PDFs)"
        )
        for name, snippet in outside_references(bundle.path):
            print(f"  error: {name} loads from outside: {snippet!r}", file=sys.stderr)
            status = 1
    return status


def add_commands(sub: Any) -> None:
    """Add `print` and `bundle` to the `facilitator` command's subparsers."""
    p = sub.add_parser("print", help="print the handbook, module packs and blank forms as PDF")
    p.add_argument("--root", help="the content root (default: the current folder)")
    p.add_argument("--out", default="build/print", help="where to write (default: build/print)")
    p.add_argument("--lang", action="append", help="only this language (repeatable)")
    p.add_argument("--module", help="only this module's print pack")
    p.add_argument(
        "--force",
        action="store_true",
        help="print every PDF again, even those whose content has not changed",
    )
    p.add_argument(
        "--start",
        help="when each day starts, such as 09:30: the module packs' agendas show clock "
        "times from it (without it, blanks to write the times in)",
    )
    p.set_defaults(func=cmd_print)
    p = sub.add_parser("bundle", help="zip the offline handbook and its PDFs, per language")
    p.add_argument("--root", help="the content root (default: the current folder)")
    p.add_argument("--site", default="build/handbook", help="the built site (mkdocs build)")
    p.add_argument("--print-dir", default="build/print", help="the PDFs (facilitator print)")
    p.add_argument("--out", default="build/bundle")
    p.set_defaults(func=cmd_bundle)
