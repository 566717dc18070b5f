"""`facilitator new module ID --programme P [--phase me|we|us]` and
`facilitator new handout MODULE ID [--title TITLE]`: start from a skeleton that passes the
checks, then run `facilitator check` on the result."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from facilitator.checks import check
from facilitator.scaffold import PHASES, ScaffoldError, Written, new_handout, new_module


def add_command(sub: Any) -> None:
    p = sub.add_parser("new", help="start a new module or handout from a skeleton")
    kinds = p.add_subparsers(dest="kind", required=True)
    m = kinds.add_parser("module", help="a module folder with module.yaml and notes.md")
    m.add_argument("id", help="the module's id: small letters, digits and hyphens")
    m.add_argument("--programme", required=True, help="the id of the programme it belongs to")
    m.add_argument("--phase", choices=PHASES, help="me, we or us (spiral programmes only)")
    m.add_argument("--root", help="the content root (default: the current folder)")
    m.set_defaults(func=cmd_new_module)
    h = kinds.add_parser("handout", help="a handout file, listed in its module.yaml")
    h.add_argument("module", help="the id of the module the handout belongs to")
    h.add_argument("id", help="the handout's id: small letters, digits and hyphens")
    h.add_argument("--title", help="the handout's title (default: made from the id)")
    h.add_argument("--root", help="the content root (default: the current folder)")
    h.set_defaults(func=cmd_new_handout)


def _root(args: argparse.Namespace) -> Path:
    return Path(args.root).resolve() if args.root else Path.cwd()


def cmd_new_module(args: argparse.Namespace) -> int:
    root = _root(args)
    return _report(root, lambda: new_module(root, args.id, args.programme, args.phase))


def cmd_new_handout(args: argparse.Namespace) -> int:
    root = _root(args)
    return _report(root, lambda: new_handout(root, args.module, args.id, args.title))


def _report(root: Path, make: Any) -> int:
    try:
        written: Written = make()
    except ScaffoldError as refusal:
        print(f"error: {refusal}", file=sys.stderr)
        return 1
    for path in written.created:
        print(f"created {path.relative_to(root).as_posix()}")
    for path in written.changed:
        print(f"changed {path.relative_to(root).as_posix()}")
    for note in written.notes:
        print(f"note: {note}")
    touched = {p.relative_to(root).as_posix() for p in written.created + written.changed}
    problems = [p for p in check(root) if p.file in touched and p.severity == "error"]
    for problem in problems:
        print(problem)
    print("Next: replace the example text, then run `facilitator check`.")
    return 1 if problems else 0
