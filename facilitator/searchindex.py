"""The built site's search index, in letters rather than escapes.

MkDocs' search plugin writes search/search_index.json with every Bengali and Hindi letter as
a six-byte \\uXXXX escape, and Material's offline plugin copies it into search_index.js for
pages opened from disk: two 5 MB files, four fifths of them escapes. Both are rewritten here
with the letters themselves (about a third of the size); the bundle then carries the .js alone.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

JSON = Path("search/search_index.json")
SCRIPT = Path("search/search_index.js")
SCRIPT_TEXT = re.compile(
    r"^(?P<prefix>\s*var\s+__index\s*=\s*)(?P<json>.*?)(?P<suffix>;?\s*)$", re.S
)


def _unescaped(text: str) -> str:
    return json.dumps(json.loads(text), ensure_ascii=False, separators=(",", ":"))


def unescape_search_index(site: Path) -> None:
    """Rewrite the built site's search index (both files, where they exist) in letters."""
    if (site / JSON).is_file():
        (site / JSON).write_text(_unescaped((site / JSON).read_text("utf-8")), "utf-8")
    if (site / SCRIPT).is_file():
        text = (site / SCRIPT).read_text("utf-8")
        match = SCRIPT_TEXT.match(text)
        if match:
            body = _unescaped(match["json"])
            (site / SCRIPT).write_text(f"{match['prefix']}{body}{match['suffix']}", "utf-8")
