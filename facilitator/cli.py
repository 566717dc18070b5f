"""The `facilitator` command: check content, report translations, write the JSON Schema."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from facilitator.check import check
from facilitator.printing.commands import add_commands
from facilitator.problems import errors


def _root(value: str | None) -> Path:
    return Path(value).resolve() if value else Path.cwd()


def cmd_check(args: argparse.Namespace) -> int:
    problems = check(_root(args.root))
    for problem in problems:
        print(problem)
    n_err = len(errors(problems))
    n_warn = len(problems) - n_err
    print(f"{n_err} error(s), {n_warn} warning(s)", file=sys.stderr)
    return 1 if n_err else 0


def cmd_translations(args: argparse.Namespace) -> int:
    from facilitator.coverage import report, stamp
    from facilitator.load import collect

    if args.action == "stamp":
        if not args.files:
            print("name the translation files to stamp", file=sys.stderr)
            return 2
        failed = 0
        for name in args.files:
            try:
                digest = stamp(Path(name), reviewed=args.reviewed)
                print(f"{name}: source {digest}")
            except (ValueError, OSError) as exc:
                print(f"error: {exc}", file=sys.stderr)
                failed += 1
        return 1 if failed else 0
    content, problems = collect(_root(args.root))
    if content is None:
        for problem in problems:
            print(problem, file=sys.stderr)
        return 1
    status = 0
    for rep in report(content):
        print(
            f"{rep.language}: {rep.coverage:.0%} of {rep.total} strings translated; "
            f"{rep.count('stale')} stale, {rep.count('missing')} missing, "
            f"{rep.count('draft')} draft, {rep.count('reviewed')} reviewed"
        )
        for unit in rep.units:
            if args.verbose or unit.state in ("stale", "missing"):
                print(f"  {unit.state:9} {unit.translated:4}/{unit.total:<4} {unit.english}")
        if args.strict and (rep.count("stale") or rep.coverage < 1):
            status = 1
    return status


def cmd_schema(args: argparse.Namespace) -> int:
    from facilitator.schema import write_schemas

    for path in write_schemas(Path(args.out)):
        print(path)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="facilitator", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("check", help="validate curriculum/ and modules/; writes nothing")
    p.add_argument("--root", help="the content root (default: the current folder)")
    p.set_defaults(func=cmd_check)
    p = sub.add_parser("translations", help="coverage and stale translations per language")
    p.add_argument("action", nargs="?", choices=["report", "stamp"], default="report")
    p.add_argument("files", nargs="*", help="with stamp: translation files to stamp")
    p.add_argument("--root")
    p.add_argument("--verbose", "-v", action="store_true", help="list every file")
    p.add_argument(
        "--strict",
        action="store_true",
        help="exit 1 unless every language is complete and nothing is stale",
    )
    p.add_argument(
        "--reviewed", action="store_true", help="with stamp: mark as reviewed by a native speaker"
    )
    p.set_defaults(func=cmd_translations)
    p = sub.add_parser("schema", help="write JSON Schema files for editors")
    p.add_argument("--out", default="build/schema")
    p.set_defaults(func=cmd_schema)
    add_commands(sub)  # print, bundle
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    raise SystemExit(main())
