"""The curriculum as the tracker sees it, read once per app through the facilitator loader.

The tracker keeps no copy of module lists or questionnaire items: programmes, modules,
instruments and evaluation forms all come from here.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from flask import Flask, current_app

from facilitator.content import load_content
from facilitator.load import Content
from facilitator.model import Language, Module

_KEY = "tracker_content"
_SOURCE = ""  # the cache key of the content as read, in its source language


def _cache(app: Flask) -> dict[str, Content]:
    return app.extensions.setdefault(_KEY, {})  # type: ignore[no-any-return]


def content(language: str | None = None) -> Content:
    """The loaded content, in `language` where a translation exists (English otherwise)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    cache = _cache(app)
    if _SOURCE not in cache:
        cache[_SOURCE] = load_content(Path(app.config["CONTENT_ROOT"]))
    base = cache[_SOURCE]
    if language is None or language == base.language:
        return base
    if language not in cache:
        cache[language] = base.localized(language)
    return cache[language]


def languages() -> list[Language]:
    """The curriculum's languages, in its order: adding one there needs no code here."""
    return content().languages


def language_codes() -> list[str]:
    return [language.code for language in languages()]


def language_names() -> dict[str, str]:
    """Each language's name in its own script, as the curriculum writes it."""
    return {language.code: language.name for language in languages()}


def programme_choices() -> list[tuple[str, str]]:
    programmes = content().programmes
    return [(pid, programmes[pid].title) for pid in programmes]


def module_choices(programme_id: str) -> list[tuple[str, str]]:
    loaded = content()
    programme = loaded.programmes.get(programme_id)
    if programme is None:
        return []
    return [(mid, loaded.modules[mid].title) for mid in programme.modules if mid in loaded.modules]


def programme_instruments(programme_id: str) -> list[str]:
    """Instrument ids the programme's modules use, in teaching order, without repeats."""
    return _programme_refs(programme_id, lambda module: module.instruments)


def programme_forms(programme_id: str) -> list[str]:
    return _programme_refs(programme_id, lambda module: module.evaluation_forms)


def _programme_refs(programme_id: str, refs: Callable[[Module], list[str]]) -> list[str]:
    loaded = content()
    programme = loaded.programmes.get(programme_id)
    if programme is None:
        return []
    seen: list[str] = []
    for module_id in programme.modules:
        module = loaded.modules.get(module_id)
        for ref in refs(module) if module else []:
            if ref not in seen:
                seen.append(ref)
    return seen
