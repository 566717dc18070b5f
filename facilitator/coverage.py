"""Translation coverage: per file, per module and per language, how many strings (or, in
Markdown pages, sections) are translated and up to date, stale, missing and reviewed.

    rows = coverage_rows(content)   # one row per English file and language
    rows = module_rows(content)     # a module's files summed into one row per language
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from facilitator.load import Content, overlay_for
from facilitator.markdown import read_page
from facilitator.translation_checks import TRANSLATION_NAME

# What a row's status says, worst first: the order `facilitator translations` lists them in.
STATUSES = ("missing", "stale", "partial", "draft", "reviewed")


@dataclass(frozen=True)
class CoverageRow:
    """One English file (or module) in one language."""

    module: str | None  # the module id for files under modules/<id>/; None for the others
    file: str  # the English file, relative to the content root (a module: its folder)
    language: str
    total: int  # strings, or sections of a Markdown page
    translated: int  # translated and up to date
    stale: int  # translated from an older English: shown with a note
    missing: int  # shown in English with a note
    reviewed: int  # up to date and reviewed by a native speaker (part of `translated`)
    status: str  # one of STATUSES: missing, stale, partial, draft or reviewed
    # the places (field paths, or "section N") that are stale or missing, with their state
    details: tuple[tuple[str, str], ...] = field(default=(), compare=False, repr=False)

    @property
    def coverage(self) -> float:
        return self.translated / self.total if self.total else 1.0


def _status(translated: int, stale: int, missing: int, reviewed: int) -> str:
    if translated + stale == 0 and missing:
        return "missing"
    if stale:
        return "stale"
    if missing:
        return "partial"
    return "reviewed" if reviewed == translated else "draft"


def _row(
    file: str, language: str, states: Iterable[tuple[str, str]], keep_details: bool = True
) -> CoverageRow:
    states = list(states)
    count = {s: sum(1 for _, state in states if state == s) for s in STATUSES}
    translated = count["draft"] + count["reviewed"]
    parts = PurePosixPath(file).parts
    module = parts[1] if len(parts) > 2 and parts[0] == "modules" else None
    details = tuple((p, s) for p, s in states if s in ("missing", "stale")) if keep_details else ()
    return CoverageRow(
        module=module,
        file=file,
        language=language,
        total=len(states),
        translated=translated,
        stale=count["stale"],
        missing=count["missing"],
        reviewed=count["reviewed"],
        status=_status(translated, count["stale"], count["missing"], count["reviewed"]),
        details=details,
    )


def markdown_sources(root: Path) -> list[str]:
    """English Markdown pages: module notes and handouts, and the handbook's own pages."""
    found = []
    for folder in ("modules", "site"):
        for md in sorted((root / folder).rglob("*.md")):
            if TRANSLATION_NAME.match(md.name) or "overrides" in md.parts:
                continue
            found.append(md.relative_to(root).as_posix())
    return found


def section_name(number: int, text: str) -> str:
    """How a report names a Markdown section: its number and its heading."""
    first = text.strip().partition("\n")[0]
    return f"section {number}" + (f" ({first[:60]})" if first.startswith("#") else "")


def coverage_rows(content: Content, languages: Iterable[str] | None = None) -> list[CoverageRow]:
    """One row per English file (YAML and Markdown) and language other than the default."""
    codes = (
        list(languages)
        if languages is not None
        else [lang.code for lang in content.languages if not lang.default]
    )
    rows = []
    for lang in codes:
        for (kind, obj_id), rel in sorted(content.sources.items(), key=lambda kv: kv[1]):
            info = content.translations.get((rel, lang))
            if info is not None:
                strings = list(info.strings)
            else:
                result = overlay_for(content, kind, obj_id, lang)
                strings = result.strings if result else []
            rows.append(_row(rel, lang, ((s.path, s.state) for s in strings)))
        for rel in markdown_sources(content.root):
            page = read_page(content.root, rel, lang, content.default_language)
            states = [
                (section_name(n, s.english), s.state) for n, s in enumerate(page.sections, start=1)
            ]
            rows.append(_row(rel, lang, states))
    return rows


def module_rows(content: Content, languages: Iterable[str] | None = None) -> list[CoverageRow]:
    """One row per module and language (module.yaml, notes and handouts summed; `file` is
    the module's folder), then one per other file, as in `coverage_rows`."""
    rows = coverage_rows(content, languages)
    out: list[CoverageRow] = []
    merged: dict[tuple[str, str], list[CoverageRow]] = {}
    for row in rows:
        if row.module is None:
            out.append(row)
        else:
            merged.setdefault((row.module, row.language), []).append(row)
    for (module, lang), parts in merged.items():
        translated = sum(r.translated for r in parts)
        stale = sum(r.stale for r in parts)
        missing = sum(r.missing for r in parts)
        reviewed = sum(r.reviewed for r in parts)
        out.append(
            CoverageRow(
                module=module,
                file=f"modules/{module}/",
                language=lang,
                total=sum(r.total for r in parts),
                translated=translated,
                stale=stale,
                missing=missing,
                reviewed=reviewed,
                status=_status(translated, stale, missing, reviewed),
                details=tuple(d for r in parts for d in r.details),
            )
        )
    return sorted(out, key=lambda r: (r.language, r.module is None, r.module or "", r.file))


@dataclass
class LanguageReport:
    """Every row of one language, and its totals."""

    language: str
    rows: list[CoverageRow] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(r.total for r in self.rows)

    @property
    def translated(self) -> int:
        return sum(r.translated for r in self.rows)

    @property
    def coverage(self) -> float:
        return self.translated / self.total if self.total else 1.0

    def strings(self, kind: str) -> int:
        """How many strings are stale, missing, draft or reviewed."""
        if kind == "draft":
            return sum(r.translated - r.reviewed for r in self.rows)
        return sum(getattr(r, kind) for r in self.rows)

    def files(self, status: str) -> list[CoverageRow]:
        return [r for r in self.rows if r.status == status]


def report(content: Content) -> list[LanguageReport]:
    reports: dict[str, LanguageReport] = {}
    for row in coverage_rows(content):
        reports.setdefault(row.language, LanguageReport(row.language)).rows.append(row)
    return list(reports.values())
