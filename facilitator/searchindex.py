"""The built site's search index: written once, in letters rather than escapes.

MkDocs' search plugin writes search/search_index.json with every Bengali and Hindi letter as
a six-byte \\uXXXX escape, and Material's offline plugin copies it into search_index.js: two
5 MB files, four fifths of them escapes. Material's pages read only one of them: the .js
(loaded as a script) when opened from disk, the .json (fetched) when served over http. So
the site keeps the one its readers use, in letters (about a third of the size):

- `mkdocs build`: the handbook folder is opened from disk and zipped for USB sticks, so
  search_index.js alone;
- `mkdocs serve`: an author's preview over http, so search_index.json alone.
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


def index_text(text: str) -> str:
    """The index's JSON from either file's text (search_index.js holds it after `var`)."""
    match = SCRIPT_TEXT.match(text)
    return match["json"] if match else text


def as_script(index: str) -> str:
    """search_index.js's text for the index's JSON, as Material's offline plugin writes it."""
    return f"var __index = {index}"


def write_search_index(site: Path, *, served: bool) -> None:
    """Keep one copy of the built site's search index, in letters: the .json for a site
    served over http (`served`), the .js for one opened from disk."""
    source = site / JSON if (site / JSON).is_file() else site / SCRIPT
    if not source.is_file():
        return
    index = _unescaped(index_text(source.read_text("utf-8")))
    keep, drop = (JSON, SCRIPT) if served else (SCRIPT, JSON)
    (site / keep).write_text(index if served else as_script(index), "utf-8")
    (site / drop).unlink(missing_ok=True)
