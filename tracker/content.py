"""The curriculum as the tracker sees it, read once per app through the facilitator loader.

The tracker keeps no copy of module lists or questionnaire items: programmes, modules,
instruments and evaluation forms all come from here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask, current_app

from facilitator.load import load_content

_KEY = "tracker_content"


def _cache(app: Flask) -> dict[str, Any]:
    return app.extensions.setdefault(_KEY, {})  # type: ignore[no-any-return]


def content(language: str | None = None) -> Any:
    """The loaded content, in `language` where a translation exists (English otherwise)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    cache = _cache(app)
    if "en" not in cache:
        cache["en"] = load_content(Path(app.config["CONTENT_ROOT"]))
    base = cache["en"]
    if language is None or language == "en":
        return base
    if language not in cache:
        cache[language] = base.localized(language)
    return cache[language]


def language_codes() -> list[str]:
    return [language.code for language in content().languages]


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
    return _programme_refs(programme_id, "instruments")


def programme_forms(programme_id: str) -> list[str]:
    return _programme_refs(programme_id, "evaluation_forms")


def _programme_refs(programme_id: str, attribute: str) -> list[str]:
    loaded = content()
    programme = loaded.programmes.get(programme_id)
    if programme is None:
        return []
    seen: list[str] = []
    for module_id in programme.modules:
        module = loaded.modules.get(module_id)
        for ref in getattr(module, attribute, []) if module else []:
            if ref not in seen:
                seen.append(ref)
    return seen
