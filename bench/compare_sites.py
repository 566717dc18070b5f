"""Compare two built handbooks: the same files, and the same content in each.

    .venv/bin/python bench/compare_sites.py BEFORE AFTER [--ignore REGEX ...] [--show 5]

Made to check that moving the page rendering out of MkDocs' events changed no page. Left
out of the comparison, because they differ between any two builds or with the order in
which files are listed: the dates in the sitemap and the order of its pages and of the
search index's entries (both compared as sets). `--ignore` drops
text matching a pattern from both sides first (for a change made on purpose, such as a new
nav entry). Prints each file that differs with the first lines of the difference; exits 1
if anything differs.
"""

from __future__ import annotations

import argparse
import difflib
import gzip
import json
import re
import sys
from pathlib import Path

DATES = re.compile(r"<lastmod>[^<]*</lastmod>")
URL = re.compile(r"<url>.*?</url>", re.DOTALL)
JS_INDEX = "var __index = "


def files(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}


def normal(rel: str, data: bytes, ignore: list[re.Pattern[str]]) -> str | bytes:
    """What of a file must stay the same: its text, less what differs between any builds."""
    if rel.endswith(".gz"):
        data = gzip.decompress(data)
        rel = rel[:-3]
    if rel.endswith((".html", ".xml", ".json", ".js", ".css", ".txt")):
        text = data.decode("utf-8")
        for pattern in ignore:
            text = pattern.sub("", text)
        if rel.endswith(".html"):  # lines of nothing but spaces show nothing
            text = "\n".join(line for line in text.splitlines() if line.strip())
        if rel.endswith(".xml"):  # the sitemap: its dates and the order of its pages
            text = DATES.sub("", text)
            return "\n".join(sorted(URL.findall(text)) + URL.split(text))
        if rel.startswith("search/search_index."):  # the index's entries, as a set
            index = json.loads(text.removeprefix(JS_INDEX).rstrip().rstrip(";"))
            index["docs"] = sorted(json.dumps(d, sort_keys=True) for d in index["docs"])
            return json.dumps(index, sort_keys=True, indent=0)
        return text
    return data


def compare(before: Path, after: Path, ignore: list[re.Pattern[str]], show: int) -> list[str]:
    report = []
    a, b = files(before), files(after)
    report += [f"only in {before}: {rel}" for rel in sorted(a - b)]
    report += [f"only in {after}: {rel}" for rel in sorted(b - a)]
    for rel in sorted(a & b):
        old = normal(rel, (before / rel).read_bytes(), ignore)
        new = normal(rel, (after / rel).read_bytes(), ignore)
        if old == new:
            continue
        report.append(f"differs: {rel}")
        if isinstance(old, str) and isinstance(new, str):
            diff = difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=0)
            report += [f"    {line[:160]}" for line in list(diff)[2 : 2 + show]]
    return report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("--ignore", action="append", default=[], help="a regex to drop first")
    parser.add_argument("--show", type=int, default=6, help="diff lines shown per file")
    args = parser.parse_args()
    ignore = [re.compile(p) for p in args.ignore]
    report = compare(args.before, args.after, ignore, args.show)
    print("\n".join(report) if report else "same files, same content")
    print(
        f"{len(files(args.before))} files before, {len(files(args.after))} after", file=sys.stderr
    )
    return 1 if report else 0


if __name__ == "__main__":
    raise SystemExit(main())
