"""One import, all or nothing and idempotent, in bounded memory.

First every row is checked, and rows that say the same thing twice (the same participant's
pre answers, the same mark) are named with both row numbers. With any problem nothing is
written. Else the file is read again and written in chunks of a few thousand rows, each a
few bulk statements, all in one transaction: rows already stored as they are stay untouched,
rows that differ are changed in place. Only when something changed is the import audited
and committed, so importing the same file twice changes nothing at all.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from tracker.db import db
from tracker.models import Cohort, Membership, Participant
from tracker.problems import Problem
from tracker.records import audit
from tracker.records.imports.reading import Problems, read_header, rows
from tracker.records.values import parse_code

CHUNK = 2000  # rows written per round of bulk statements

Entry = TypeVar("Entry")


@dataclass(frozen=True)
class ImportResult:
    rows: int
    problems: list[Problem]
    new: int = 0
    changed: int = 0
    unchanged: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def nothing_changed(self) -> bool:
        return self.ok and not (self.new or self.changed)


class RowImporter(Generic[Entry]):
    """What one kind of file holds: its columns, how a row is checked, when two rows say
    the same thing, and how a chunk of checked rows is written (no commit)."""

    entity = ""  # the audit trail's name for what is imported
    required: tuple[str, ...] = ()

    def __init__(self, cohort: Cohort) -> None:
        self.cohort = cohort

    def check_header(self, header: list[str]) -> list[Problem]:
        return []

    def check(self, number: int, row: Mapping[str, str]) -> Entry | list[Problem]:
        raise NotImplementedError

    def key(self, entry: Entry) -> Hashable:
        """Two rows with the same key are one row given twice."""
        raise NotImplementedError

    def duplicate(self, entry: Entry, first: int, number: int) -> Problem:
        raise NotImplementedError

    def write(self, chunk: list[Entry], tally: Counter[str]) -> None:
        raise NotImplementedError

    def finish(self, tally: Counter[str]) -> None:
        """After the last chunk, before the commit."""

    def audited(self, detail: str, counts: str) -> None:
        """The import in the audit trail, under its cohort."""
        said = f"{detail}: {counts}"
        audit.record(
            "import",
            self.entity,
            self.cohort.id,
            self.cohort.organisation_id,
            said,
            cohort_id=self.cohort.id,
        )


def run(importer: RowImporter[Entry], text: str, max_rows: int, detail: str) -> ImportResult:
    problems = Problems()
    header = read_header(text, importer.required, problems)
    if header is None:
        return ImportResult(0, problems.all())
    problems.add(*importer.check_header(header))
    count = _check_rows(importer, text, header, max_rows, problems)
    if not count and not problems:
        problems.add(Problem("file", _("The file has a header but no rows.")))
    if problems:
        return ImportResult(count, problems.all())
    tally: Counter[str] = Counter()
    try:
        _write_rows(importer, text, header, tally)
    except IntegrityError:  # someone saved the same records meanwhile
        db.session.rollback()
        message = _("These records were changed by someone else meanwhile: import the file again.")
        return ImportResult(count, [Problem("file", message)])
    result = ImportResult(count, [], tally["new"], tally["changed"], tally["unchanged"])
    if result.nothing_changed:
        db.session.rollback()
        return result
    importer.audited(detail, f"{count} rows, {result.new} new, {result.changed} changed")
    db.session.commit()
    return result


def _check_rows(
    importer: RowImporter[Entry], text: str, header: list[str], max_rows: int, problems: Problems
) -> int:
    seen: dict[Hashable, int] = {}
    count = 0
    for number, row in rows(text, header, problems):
        count += 1
        if count > max_rows:
            message = _(
                "The file has more than %(n)d rows: split it into smaller files.", n=max_rows
            )
            problems.add(Problem("file", message, number))
            break
        entry = importer.check(number, row)
        if isinstance(entry, list):
            problems.add(*entry)
            continue
        first = seen.setdefault(importer.key(entry), number)
        if first != number:
            problems.add(importer.duplicate(entry, first, number))
    return count


def _write_rows(
    importer: RowImporter[Entry], text: str, header: list[str], tally: Counter[str]
) -> None:
    chunk: list[Entry] = []
    for number, row in rows(text, header, Problems()):
        entry = importer.check(number, row)
        assert not isinstance(entry, list), entry  # checked before
        chunk.append(entry)
        if len(chunk) == CHUNK:
            importer.write(chunk, tally)
            chunk = []
    if chunk:
        importer.write(chunk, tally)
    importer.finish(tally)


# ---------------------------------------------------------------- who is in the cohort


def cohort_codes(cohort: Cohort) -> dict[str, int]:
    """The cohort's participants: code -> id."""
    found = db.session.execute(
        select(Participant.code, Participant.id)
        .join(Membership, Membership.participant_id == Participant.id)
        .where(Membership.cohort_id == cohort.id)
    )
    return {code: pid for code, pid in found}


def member(code_text: str, members: Mapping[str, int], row: int) -> int | Problem:
    found = members.get(code_text.upper())  # the cohort's codes are all well formed
    if found is not None:
        return found
    code = parse_code(code_text, "participant_code", row)
    if isinstance(code, Problem):
        return code
    if code not in members:
        return Problem("participant_code", _("%(code)s is not in this cohort.", code=code), row)
    return members[code]
