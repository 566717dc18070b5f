"""The handbook's own pages (site/*.md): translation notes and the few generated parts.

A site page asks for a generated part with an HTML comment on a line of its own:

    <!-- facilitator:programmes -->       the programmes, linked, in the page's language
    <!-- facilitator:field-reference -->  the content format's fields, from the model
    <!-- facilitator:schemas -->          links to the JSON Schema files in the built site
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from mkdocs.structure.pages import Page

from facilitator import pages
from facilitator.fieldref import field_reference
from facilitator.load import Content
from facilitator.markdown import read_page
from facilitator.notices import fallback_note, page_notices
from facilitator.render import relative
from facilitator.schema import SCHEMAS

PLACEHOLDER = re.compile(r"^<!-- facilitator:(?P<name>[a-z-]+) -->$", re.MULTILINE)
H1 = re.compile(r"^# .*$", re.MULTILINE)


def programme_list(content: Content, lang: str, page_path: str) -> str:
    local = content.localized(lang)
    return "\n".join(
        f"- **[{p.title}]({relative(page_path, pages.programme_page(p.id))})**: {p.summary}"
        for p in local.programmes.values()
    )


def schema_links(dest_uri: str, schema_dir: str) -> str:
    """Plain HTML links: the schema files are written after the build, outside mkdocs' files."""
    up = "../" * (len(PurePosixPath(dest_uri).parts) - 1)
    return "\n".join(
        f'- <a href="{up}{schema_dir}/{name}.schema.json">{name}.schema.json</a>'
        for name in SCHEMAS
    )


def site_page_notices(page: Page, content: Content, lang: str, docs_dir: Path) -> list[str]:
    """Not translated, a draft, or made from an older English: as for module pages."""
    if lang == content.default_language:
        return []
    if getattr(page.file, "locale", lang) != lang:  # static-i18n fell back to English
        return [fallback_note(content, lang)]
    english = getattr(page.file, "norm_src_uri", page.file.src_uri)
    translation = read_page(docs_dir, english, lang, content.default_language)
    return page_notices(content, lang, translation).page


def site_page_markdown(
    markdown: str, page: Page, content: Content, lang: str, schema_dir: str, docs_dir: Path
) -> str:
    english_path = getattr(page.file, "norm_src_uri", page.file.src_uri)
    parts: dict[str, Callable[[], str]] = {
        "programmes": lambda: programme_list(content, lang, english_path),
        "field-reference": field_reference,
        "schemas": lambda: schema_links(page.file.dest_uri, schema_dir),
    }

    def fill(match: re.Match[str]) -> str:
        make = parts.get(match["name"])
        if make is None:
            raise ValueError(f"{page.file.src_uri}: unknown placeholder {match.group(0)}")
        return make()

    markdown = PLACEHOLDER.sub(fill, markdown)
    notes = "\n".join(site_page_notices(page, content, lang, docs_dir))
    if not notes:
        return markdown
    heading = H1.search(markdown)
    at = heading.end() if heading else 0
    return f"{markdown[:at]}\n\n{notes}\n{markdown[at:]}"
