"""The XLSForm workbook: its survey, choices and settings sheets, and what each answer
column of an export holds. Built by facilitator.xlsform; read back by the tracker's import.

A translated column is written once per language, `label::বাংলা (bn)` and the like, in the
curriculum's order (the XLSForm specification's multi-language columns).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from openpyxl import Workbook

SURVEY_COLUMNS = (
    "type",
    "name",
    "label",
    "hint",
    "guidance_hint",
    "required",
    "relevant",
    "constraint",
    "constraint_message",
    "appearance",
    "default",
    "calculation",
)
TRANSLATED = {"label", "hint", "guidance_hint", "constraint_message"}


@dataclass(frozen=True)
class Choice:
    name: str
    labels: dict[str, str]  # language code -> label


@dataclass(frozen=True)
class Question:
    """One answer column of an export: where the question sits and what it fills."""

    name: str  # the question's name in the form (the export's XML header)
    column: str  # the tracker's CSV column it fills
    labels: dict[str, str]  # language code -> label
    group: tuple[str, ...] = ()  # names of the groups above it
    group_labels: tuple[dict[str, str], ...] = ()
    list_name: str | None = None
    multiple: bool = False


@dataclass
class XLSForm:
    form_id: str
    title: str
    version: str  # "<content>-<form>": the first part is the instrument's own hash
    languages: list[tuple[str, str]]  # (code, "Name (code)") in curriculum order
    survey: list[dict[str, Any]] = field(default_factory=list)
    choices: dict[str, list[Choice]] = field(default_factory=dict)
    questions: list[Question] = field(default_factory=list)
    settings: dict[str, str] = field(default_factory=dict)

    @property
    def content_version(self) -> str:
        return self.version.split("-", 1)[0]

    def workbook(self) -> bytes:
        """The XLSForm as an .xlsx file."""
        book = Workbook()
        survey = book.active
        assert survey is not None
        survey.title = "survey"
        columns = self._columns(SURVEY_COLUMNS, self.survey)
        survey.append([header for header, _, _ in columns])
        for row in self.survey:
            survey.append([_cell(row, key, lang) for _, key, lang in columns])
        choices = book.create_sheet("choices")
        choices.append(["list_name", "name", *(f"label::{suffix}" for _, suffix in self.languages)])
        for list_name, listed in self.choices.items():
            for choice in listed:
                labels = [choice.labels[code] for code, _ in self.languages]
                choices.append([list_name, choice.name, *labels])
        settings = book.create_sheet("settings")
        settings.append(list(self.settings))
        settings.append(list(self.settings.values()))
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()

    def _columns(
        self, keys: Sequence[str], rows: list[dict[str, Any]]
    ) -> list[tuple[str, str, str | None]]:
        """(header, key, language) for each column some row fills: a translated column once
        per language."""
        out: list[tuple[str, str, str | None]] = []
        for key in keys:
            if not any(row.get(key) for row in rows):
                continue
            if key in TRANSLATED:
                out += [(f"{key}::{suffix}", key, code) for code, suffix in self.languages]
            else:
                out.append((key, key, None))
        return out


def _cell(row: dict[str, Any], key: str, lang: str | None) -> str:
    value = row.get(key)
    if isinstance(value, dict):
        return str(value.get(lang, ""))
    return "" if value is None else str(value)
