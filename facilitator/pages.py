"""Where each generated handbook page lives, relative to the docs folder (site/).

The renderer (staging.py) writes these pages; `check` uses the same list to know which
links will resolve.
"""

from __future__ import annotations

from facilitator.load import Content
from facilitator.model import Module


def programme_page(programme_id: str) -> str:
    return f"programmes/{programme_id}.md"


def module_page(module_id: str) -> str:
    return f"modules/{module_id}/index.md"


def module_days(module: Module) -> list[int]:
    """The days of a module that runs over more than one, each with its own web page (a
    five-day module on one page is too long to find one's place in on a phone); [] for a
    module of one day."""
    days = sorted({session.day for session in module.sessions})
    return days if len(days) > 1 else []


def module_day_page(module_id: str, day: int) -> str:
    return f"modules/{module_id}/day-{day}.md"


def handout_page(module_id: str, handout_id: str) -> str:
    return f"modules/{module_id}/{handout_id}.md"


def instrument_page(instrument_id: str) -> str:
    return f"instruments/{instrument_id}.md"


def evaluation_form_page(form_id: str) -> str:
    return f"evaluation/{form_id}.md"


GLOSSARY_PAGE = "glossary.md"
COVERAGE_PAGE = "translations.md"


def has_coverage_page(content: Content) -> bool:
    """The translation coverage page, where there is a language to translate into."""
    return len(content.languages) > 1


def generated_pages(content: Content) -> list[str]:
    """Every page the build generates, in English (translations take a language suffix)."""
    pages = [programme_page(p) for p in content.programmes]
    for module in content.modules.values():
        pages.append(module_page(module.id))
        pages += [module_day_page(module.id, day) for day in module_days(module)]
        pages += [handout_page(module.id, h.id) for h in module.handouts]
    pages += [instrument_page(i) for i in content.instruments]
    pages += [evaluation_form_page(f) for f in content.evaluation_forms]
    if content.glossary is not None:
        pages.append(GLOSSARY_PAGE)
    if has_coverage_page(content):
        pages.append(COVERAGE_PAGE)
    return pages
