"""The citizen scorecard as an XLSForm, for a phone (ODK Collect, KoboCollect).

The hook for the phone-collection work (facilitator.xlsform): the same definition as the
paper sheet, with question names that are the scorecard import's CSV columns
(facilitator.scorecard_model.csv_columns), so a phone's export and a typed stack of sheets
land in one import. No participant code is asked: a rating is anonymous. Each submission
carries a random serial, so importing the same export twice counts every sheet once.

    form = scorecard_form(content)
    form.workbook()   # the .xlsx: survey, choices and settings
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from facilitator.load import Content
from facilitator.scorecard_model import CSV_SERIAL, Scorecard
from facilitator.xlsformbook import Choice, XLSForm

FORM_ID = "citizen-scorecard"
OUTCOMES = ("granted", "pending", "refused")


def _each(content: Content) -> dict[str, Scorecard]:
    found = {}
    for language in content.languages:
        scorecard = content.localized(language.code).scorecard
        if scorecard is None:
            raise KeyError("no curriculum/scorecard.yaml: there is no scorecard form")
        found[language.code] = scorecard
    return found


def survey_rows(content: Content) -> tuple[list[dict[str, Any]], dict[str, list[Choice]]]:
    """The survey sheet's rows and the choice lists, labels in every curriculum language."""
    local = _each(content)
    english = local[content.language]

    def text(read: Any) -> dict[str, str]:
        return {code: str(read(scorecard)) for code, scorecard in local.items()}

    survey: list[dict[str, Any]] = [
        {"type": "calculate", "name": CSV_SERIAL, "calculation": "once(uuid())"},
        {"type": "note", "name": "consent", "label": text(lambda s: s.consent)},
        {
            "type": "date",
            "name": "held_on",
            "label": text(lambda s: s.sheet.date),
            "required": "yes",
            "default": "today()",
            "constraint": ". <= today()",
        },
        {
            "type": "text",
            "name": "district",
            "label": text(lambda s: s.sheet.district),
            "required": "yes",
        },
        {
            "type": "text",
            "name": "block",
            "label": text(lambda s: s.sheet.block),
            "required": "yes",
        },
        {
            "type": "select_one duty_bearers",
            "name": "duty_bearer",
            "label": text(lambda s: s.sheet.office),
            "required": "yes",
            "appearance": "minimal",
        },
        {
            "type": "select_one services",
            "name": "service",
            "label": text(lambda s: s.sheet.service),
            "required": "yes",
            "appearance": "minimal",
        },
        {
            "type": "select_one outcomes",
            "name": "outcome",
            "label": text(lambda s: s.sheet.outcome),
        },
        {
            "type": "integer",
            "name": "days_waited",
            "label": text(lambda s: s.sheet.days_waited),
            "constraint": ". >= 0 and . <= 3650",
        },
        {"type": "begin_group", "name": "answers", "label": text(lambda s: s.title)},
        {"type": "note", "name": "instructions", "label": text(lambda s: s.instructions)},
    ]
    for index, question in enumerate(english.questions):
        row: dict[str, Any] = {
            "type": "select_one faces",
            "name": question.id,
            "label": {code: s.questions[index].text for code, s in local.items()},
            "appearance": "likert",  # every question may be left blank
        }
        if question.guide:
            row["hint"] = {code: s.questions[index].guide or "" for code, s in local.items()}
        survey.append(row)
    survey.append({"type": "end_group", "name": "answers"})
    choices = {
        "duty_bearers": [
            Choice(o.id, {code: s.duty_bearers[i].label for code, s in local.items()})
            for i, o in enumerate(english.duty_bearers)
        ],
        "services": [
            Choice(o.id, {code: s.services[i].label for code, s in local.items()})
            for i, o in enumerate(english.services)
        ],
        "outcomes": [Choice(o, text(lambda s, o=o: getattr(s.sheet, o))) for o in OUTCOMES],
        "faces": [
            Choice(f.id, {code: s.faces[i].label for code, s in local.items()})
            for i, f in enumerate(english.faces)
        ],
    }
    return survey, choices


def scorecard_form(content: Content) -> XLSForm:
    survey, choices = survey_rows(content)
    digest = hashlib.sha256(
        json.dumps(
            [survey, {k: [vars(c) for c in v] for k, v in choices.items()}],
            sort_keys=True,
            ensure_ascii=False,
        ).encode("utf-8")
    ).hexdigest()[:10]
    languages = [(lang.code, f"{lang.name} ({lang.code})") for lang in content.languages]
    title = _each(content)[content.language].title
    form = XLSForm(FORM_ID, title, digest, languages, survey, choices)
    default = next(suffix for code, suffix in languages if code == content.language)
    form.settings = {
        "form_title": title,
        "form_id": FORM_ID,
        "version": digest,
        "default_language": default,
    }
    return form
