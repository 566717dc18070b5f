"""Browser forms (Flask-WTF: every POST carries a CSRF token). Field checks only; the rules
that need the database or the curriculum live in `tracker.records`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import flask_babel
import flask_wtf
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    PasswordField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from tracker import field_labels
from tracker.access.security import MIN_PASSWORD_LENGTH
from tracker.i18n import N_, ROLE_LABELS
from tracker.models import Group, Role
from tracker.problems import Problem

# WTForms ships no Bengali or Hindi catalogue: its built-in messages are listed here so that
# they are extracted into ours, and every form looks them up there (see FlaskForm.Meta).
WTFORMS_MESSAGES = (
    N_("This field is required."),
    N_("Not a valid date value."),
    N_("Not a valid choice."),
    N_("Not a valid integer value."),
    N_("Invalid Choice: could not coerce."),
    N_("Invalid choice(s): one or more data inputs could not be coerced."),
    N_("'%(value)s' is not a valid choice for this field."),
    N_("'%(value)s' are not valid choices for this field."),
    N_("Field must be at least %(min)d character long."),
    N_("Field must be at least %(min)d characters long."),
    N_("Field cannot be longer than %(max)d character."),
    N_("Field cannot be longer than %(max)d characters."),
    N_("Field must be exactly %(max)d character long."),
    N_("Field must be exactly %(max)d characters long."),
    N_("Field must be between %(min)d and %(max)d characters long."),
    N_("Number must be at least %(min)s."),
    N_("Number must be at most %(max)s."),
    N_("Number must be between %(min)s and %(max)s."),
    N_("Invalid input."),
)
# Flask-WTF's CSRF messages are not passed through gettext at all: one sentence replaces them.
CSRF_MESSAGE = _l("This page was open too long or was sent twice. Please reload it and try again.")


class InterfaceTranslations:
    """WTForms' messages in the interface language, from the tracker's own catalogues."""

    def gettext(self, string: str) -> str:
        return str(flask_babel.get_translations().gettext(string))

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        # Each form is its own msgid (the extraction above knows no plurals); the numbers
        # are filled in by WTForms afterwards.
        return self.gettext(singular if n == 1 else plural)


INTERFACE_TRANSLATIONS = InterfaceTranslations()


class FlaskForm(flask_wtf.FlaskForm):
    """Every browser form of the tracker (this name shadows Flask-WTF's on purpose, so that a
    form added below gets it too): built-in messages translated, CSRF failures explained."""

    class Meta:
        def get_translations(self, form: Any) -> InterfaceTranslations:
            return INTERFACE_TRANSLATIONS

    def validate(self, extra_validators: Any = None) -> bool:
        valid = bool(super().validate(extra_validators))
        csrf = self._fields.get("csrf_token")
        if csrf is not None and csrf.errors:
            csrf.errors = [str(CSRF_MESSAGE)]
        return valid


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
    # The version the coordinator started from: a save based on an older one is refused.
    version = HiddenField()


# What a participant is, for the one-by-one and the pasted enrolment alike.
GROUP_CHOICES = options(
    [
        (Group.survivor.value, _l("Survivor")),
        (Group.social_worker.value, _l("Social worker")),
        (Group.other.value, _l("Other")),
    ]
)


class ParticipantForm(FlaskForm):
    code = StringField(
        _l("Participant code"),
        validators=[DataRequired(), Length(max=40)],
        description=_l("A pseudonymous code such as SUR-014. Never a name."),
    )
    group = SelectField(_l("Group"), choices=GROUP_CHOICES)
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
                ("participants", _l("Participants to enrol")),
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
    return field_labels.form_problems(form)


class NewSessionForm(SessionForm):
    """The new-session form; `day` is offered only when a module runs for several days."""

    day = SelectField(_l("Day of the module"), coerce=int, default=1)


class PasteCodesForm(FlaskForm):
    """Enrol many participants at once: their codes pasted, one group and consent date."""

    codes = TextAreaField(
        _l("Participant codes"),
        validators=[DataRequired(), Length(max=100_000)],
        description=_l("One code per line, or separated by commas. Codes only, never names."),
    )
    group = SelectField(_l("Group"), choices=GROUP_CHOICES)
    consent_given = BooleanField(_l("Every one of them has given consent"))
    consent_given_on = DateField(_l("Date consent was given"), validators=[Optional()])
