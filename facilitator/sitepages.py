"""The handbook's own pages (site/*.md) as staged: translation notes and the few generated parts.

A site page asks for a generated part with an HTML comment on a line of its own:

    <!-- facilitator:programmes -->       the programmes, linked, in the page's language
    <!-- facilitator:field-reference -->  the content format's fields, from the model
    <!-- facilitator:schemas -->          links to the JSON Schema files in the built site

Every page is staged in every language: a missing translation becomes the English page with
a note saying so, exactly as the site generator's own fallback would show it plus the note.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from facilitator import pages
from facilitator.fieldref import field_reference
from facilitator.load import Content
from facilitator.markdown import FRONT_MATTER, read_page
from facilitator.moduletext import relative
from facilitator.notices import page_notices, page_text
from facilitator.schema import SCHEMAS


class UnknownPlaceholder(ValueError):
    """A `<!-- facilitator:... -->` comment that names no generated part."""


PLACEHOLDER = re.compile(r"^<!-- facilitator:(?P<name>[a-z-]+) -->$", re.MULTILINE)
H1 = re.compile(r"^# .*$", re.MULTILINE)


def programme_list(content: Content, lang: str, page_path: str) -> str:
    local = content.localized(lang)
    return "\n".join(
        f"- **[{p.title}]({relative(page_path, pages.programme_page(p.id))})**: {p.summary}"
        for p in local.programmes.values()
    )


def built_path(english_path: str, lang: str, default_language: str, directory_urls: bool) -> str:
    """Where a page lands in the built site: authoring.md -> bn/authoring.html."""
    path = PurePosixPath(english_path)
    if directory_urls and path.stem != "index":
        path = path.parent / path.stem / "index.md"
    built = path.with_suffix(".html").as_posix()
    return built if lang == default_language else f"{lang}/{built}"


def schema_links(built: str, schema_dir: str) -> str:
    """Plain HTML links: the schema files are static files, not pages with a nav entry."""
    up = "../" * (len(PurePosixPath(built).parts) - 1)
    return "\n".join(
        f'- <a href="{up}{schema_dir}/{name}.schema.json">{name}.schema.json</a>'
        for name in SCHEMAS
    )


def site_page_markdown(
    content: Content,
    docs_dir: Path,
    english_path: str,
    lang: str,
    *,
    schema_dir: str,
    directory_urls: bool,
) -> str:
    """One site page in `lang` (its translation, or English with a note) as it is staged."""
    page = read_page(docs_dir, english_path, lang, content.default_language)
    source = english_path if page.fallback or lang == content.default_language else None
    raw = (docs_dir / (source or _translated(english_path, lang))).read_text("utf-8")
    front = FRONT_MATTER.match(raw)  # kept as written: the page's meta for the site generator
    head = raw[: front.end()] if front else ""
    body = page_text(content, lang, page)
    built = built_path(english_path, lang, content.default_language, directory_urls)
    parts: dict[str, Callable[[], str]] = {
        "programmes": lambda: programme_list(content, lang, english_path),
        "field-reference": field_reference,
        "schemas": lambda: schema_links(built, schema_dir),
    }

    def fill(match: re.Match[str]) -> str:
        make = parts.get(match["name"])
        if make is None:
            known = ", ".join(parts)
            raise UnknownPlaceholder(
                f"site/{english_path}: {match.group(0)} names no generated part "
                f"(known: {known}); correct the name or remove the line"
            )
        return make()

    body = PLACEHOLDER.sub(fill, body)
    notes = "\n".join(page_notices(content, lang, page).page)
    if not notes:
        return head + body
    body = body.lstrip("\n")  # as MkDocs reads a page after its front matter
    heading = H1.search(body)
    at = heading.end() if heading else 0
    return f"{head}{body[:at]}\n\n{notes}\n{body[at:]}"


def _translated(english_path: str, lang: str) -> str:
    path = PurePosixPath(english_path)
    return path.with_name(f"{path.stem}.{lang}{path.suffix}").as_posix()
