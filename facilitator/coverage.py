"""Translation coverage per language: what is translated, what is stale, what is missing."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from facilitator.load import TRANSLATION_NAME, Content, _overlay_for
from facilitator.markdown import read_page, split_front_matter
from facilitator.yamlfile import source_hash

YAML_HEADER = re.compile(r"^translation:.*\n(?:[ \t]+.*\n)*", re.MULTILINE)


@dataclass(frozen=True)
class Unit:
    """One English source and where its translation into one language stands."""

    english: str
    state: str  # missing, stale, draft, reviewed
    total: int
    translated: int


@dataclass
class LanguageReport:
    language: str
    units: list[Unit] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(u.total for u in self.units)

    @property
    def translated(self) -> int:
        return sum(u.translated for u in self.units if u.state != "stale")

    @property
    def coverage(self) -> float:
        return self.translated / self.total if self.total else 1.0

    def count(self, state: str) -> int:
        return sum(1 for u in self.units if u.state == state)


def markdown_sources(root: Path) -> list[str]:
    """English Markdown pages: module notes and handouts, and the handbook's own pages."""
    found = []
    for folder in ("modules", "site"):
        for md in sorted((root / folder).rglob("*.md")):
            if TRANSLATION_NAME.match(md.name) or "overrides" in md.parts:
                continue
            found.append(md.relative_to(root).as_posix())
    return found


def report(content: Content) -> list[LanguageReport]:
    reports = []
    for lang in (lang.code for lang in content.languages if not lang.default):
        rep = LanguageReport(lang)
        for (kind, obj_id), rel in sorted(content.sources.items(), key=lambda kv: kv[1]):
            info = content.translations.get((rel, lang))
            if info is None:
                result = _overlay_for(content, kind, obj_id, lang)
                rep.units.append(Unit(rel, "missing", result.total if result else 0, 0))
                continue
            state: str = "stale" if info.stale else (info.status or "draft")
            rep.units.append(Unit(rel, state, info.total, info.translated))
        for rel in markdown_sources(content.root):
            page = read_page(content.root, rel, lang, content.default_language)
            if page.fallback:
                rep.units.append(Unit(rel, "missing", 1, 0))
            else:
                state = "stale" if page.stale else (page.status or "draft")
                rep.units.append(Unit(rel, state, 1, 1))
        reports.append(rep)
    return reports


def stamp(path: Path, reviewed: bool = False) -> str:
    """Record the current hash of a translation's English source in its header."""
    match = TRANSLATION_NAME.match(path.name)
    if not match:
        raise ValueError(f"{path}: not a translation file (expected NAME.<lang>.yaml or .md)")
    english = path.with_name(f"{match['stem']}.{match['ext']}")
    if not english.is_file():
        raise ValueError(f"{path}: no English source {english.name} beside it")
    digest = source_hash(english.read_bytes())
    status = "reviewed" if reviewed else "draft"
    text = path.read_text("utf-8")
    if match["ext"] == "md":
        meta, body = split_front_matter(text)
        if not reviewed and meta.get("status") == "reviewed" and meta.get("source") == digest:
            status = "reviewed"
        lines = [f"source: '{digest}'", f"status: {status}"]
        lines += [f"{k}: {v}" for k, v in meta.items() if k not in ("source", "status")]
        path.write_text("---\n" + "\n".join(lines) + "\n---\n" + body.lstrip("\n"), "utf-8")
        return digest
    try:
        header = YAML(typ="safe").load(text) or {}
    except YAMLError as exc:
        raise ValueError(f"{path}: not valid YAML, nothing written: {exc}") from exc
    header = header.get("translation") if isinstance(header, dict) else None
    if (
        not reviewed
        and isinstance(header, dict)
        and header.get("status") == "reviewed"
        and header.get("source") == digest
    ):
        status = "reviewed"
    # Rewrite only the header line(s), so the translator's layout and comments stay as written.
    line = f'translation: {{source: "{digest}", status: {status}}}\n'
    new, count = YAML_HEADER.subn(line, text, count=1)
    path.write_text(new if count else line + text, "utf-8")
    return digest
