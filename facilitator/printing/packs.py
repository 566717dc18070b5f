"""A module's print pack: the facilitator's session plan, then each handout on its own page.

The pages are the handbook's own (`facilitator.render`), turned into HTML for paper.
"""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass
from pathlib import PurePosixPath

from facilitator.load import Content
from facilitator.markdown import read_page
from facilitator.printing.document import RunningHead, document, render
from facilitator.printing.html import to_html
from facilitator.printing.labels import print_labels
from facilitator.render import demote, render_handout, render_module

HEADING = re.compile(r"<h(?P<level>[1-6])[^>]*>(?P<text>.*?)</h(?P=level)>", re.DOTALL)
TAG = re.compile(r"<[^>]+>")


def first_heading(fragment: str) -> str:
    """The text of the first heading, as a PDF outline (and a reader) sees it."""
    match = HEADING.search(fragment)
    if not match:
        return ""
    return " ".join(html_lib.unescape(TAG.sub("", match["text"])).split())


@dataclass(frozen=True)
class Handout:
    id: str
    title: str  # its first heading, as printed
    html: str
    lang: str  # the language the handout is printed in (English where not translated)
    head: RunningHead


@dataclass(frozen=True)
class ModulePart:
    id: str
    title: str
    html: str
    head: RunningHead
    handouts: list[Handout]


def _handout_language(content: Content, module_id: str, file: str, lang: str) -> str:
    folder = PurePosixPath(content.sources[("module", module_id)]).parent
    page = read_page(content.root, (folder / file).as_posix(), lang, content.default_language)
    return content.default_language if page.fallback else lang


def module_part(
    content: Content, module_id: str, lang: str, *, depth: int = 0, start: int | None = None
) -> ModulePart:
    """A module's plan and handouts as HTML, headings pushed down `depth` levels; `start`:
    when each day starts (minutes after midnight), else the agenda has blanks for times."""
    local = content.localized(lang)
    module = local.modules[module_id]
    programme = local.programmes.get(module.programme)
    text = render_module(content, module_id, lang, start=start, paper=True)
    plan = to_html(demote(text, depth), content.root)
    head = RunningHead(f"m-{module_id}", first_heading(plan), programme.title if programme else "")
    handouts = []
    for handout in module.handouts:
        text = demote(render_handout(content, module_id, handout.id, lang), depth + 1)
        fragment = to_html(text, content.root, fill_in=True)
        handouts.append(
            Handout(
                id=handout.id,
                title=first_heading(fragment),
                html=fragment,
                lang=_handout_language(content, module_id, handout.file, lang),
                head=RunningHead(f"h-{module_id}-{handout.id}", first_heading(plan)),
            )
        )
    return ModulePart(module_id, first_heading(plan), plan, head, handouts)


def module_pack_html(content: Content, module_id: str, lang: str, start: int | None = None) -> str:
    """The whole print pack of one module as one HTML document."""
    part = module_part(content, module_id, lang, start=start)
    labels = print_labels(content, lang)
    body = render("pack.html.j2", part=part, lang=lang)
    heads = [part.head, *(h.head for h in part.handouts)]
    title = f"{part.title} – {labels['print_pack']}"
    return document(body, lang=lang, title=title, heads=heads, languages=_codes(content))


def _codes(content: Content) -> tuple[str, ...]:
    return tuple(language.code for language in content.languages)
