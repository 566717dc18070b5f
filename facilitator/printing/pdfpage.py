"""A printed page as drawn: its words with their boxes, its thin rules, its headings.

Read with pdfium (pypdfium2), which sees what Chromium drew: every glyph with its box and
baseline, every filled rectangle (Chromium draws table borders, writing lines and rules as
thin filled rectangles), and the outline of headings with the point where each one starts.
Units are PDF points, y upwards from the foot of the page.
"""

from __future__ import annotations

import ctypes
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

MM = 72 / 25.4
THIN = 2.0  # a border or a rule is at most this thick
MIN_RULE = 5 * MM  # a shorter rule is a tick box's side, not a line
MARGIN = 17 * MM  # running heads and page numbers sit in the top and bottom 17 mm
HEADING_AT_TOP = 6 * MM  # a heading this close under the top margin opens its page
# A document's title (h1: a handout, a form) sits lower: its padding and larger line box put
# its top about 9.4 mm under the margin when it opens the page.
TITLE_AT_TOP = 11 * MM
# Running heads and page numbers are set at 8-9 pt; pdfium reports the sizes Chromium used,
# which are CSS pixels (9 pt = 12 px).
HEAD_SIZE = 12.1
PAGE_NUMBER = re.compile(r"^\d+\s*/\s*\d+$")
WHITE = (255, 255, 255)


@dataclass(frozen=True)
class Box:
    left: float
    bottom: float
    right: float
    top: float

    @property
    def width(self) -> float:
        return self.right - self.left

    @property
    def height(self) -> float:
        return self.top - self.bottom

    def overlaps_x(self, other: Box, slack: float = 1.0) -> bool:
        return self.left < other.right - slack and other.left < self.right - slack

    def holds(self, inner: Box, slack: float = 0.5) -> bool:
        return (
            self.left - slack <= inner.left
            and inner.right <= self.right + slack
            and self.bottom - slack <= inner.bottom
            and inner.top <= self.top + slack
        )

    def holds_middle_of(self, inner: Box) -> bool:
        x, y = (inner.left + inner.right) / 2, (inner.bottom + inner.top) / 2
        return self.left <= x <= self.right and self.bottom <= y <= self.top


def span(boxes: Iterable[Box]) -> Box | None:
    """The smallest box around all of them, None for none."""
    found = list(boxes)
    if not found:
        return None
    return Box(
        min(b.left for b in found),
        min(b.bottom for b in found),
        max(b.right for b in found),
        max(b.top for b in found),
    )


@dataclass(frozen=True)
class Glyph:
    char: str
    box: Box
    baseline: float
    size: float


@dataclass
class Line:
    """Glyphs on one baseline (a line of a paragraph, or a row of a table's cells)."""

    glyphs: list[Glyph] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(g.char for g in self.glyphs)

    @property
    def box(self) -> Box:
        found = span(g.box for g in self.glyphs)
        assert found is not None
        return found

    @property
    def size(self) -> float:
        return max(g.size for g in self.glyphs)


@dataclass(frozen=True)
class Heading:
    title: str
    page: int  # 0-based
    top: float


@dataclass(frozen=True)
class Page:
    number: int  # 1-based, as printed at its foot
    height: float
    lines: list[Line]  # the body: no running head, no page number
    rules: list[Box]  # thin horizontal rectangles
    posts: list[Box]  # thin vertical rectangles
    shaded: list[Box]  # tinted areas: a table's header row

    @property
    def glyphs(self) -> Iterator[Glyph]:
        for line in self.lines:
            yield from line.glyphs

    @property
    def body(self) -> Box | None:
        return span([line.box for line in self.lines] + self.rules + self.posts)


def _glyphs(text_page: pdfium.PdfTextPage) -> list[Glyph]:
    found = []
    raw = text_page.raw
    left, right, bottom, top, x, y = (ctypes.c_double() for _ in range(6))
    for index in range(pdfium_c.FPDFText_CountChars(raw)):
        code = pdfium_c.FPDFText_GetUnicode(raw, index)
        if code <= 32 or code == 0xFFFE or pdfium_c.FPDFText_IsGenerated(raw, index):
            continue
        size = pdfium_c.FPDFText_GetFontSize(raw, index)
        pdfium_c.FPDFText_GetCharBox(raw, index, left, right, bottom, top)
        if top.value - bottom.value > 2 * size or right.value - left.value > 2 * size:
            continue  # not a glyph's own box (a mark with no shape of its own)
        pdfium_c.FPDFText_GetCharOrigin(raw, index, x, y)
        box = Box(left.value, bottom.value, right.value, top.value)
        found.append(Glyph(chr(code), box, y.value, size))
    return found


def _lines(glyphs: list[Glyph]) -> list[Line]:
    """Glyphs grouped by baseline, top to bottom."""
    lines: list[Line] = []
    for glyph in sorted(glyphs, key=lambda g: (-g.baseline, g.box.left)):
        last = lines[-1] if lines else None
        if last is None or abs(last.glyphs[0].baseline - glyph.baseline) > 0.3 * glyph.size:
            lines.append(Line())
        lines[-1].glyphs.append(glyph)
    return lines


def _in_margin(line: Line, height: float) -> bool:
    """A running head or a page number: small type in the top or bottom margin."""
    box = line.box
    if box.top <= height - MARGIN and box.bottom >= MARGIN:
        return False
    return line.size <= HEAD_SIZE or PAGE_NUMBER.match(line.text) is not None


def _tinted(obj: pdfium_c.FPDF_PAGEOBJECT) -> bool:
    """Filled with a colour other than white (a header row's grey, not the page itself)."""
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    if not pdfium_c.FPDFPageObj_GetFillColor(obj, r, g, b, a):
        return False
    return a.value > 0 and (r.value, g.value, b.value) != WHITE


def _shapes(page: pdfium.PdfPage) -> tuple[list[Box], list[Box], list[Box]]:
    rules, posts, shaded = [], [], []
    raw = page.raw
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    for index in range(pdfium_c.FPDFPage_CountObjects(raw)):
        obj = pdfium_c.FPDFPage_GetObject(raw, index)
        if pdfium_c.FPDFPageObj_GetType(obj) != pdfium_c.FPDF_PAGEOBJ_PATH:
            continue
        pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top)
        box = Box(left.value, bottom.value, right.value, top.value)
        if box.height <= THIN and box.width >= MIN_RULE:
            rules.append(box)
        elif box.width <= THIN and box.height >= 3:
            posts.append(box)
        elif box.width > THIN and box.height > THIN and _tinted(obj):
            shaded.append(box)
    return rules, posts, shaded


def read_page(pdf: pdfium.PdfDocument, index: int) -> Page:
    page = pdf[index]
    try:
        height = page.get_height()
        text_page = page.get_textpage()
        lines = _lines(_glyphs(text_page))
        text_page.close()
        rules, posts, shaded = _shapes(page)
    finally:
        page.close()
    body = [line for line in lines if not _in_margin(line, height)]
    return Page(index + 1, height, body, rules, posts, shaded)


def read_headings(pdf: pdfium.PdfDocument) -> list[Heading]:
    """The outline (Chromium makes it from h1-h6) with each heading's page and top."""
    found = []
    for mark in pdf.get_toc(max_depth=8):
        dest = mark.get_dest()
        if dest is None:
            continue
        _, view = dest.get_view()
        if len(view) >= 2:
            found.append(Heading(" ".join(mark.get_title().split()), dest.get_index(), view[1]))
    return found


class PrintedPdf:
    """A printed PDF, its pages read when first asked for.

    with PrintedPdf(path) as pdf:
        pdf.page(3).lines
    """

    def __init__(self, source: Path | bytes) -> None:
        self._pdf = pdfium.PdfDocument(source)
        self._pages: dict[int, Page] = {}
        self.count = len(self._pdf)
        self.headings = read_headings(self._pdf)

    def characters(self, number: int) -> int:
        """How many characters page `number` holds (quicker than reading them)."""
        page = self._pdf[number - 1]
        text_page = page.get_textpage()
        try:
            return int(pdfium_c.FPDFText_CountChars(text_page.raw))
        finally:
            text_page.close()
            page.close()

    def height(self, number: int) -> float:
        """Page `number`'s height, without reading what is on it."""
        return float(self._pdf.get_page_size(number - 1)[1])

    def opens_with_heading(self, number: int) -> bool:
        """Whether a heading starts at the top of page `number` (from the outline alone)."""
        marks = [m for m in self.headings if m.page == number - 1]
        if not marks:
            return False
        first = max(marks, key=lambda m: m.top)
        if first.top >= self.height(number) - MARGIN - HEADING_AT_TOP:
            return True
        if first.top < self.height(number) - MARGIN - TITLE_AT_TOP:
            return False
        # A title sits lower than a section heading: it opens the page when no line of the
        # body stands above it.
        return not any(line.box.bottom > first.top for line in self.page(number).lines)

    def page(self, number: int) -> Page:
        """Page `number` (1-based)."""
        if number not in self._pages:
            self._pages[number] = read_page(self._pdf, number - 1)
        return self._pages[number]

    def close(self) -> None:
        self._pdf.close()

    def __enter__(self) -> PrintedPdf:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
