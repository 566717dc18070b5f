"""What every template may use: permissions, the language switcher, a problems list."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_babel import get_locale

from tracker.access.permissions import Perm, user_may
from tracker.i18n import ROLE_LABELS, offered_languages


def init_app(app: Flask) -> None:
    @app.context_processor
    def globals_for_templates() -> dict[str, Any]:
        languages = offered_languages()
        return {
            "Perm": Perm,
            "user_may": user_may,
            "language_names": languages,
            "role_labels": ROLE_LABELS,
            "ui_languages": list(languages),
            "current_language": str(get_locale() or "en"),
        }
