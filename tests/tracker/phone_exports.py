"""A phone and its server, for tests: read an XLSForm as a phone app loads it, then write
its submissions as ODK Central or KoboToolbox export them to CSV.

The layouts follow the tools' own sources and tests (listed in
tracker.records.imports.collect): ODK Central's lib/data/briefcase.js, KoboToolbox's
kpi/tests/test_mock_data_exports.py and formpack's select_multiple formatting.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

from openpyxl import load_workbook

ODK_TRAILER = (
    "KEY", "SubmitterID", "SubmitterName", "AttachmentsPresent", "AttachmentsExpected",
    "Status", "ReviewState", "DeviceID", "Edits", "FormVersion",
)  # fmt: skip
KOBO_TRAILER = (
    "_id", "_uuid", "_submission_time", "_validation_status", "_notes", "_status",
    "_submitted_by", "__version__", "_tags", "meta/rootUuid", "_index",
)  # fmt: skip


@dataclass(frozen=True)
class Field:
    path: tuple[str, ...]  # the groups above it
    name: str
    kind: str  # the XLSForm type, such as "select_one scale"
    labels: dict[str, str]  # language suffix ("বাংলা (bn)") -> label
    group_labels: tuple[dict[str, str], ...] = ()

    @property
    def list_name(self) -> str:
        return self.kind.split(" ", 1)[1] if " " in self.kind else ""

    @property
    def multiple(self) -> bool:
        return self.kind.startswith("select_multiple")


@dataclass
class Phone:
    """The form as loaded: its fields in order (pyxform's meta group last), choices, version."""

    fields: list[Field]
    choices: dict[str, list[tuple[str, dict[str, str]]]]
    version: str
    form_id: str
    languages: list[str] = field(default_factory=list)

    def label(self, list_name: str, name: str, language: str) -> str:
        return next(labels[language] for n, labels in self.choices[list_name] if n == name)

    def language(self, code: str) -> str:
        return next(suffix for suffix in self.languages if suffix.endswith(f"({code})"))


def _sheet_rows(book: Any, name: str) -> list[dict[str, str]]:
    rows = list(book[name].iter_rows(values_only=True))
    header = [str(h) for h in rows[0]]
    return [
        {h: "" if v is None else str(v) for h, v in zip(header, row, strict=True)}
        for row in rows[1:]
    ]


def load(data: bytes) -> Phone:
    book = load_workbook(io.BytesIO(data))
    survey, choices = _sheet_rows(book, "survey"), _sheet_rows(book, "choices")
    settings = _sheet_rows(book, "settings")[0]
    languages = [h.removeprefix("label::") for h in choices[0] if h.startswith("label::")]
    fields: list[Field] = []
    groups: list[dict[str, str]] = []

    def labels_of(row: dict[str, str]) -> dict[str, str]:
        return {lang: row.get(f"label::{lang}", "") for lang in languages}

    for row in survey:
        if row["type"] == "begin_group":
            groups.append(row)
        elif row["type"] == "end_group":
            groups.pop()
        else:
            path = tuple(g["name"] for g in groups)
            group_labels = tuple(labels_of(g) for g in groups)
            fields.append(Field(path, row["name"], row["type"], labels_of(row), group_labels))
    # pyxform adds the meta group: the instance id, and the instance name the settings ask for
    fields.append(Field(("meta",), "instanceID", "text", {}))
    if settings.get("instance_name"):
        fields.append(Field(("meta",), "instanceName", "text", {}))
    listed: dict[str, list[tuple[str, dict[str, str]]]] = {}
    for row in choices:
        listed.setdefault(row["list_name"], []).append((row["name"], labels_of(row)))
    return Phone(fields, listed, settings["version"], settings["form_id"], languages)


def _value(phone: Phone, f: Field, submission: dict[str, str]) -> str:
    if f.name == "form_version":
        return submission.get("form_version", phone.version)
    if f.name == "instanceID":
        return submission["instanceID"]
    return submission.get(f.name, "")


def odk_central(
    phone: Phone, submissions: list[dict[str, str]], *, split: bool = False, groups: bool = True
) -> str:
    """briefcase.js: SubmissionDate; every field (group paths joined by '-', or bare); a
    select_multiple's value, then `name/choice` 1 or 0 when split; the trailing metadata."""
    header = ["SubmissionDate"]
    columns: list[tuple[Field, str | None]] = []
    for f in phone.fields:
        base = "-".join((*f.path, f.name)) if groups else f.name
        header.append(base)
        columns.append((f, None))
        if f.multiple and split:
            for name, _labels in phone.choices[f.list_name]:
                header.append(f"{base}/{name}")
                columns.append((f, name))
    header += ODK_TRAILER
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for s in submissions:
        row = ["2025-03-30T10:15:00.000Z"]
        for f, choice in columns:
            value = _value(phone, f, s)
            row.append(value if choice is None else ("1" if choice in value.split() else "0"))
        trailer = {"KEY": s["instanceID"], "AttachmentsPresent": "0", "AttachmentsExpected": "0",
                   "ReviewState": s.get("ReviewState", ""), "Edits": "0",
                   "FormVersion": s.get("FormVersion", phone.version)}  # fmt: skip
        row += [trailer.get(name, "") for name in ODK_TRAILER]
        writer.writerow(row)
    return out.getvalue()


def kobotoolbox(
    phone: Phone,
    submissions: list[dict[str, str]],
    *,
    language: str | None = None,
    delimiter: str = ";",
    groups: bool = False,
    multiple: str = "both",
) -> str:
    """kpi's CSV export: every cell quoted; XML names and values, or labels of `language`;
    group names (or labels) joined by '/' when asked; a select_multiple as a summary and/or a
    `question/choice` column of 1 or 0 per choice; the copy fields at the end."""
    header: list[str] = []
    columns: list[tuple[Field, str | None]] = []
    for f in phone.fields:
        if f.kind == "note" or f.path == ("meta",):
            continue
        if language is None or not f.labels.get(language):
            head = "/".join((*f.path, f.name)) if groups else f.name
        else:
            parts = [g[language] for g in f.group_labels] if groups else []
            head = "/".join([*parts, f.labels[language]])
        if not f.multiple or multiple in ("both", "summary"):
            header.append(head)
            columns.append((f, None))
        if f.multiple and multiple in ("both", "details"):
            for name, labels in phone.choices[f.list_name]:
                header.append(f"{head}/{labels[language] if language else name}")
                columns.append((f, name))
    header += KOBO_TRAILER
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writerow(header)
    for index, s in enumerate(submissions, start=1):
        row = []
        for f, choice in columns:
            value = _value(phone, f, s)
            if choice is not None:
                row.append("" if not value else ("1" if choice in value.split() else "0"))
            elif f.list_name and language and value:
                row.append(" ".join(phone.label(f.list_name, v, language) for v in value.split()))
            else:
                row.append(value)
        uuid = s["instanceID"].removeprefix("uuid:")
        copy = {"_id": str(1000 + index), "_uuid": uuid, "_submission_time": "2025-03-30T10:15:00",
                "_validation_status": s.get("_validation_status", ""),
                "_status": "submitted_via_web", "__version__": "vBh6ZSEYqDzcM3mHxGk5RB",
                "meta/rootUuid": f"uuid:{uuid}", "_index": str(index)}  # fmt: skip
        row += [copy.get(name, "") for name in KOBO_TRAILER]
        writer.writerow(row)
    return out.getvalue()
