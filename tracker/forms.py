"""Browser forms (Flask-WTF: every POST carries a CSRF token). Field checks only; the rules
that need the database or the curriculum live in `tracker.records`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    PasswordField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from tracker.i18n import ROLE_LABELS
from tracker.models import Group, Role
from tracker.problems import Problem
from tracker.security import MIN_PASSWORD_LENGTH


def options(pairs: Iterable[tuple[Any, Any]]) -> list[SelectChoice]:
    """Select choices from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


class CheckboxList(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ActionForm(FlaskForm):
    """A form with no fields of its own: the CSRF token for roster-style and button forms."""


class LoginForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=80)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])


class CohortForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    programme_id = SelectField(_l("Programme"), validators=[DataRequired()])
    language = SelectField(_l("Language"), validators=[DataRequired()])
    place = StringField(_l("Place"), validators=[DataRequired(), Length(max=200)])
    starts_on = DateField(_l("Start date"), validators=[InputRequired()])
    ends_on = DateField(_l("End date"), validators=[Optional()])
    organisation_id = SelectField(_l("Organisation"), coerce=int, validators=[Optional()])


class ParticipantForm(FlaskForm):
    code = StringField(
        _l("Participant code"),
        validators=[DataRequired(), Length(max=40)],
        description=_l("A pseudonymous code such as SUR-014. Never a name."),
    )
    group = SelectField(
        _l("Group"),
        choices=options(
            [
                (Group.survivor.value, _l("Survivor")),
                (Group.social_worker.value, _l("Social worker")),
                (Group.other.value, _l("Other")),
            ]
        ),
    )
    consent_given = BooleanField(_l("Consent given"))
    consent_given_on = DateField(_l("Date consent was given"), validators=[Optional()])
    note = TextAreaField(
        _l("Note (for your organisation only, never exported)"),
        validators=[Optional(), Length(max=500)],
    )


class WithdrawForm(FlaskForm):
    confirm_code = StringField(
        _l("Type the participant code to confirm"), validators=[DataRequired(), Length(max=40)]
    )


class SessionForm(FlaskForm):
    module_id = SelectField(_l("Module"), validators=[DataRequired()])
    held_on = DateField(_l("Date"), validators=[InputRequired()])
    facilitators = CheckboxList(_l("Facilitators"), coerce=int, validators=[Optional()])


class FacilitatorsForm(FlaskForm):
    facilitators = CheckboxList(_l("Facilitators"), coerce=int, validators=[Optional()])


class ImportForm(FlaskForm):
    kind = SelectField(
        _l("What the file holds"),
        choices=options(
            [
                ("attendance", _l("Attendance")),
                ("assessments", _l("Assessments")),
                ("evaluations", _l("Evaluations")),
            ]
        ),
    )
    instrument = SelectField(_l("Instrument (for assessments)"), validators=[Optional()])
    form_id = SelectField(_l("Evaluation form (for evaluations)"), validators=[Optional()])
    file = FileField(_l("CSV file"), validators=[FileRequired()])


class OrganisationForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])


class UserForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(min=3, max=80)])
    role = SelectField(_l("Role"), choices=options((r.value, ROLE_LABELS[r]) for r in Role))
    organisation_id = SelectField(_l("Organisation"), coerce=int, validators=[Optional()])
    password = PasswordField(
        _l("Password"), validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=200)]
    )
    confirm = PasswordField(
        _l("Password again"), validators=[EqualTo("password", message=_l("Passwords differ"))]
    )


class GrantForm(FlaskForm):
    organisations = CheckboxList(_l("Organisations"), coerce=int, validators=[Optional()])


class TokenForm(FlaskForm):
    label = StringField(_l("What the token is for"), validators=[DataRequired(), Length(max=100)])


def form_problems(form: FlaskForm) -> list[Problem]:
    """A submitted form's field errors, as problems for the page's summary box."""
    return [
        Problem(name, str(message))
        for name, messages in form.errors.items()
        for message in (messages if isinstance(messages, list) else [messages])
    ]
