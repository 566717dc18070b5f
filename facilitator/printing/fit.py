"""Handouts and session plans fitted to their pages: none spills a few lines onto a page.

A handout that runs a little over a page leaves its last lines alone on the next sheet, and
a facilitator prints, copies and hands out a page that is nearly blank; a plan that does the
same wastes a sheet in every pack. Chromium tells a
script nothing about its pages, so fitting takes two looks:

1. before printing, each handout's height at the page's width (print styles on) stands in
   for its pages: a little over a whole number of pages, or just under one, and the handout
   is set a little tighter (`fh-snug` in print.css; the room to write stays above 8 mm);
2. after printing, the PDF itself says which handout still ends on a near-empty page
   (facilitator.printing.paper); those are set tighter still (`fh-snugger`) and the
   document is printed once more.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from facilitator.printing.engine import same_heading
from facilitator.printing.paper import is_spill
from facilitator.printing.pdfpage import PrintedPdf

# A handout whose last page would hold less than this share of a page is set tighter.
SPILL_SHARE = 0.2
# What starts on a page of its own and may end on a near-empty one: a handout, a module's plan
# (in a print pack and in the book).
SECTIONS = ".fh-handout, .fh-plan, .fh-module"

# Every section's first heading, setting tighter the handouts whose height is a little over
# a whole number of pages, or just under one (the estimate leaves out the gaps that blocks
# kept whole leave at the foot of a page, which add up over a long plan).
ESTIMATE = """([share, sections]) => {
    const probe = document.createElement('div');
    probe.style.height = 'var(--fh-page-height, 261mm)';
    document.body.appendChild(probe);
    const page = probe.getBoundingClientRect().height;
    probe.remove();
    const found = [];
    document.querySelectorAll(sections).forEach((section, index) => {
        section.dataset.fit = String(index);
        const pages = section.getBoundingClientRect().height / page;
        const over = pages - Math.floor(pages);
        const short = section.matches('.fh-handout');  // long plans: the gaps add up
        if (short && pages > 0.9 && (over < share || over > 0.9)) section.classList.add('fh-snug');
        const heading = section.querySelector('h1, h2, h3, h4');
        found.push(heading ? heading.textContent : '');
    });
    return found;
}"""
TIGHTEN = """(indexes) => {
    for (const index of indexes) {
        const section = document.querySelector(`[data-fit="${index}"]`);
        section.classList.add(section.classList.contains('fh-snug') ? 'fh-snugger' : 'fh-snug');
    }
}"""


class Tab(Protocol):
    """What fitting needs of the printer's open tab (engine.Printer)."""

    def evaluate(self, script: str, arg: object = None) -> object: ...
    def print_loaded(self) -> bytes: ...
    def print_view(self) -> None: ...
    def screen_view(self) -> None: ...


@dataclass(frozen=True)
class Fitted:
    pdf: bytes
    tightened: list[str]  # the first heading of each section set tighter after printing


def estimate(tab: Tab) -> list[str]:
    """Mark the sections that look like spilling; the first heading of every section."""
    tab.print_view()
    try:
        titles = tab.evaluate(ESTIMATE, [SPILL_SHARE, SECTIONS])
    finally:
        tab.screen_view()
    assert isinstance(titles, list)
    return [" ".join(str(title).split()) for title in titles]


def spilled(pdf: bytes, titles: list[str]) -> list[int]:
    """Indexes of the sections (by their first heading) whose last page is a spill page."""
    with PrintedPdf(pdf) as printed:
        starts: list[tuple[int, int]] = []  # (first page, section index), in order
        marks = iter(printed.headings)
        for index, title in enumerate(titles):
            for mark in marks:
                if same_heading(mark.title, title):
                    starts.append((mark.page + 1, index))
                    break
        found = []
        for position, (first, index) in enumerate(starts):
            after = starts[position + 1][0] if position + 1 < len(starts) else printed.count + 1
            if after - 1 > first and is_spill(printed, after - 1):
                found.append(index)
    return found


def print_fitted(tab: Tab) -> Fitted:
    """Print the open document with its sections fitted to their pages."""
    titles = estimate(tab)
    pdf = tab.print_loaded()
    if not titles:
        return Fitted(pdf, [])
    again = spilled(pdf, titles)
    if not again:
        return Fitted(pdf, [])
    tab.evaluate(TIGHTEN, again)
    return Fitted(tab.print_loaded(), [titles[i] for i in again])
