"""The notes a reader sees about a translation: not yet translated, a draft, out of date.

A page with no translation at all gets one note at the top. A translated page whose
translation leaves some fields in English gets a note in each section that shows English,
and a section showing a string (or a Markdown section) translated from an older English
gets a note that the English has changed. A draft translation says it awaits a native
speaker's review. Translations with the older, whole-file stamp are stale as a whole: their
note stays at the top of the page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from facilitator.load import Content
from facilitator.markdown import Page


@dataclass(frozen=True)
class Notices:
    """Ready-to-print Markdown admonitions: for the page, and per section by name."""

    page: list[str] = field(default_factory=list)
    sections: dict[str, str] = field(default_factory=dict)

    def section(self, name: str) -> str:
        return self.sections.get(name, "")


def _admonition(kind: str, css: str, title: str, text: str) -> str:
    return f'!!! {kind} {css} "{title}"\n    {text}\n'


def _language_name(content: Content, lang: str) -> str:
    return next((x.name for x in content.languages if x.code == lang), lang)


def _label(content: Content, lang: str, key: str) -> str:
    labels = content.localized(lang).labels
    return labels[key].format(language=_language_name(content, lang))


def fallback_note(content: Content, lang: str, key: str = "fallback_page") -> str:
    return _admonition(
        "info", "fh-fallback", _label(content, lang, "fallback_title"), _label(content, lang, key)
    )


def draft_note(content: Content, lang: str) -> str:
    return _admonition(
        "note",
        "fh-draft",
        _label(content, lang, "draft_title"),
        _label(content, lang, "draft_note"),
    )


def stale_note(content: Content, lang: str) -> str:
    return _admonition(
        "note",
        "fh-stale",
        _label(content, lang, "stale_title"),
        _label(content, lang, "stale_note"),
    )


def page_notices(
    content: Content, lang: str, page: Page, for_participants: bool = False
) -> Notices:
    """Notes for a Markdown page (module notes, a handout) in `lang`.

    The page-wide notes only: a page with per-section stamps says what is stale or shown
    in English at that section (see `page_text`). A page handed to participants carries no
    draft notice: whether a translation awaits review is the facilitators' concern, and a
    box on every handout tells a woman the page is not meant for her.
    """
    if lang == content.default_language:
        return Notices()
    if page.fallback:
        return Notices([fallback_note(content, lang)])
    found = []
    if page.status != "reviewed" and not for_participants:
        found.append(draft_note(content, lang))
    if page.legacy and page.stale:
        found.append(stale_note(content, lang))
    return Notices(found)


def page_text(content: Content, lang: str, page: Page) -> str:
    """The page's Markdown with a note under the heading of each section that is stale or
    still in English."""
    if lang == content.default_language or page.fallback or page.legacy:
        return page.text
    parts = []
    for section in page.sections:
        note = ""
        if section.state == "missing":
            note = fallback_note(content, lang, "fallback_section")
        elif section.state == "stale":
            note = stale_note(content, lang)
        parts.append(_under_heading(section.text, note) if note else section.text)
    return "\n\n".join(p.strip("\n") for p in parts if p.strip()) + "\n"


def _under_heading(text: str, note: str) -> str:
    first, _, rest = text.strip("\n").partition("\n")
    if first.startswith("#"):
        return f"{first}\n\n{note}\n{rest.lstrip(chr(10))}"
    return f"{note}\n{text}"


def strings(part: Any) -> list[str]:
    """The translatable strings of a model object, a list of them, or a list of strings."""
    if isinstance(part, BaseModel):
        return model_strings(part)
    if isinstance(part, list):
        out: list[str] = []
        for item in part:
            out += strings(item) if isinstance(item, BaseModel) else [item]
        return out
    return [part] if isinstance(part, str) else []


def object_notices(
    content: Content,
    lang: str,
    key: tuple[str, str],
    sections: dict[str, tuple[Any, Any]] | None = None,
) -> Notices:
    """Notes for a page rendered from one content object (`key` is (kind, id)).

    `sections` maps a section name to its (English, localized) parts; a section whose
    localized strings are still the English ones gets a fallback note, and one showing a
    string translated from an older English gets a stale note. A stale string in no
    section is noted at the top of the page.
    """
    if lang == content.default_language:
        return Notices()
    translation = content.translations.get((content.sources[key], lang))
    if translation is None:
        return Notices([fallback_note(content, lang)])
    found = []
    if translation.status != "reviewed":
        found.append(draft_note(content, lang))
    stale = frozenset() if translation.legacy else translation.stale_texts()
    if translation.legacy and translation.stale:
        found.append(stale_note(content, lang))
    notes = {}
    placed: set[str] = set()
    for name, (english, local) in (sections or {}).items():
        shown = strings(local)
        note = section_note(content, lang, strings(english), shown)
        if stale & set(shown):
            note += stale_note(content, lang)
            placed |= stale & set(shown)
        if note:
            notes[name] = note
    if stale - placed:
        found.append(stale_note(content, lang))
    return Notices(found, notes)


def section_note(content: Content, lang: str, english: list[str], local: list[str]) -> str:
    """A fallback note for a section whose strings are (partly) still the English ones."""
    if lang == content.default_language:
        return ""
    same = sum(1 for a, b in zip(english, local, strict=False) if a == b)
    if same == 0:
        return ""
    return fallback_note(
        content, lang, "fallback_section" if same == len(english) else "fallback_some"
    )


def model_strings(obj: BaseModel | None) -> list[str]:
    """The translatable strings of a model object, in field order (nested objects too)."""
    if obj is None:
        return []
    found: list[str] = []
    for name, info in type(obj).model_fields.items():
        value = getattr(obj, name)
        extra = info.json_schema_extra
        if isinstance(extra, dict) and extra.get("translatable"):
            if isinstance(value, str):
                found.append(value)
            elif isinstance(value, list):
                found += [v for v in value if isinstance(v, str)]
            elif isinstance(value, dict):
                found += [v for v in value.values() if isinstance(v, str)]
        elif isinstance(value, BaseModel):
            found += model_strings(value)
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, BaseModel):
                    found += model_strings(item)
    return found
