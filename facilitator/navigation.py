"""The handbook's navigation: the site's own pages, with programmes, instruments and the
glossary generated from the content and titled in the language being built."""

from __future__ import annotations

from typing import Any

from facilitator import pages
from facilitator.load import Content

NavItem = str | dict[str, Any]


def generated_nav(content: Content, lang: str) -> list[NavItem]:
    """Programmes (each with its modules in teaching order), instruments, the glossary."""
    local = content.localized(lang)
    labels = local.labels
    programmes: list[NavItem] = [
        {
            programme.title: [
                {labels["overview"]: pages.programme_page(programme.id)},
                *(_module_nav(local, m) for m in programme.modules if m in local.modules),
            ]
        }
        for programme in local.programmes.values()
    ]
    nav: list[NavItem] = [{labels["programmes"]: programmes}]
    instruments: list[NavItem] = [pages.instrument_page(i) for i in local.instruments]
    instruments += [pages.evaluation_form_page(f) for f in local.evaluation_forms]
    if instruments:
        nav.append({labels["instruments"]: instruments})
    if local.glossary is not None:
        nav.append(pages.GLOSSARY_PAGE)
    return nav


def _module_nav(local: Content, module_id: str) -> NavItem:
    """A module's page; for a module over several days, its overview and a page per day."""
    module = local.modules[module_id]
    days = pages.module_days(module)
    if not days:
        return pages.module_page(module_id)
    labels = local.labels
    return {
        module.title: [
            {labels["overview"]: pages.module_page(module_id)},
            *({f"{labels['day']} {day}": pages.module_day_page(module_id, day)} for day in days),
        ]
    }


def handbook_nav(site_nav: list[NavItem], content: Content, lang: str) -> list[NavItem]:
    """The configured nav with the generated part after its first entry (the home page), and
    the translation coverage last, beside the pages for contributors."""
    coverage: list[NavItem] = [pages.COVERAGE_PAGE] if pages.has_coverage_page(content) else []
    return [*site_nav[:1], *generated_nav(content, lang), *site_nav[1:], *coverage]
