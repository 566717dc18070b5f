"""An ODK Central or KoboToolbox CSV export read against the XLSForm that made it: which
column is which question, and each submission as a row of the paper form's CSV.

Rows keep their numbers (the header is row 1): a row left out (rejected in the server's
review, or KoboToolbox's row of #tags) becomes a blank line, which the paper import skips but
counts. The layouts followed are listed in tracker.records.imports.collect.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from flask_babel import gettext as _

from facilitator import csvlayout
from facilitator.xlsform import VERSION_COLUMN, Question, XLSForm
from tracker.problems import Problem

ODK, KOBO = "ODK Central", "KoboToolbox"
# The separators an export may put between group names, and between a select_multiple's
# name and a choice in its split columns: ODK Central "-" and "/", KoboToolbox "/" unless the
# person exporting chose another.
SEPARATORS = ("/", "-", ".", ":", "::", "%", "|", " / ")
# A submission's id, kept when it is edited on the server: ODK Central's KEY is the first
# instance id of the submission; KoboToolbox's meta/rootUuid likewise, where _uuid follows the
# latest edit (older KoboToolbox exports have _uuid only).
INSTANCE_COLUMNS = {
    ODK: ("KEY", "meta-instanceID", "instanceID"),
    KOBO: ("meta/rootUuid", "_uuid", "meta/instanceID", "instanceID"),
}
REJECTED = {
    ODK: ("ReviewState", {"rejected"}),
    KOBO: ("_validation_status", {"validation_status_not_approved", "not approved"}),
}
TICKED = {"1", "true", "yes"}  # a split select_multiple column's "chosen"


@dataclass
class Export:
    tool: str = ""
    text: str = ""  # the paper form's CSV, row for row
    rows: dict[int, list[Problem]] = field(default_factory=dict)  # problems found here, by row
    problems: list[Problem] = field(default_factory=list)  # problems with the whole file
    left_out: int = 0


@dataclass(frozen=True)
class _Column:
    question: Question
    choice: str | None = None  # a split select_multiple column: which choice it ticks


def read_export(form: XLSForm, text: str, kind: str) -> Export:
    found = _layout(text)
    if found is None:
        message = _(
            "This file is not an export from ODK Central or KoboToolbox: its first row has "
            "neither SubmissionDate and KEY (ODK Central) nor _uuid (KoboToolbox). Download "
            "the CSV export of the submissions again; a typed paper form goes to Import CSV."
        )
        return Export(problems=[Problem("file", message)])
    tool, delimiter, header = found
    reader = _Reader(form, tool, header, kind)
    export = Export(tool=tool, problems=reader.file_problems())
    if export.problems:
        return export
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(reader.paper_columns)
    for number, cells in _records(text, delimiter):
        paper = reader.paper_row(number, cells, export)
        if paper is None:
            buffer.write("\r\n")  # left out, its number kept
        else:
            writer.writerow(paper)
    export.text = buffer.getvalue()
    return export


def _layout(text: str) -> tuple[str, str, list[str]] | None:
    """(tool, delimiter, header) of an export; KoboToolbox writes ';' unless asked for ','."""
    for delimiter in (",", ";"):
        try:
            first = next(csv.reader(io.StringIO(text), delimiter=delimiter), [])
        except csv.Error:
            continue
        header = [name.strip() for name in first]
        if header and header[0] == "SubmissionDate" and "KEY" in header:
            return ODK, delimiter, header
        if "_uuid" in header or "_submission_time" in header:
            return KOBO, delimiter, header
    return None


def _records(text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    next(reader, None)
    for number, cells in enumerate(reader, start=2):
        yield number, [cell.strip() for cell in cells]


class _Reader:
    """One export's header, understood: the question each column answers."""

    def __init__(self, form: XLSForm, tool: str, header: list[str], kind: str) -> None:
        self.form = form
        self.tool = tool
        self.header = header
        self.kind = kind
        targets = _targets(form)
        self.columns = {i: targets[name] for i, name in enumerate(header) if name in targets}
        self.instance = _first(header, INSTANCE_COLUMNS[tool])
        self.version = self._version_index()
        self.review = _first(header, (REJECTED[tool][0],))
        self.status = _first(header, ("Status",)) if tool == ODK else None
        self.seen: dict[str, int] = {}
        answered = {c.question.column for c in self.columns.values()}
        fixed = [c for c in _paper_columns(form, kind) if c in answered]
        # Columns the phone form does not ask for: the serial (the instance id, below) and
        # an evaluation's other_text when the form offers no 'other'.
        extra = ["serial"] if kind == "evaluations" else []
        if kind == "evaluations" and "other_text" not in {q.column for q in form.questions}:
            extra.append("other_text")
        self.paper_columns = fixed + extra

    def _version_index(self) -> int | None:
        ours = [i for i, c in self.columns.items() if c.question.column == VERSION_COLUMN]
        if ours:
            return ours[0]
        return _first(self.header, ("FormVersion",)) if self.tool == ODK else None

    def file_problems(self) -> list[Problem]:
        problems = []
        if not any(c.question.group for c in self.columns.values()):  # no item, no choices
            message = _(
                "None of this questionnaire's questions is a column of this export: choose "
                "the questionnaire the export is for."
            )
            return [Problem("file", message)]
        if self.instance is None:
            message = _(
                "This export has no column with each submission's id (KEY in ODK Central, "
                "_uuid in KoboToolbox): export it again with every column."
            )
            problems.append(Problem("file", message))
        if self.version is None:
            message = _(
                "This export has no form_version column, so the tracker cannot tell which "
                "version of the form the answers were given on: export it again with every "
                "column."
            )
            problems.append(Problem("file", message))
        return problems

    def paper_row(self, number: int, cells: list[str], export: Export) -> list[str] | None:
        """The submission as a paper form's row, or None when it is left out (not a
        submission, or rejected in review). Problems of its own go to export.rows."""
        if not any(cells) or _is_tag_row(cells):
            return None
        if self.review is not None and _cell(cells, self.review).lower() in REJECTED[self.tool][1]:
            export.left_out += 1
            return None
        instance = _instance_id(_cell(cells, self.instance))
        problems = self._submission_problems(number, instance, cells)
        if problems:
            export.rows[number] = problems
        answers = self._answers(cells)
        answers["serial"] = instance
        return [answers.get(column, "") for column in self.paper_columns]

    def _submission_problems(self, number: int, instance: str, cells: list[str]) -> list[Problem]:
        if self.status is not None and _cell(cells, self.status):
            message = _(
                "This submission is encrypted and the export could not read it: export it "
                "again with the form's passphrase."
            )
            return [Problem("submission", message, number)]
        if not instance:
            message = _(
                "This submission has no id (its KEY or _uuid cell is empty): export the file "
                "again with every column."
            )
            return [Problem("submission", message, number)]
        first = self.seen.setdefault(instance, number)
        if first != number:
            message = _(
                "This is the same submission as row %(first)d: each submission once, please.",
                first=first,
            )
            return [Problem("submission", message, number)]
        found = _cell(cells, self.version)
        if found.split("-", 1)[0] != self.form.content_version:
            return [Problem(VERSION_COLUMN, self._version_message(found), number)]
        return []

    def _version_message(self, found: str) -> str:
        if not found:
            return _(
                "This submission carries no form version: it was not made with a form "
                "downloaded from the tracker, so it is not imported."
            )
        return _(
            "This submission was made with another version of the form (%(found)s), not the "
            "one the tracker has now (%(expected)s): its questions may differ, so it is not "
            "imported. Put the form from the tracker on the phones again; if these answers "
            "are needed, enter them by hand.",
            found=found.split("-", 1)[0],
            expected=self.form.content_version,
        )

    def _answers(self, cells: list[str]) -> dict[str, str]:
        """Paper column -> value: choices as their names, several joined by ';'."""
        summaries: dict[str, str] = {}
        ticked: dict[str, list[str]] = {}
        split: set[str] = set()
        questions: dict[str, Question] = {}
        for index, column in self.columns.items():
            question = column.question
            questions[question.column] = question
            value = _cell(cells, index)
            if column.choice is None:
                summaries[question.column] = value
            else:
                split.add(question.column)
                if value.lower() in TICKED:
                    ticked.setdefault(question.column, []).append(column.choice)
        out: dict[str, str] = {}
        for name, question in questions.items():
            if not question.multiple:
                out[name] = self._single(question, summaries.get(name, ""))
            elif name in summaries and (summaries[name] or name not in split):
                out[name] = csvlayout.CHOICE_SEPARATOR.join(
                    self._several(question, summaries[name])
                )
            else:
                out[name] = csvlayout.CHOICE_SEPARATOR.join(ticked.get(name, []))
        return out

    def _single(self, question: Question, value: str) -> str:
        if question.list_name is None or not value:
            return value
        names, labels = _choice_names(self.form, question.list_name)
        if value in names:
            return value
        return labels.get(value, value)  # not a choice: the paper import names the cell

    def _several(self, question: Question, value: str) -> list[str]:
        assert question.list_name is not None
        names, labels = _choice_names(self.form, question.list_name)
        tokens = value.split()
        if all(token in names for token in tokens):
            return tokens
        return _split_labels(value, labels) or tokens


def _targets(form: XLSForm) -> dict[str, _Column]:
    """Every way an export may head a question's column: its name, with its group path or
    without, or its label in any language (with the group labels or without); and for a
    select_multiple, each choice's split column. Names first: a label never hides a name."""
    targets: dict[str, _Column] = {}
    headings = {q.name: (_name_forms(q), _label_forms(q)) for q in form.questions}
    for question in form.questions:
        for heading in headings[question.name][0]:
            targets.setdefault(heading, _Column(question))
    for question in form.questions:
        for heading in headings[question.name][1]:
            targets.setdefault(heading, _Column(question))
    for question in form.questions:
        if not question.multiple or question.list_name is None:
            continue
        bases = [*headings[question.name][0], *headings[question.name][1]]
        for choice in form.choices[question.list_name]:
            for written in (choice.name, *choice.labels.values()):
                for base in bases:
                    for separator in SEPARATORS:
                        targets.setdefault(
                            base + separator + written, _Column(question, choice.name)
                        )
    return targets


def _name_forms(question: Question) -> list[str]:
    path = (*question.group, question.name)
    return [question.name, *(separator.join(path) for separator in SEPARATORS)]


def _label_forms(question: Question) -> list[str]:
    forms = []
    for code, label in question.labels.items():
        groups = [labels.get(code, "") for labels in question.group_labels]
        forms.append(label)
        forms += [separator.join([*groups, label]) for separator in SEPARATORS]
    return forms


def _choice_names(form: XLSForm, list_name: str) -> tuple[set[str], dict[str, str]]:
    """A list's choice names, and label (any language) -> name for labels that say one
    thing only."""
    listed = form.choices.get(list_name, [])
    names = {choice.name for choice in listed}
    meaning: dict[str, set[str]] = {}
    for choice in listed:
        for label in choice.labels.values():
            meaning.setdefault(label.strip(), set()).add(choice.name)
    labels = {label: next(iter(said)) for label, said in meaning.items() if len(said) == 1}
    return names, labels


def _split_labels(value: str, labels: dict[str, str]) -> list[str] | None:
    """A summary of labels joined by spaces (KoboToolbox's, with labels) as choice names:
    labels have spaces of their own, so the whole text is matched label by label."""
    ordered = sorted(labels, key=len, reverse=True)

    def parse(at: int) -> list[str] | None:
        if at == len(value):
            return []
        for label in ordered:
            end = at + len(label)
            if value.startswith(label, at) and (end == len(value) or value[end] == " "):
                rest = parse(end + 1 if end < len(value) else end)
                if rest is not None:
                    return [labels[label], *rest]
        return None

    return parse(0) if value else None


def _paper_columns(form: XLSForm, kind: str) -> list[str]:
    if kind == "assessments":
        items = [q.column for q in form.questions if q.group]
        return [*csvlayout.ASSESSMENT_COLUMNS, *items]
    return [c for c in csvlayout.EVALUATION_COLUMNS if c != csvlayout.EVALUATION_SERIAL]


def _first(header: Sequence[str], names: Sequence[str]) -> int | None:
    for name in names:
        if name in header:
            return header.index(name)
    return None


def _cell(cells: list[str], index: int | None) -> str:
    return cells[index] if index is not None and index < len(cells) else ""


def _instance_id(value: str) -> str:
    """uuid:48583952-... (ODK Central's KEY) and 48583952-... (KoboToolbox's _uuid) alike."""
    return value.removeprefix("uuid:").strip()


def _is_tag_row(cells: list[str]) -> bool:
    """KoboToolbox's optional second header row of HXL #tags."""
    filled = [cell for cell in cells if cell]
    return bool(filled) and all(cell.startswith("#") for cell in filled)
