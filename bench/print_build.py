"""Benchmark `facilitator print` and `facilitator bundle`: a first print, a second print with
nothing changed (the manifest keeps every PDF), one module's reprint, and the sizes.

    .venv/bin/python bench/print_build.py [--root .] [--site build/handbook] [--module ID]

Prints seconds per step, the PDFs' megabytes per language and, when the site is built
(`mkdocs build`), each bundle's megabytes with and without its PDFs.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from facilitator.bundle import make_bundles
from facilitator.content import load_content
from facilitator.printing.build import print_all, print_module
from facilitator.printing.engine import chromium_available
from facilitator.printing.labels import print_labels


def _megabytes(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*.pdf")) / 1e6


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--root", default=".", help="the content root")
    parser.add_argument("--site", default="build/handbook", help="the built site, for bundles")
    parser.add_argument("--module", help="the module to reprint on its own")
    args = parser.parse_args(argv)
    if not chromium_available():
        print("no Chromium at /usr/bin/chromium", file=sys.stderr)
        return 1
    root = Path(args.root).resolve()
    content = load_content(root)
    module_id = args.module or next(iter(content.modules))
    languages = [x.code for x in content.languages]
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "print"
        for step in ("first print", "second print, nothing changed"):
            start = time.perf_counter()
            done = print_all(content, out, languages)
            fresh = sum(not p.reused for p in done)
            print(f"{step}: {time.perf_counter() - start:.1f} s ({fresh} of {len(done)} printed)")
        start = time.perf_counter()
        print_module(content, module_id, languages, out, force=True)
        print(f"one module's packs ({module_id}): {time.perf_counter() - start:.1f} s")
        for lang in languages:
            print(f"{lang}: PDFs {_megabytes(out / lang):.1f} MB")
        site = Path(args.site)
        if (site / "index.html").is_file():
            words = {code: print_labels(content, code) for code in languages}
            start = time.perf_counter()
            names = {x.code: x.name for x in content.languages}
            bundles = make_bundles(
                site, out, Path(tmp) / "bundle", names, content.default_language, words
            )
            print(f"bundles: {time.perf_counter() - start:.1f} s")
            for bundle in bundles:
                print(
                    f"handbook-{bundle.language}.zip: {bundle.size / 1e6:.1f} MB "
                    f"({bundle.size_without_pdfs / 1e6:.1f} MB without PDFs)"
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
