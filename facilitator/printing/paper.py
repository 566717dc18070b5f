"""Paper a facilitator can use, measured in the printed PDF.

- Room to write: every blank table cell is at least 8 mm tall, every line drawn to write on
  has 8 mm above it (up to the words or the line before it).
- Headings stay with what they introduce: none sits at the foot of a page with less than two
  rows of its part below it while the rest goes on over the page.
- No spill pages: no page that starts nothing of its own holds next to nothing.

Each problem names the file, the page and what a reader would see.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from facilitator.printing.pdfpage import MM, Box, Heading, Page, PrintedPdf

WRITING_ROOM = 8 * MM  # a line of handwriting
MIN_CELL = 5 * MM  # narrower: the space inside a tick box, not a cell
SAME_LINE = 4 * MM  # words this close above a line are written on it ("1.", "Name:")
ROWS_AFTER_HEADING = 2
SPILL_HEIGHT = 30 * MM  # less content than this on a page of its own: a spill page
FULL_PAGE_CHARACTERS = 1200  # 30 mm of text, with its head and page number, holds fewer
FULL_TO = 45 * MM  # content reaching this close to the foot: the page is full
LOW_HEADING = 90 * MM  # the foot of the page: a heading higher up has room for its part


@dataclass(frozen=True)
class Problem:
    pdf: str
    page: int
    message: str

    def __str__(self) -> str:
        return f"{self.pdf} page {self.page}: {self.message}"


# ---------------------------------------------------------------------------- room to write


def _cells(page: Page) -> list[Box]:
    """Table cells: the space between two borders that stand side by side in one row."""
    rows: dict[tuple[int, int], list[Box]] = {}
    for post in page.posts:
        rows.setdefault((round(post.bottom), round(post.top)), []).append(post)
    cells = []
    for posts in rows.values():
        posts.sort(key=lambda p: p.left)
        for a, b in itertools.pairwise(posts):
            if b.left - a.right >= MIN_CELL:
                cells.append(Box(a.right, a.bottom, b.left, a.top))
    return cells


def _is_border(rule: Box, posts: list[Box]) -> bool:
    return any(
        post.bottom - 2 <= rule.bottom <= post.top + 2
        and (abs(post.left - rule.left) < 2 or abs(post.right - rule.right) < 2)
        for post in posts
    )


def blank_cells(page: Page) -> list[str]:
    """Every empty table cell (no words, no tick box, no header tint) is tall enough."""
    found = set()
    marks = [g.box for g in page.glyphs] + page.rules + page.posts + page.shaded
    for cell in _cells(page):
        inner = Box(cell.left + 1, cell.bottom + 1, cell.right - 1, cell.top - 1)
        if cell.height < WRITING_ROOM and not any(inner.holds_middle_of(m) for m in marks):
            found.add(f"a blank table row is only {cell.height / MM:.1f} mm tall")
    return sorted(found)


def writing_lines(page: Page) -> list[str]:
    """Every line drawn to write on has room above it, up to the words or the line before."""
    lines = [rule for rule in page.rules if not _is_border(rule, page.posts)]
    found = set()
    for rule in lines:
        above = [g.box for g in page.glyphs if g.box.bottom >= rule.top + SAME_LINE]
        above += [r for r in lines if r.bottom > rule.top + 0.3]
        above = [box for box in above if box.overlaps_x(rule)]
        if not above:
            continue  # the first thing on the page
        room = min(box.bottom for box in above) - rule.top
        if room < WRITING_ROOM - 0.5:
            found.add(f"a line to write on has only {room / MM:.1f} mm above it")
    return sorted(found)


# ------------------------------------------------------------------- headings and spills


def _squash(text: str) -> str:
    """Text without spaces or doubled letters: pdfium reads some Bengali clusters twice
    (from the glyphs and from their ActualText)."""
    return re.sub(r"(.)\1+", r"\1", "".join(text.split()))


def _rows_below(page: Page, below: float) -> int:
    """Rows of content (lines of words, lines to write on, table rows) below `below`."""
    spans = [(b.bottom, b.top) for b in [line.box for line in page.lines] + page.rules]
    spans += [(b.bottom, b.top) for b in page.posts]
    rows: list[tuple[float, float]] = []
    for bottom, top in sorted((s for s in spans if s[1] <= below), key=lambda s: -s[1]):
        if rows and top > rows[-1][0] + 0.5:
            rows[-1] = (min(rows[-1][0], bottom), rows[-1][1])
        else:
            rows.append((bottom, top))
    return len(rows)


def _is_full(page: Page) -> bool:
    body = page.body
    return body is not None and body.bottom < FULL_TO


def _last_on_its_page(pdf: PrintedPdf, mark: Heading) -> bool:
    """No other heading below it on its page (one that is has its part above it)."""
    return not any(m.page == mark.page and m.top < mark.top - 1 for m in pdf.headings)


def _stranded(pdf: PrintedPdf, mark: Heading) -> bool:
    if mark.page + 1 >= pdf.count or pdf.opens_with_heading(mark.page + 2):
        return False  # its part ends on this page
    if mark.top > LOW_HEADING or not _last_on_its_page(pdf, mark):
        return False
    page = pdf.page(mark.page + 1)
    lines = [line for line in page.lines if line.box.top <= mark.top + 2]
    title, end = _squash(mark.title), mark.top
    # The heading's own lines come first: skip them while they are part of its title.
    while lines and _squash(lines[0].text) and _squash(lines[0].text) in title:
        title = title.replace(_squash(lines[0].text), "", 1)
        end = lines.pop(0).box.bottom
    return _rows_below(page, end - 0.5) < ROWS_AFTER_HEADING


def stranded_headings(pdf: PrintedPdf) -> list[tuple[int, str]]:
    return [
        (mark.page + 1, f"the heading {mark.title!r} is alone at the foot of the page")
        for mark in pdf.headings
        if _stranded(pdf, mark)
    ]


def is_spill(pdf: PrintedPdf, number: int) -> bool:
    """A page that holds next to nothing and only continues the page before it."""
    if number == 1 or pdf.characters(number) > FULL_PAGE_CHARACTERS:
        return False
    page = pdf.page(number)
    body = page.body
    if body is not None and body.height >= SPILL_HEIGHT:
        return False
    return _is_full(pdf.page(number - 1)) or not pdf.opens_with_heading(number)


def spill_pages(pdf: PrintedPdf) -> list[tuple[int, str]]:
    """Spill pages. Text flows from page to page, so only a page before a page that opens
    with a heading (a part that starts a page of its own), or the last, can be near-empty."""
    ends = {n - 1 for n in range(2, pdf.count + 1) if pdf.opens_with_heading(n)} | {pdf.count}
    return [
        (number, "a near-empty page that only continues the one before")
        for number in sorted(ends)
        if is_spill(pdf, number)
    ]


def paper_problems(path: Path, fill_in_pages: Iterable[int] = ()) -> list[Problem]:
    """Everything wrong with a PDF's paper; `fill_in_pages` (1-based) are checked for room
    to write as well."""
    with PrintedPdf(path) as pdf:
        found = stranded_headings(pdf) + spill_pages(pdf)
        for number in fill_in_pages:
            page = pdf.page(number)
            found += [(number, message) for message in blank_cells(page) + writing_lines(page)]
    return [Problem(path.as_posix(), number, message) for number, message in found]
