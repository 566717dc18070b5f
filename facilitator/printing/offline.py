"""A site page made ready for a bundle: no link out of the zip, and links to its PDFs.

A language's zip holds that language's pages only, so the header's language menu (and the
`<link rel="alternate">` tags beside it) would lead to pages that are not there: the menu is
taken out, and a note under the page's first heading says where the other languages are.
Every page gets a line of links to its PDFs in the zip, in the page's language: the module's
print pack on a module or handout page, the blank form on an instrument or evaluation page,
the attendance sheet on a programme page, and the whole handbook everywhere.

    offline_page(text, 2, labels, page_pdfs(PurePosixPath("modules/m/index.html"), ...))
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import PurePosixPath

LANGUAGE_MENU = re.compile(
    r'<div class="md-header__option">\s*<div class="md-select">.*?</ul>\s*</div>\s*</div>\s*</div>',
    re.DOTALL,
)
ALTERNATE = re.compile(r'\s*<link rel="alternate" href="[^"]*" hreflang="[^"]*">')
ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">')
FIRST_HEADING_END = re.compile(r"</h1>")


@dataclass(frozen=True)
class PdfLink:
    key: str  # the label of its words: pdf_pack, pdf_form, pdf_attendance, pdf_handbook
    path: str  # inside the zip, from its top folder: pdf/modules/x.pdf


def page_pdfs(page: PurePosixPath, pdfs: set[str], pdf_folder: str) -> list[PdfLink]:
    """The PDFs in the zip that belong to a page (its path without the language folder)."""
    parts = page.parts
    wanted: list[tuple[str, str]] = []
    if len(parts) >= 2 and parts[0] == "modules":
        wanted.append(("pdf_pack", f"modules/{parts[1]}.pdf"))
    elif len(parts) == 2 and parts[0] in ("instruments", "evaluation"):
        wanted.append(("pdf_form", f"forms/{page.stem}.pdf"))
    elif len(parts) == 2 and parts[0] == "programmes":
        wanted.append(("pdf_attendance", f"forms/attendance-{page.stem}.pdf"))
    wanted.append(("pdf_handbook", "handbook.pdf"))
    return [
        PdfLink(key, f"{pdf_folder}/{name}")
        for key, name in wanted
        if f"{pdf_folder}/{name}" in pdfs
    ]


def offline_page(
    text: str, depth: int, words: dict[str, str], links: list[PdfLink], *, one_language: bool
) -> str:
    """The page's HTML for the zip: `depth` folders below the zip's top folder; `words` are
    the page language's labels (facilitator.printing.labels)."""
    if one_language:
        text = ALTERNATE.sub("", LANGUAGE_MENU.sub("", text))
    up = "../" * depth
    parts = [
        f'<a href="{up}{html.escape(link.path)}">{html.escape(words[link.key])} (PDF)</a>'
        for link in links
    ]
    block = ""
    if parts:
        block += f'<p class="fh-pdfs">{html.escape(words["pdf_print"])}: {" · ".join(parts)}</p>'
    if one_language:
        block += f'<p class="fh-languages">{html.escape(words["bundle_languages"])}</p>'
    if not block:
        return text
    heading = FIRST_HEADING_END.search(text)
    article = ARTICLE.search(text)
    if heading and article and heading.start() > article.end():
        return text[: heading.end()] + block + text[heading.end() :]
    if article:
        return text[: article.end()] + block + text[article.end() :]
    return text
