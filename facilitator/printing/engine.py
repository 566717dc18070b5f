"""Chromium's print to PDF: one browser per run, HTML in, PDF bytes out.

Running headers and page numbers are CSS page margin boxes (`@page { @top-left {...} }`),
which Chromium supports since version 131: unlike `display_header_footer` templates, they
use the document's own fonts, can differ per module (named pages) and leave the cover bare.
Chromium has no `target-counter()`, so a table of contents learns its page numbers from a
first print's PDF outline (see `print_with_toc`).
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from pypdf import PdfReader

CHROMIUM = Path(os.environ.get("FACILITATOR_CHROMIUM", "/usr/bin/chromium"))
# No sandbox (containers), no GPU, and nothing fetched from the network by the browser itself.
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


# The width inside the page's margins, in CSS pixels (print.css sets it).
PAGE_WIDTH = """() => {
    const probe = document.createElement('div');
    probe.style.width = 'var(--fh-page-width, 178mm)';
    document.body.appendChild(probe);
    const width = probe.getBoundingClientRect().width;
    probe.remove();
    return width;
}"""


class PrintError(RuntimeError):
    """Printing failed: no browser, or a table of contents that would not settle."""


def chromium_available() -> bool:
    return CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)


class Printer:
    """An open Chromium; print many documents with one launch.

    with Printer() as printer:
        pdf = printer.pdf(html)
    """

    def __init__(self) -> None:
        self._playwright: Any = None
        self._browser: Any = None
        self._page: Any = None
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        self._count = 0

    def __enter__(self) -> Printer:
        if not chromium_available():
            raise PrintError(f"Chromium not found at {CHROMIUM}: apt-get install chromium")
        from playwright.sync_api import sync_playwright

        self._tmp = tempfile.TemporaryDirectory(prefix="facilitator-print-")
        try:
            self._playwright = sync_playwright().start()
            self._browser = self._playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=LAUNCH_ARGS
            )
            # One tab for every document: the fonts stay in its cache between prints.
            self._page = self._browser.new_page()
        except Exception as exc:
            self.__exit__(type(exc), exc, exc.__traceback__)
            raise PrintError(f"could not start Chromium ({CHROMIUM}): {exc}") from exc
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._browser is not None:
            self._browser.close()
        if self._playwright is not None:
            self._playwright.stop()
        if self._tmp is not None:
            self._tmp.cleanup()

    def load(self, html: str) -> None:
        """Open a whole HTML document in the printer's tab, fonts loaded."""
        assert self._page is not None and self._tmp is not None, "use Printer as a context"
        # A file, not set_content: the document's fonts are file:// URLs, which an
        # about:blank page may not load.
        self._count += 1
        path = Path(self._tmp.name) / f"doc-{self._count}.html"
        path.write_text(html, "utf-8")
        try:
            self._page.goto(path.as_uri(), wait_until="load")
            self._page.evaluate("document.fonts.ready.then(() => true)")
        finally:
            path.unlink(missing_ok=True)

    def print_loaded(self) -> bytes:
        """The open document as PDF: A4 from its CSS, tagged, with an outline of headings."""
        data: bytes = self._page.pdf(
            prefer_css_page_size=True, print_background=True, outline=True, tagged=True
        )
        return data

    def evaluate(self, script: str, arg: object = None) -> object:
        return self._page.evaluate(script, arg)

    def print_view(self) -> None:
        """Lay the open document out as on paper: print styles, the page's width."""
        assert self._page is not None, "use Printer as a context"
        self._page.emulate_media(media="print")
        width = self._page.evaluate(PAGE_WIDTH)
        self._page.set_viewport_size({"width": max(1, round(width)), "height": 1000})

    def screen_view(self) -> None:
        assert self._page is not None, "use Printer as a context"
        self._page.emulate_media(media=None)

    def pdf(self, html: str) -> bytes:
        """Print a whole HTML document."""
        self.load(html)
        return self.print_loaded()


@contextmanager
def printer_or(printer: Printer | None) -> Iterator[Printer]:
    """The printer given, or a new one for the duration."""
    if printer is not None:
        yield printer
        return
    with Printer() as own:
        yield own


def pdf_from_html(html: str, printer: Printer | None = None) -> bytes:
    """One HTML document as PDF bytes (launches Chromium unless a printer is given)."""
    with printer_or(printer) as active:
        return active.pdf(html)


@dataclass(frozen=True)
class Bookmark:
    depth: int  # 0 for a top-level heading
    title: str
    page: int  # 1-based, as the page numbers printed on the pages


def bookmarks(pdf: bytes) -> list[Bookmark]:
    """The PDF outline (Chromium makes it from h1-h6), in document order."""
    reader = PdfReader(io.BytesIO(pdf))
    found: list[Bookmark] = []

    def walk(items: list[Any], depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                page = reader.get_destination_page_number(item)
                if page is not None:
                    found.append(Bookmark(depth, _undouble(str(item.title)), page + 1))

    walk(reader.outline, 0)
    return found


def _undouble(title: str) -> str:
    """Chromium writes some headings' outline titles twice ('ContentsContents'): once."""
    title = " ".join(title.split())
    half = len(title) // 2
    if title and len(title) % 2 == 0 and title[:half] == title[half:]:
        return title[:half]
    return title


def page_count(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def _squash(text: str) -> str:
    return "".join(text.split())


def same_heading(outline_title: str, heading: str) -> bool:
    """Whether an outline title is this heading's.

    Chromium repeats the first line of some headings in their outline title (a heading at
    the top of a page: 'ContentsContents', or 'Caring Connections: training forCaring
    Connections: training forsocial workers' when it wraps), and joins its lines without a
    space: compare without spaces, allowing a repeated beginning.
    """
    mark, wanted = _squash(outline_title), _squash(heading)
    if mark == wanted:
        return True
    repeated = len(mark) - len(wanted)
    return 0 < repeated <= len(wanted) and mark == wanted[:repeated] + wanted


def locate(entries: list[str], marks: list[Bookmark]) -> dict[int, int]:
    """Index of each entry title -> its page, matching titles in order through the outline."""
    pages: dict[int, int] = {}
    start = 0
    for index, title in enumerate(entries):
        for pos in range(start, len(marks)):
            if same_heading(marks[pos].title, title):
                pages[index] = marks[pos].page
                start = pos + 1
                break
    return pages


# Fills the contents' page numbers into the open document: <span data-toc="3">000</span>.
FILL_TOC = """(pages) => {
    for (const el of document.querySelectorAll('[data-toc]')) {
        const page = pages[el.dataset.toc];
        if (page) { el.textContent = String(page); el.classList.remove('fh-unknown'); }
    }
}"""


def print_with_toc(
    printer: Printer,
    html: str,
    entries: list[str],
    first: Callable[[Printer], bytes] | None = None,
) -> bytes:
    """Print twice: first to learn where each contents entry's heading lands, then with the
    numbers filled in.

    `html` has a placeholder of the same width for each number (`data-toc` = the entry's
    index), so the contents keep their length; the numbers go into the open page, with no
    second load. The second print must put every heading on the page the first one did; if
    not, fill in the new numbers and print once more, and give up after that. `first` makes
    the first print (fitting the handouts to their pages, which changes the layout).
    """
    printer.load(html)
    pages = locate(entries, bookmarks(first(printer) if first else printer.print_loaded()))
    missing = [entries[i] for i in range(len(entries)) if i not in pages]
    if missing:
        raise PrintError(f"headings not found in the PDF outline: {missing[:5]}")
    for _ in range(2):
        printer.evaluate(FILL_TOC, {str(index): page for index, page in pages.items()})
        pdf = printer.print_loaded()
        again = locate(entries, bookmarks(pdf))
        if again == pages:
            return pdf
        pages = again
    raise PrintError("the table of contents did not settle on stable page numbers")
