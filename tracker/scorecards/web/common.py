"""What the scorecard's pages share: the scorecard itself, its words on screen, the forms."""

from __future__ import annotations

from flask import abort
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from facilitator.load import Content
from facilitator.scorecard_model import Scorecard
from tracker import content
from tracker.forms import FlaskForm
from tracker.i18n import interface_language

# The round form's fields and the import's columns, as the pages label them.
FIELD_LABELS = {
    "held_on": _l("Date of the visit"),
    "district": _l("District"),
    "block": _l("Block"),
    "duty_bearer": _l("Kind of office"),
    "service": _l("Service asked for"),
    "outcome": _l("Outcome"),
    "days_waited": _l("Days waited"),
    "serial": _l("Sheet number"),
    "answers": _l("Answers"),
    "period": _l("Period"),
    "name": _l("Name"),
}


def loaded(language: str | None = None) -> tuple[Content, Scorecard]:
    """The curriculum in `language` (the interface's by default) and its scorecard; 404
    where the curriculum has no scorecard."""
    found = content.content(language or interface_language())
    if found.scorecard is None:
        abort(404, description="This curriculum has no scorecard (curriculum/scorecard.yaml).")
    return found, found.scorecard


def labels(scorecard: Scorecard) -> dict[str, str]:
    """Every field a problem may name, by its visible label (questions by their words)."""
    found = {name: str(label) for name, label in FIELD_LABELS.items()}
    found.update({question.id: question.short for question in scorecard.questions})
    return found


class CollectiveForm(FlaskForm):
    name = StringField(
        _l("Name of the collective"),
        validators=[DataRequired(), Length(max=200)],
        description=_l("The group's own name. Its members are never listed."),
    )
    organisation_id = SelectField(_l("Organisation"), coerce=int, validators=[Optional()])


class ScorecardImportForm(FlaskForm):
    file = FileField(_l("CSV file"), validators=[FileRequired()])
