"""Markdown pages of modules (notes, handouts) and their translations.

A translation of `notes.md` is `notes.<lang>.md` beside it. A page is made of sections: a
section runs from a heading (`#` to `######`, outside code fences) to the next one, and any
text before the first heading is a section of its own. The translation's front matter
records, per section, the hash of the English section it was made from (see
`facilitator.header`), so one English edit stales one section:

    ---
    status: draft
    sections:
      - {source: "3f2a9c1b", heading: "77a0c2e1"}
      - {source: "1c2d3e4f", heading: "5b6d1f0a", status: reviewed}
    ---

Sections are matched as list items are in YAML translations: by the English they were made
from, then by their English heading (a section whose text changed under the same heading),
then in order. A page shows each English section's translation where there is one,
and the English section (with a note) where there is none. A translation with the older
front matter (`source:` the hash of the whole English file) is shown whole, as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from facilitator.header import UNKNOWN, Mark, Record, Status, parse_record
from facilitator.translate import State, pair_items
from facilitator.yamlfile import source_hash, string_hash

FRONT_MATTER = re.compile(r"\A---\s*\n(?P<meta>.*?\n)---\s*\n", re.DOTALL)
HEADING = re.compile(r"^#{1,6}[ \t]", re.MULTILINE)
FENCE = re.compile(r"^(```|~~~).*?^\1", re.MULTILINE | re.DOTALL)


@dataclass(frozen=True)
class Section:
    """One English section and what a page in another language shows for it."""

    english: str
    text: str  # the translation, or the English where there is none
    current: str  # the hash of the English section now
    mark: Mark
    translated: int | None = None  # index of the translation's section, if one matches
    line: int | None = None  # its line in the translation file

    @property
    def state(self) -> State:
        if self.translated is None:
            return "missing"
        if self.mark.source != self.current:
            return "stale"
        return self.mark.status


@dataclass(frozen=True)
class Page:
    """A Markdown page in the language asked for, or English with `fallback` set."""

    rel: str
    language: str
    text: str
    fallback: bool
    status: str | None = None  # draft or reviewed, for a translation
    source: str | None = None  # the older front matter: English hash recorded
    current: str | None = None  # the older front matter: English hash now
    sections: tuple[Section, ...] = ()
    legacy: bool = False  # older front matter: one state for the whole page
    file: str | None = None  # the translation file, relative to the root

    @property
    def stale(self) -> bool:
        if self.legacy:
            return self.source is not None and self.source != self.current
        return any(s.state == "stale" for s in self.sections)


def split_front_matter(text: str) -> tuple[dict[str, object], str]:
    match = FRONT_MATTER.match(text)
    if not match:
        return {}, text
    try:
        meta = YAML(typ="safe").load(match["meta"]) or {}
    except YAMLError:
        meta = {}
    return (meta if isinstance(meta, dict) else {}), text[match.end() :]


def split_sections(body: str) -> list[tuple[int, str]]:
    """(line offset, text) of each section; headings inside code fences do not count."""
    fences = [m.span() for m in FENCE.finditer(body)]
    starts = [
        m.start() for m in HEADING.finditer(body) if not any(a <= m.start() < b for a, b in fences)
    ]
    if not starts or body[: starts[0]].strip():
        starts.insert(0, 0)
    else:
        starts[0] = 0  # blank lines before the first heading belong to it
    ends = [*starts[1:], len(body)]
    return [(body.count("\n", 0, a), body[a:b]) for a, b in zip(starts, ends, strict=True)]


def heading_hash(section: str) -> str | None:
    """The hash of a section's heading: it finds the section again when only its text
    changed. None for text before the first heading."""
    first = section.strip().partition("\n")[0]
    return string_hash(first) if HEADING.match(first) else None


def translation_path(english: Path, language: str) -> Path:
    return english.with_name(f"{english.stem}.{language}{english.suffix}")


def _join(parts: list[str]) -> str:
    return "\n\n".join(p.strip("\n") for p in parts if p.strip()) + "\n"


def read_record(meta: dict[str, object], rel: str, whole_hash: str) -> Record | None:
    return parse_record(meta, rel, 1, whole_hash, "sections")[0]


def read_page(root: Path, rel: str, language: str, default_language: str = "en") -> Page:
    english = root / rel
    raw = english.read_bytes()
    _, english_body = split_front_matter(raw.decode("utf-8"))
    english_sections = [text for _, text in split_sections(english_body)]
    if language == default_language:
        return Page(rel, language, english_body, fallback=False)
    translated = translation_path(english, language)
    if not translated.is_file():
        missing = tuple(
            Section(s, s, string_hash(s), Mark(None, "draft")) for s in english_sections
        )
        return Page(rel, default_language, english_body, fallback=True, sections=missing)
    text = translated.read_text("utf-8")
    meta, body = split_front_matter(text)
    offset = text.count("\n", 0, len(text) - len(body))
    file = translated.relative_to(root).as_posix()
    record = read_record(meta, file, source_hash(raw)) or Record()
    if record.legacy:
        return _legacy_page(rel, language, body, meta, source_hash(raw), english_sections, file)
    parts = split_sections(body)
    marks = record.marks or {}
    recorded = [marks.get(str(j)) or Mark(None, "draft") for j in range(len(parts))]
    pairs = pair_items(
        [[string_hash(s)] for s in english_sections],
        [[m.source] for m in recorded],
        [heading_hash(s) for s in english_sections],
        [m.heading for m in recorded],
    )
    sections = []
    for i, section in enumerate(english_sections):
        j = pairs.get(i)
        current = string_hash(section)
        if j is None:
            sections.append(Section(section, section, current, Mark(None, record.status)))
            continue
        mark = marks.get(str(j)) or Mark(None, record.status)
        line, part = parts[j]
        sections.append(Section(section, part, current, mark, j, offset + line + 1))
    shown = [s for s in sections if s.translated is not None]
    status: Status = "reviewed" if shown and all(s.state == "reviewed" for s in shown) else "draft"
    return Page(
        rel,
        language,
        _join([s.text for s in sections]),
        fallback=False,
        status=status,
        sections=tuple(sections),
        file=file,
    )


def _legacy_page(
    rel: str,
    language: str,
    body: str,
    meta: dict[str, object],
    current: str,
    english_sections: list[str],
    file: str,
) -> Page:
    """The older front matter: the page as the translator wrote it, one state for all."""
    status = str(meta.get("status") or "")
    source = str(meta.get("source") or "")
    kept: Status = "reviewed" if status == "reviewed" else "draft"
    sections = []
    for i, section in enumerate(english_sections):
        now = string_hash(section)
        mark = Mark(now if source == current else UNKNOWN, kept)
        sections.append(Section(section, section, now, mark, i))
    return Page(
        rel,
        language,
        body,
        fallback=False,
        status=status,
        source=source,
        current=current,
        sections=tuple(sections),
        legacy=True,
        file=file,
    )
