"""The `facilitator` command: check content, report translations, write the JSON Schema."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from facilitator.checks import check
from facilitator.new_command import add_command as add_new_command
from facilitator.printing.commands import add_commands
from facilitator.problems import errors
from facilitator.rendercommand import add_command as add_render_command
from facilitator.schema import write_schemas
from facilitator.translations_command import add_command as add_translations_command
from facilitator.xlsformcommand import add_command as add_xlsform_command


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


def cmd_schema(args: argparse.Namespace) -> int:
    for path in write_schemas(Path(args.out)):
        print(path)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="facilitator", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("check", help="validate curriculum/ and modules/; writes nothing")
    p.add_argument("--root", help="the content root (default: the current folder)")
    p.set_defaults(func=cmd_check)
    add_new_command(sub)  # new module, new handout
    add_translations_command(sub)  # translations
    p = sub.add_parser("schema", help="write JSON Schema files for editors")
    p.add_argument("--out", default="build/schema")
    p.set_defaults(func=cmd_schema)
    add_commands(sub)  # print, bundle
    add_render_command(sub)  # render
    add_xlsform_command(sub)  # xlsform
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    raise SystemExit(main())
