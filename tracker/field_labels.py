"""What a problem's field is called on screen: the visible label, never an internal name.

`Problem.field` stays the internal name (the API and the CLI show it, and a page uses it to
find its input); a page shows the label of the form field with that name when it has one,
else what it knows of the page (an item's text, a participant's code), else the label below.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from facilitator.model import EvaluationForm, Instrument
from tracker.models import Participant
from tracker.problems import Problem

# Field names of the tracker's forms and CSV columns, as the pages label them.
FIELD_LABELS: dict[str, Any] = {
    "code": _l("Participant code"),
    # Kaarya business records, and submissions from phones
    "business_kind": _l("Kind of business"),
    "started_on": _l("Date started"),
    "partner_codes": _l("Partners' codes"),
    "taken_on": _l("Date of the stocktaking"),
    "running": _l("Running"),
    "other_risk": _l("Another risk, in a few words"),
    "next_steps": _l("Next steps decided"),
    "paid_on": _l("Date paid"),
    "amount": _l("Amount in rupees"),
    "questionnaire": _l("Questionnaire"),
    "submission": _l("Submission"),
    "participant_code": _l("Participant code"),
    "participant": _l("Participant"),
    "codes": _l("Participant codes"),
    "group": _l("Group"),
    "consent_given": _l("Consent given"),
    "consent_given_on": _l("Date consent was given"),
    "consent_date": _l("Date consent was given"),
    "note": _l("Note"),
    "confirm_code": _l("Participant code"),
    "answered_on": _l("Date answered"),
    "answers": _l("Answers"),
    "choices": _l("Choices"),
    "choice": _l("Choices"),
    "other_text": _l("Other, in the respondent's words"),
    "response_key": _l("Serial number"),
    "serial": _l("Serial number"),
    "module_id": _l("Module"),
    "module": _l("Module"),
    "day": _l("Day of the module"),
    "held_on": _l("Date"),
    "session_date": _l("Session date"),
    "status": _l("Attendance"),
    "timepoint": _l("Timepoint"),
    "instrument": _l("Instrument"),
    "form": _l("Evaluation form"),
    "form_id": _l("Evaluation form"),
    "facilitators": _l("Facilitators"),
    "file": _l("CSV file"),
    "name": _l("Name"),
    "place": _l("Place"),
    "programme_id": _l("Programme"),
    "language": _l("Language"),
    "starts_on": _l("Start date"),
    "ends_on": _l("End date"),
    "organisation_id": _l("Organisation"),
    "organisations": _l("Organisations"),
    "username": _l("Username"),
    "password": _l("Password"),
    "current": _l("Current password"),
    "confirm": _l("Password again"),
    "role": _l("Role"),
    "user": _l("User"),
    "label": _l("What the token is for"),
    "service": _l("Service"),
    "referred_on": _l("Date referred"),
    "next_check_on": _l("Next check"),
    "outcome": _l("Outcome"),
    # the citizen scorecard (tracker.scorecards)
    "district": _l("District"),
    "block": _l("Block"),
    "duty_bearer": _l("Kind of office"),
    "days_waited": _l("Days waited"),
    "period": _l("Period"),
}
# Fields whose message says all: no label in front (a whole row, the form's freshness).
UNLABELLED = {"row", "csrf_token", "version"}
STATUS_PREFIX = "status-"
ITEM_PREFIX = "item-"


@dataclass(frozen=True)
class ShownProblem:
    """A problem as the page shows it: where (row and label, translated) and the message;
    `target` is the id of the page's input to jump to, when the page has one."""

    where: str
    message: str
    target: str = ""


def form_problems(form: Any) -> list[Problem]:
    """A submitted form's field errors as problems (none for anything but a checked form)."""
    errors = getattr(form, "errors", None)
    if not isinstance(errors, Mapping):
        return []
    return [
        Problem(name, str(message))
        for name, messages in errors.items()
        for message in (messages if isinstance(messages, list) else [messages])
    ]


def describe(
    problem: Problem | Any,
    form: Any = None,
    instrument: Instrument | None = None,
    participants: Iterable[Participant] | None = None,
    evaluation_form: EvaluationForm | None = None,
    labels: Mapping[str, Any] | None = None,
    instruments: Iterable[Instrument] | None = None,
) -> ShownProblem:
    """`problem` as the page shows it; a plain message (a string) is shown as it is."""
    if not isinstance(problem, Problem):
        return ShownProblem("", str(problem))
    if instrument is not None:
        known = [instrument]
    else:
        known = list(instruments) if isinstance(instruments, Iterable) else []
    label = field_label(problem.field, form, known, participants, evaluation_form, labels)
    parts = [_("Row %(n)d", n=problem.row)] if problem.row is not None else []
    if not label and problem.row is not None and problem.field not in UNLABELLED:
        label = problem.field  # a column of her own file that no page knows: as she wrote it
    if label:
        parts.append(label)
    form_field = _form_field(form, problem.field) if label else None
    target = str(form_field.id) if form_field is not None else ""
    return ShownProblem(", ".join(parts), str(problem.message), target)


def field_label(
    field: str,
    form: Any = None,
    instruments: Iterable[Instrument] = (),
    participants: Iterable[Participant] | None = None,
    evaluation_form: EvaluationForm | None = None,
    labels: Mapping[str, Any] | None = None,
) -> str:
    """The visible label of `field` on this page, or "" when the message needs none."""
    if labels and field in labels:
        return str(labels[field])
    if field in UNLABELLED:
        return ""
    form_field = _form_field(form, field)
    if form_field is not None:
        return str(form_field.label.text)
    if field.startswith(STATUS_PREFIX):
        return _participant_code(field.removeprefix(STATUS_PREFIX), participants) or _("Attendance")
    if field in ("choices", "choice") and evaluation_form is not None:
        return str(evaluation_form.question)
    item_text = _item_text(field.removeprefix(ITEM_PREFIX), instruments)
    if item_text:
        return item_text
    known = FIELD_LABELS.get(field)
    return str(known) if known is not None else ""


def _form_field(form: Any, name: str) -> Any:
    fields = getattr(form, "_fields", None)
    if not isinstance(fields, Mapping) or name not in fields:
        return None
    found = fields[name]
    label = getattr(found, "label", None)
    return found if label is not None and str(label.text) else None


def _participant_code(key: str, participants: Iterable[Participant] | None) -> str:
    """The code of the page's own participant `key` (an id): never a lookup beyond the page."""
    if not (key.isascii() and key.isdigit()) or not isinstance(participants, Iterable):
        return ""
    for participant in participants:
        if getattr(participant, "id", None) == int(key):
            return str(participant.code)
    return ""


def _item_text(item_id: str, instruments: Iterable[Instrument]) -> str:
    """The item's text as the page shows it (an import page knows several instruments)."""
    for instrument in instruments:
        items = getattr(instrument, "items", None)
        for item in items if isinstance(items, list | tuple) else []:
            if getattr(item, "id", None) == item_id:
                return str(item.text)
    return ""
