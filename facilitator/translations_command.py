"""`facilitator translations`: what is translated, stale, missing or broken, per language;
`stamp` to record what a translation was made from; `upgrade` for older stamps.

Only broken translations fail `--strict` (and so CI): wrong structure or script, a
placeholder or link of the English lost, an orphan. Missing and stale strings are listed,
and readers see the English or the older translation with a note.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from facilitator.coverage import LanguageReport, report
from facilitator.load import Content, collect
from facilitator.problems import Problem, errors
from facilitator.translation_checks import TRANSLATION_NAME, markdown_problems

LISTED = ("missing", "stale", "partial")  # the files listed without -v


def add_command(sub: Any) -> None:
    p = sub.add_parser(
        "translations", help="per language: what is translated, stale, missing or broken"
    )
    p.add_argument(
        "action",
        nargs="?",
        choices=["report", "stamp", "upgrade"],
        default="report",
        help="report (the default); stamp FILE...; upgrade (older whole-file stamps)",
    )
    p.add_argument("files", nargs="*", help="with stamp: translation files to stamp")
    p.add_argument("--root", help="the content root (default: the current folder)")
    p.add_argument(
        "--verbose", "-v", action="store_true", help="list every file and each stale string"
    )
    p.add_argument(
        "--strict",
        action="store_true",
        help="exit 1 if a translation is broken; missing and stale strings do not fail",
    )
    p.add_argument(
        "--reviewed", action="store_true", help="with stamp: mark as reviewed by a native speaker"
    )
    p.add_argument(
        "--field",
        action="append",
        default=[],
        metavar="PATH",
        help="with stamp: only this string, as the report names it (sessions[intro].title), "
        "or in a Markdown file this section number; may be given more than once",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    root = Path(args.root).resolve() if args.root else Path.cwd()
    if args.action == "stamp":
        return _stamp(args)
    if args.action == "upgrade":
        from facilitator.upgrade import upgrade

        for done in upgrade(root):
            print(done)
        return 0
    content, problems = collect(root)
    if content is None:
        for problem in problems:
            print(problem, file=sys.stderr)
        return 1
    for rep in report(content):
        _print_report(rep, args.verbose)
    broken = broken_translations(content, problems)
    if broken:
        print("\nBroken translations (fix these; `--strict` fails on them):")
        for problem in broken:
            print(f"  {problem}")
    print(f"{len(broken)} broken translation(s)", file=sys.stderr)
    return 1 if args.strict and broken else 0


def _print_report(rep: LanguageReport, verbose: bool) -> None:
    print(
        f"{rep.language}: {rep.coverage:.0%} of {rep.total} strings translated and up to date; "
        f"{rep.strings('stale')} stale, {rep.strings('missing')} missing, "
        f"{rep.strings('draft')} draft, {rep.strings('reviewed')} reviewed"
    )
    for row in rep.rows:
        if not verbose and row.status not in LISTED:
            continue
        counts = ", ".join(
            f"{n} {what}" for n, what in ((row.stale, "stale"), (row.missing, "missing")) if n
        )
        print(
            f"  {row.status:8} {row.translated:4}/{row.total:<4} {row.file}"
            + (f"  ({counts})" if counts else "")
        )
        if verbose:
            for place, state in row.details:
                print(f"      {state:8} {place}")


def _stamp(args: argparse.Namespace) -> int:
    from facilitator.stamp import stamp

    if not args.files:
        print("name the translation files to stamp", file=sys.stderr)
        return 2
    failed = 0
    for name in args.files:
        try:
            print(stamp(Path(name), reviewed=args.reviewed, fields=args.field))
        except (ValueError, OSError) as exc:
            print(f"error: {exc}", file=sys.stderr)
            failed += 1
    return 1 if failed else 0


def broken_translations(content: Content, problems: list[Problem]) -> list[Problem]:
    """What `--strict` fails on: the errors `collect` found in translation files, and the
    Markdown translations' own (orphans, lost links, wrong script)."""
    broken = [p for p in errors(problems) if TRANSLATION_NAME.match(Path(p.file).name)]
    broken += markdown_problems(content.root, content.languages, content.default_language)
    return sorted(set(broken), key=lambda p: (p.file, p.line or 0, p.field, p.message))
