"""Submissions from phones: the CSV that ODK Central or KoboToolbox exports, imported through
the same all-or-nothing import as typed paper forms.

One mapping step (tracker.records.imports.exports) reads the export against the form the
tracker wrote (facilitator.xlsform): it drops the servers' own columns, strips group paths,
reads choices written as names or as labels in any language, checks each submission's form
version and instance id, and writes the paper form's CSV, row for row, so that every problem
keeps the row number the coordinator sees in her spreadsheet. The rows then go to the paper
importers (assessments, evaluations): the same checks, messages, care follow-ups, and the
same "importing again changes nothing". An evaluation is keyed by its submission's instance
id; an assessment, as on paper, by participant and timepoint.

The export layouts followed, from the tools' own sources and tests:

- ODK Central: getodk/central-backend, lib/data/briefcase.js (streamBriefcaseCsvs: the root
  table starts with SubmissionDate; group paths joined with "-", or bare names when group
  paths are left out; a select_multiple is one space-separated column, then a `name/value`
  column of 1 or 0 per choice when the export splits them; then KEY (the instance id,
  uuid:...), SubmitterID, SubmitterName, AttachmentsPresent, AttachmentsExpected, Status,
  ReviewState, DeviceID, Edits, FormVersion) and test/unit/data/briefcase.js.
- KoboToolbox: kobotoolbox/kpi, kpi/models/import_export_task.py (the columns after the
  questions: _id, _uuid, _submission_time, _validation_status, _notes, _status,
  _submitted_by, __version__, _tags, meta/rootUuid, then _index) and
  kpi/tests/test_mock_data_exports.py (";" between cells, every cell quoted; headers and
  values as XML names or as labels of one language; group_sep "/" by default; an optional
  row of #tags under the header; a select_multiple as a summary column and a
  `question/option` column of 1 or 0 per choice); kobotoolbox/formpack,
  src/formpack/schema/fields.py (a summary in labels is the labels joined by spaces).
"""

from __future__ import annotations

import io
import zipfile
from collections import Counter
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _

from facilitator import xlsform
from tracker import content
from tracker.models import Cohort
from tracker.problems import Problem
from tracker.records import assessments as assessment_records
from tracker.records import evaluations as evaluation_records
from tracker.records.imports.assessments import AssessmentRows
from tracker.records.imports.evaluations import EvaluationRows
from tracker.records.imports.exports import Export, read_export
from tracker.records.imports.reading import decode
from tracker.records.imports.running import ImportResult, RowImporter, cohort_codes, run


@dataclass(frozen=True)
class CollectResult:
    result: ImportResult
    tool: str = ""  # "ODK Central" or "KoboToolbox"
    left_out: int = 0  # submissions rejected in the server's review: not imported


class _Submissions(RowImporter[Any]):
    """A paper importer, with the rows the mapping step already found wrong: those rows are
    named with that problem only (one mistake, one message), the others checked as paper."""

    def __init__(self, rows: RowImporter[Any], found: Mapping[int, list[Problem]]) -> None:
        super().__init__(rows.cohort)
        self.rows = rows
        self.found = found
        self.entity = rows.entity
        self.required = rows.required

    def check_header(self, header: list[str]) -> list[Problem]:
        return self.rows.check_header(header)

    def check(self, number: int, row: Mapping[str, str]) -> Any:
        return self.found.get(number) or self.rows.check(number, row)

    def key(self, entry: Any) -> Hashable:
        return self.rows.key(entry)

    def duplicate(self, entry: Any, first: int, number: int) -> Problem:
        return self.rows.duplicate(entry, first, number)

    def write(self, chunk: list[Any], tally: Counter[str]) -> None:
        self.rows.write(chunk, tally)

    def finish(self, tally: Counter[str]) -> None:
        self.rows.finish(tally)


def form_for(kind: str, ref: str, cohort: Cohort | None = None) -> xlsform.XLSForm:
    """The XLSForm of an instrument (assessments) or an evaluation form, for a cohort's codes
    when given; its questions and version do not depend on the codes."""
    loaded = content.content()
    codes = sorted(cohort_codes(cohort)) if cohort is not None else []
    name = cohort.name if cohort is not None else ""
    cohort_id = cohort.id if cohort is not None else None
    build = xlsform.instrument_form if kind == "assessments" else xlsform.evaluation_form
    return build(loaded, ref, codes=codes, cohort=name, cohort_id=cohort_id)


def check(cohort: Cohort, kind: str, ref: str) -> list[Problem]:
    if kind == "assessments":
        return assessment_records.check_instrument(cohort, ref)
    if kind == "evaluations":
        return evaluation_records.check_form(cohort, ref)
    return [Problem("questionnaire", _("Choose a questionnaire."))]


def import_submissions(
    cohort: Cohort, kind: str, ref: str, text: str, max_rows: int
) -> CollectResult:
    """Import an ODK Central or KoboToolbox export of `ref`'s submissions into `cohort`: all
    rows or none; the same export again changes nothing."""
    problems = check(cohort, kind, ref)
    if problems:
        return CollectResult(ImportResult(0, problems))
    form = form_for(kind, ref)
    export = read_export(form, text, kind)
    if export.problems:
        return CollectResult(ImportResult(0, export.problems), export.tool)
    rows: RowImporter[Any] = (
        AssessmentRows(cohort, ref) if kind == "assessments" else EvaluationRows(cohort, ref)
    )
    result = run(_Submissions(rows, export.rows), export.text, max_rows, _detail(ref, export))
    ordered = sorted(result.problems, key=lambda p: p.row or 0)
    if ordered != result.problems:
        result = ImportResult(result.rows, ordered, result.new, result.changed, result.unchanged)
    return CollectResult(result, export.tool, export.left_out)


def export_text(data: bytes, limit: int) -> str | Problem:
    """The export's text. ODK Central downloads a zip holding the form's CSV (and one per
    repeat group, named after it): the root table is the CSV with the shortest name."""
    if data[:4] != b"PK\x03\x04":
        return decode(data)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = [n for n in archive.namelist() if n.lower().endswith(".csv")]
        if not names:
            return Problem("file", _("This zip file holds no CSV file: upload the export."))
        with archive.open(min(names, key=len)) as unpacked:
            text = unpacked.read(limit + 1)  # never more than an upload may be, whatever it says
        if len(text) > limit:
            message = _("The CSV file in this zip is too large: export fewer submissions at once.")
            return Problem("file", message)
        return decode(text)
    except (zipfile.BadZipFile, OSError, RuntimeError):
        return Problem("file", _("This zip file cannot be opened: download the export again."))


def _detail(ref: str, export: Export) -> str:
    return f"{ref} ({export.tool})"
