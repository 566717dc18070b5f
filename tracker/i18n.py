"""The interface language: the user's pick, else the cohort's language, else the browser's."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app, g, has_request_context, request, session
from flask_babel import Babel, get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from facilitator.problems import ContentError
from tracker import content, field_labels
from tracker.db import db
from tracker.models import Cohort, Role, TrainingSession

TRANSLATIONS = str(Path(__file__).parent / "translations")


def N_(message: str) -> str:  # the name gettext tools look for
    """Mark a message for extraction only: it is looked up in the catalogue elsewhere."""
    return message


# What a role is called on screen; the stored value stays the English id.
ROLE_LABELS = {
    Role.admin: _l("administrator"),
    Role.coordinator: _l("coordinator"),
    Role.facilitator: _l("facilitator"),
    Role.evaluator: _l("evaluator"),
}


def offered_languages() -> dict[str, str]:
    """The languages offered, code -> the language's own name, as the curriculum lists them:
    a language added there is offered here. None while the curriculum does not load, so that
    the page saying so still shows."""
    try:
        return content.language_names()
    except ContentError:
        return {}


def select_locale() -> str:
    if not has_request_context():
        # The CLI and background work run in an app context only: messages in English.
        return "en"
    languages = list(offered_languages())
    picked = session.get("ui_language")
    if picked in languages:
        return str(picked)
    if current_user and current_user.is_authenticated and current_user.ui_language in languages:
        return str(current_user.ui_language)
    cohort_language = cohort_language_of_request()
    if cohort_language in languages:
        return str(cohort_language)
    default: str = current_app.config["BABEL_DEFAULT_LOCALE"]
    return request.accept_languages.best_match(languages) or default


def cohort_language_of_request() -> str | None:
    """The language of the cohort a page is about, found from the ids in its URL."""
    if "cohort_language" in g:
        return g.cohort_language  # type: ignore[no-any-return]
    args = request.view_args or {}
    language: str | None = None
    if isinstance(args.get("cohort_id"), int):
        language = db.session.scalar(select(Cohort.language).where(Cohort.id == args["cohort_id"]))
    elif isinstance(args.get("session_id"), int):
        language = db.session.scalar(
            select(Cohort.language)
            .join(TrainingSession, TrainingSession.cohort_id == Cohort.id)
            .where(TrainingSession.id == args["session_id"])
        )
    g.cohort_language = language
    return language


def interface_language() -> str:
    """The language the page is shown in (English outside a request)."""
    return str(get_locale() or "en")


def init_app(app: Flask) -> None:
    Babel(app, locale_selector=select_locale, default_translation_directories=TRANSLATIONS)
    # A problem's field named by its visible label (see tracker.field_labels).
    app.add_template_global(field_labels.describe, "describe_problem")
    app.add_template_global(field_labels.form_problems, "form_problems")
