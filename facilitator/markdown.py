"""Markdown pages of modules (notes, handouts) and their translations.

A translation of `notes.md` is `notes.<lang>.md` beside it, with front matter:

    ---
    source: 1a2b3c4d5e6f   # hash of the English file it was made from
    status: draft
    ---
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from facilitator.yamlfile import source_hash

FRONT_MATTER = re.compile(r"\A---\s*\n(?P<meta>.*?\n)---\s*\n", re.DOTALL)


@dataclass(frozen=True)
class Page:
    """A Markdown page in the language asked for, or English with `fallback` set."""

    rel: str
    language: str
    text: str
    fallback: bool
    status: str | None = None  # draft or reviewed, for a translation
    source: str | None = None  # English hash recorded in the translation
    current: str | None = None  # English hash now

    @property
    def stale(self) -> bool:
        return self.source is not None and self.source != self.current


def split_front_matter(text: str) -> tuple[dict[str, object], str]:
    match = FRONT_MATTER.match(text)
    if not match:
        return {}, text
    try:
        meta = YAML(typ="safe").load(match["meta"]) or {}
    except YAMLError:
        meta = {}
    return (meta if isinstance(meta, dict) else {}), text[match.end() :]


def translation_path(english: Path, language: str) -> Path:
    return english.with_name(f"{english.stem}.{language}{english.suffix}")


def read_page(root: Path, rel: str, language: str, default_language: str = "en") -> Page:
    english = root / rel
    raw = english.read_bytes()
    _, english_body = split_front_matter(raw.decode("utf-8"))
    if language == default_language:
        return Page(rel, language, english_body, fallback=False)
    translated = translation_path(english, language)
    if not translated.is_file():
        return Page(rel, default_language, english_body, fallback=True)
    meta, body = split_front_matter(translated.read_text("utf-8"))
    return Page(
        rel,
        language,
        body,
        fallback=False,
        status=str(meta.get("status") or ""),
        source=str(meta.get("source") or ""),
        current=source_hash(raw),
    )
