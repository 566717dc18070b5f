"""Reading an uploaded CSV file: its text, its header, then its rows one at a time.

Rows are streamed from the text, never gathered: an import reads the file twice (check every
row, then write), holding only what the checks need in between.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence

from flask_babel import gettext as _

from tracker.problems import Problem

# A file's problems listed on the page; more than this are counted, not listed.
PROBLEMS_LISTED = 200


class Problems:
    """A file's problems in row order, the first PROBLEMS_LISTED of them kept."""

    def __init__(self) -> None:
        self.listed: list[Problem] = []
        self.more = 0

    def add(self, *problems: Problem) -> None:
        for problem in problems:
            if len(self.listed) < PROBLEMS_LISTED:
                self.listed.append(problem)
            else:
                self.more += 1

    def __bool__(self) -> bool:
        return bool(self.listed)

    def all(self) -> list[Problem]:
        if not self.more:
            return list(self.listed)
        more = _("%(n)d more problems are not listed: fix these and import again.", n=self.more)
        return [*self.listed, Problem("file", more)]


def decode(data: bytes) -> str | Problem:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return Problem("file", _("The file is not UTF-8 text: save it as 'CSV UTF-8'."))


def header_row(columns: Sequence[str]) -> str:
    """A template: the header row, as a spreadsheet writes it."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(columns)
    return buffer.getvalue()


def read_header(text: str, required: Sequence[str], problems: Problems) -> list[str] | None:
    """The file's column names (stripped), or None with the problems of a header that
    lacks a required column or names one twice."""
    try:
        first = next(csv.reader(io.StringIO(text)), [])
    except csv.Error:
        first = []
    header = [name.strip() for name in first]
    missing = [name for name in required if name not in header]
    twice = sorted({name for name in header if name and header.count(name) > 1})
    problems.add(
        *(Problem(name, _("This column is missing from the header."), 1) for name in missing),
        *(Problem(name, _("This column is in the header twice."), 1) for name in twice),
    )
    return None if missing or twice else header


def rows(text: str, header: list[str], problems: Problems) -> Iterator[tuple[int, dict[str, str]]]:
    """(row number, {column: stripped cell}) for every row that is not blank; the header is
    row 1. A row with more cells than the header, or that is not CSV, is a problem."""
    reader = csv.reader(io.StringIO(text))
    width = len(header)
    number = 1
    try:
        next(reader, None)
        for number, cells in enumerate(reader, start=2):
            stripped = list(map(str.strip, cells))
            if len(stripped) > width and any(stripped[width:]):
                message = _("This row has more cells than the header has columns.")
                problems.add(Problem("row", message, number))
                continue
            if not any(stripped):
                continue  # a blank line in the stack
            if len(stripped) < width:
                stripped += [""] * (width - len(stripped))
            yield number, dict(zip(header, stripped, strict=False))
    except csv.Error:
        message = _("The file cannot be read as CSV after this row: save it again as 'CSV UTF-8'.")
        problems.add(Problem("file", message, number))
