"""The whole handbook in one language as one printed book.

Cover, contents with page numbers, how to use the handbook and the facilitation principles,
then each programme with its modules (session plan, notes, handouts on their own pages), the
questionnaires, the evaluation forms, the glossary.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

from facilitator.load import Content
from facilitator.markdown import read_page
from facilitator.printing.document import RunningHead, document, render
from facilitator.printing.engine import Printer, print_with_toc
from facilitator.printing.fit import print_fitted
from facilitator.printing.html import to_html
from facilitator.printing.labels import print_labels
from facilitator.printing.packs import ModulePart, first_heading, module_part
from facilitator.render import (
    demote,
    render_evaluation_form,
    render_glossary,
    render_instrument,
    render_programme,
)

SITE_DIR = "site"  # the handbook's own pages (mkdocs.yml's docs_dir)
FRONT_PAGES = ("how-to-use.md", "principles.md")


@dataclass(frozen=True)
class Section:
    """A top-level part of the book (a programme, the questionnaires...) and what it holds."""

    title: str
    html: str
    head: RunningHead
    modules: list[ModulePart] = field(default_factory=list)
    pages: list[tuple[str, str]] = field(default_factory=list)  # (title, HTML) below it


@dataclass(frozen=True)
class TocEntry:
    title: str
    depth: int


@dataclass(frozen=True)
class Book:
    lang: str
    title: str
    subtitle: str
    language_name: str
    sections: list[Section]

    @property
    def entries(self) -> list[TocEntry]:
        found = []
        for section in self.sections:
            found.append(TocEntry(section.title, 0))
            found += [TocEntry(m.title, 1) for m in section.modules]
            found += [TocEntry(title, 1) for title, _ in section.pages]
        return found


def _heading_page(title: str, level: int = 1) -> str:
    return f"<h{level}>{escape(title)}</h{level}>"


def _front_pages(content: Content, lang: str) -> list[Section]:
    """The handbook's own pages a facilitator reads first (how to use it, the principles),
    in `lang` where translated: the home page sends every reader to them."""
    sections = []
    for name in FRONT_PAGES:
        if not (content.root / SITE_DIR / name).is_file():
            continue
        page = read_page(content.root / SITE_DIR, name, lang, content.default_language)
        fragment = to_html(page.text, content.root)
        title = first_heading(fragment)
        stem = name.removesuffix(".md")
        sections.append(Section(title, fragment, RunningHead(f"f-{stem}", title)))
    return sections


def build_book(content: Content, lang: str) -> Book:
    """Every page of the book as HTML, rendered once (printing then runs twice)."""
    local = content.localized(lang)
    labels = print_labels(content, lang)
    sections = _front_pages(content, lang)
    for programme_id in local.programmes:
        fragment = to_html(render_programme(content, programme_id, lang), content.root)
        title = first_heading(fragment)
        modules = [
            module_part(content, m.id, lang, depth=1) for m in local.programme_modules(programme_id)
        ]
        head = RunningHead(f"p-{programme_id}", title)
        sections.append(Section(title, fragment, head, modules=modules))
    # Instruments and evaluation forms together, under the handbook's own label for them.
    texts = [render_instrument(content, i, lang) for i in local.instruments]
    texts += [render_evaluation_form(content, f, lang) for f in local.evaluation_forms]
    if texts:
        pages = []
        for text in texts:
            fragment = to_html(demote(text, 1), content.root)
            pages.append((first_heading(fragment), fragment))
        title = labels["instruments"]
        head = RunningHead("a-instruments", title)
        sections.append(Section(title, _heading_page(title), head, pages=pages))
    if local.glossary is not None:
        fragment = to_html(render_glossary(content, lang), content.root)
        title = first_heading(fragment)
        sections.append(Section(title, fragment, RunningHead("a-glossary", title)))
    language = next((x.name for x in local.languages if x.code == lang), lang)
    return Book(lang, labels["handbook_title"], labels["handbook_subtitle"], language, sections)


def book_html(content: Content, book: Book) -> str:
    """The book as one HTML document, its contents' page numbers to be filled in."""
    labels = print_labels(content, book.lang)
    body = render("book.html.j2", book=book, entries=book.entries, L=labels)
    heads = [RunningHead("toc", book.title)]
    for section in book.sections:
        heads.append(section.head)
        for module in section.modules:
            heads.append(module.head)
            heads += [h.head for h in module.handouts]
    codes = tuple(x.code for x in content.languages)
    return document(body, lang=book.lang, title=book.title, heads=heads, languages=codes)


def print_book(content: Content, lang: str, printer: Printer) -> bytes:
    """The handbook PDF, with the contents' page numbers taken from a first print."""
    book = build_book(content, lang)
    titles = [entry.title for entry in book.entries]
    return print_with_toc(
        printer, book_html(content, book), titles, first=lambda p: print_fitted(p).pdf
    )
