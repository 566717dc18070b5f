"""Instruments and evaluation forms as XLSForm workbooks, for ODK Collect and KoboCollect.

Facilitators without internet fill these in on an Android phone; the phone sends the answers
to ODK Central or KoboToolbox when it next has a connection, and the tracker imports the CSV
those servers export (tracker.records.imports.collect). Both ends read the same `XLSForm`:

    form = instrument_form(content, "body-image", codes=["SUR-014"], cohort="Kolkata 2026")
    form.workbook()   # the .xlsx bytes: survey, choices and settings sheets
    form.questions    # what each answer column of an export holds, for the import

The layout follows the XLSForm specification (xlsform.org): one `label::Name (code)` column
per curriculum language, `guidance_hint` for what only the facilitator reads (care notes stay
off the respondent's screen unless the phone is set to show guidance), and a constraint with
`count-selected` for choose-up-to-N. Question names are the paper CSV's columns
(facilitator.csvlayout), so a phone's answers and a typed paper form land in one import.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from typing import Any

from facilitator.care import follow_up_values
from facilitator.load import Content
from facilitator.model import EvaluationForm, Instrument
from facilitator.printing.labels import PRINT_LABELS
from facilitator.xlsformbook import Choice, Question, XLSForm

__all__ = ["Choice", "Question", "XLSForm", "all_forms", "evaluation_form", "instrument_form"]

# Bumped when this module changes the shape of the forms it writes: a new form version.
LAYOUT = "1"
GROUP = "answers"  # the group holding the items, as a real form would: exports show its path
VERSION_COLUMN = "form_version"  # a calculate: every submission carries its form's version
OTHER = "other"
TIMEPOINTS = ("pre", "post", "follow_up")
RETRO = "retro_pre"
# The tracker's participant code (tracker.records.values.CODE_PATTERN: letters, digits and
# hyphens, with at least one digit). Lower case is accepted: the import reads codes in upper
# case. XPath's regex has no look-ahead, so the "one digit" half is its own regex() call.
CODE_CONSTRAINT = "regex(., '^[A-Za-z0-9][A-Za-z0-9-]{1,39}$') and regex(., '[0-9]')"
XML_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9._-]*$")

# Words around the content that the printed forms do not have. As for paper
# (facilitator.printing.labels), curriculum/labels.yaml and its translations win: a translator
# adds these keys there; until then these English words stand in.
FORM_LABELS: dict[str, str] = {
    "code_constraint": "Write the participant's code, such as SUR-014: letters, digits and "
    "hyphens, with at least one digit. Never a name.",
    "date_not_future": "Write the day the answers were given: not a day in the future.",
}

# ---------------------------------------------------------------- building


class _Words:
    """The labels around the content in every language: the curriculum's, then defaults."""

    def __init__(self, content: Content) -> None:
        self.codes = [language.code for language in content.languages]
        defaults = {**PRINT_LABELS, **FORM_LABELS}
        self.by_language = {
            code: {**defaults, **content.localized(code).labels} for code in self.codes
        }

    def __call__(self, key: str, **fill: str) -> dict[str, str]:
        out = {}
        for code in self.codes:
            text = self.by_language[code][key]
            for name, value in fill.items():
                text = text.replace("{" + name + "}", value)
            out[code] = text
        return out

    def same(self, text: str) -> dict[str, str]:
        return dict.fromkeys(self.codes, text)


def question_name(item_id: str) -> str:
    """An item's question name: its id, unless the id cannot be an XML name (a digit first)."""
    return item_id if XML_NAME.match(item_id) else f"item-{item_id}"


def _localized(content: Content, kind: str, ref: str) -> dict[str, Any]:
    codes = [language.code for language in content.languages]
    return {code: getattr(content.localized(code), kind)[ref] for code in codes}


def _hash(*parts: Any) -> str:
    text = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _version(local: dict[str, Any], form_parts: Iterable[Any]) -> str:
    """The instrument's own hash (every language), then one of all else the form shows."""
    content = _hash({code: model.model_dump(mode="json") for code, model in local.items()})
    return f"{content[:10]}-{_hash(LAYOUT, content, *form_parts)[:6]}"


def _languages(content: Content) -> list[tuple[str, str]]:
    # The language's own name, as the curriculum writes it: what Collect's language menu shows.
    return [(lang.code, f"{lang.name} ({lang.code})") for lang in content.languages]


def _code_rows(
    words: _Words, codes: Sequence[str], required: bool
) -> tuple[dict[str, Any], list[Choice]]:
    """The participant code: one of the cohort's codes, or typed with the code's pattern."""
    row: dict[str, Any] = {
        "name": "participant_code",
        "label": words("participant_code"),
        "required": "yes" if required else "",
    }
    if codes:
        row["type"] = "select_one participants"
        row["appearance"] = "minimal"  # a drop-down: a cohort has dozens of codes
        return row, [Choice(code, words.same(code)) for code in codes]
    row["type"] = "text"
    row["constraint"] = CODE_CONSTRAINT
    row["constraint_message"] = words("code_constraint")
    return row, []


def _date_row(words: _Words) -> dict[str, Any]:
    return {
        "type": "date",
        "name": "answered_on",
        "label": words("date"),
        "required": "yes",
        "default": "today()",
        "constraint": ". <= today()",
        "constraint_message": words("date_not_future"),
    }


def instrument_form(
    content: Content,
    instrument_id: str,
    *,
    codes: Sequence[str] = (),
    cohort: str = "",
    cohort_id: int | None = None,
) -> XLSForm:
    """A self-assessment as an XLSForm: who, when, the instructions, then one question per
    item. With `codes` (a cohort's), the code is picked from them; without, it is typed."""
    words = _Words(content)
    local: dict[str, Instrument] = _localized(content, "instruments", instrument_id)
    english = content.instruments[instrument_id]
    code_row, code_choices = _code_rows(words, codes, required=True)
    timepoints = TIMEPOINTS + ((RETRO,) if english.retrospective_instructions else ())
    choices = {
        "timepoints": [Choice(t, words(f"timepoint_{t}")) for t in timepoints],
        "scale": _scale(english, local, words),
    }
    if code_choices:
        choices = {"participants": code_choices, **choices}
    survey = [
        code_row,
        {
            "type": "select_one timepoints",
            "name": "timepoint",
            "label": words("timepoint"),
            "required": "yes",
        },
        _date_row(words),
        *_instruction_rows(english, local, words),
        {"type": "begin_group", "name": GROUP, "label": _texts(local, "title")},
        *(_item_row(english, local, index) for index in range(len(english.items))),
        {"type": "end_group", "name": GROUP},
    ]
    form = _assemble(content, local, survey, choices, codes, cohort, cohort_id)
    form.settings["instance_name"] = "concat(${participant_code}, ' ', ${timepoint})"
    return form


def _texts(local: dict[str, Any], attribute: str) -> dict[str, str]:
    return {code: getattr(model, attribute) for code, model in local.items()}


def _scale(english: Instrument, local: dict[str, Instrument], words: _Words) -> list[Choice]:
    if english.kind == "yes_no":
        return [Choice("yes", words("yes")), Choice("no", words("no"))]
    return [
        Choice(str(point.value), {code: model.scale[i].label for code, model in local.items()})
        for i, point in enumerate(english.scale)
    ]


def _instruction_rows(
    english: Instrument, local: dict[str, Instrument], words: _Words
) -> list[dict[str, Any]]:
    """What the facilitator reads out; the retrospective wording for a retro_pre answer. The
    instrument's care note is guidance: hers, not the respondent's."""
    care = _texts(local, "care_note") if english.care_note else None
    rows: list[dict[str, Any]] = [
        {
            "type": "note",
            "name": "instructions",
            "label": _texts(local, "instructions"),
            "guidance_hint": care,
        },
    ]
    if english.retrospective_instructions:
        rows[0]["relevant"] = f"${{timepoint}} != '{RETRO}'"
        rows.append(
            {
                "type": "note",
                "name": "retrospective_instructions",
                "label": _texts(local, "retrospective_instructions"),
                "guidance_hint": care,
                "relevant": f"${{timepoint}} = '{RETRO}'",
            },
        )
    if follow_up_values(english):
        rows.append(
            {"type": "note", "name": "follow_up_notice", "label": words("follow_up_notice")}
        )
    return rows


def _item_row(english: Instrument, local: dict[str, Instrument], index: int) -> dict[str, Any]:
    """An item: every answer may be left blank (a pass is every respondent's right); its care
    text is guidance for the facilitator."""
    item = english.items[index]
    row: dict[str, Any] = {
        "type": "select_one scale",
        "name": question_name(item.id),
        "column": item.id,
        "label": {code: model.items[index].text for code, model in local.items()},
    }
    if english.kind in ("likert", "rating"):
        row["appearance"] = "likert"
    if item.care:
        row["guidance_hint"] = {code: model.items[index].care for code, model in local.items()}
    return row


def evaluation_form(
    content: Content,
    form_id: str,
    *,
    codes: Sequence[str] = (),
    cohort: str = "",
    cohort_id: int | None = None,
) -> XLSForm:
    """A 'most useful skills' form: up to N options (and 'other', written in). The code may be
    left empty, as on paper."""
    words = _Words(content)
    local: dict[str, EvaluationForm] = _localized(content, "evaluation_forms", form_id)
    english = content.evaluation_forms[form_id]
    code_row, code_choices = _code_rows(words, codes, required=False)
    options = [
        Choice(option.id, {code: model.options[i].text for code, model in local.items()})
        for i, option in enumerate(english.options)
    ]
    if english.other:
        options.append(Choice(OTHER, words("other_option")))
    choices = {"options": options}
    if code_choices:
        choices = {"participants": code_choices, **choices}
    n = str(english.choose_up_to)
    survey = [
        code_row,
        _date_row(words),
        {"type": "begin_group", "name": GROUP, "label": _texts(local, "title")},
        {
            "type": "select_multiple options",
            "name": "choices",
            "label": _texts(local, "question"),
            "hint": words("choose_up_to", n=n),
            "required": "yes",
            "constraint": f"count-selected(.) <= {n}",
            "constraint_message": words("choose_up_to", n=n),
        },
    ]
    if english.other:
        survey.append(
            {
                "type": "text",
                "name": "other_text",
                "label": words("other_option"),
                "required": "yes",
                "relevant": f"selected(${{choices}}, '{OTHER}')",
            },
        )
    survey.append({"type": "end_group", "name": GROUP})
    return _assemble(content, local, survey, choices, codes, cohort, cohort_id)


def _assemble(
    content: Content,
    local: dict[str, Any],
    survey: list[dict[str, Any]],
    choices: dict[str, list[Choice]],
    codes: Sequence[str],
    cohort: str,
    cohort_id: int | None,
) -> XLSForm:
    """The form around its survey and choices: the version (also a calculate, so that every
    submission carries it), the id, the title and the settings."""
    english = local[content.language]
    version = _version(local, [survey, choices, list(codes)])
    survey.insert(0, {"type": "calculate", "name": VERSION_COLUMN, "calculation": f"'{version}'"})
    form_id = english.id if cohort_id is None else f"{english.id}-cohort-{cohort_id}"
    title = f"{english.title} · {cohort}" if cohort else english.title
    form = XLSForm(form_id, title, version, _languages(content), survey, choices)
    default = next(suffix for code, suffix in form.languages if code == content.language)
    form.settings = {
        "form_title": title,
        "form_id": form_id,
        "version": version,
        "default_language": default,
    }
    form.questions = _questions(form)
    return form


def _questions(form: XLSForm) -> list[Question]:
    """The survey's answer columns, with their group path, read from the rows themselves."""
    out: list[Question] = []
    groups: list[dict[str, Any]] = []
    for row in form.survey:
        kind = row["type"]
        if kind == "begin_group":
            groups.append(row)
            continue
        if kind == "end_group":
            groups.pop()
            continue
        if kind == "note":
            continue
        name = row["name"]
        list_name = kind.split(" ", 1)[1] if kind.startswith("select_") else None
        out.append(
            Question(
                name=name,
                column=row.get("column", name),
                labels=row.get("label") or {code: name for code, _ in form.languages},
                group=tuple(g["name"] for g in groups),
                group_labels=tuple(g["label"] for g in groups),
                list_name=list_name,
                multiple=kind.startswith("select_multiple"),
            )
        )
    return out


def all_forms(content: Content) -> dict[str, XLSForm]:
    """Every instrument and evaluation form of the curriculum, without a cohort: file stem ->
    form (the code is typed, checked against the code's pattern)."""
    forms = {i: instrument_form(content, i) for i in content.instruments}
    forms |= {f: evaluation_form(content, f) for f in content.evaluation_forms}
    return forms
