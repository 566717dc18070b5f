"""`facilitator render`: the whole handbook as a staging docs tree, for any site generator.

    facilitator render [--config mkdocs.yml] [--out build/staging]

writes build/staging/docs/ (every page in every language) and build/staging/mkdocs.yml (the
handbook's config for those pages, without our plugin). `mkdocs build` does the same step by
itself through the plugin; this command is for looking at the pages or trying another tool.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any


def cmd_render(args: argparse.Namespace) -> int:
    from facilitator.problems import ContentError
    from facilitator.siteconfig import plain_config, read_settings
    from facilitator.staging import StagingError, stage

    config_file = Path(args.config)
    if not config_file.is_file():
        print(f"error: no {config_file} here: run this in the project folder", file=sys.stderr)
        return 2
    settings = read_settings(config_file)
    out = Path(args.out) if args.out else settings.staging_dir
    start = time.perf_counter()
    try:
        staged = stage(
            settings.content_root,
            out,
            site_nav=settings.nav,
            site_dir=settings.base / settings.docs_dir,
            schema_dir=settings.schema_dir,
            directory_urls=settings.directory_urls,
        )
    except ContentError as error:
        print(f"{error}\nRun `facilitator check` for details.", file=sys.stderr)
        return 1
    except StagingError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    config_out = out / "mkdocs.yml"
    config_out.write_text(plain_config(config_file, staged, out), "utf-8")
    seconds = time.perf_counter() - start
    print(
        f"{len(staged.pages)} pages in {len(staged.navs)} languages staged in "
        f"{staged.docs_dir} ({staged.written} files changed, {seconds:.1f} s)"
    )
    print(f"Build them without the plugin: mkdocs build -f {config_out}")
    return 0


def add_command(sub: Any) -> None:
    p = sub.add_parser(
        "render", help="write every handbook page, in every language, into a staging folder"
    )
    p.add_argument("--config", default="mkdocs.yml", help="the handbook's mkdocs.yml")
    p.add_argument("--out", help="the staging folder (default: the plugin's, build/staging)")
    p.set_defaults(func=cmd_render)
