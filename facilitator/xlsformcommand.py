"""`facilitator xlsform`: every instrument and evaluation form as an XLSForm workbook.

    facilitator xlsform [--out build/xlsform] [--instrument ID] [--root .]

writes <out>/<id>.xlsx, ready to upload to ODK Central or KoboToolbox and fill in on phones
with ODK Collect or KoboCollect. These forms ask for the participant code as typed text
(checked against the code's pattern); the tracker's cohort page gives forms with a list of
the cohort's own codes instead.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def cmd_xlsform(args: argparse.Namespace) -> int:
    from facilitator.content import load_content
    from facilitator.problems import ContentError
    from facilitator.xlsform import all_forms, evaluation_form, instrument_form

    root = Path(args.root).resolve() if args.root else Path.cwd()
    try:
        content = load_content(root)
    except ContentError as error:
        print(f"{error}\nRun `facilitator check` for details.", file=sys.stderr)
        return 1
    if args.instrument is None:
        forms = all_forms(content)
    elif args.instrument in content.instruments:
        forms = {args.instrument: instrument_form(content, args.instrument)}
    elif args.instrument in content.evaluation_forms:
        forms = {args.instrument: evaluation_form(content, args.instrument)}
    else:
        known = ", ".join([*content.instruments, *content.evaluation_forms])
        print(f"error: no instrument or evaluation form '{args.instrument}'; "
              f"there are: {known}", file=sys.stderr)  # fmt: skip
        return 2
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for name, form in forms.items():
        path = out / f"{name}.xlsx"
        path.write_bytes(form.workbook())
        print(f"{path}  form_id {form.form_id}  version {form.version}")
    return 0


def add_command(sub: Any) -> None:
    p = sub.add_parser(
        "xlsform", help="write instruments and evaluation forms as XLSForm, for phones"
    )
    p.add_argument("--root", help="the content root (default: the current folder)")
    p.add_argument("--out", default="build/xlsform", help="the folder to write .xlsx files in")
    p.add_argument("--instrument", help="one instrument or evaluation form id (default: all)")
    p.set_defaults(func=cmd_xlsform)
