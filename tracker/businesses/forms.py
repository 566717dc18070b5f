"""The business pages' forms. Field names are the CSV columns' names, so a problem found by
tracker.businesses.checks names the same visible label on the form and the import page."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import Length, Optional
from wtforms.widgets import DateInput

from tracker.businesses import vocabulary
from tracker.businesses.checks import NEXT_STEPS_MAX, OTHER_RISK_MAX
from tracker.businesses.vocabulary import MONEY_LABELS, STAGE_LABELS
from tracker.forms import CheckboxList, FlaskForm, options

RUNNING_CHOICES = options([("yes", _l("Running")), ("no", _l("Not running now"))])
IMPORT_KINDS = options(
    [
        ("stocktakings", _l("Businesses and stocktakings")),
        ("disbursements", _l("Money disbursed")),
    ]
)


class BusinessForm(FlaskForm):
    # Dates and lists are read by tracker.businesses.checks, so every message is the tracker's.
    business_kind = SelectField(_l("Kind of business"), validate_choice=False)
    started_on = StringField(_l("Date started"), widget=DateInput())
    group_business = BooleanField(_l("A group business, run with other participants"))
    partner_codes = StringField(
        _l("Partners' codes"),
        validators=[Optional(), Length(max=400)],
        description=_l(
            "For a group business: the codes of the other participants of this cohort who "
            "run it with her, separated by commas. Codes only, never names."
        ),
    )
    version = HiddenField()


class StocktakingForm(FlaskForm):
    taken_on = StringField(_l("Date of the stocktaking"), widget=DateInput())
    stage = SelectField(_l("Stage"), choices=options(STAGE_LABELS.items()), validate_choice=False)
    running = SelectField(_l("Running"), choices=RUNNING_CHOICES, validate_choice=False)
    risks = CheckboxList(_l("Risks met"), validate_choice=False)
    other_risk = StringField(
        _l("Another risk, in a few words"),
        validators=[Optional(), Length(max=OTHER_RISK_MAX)],
        description=_l("Words about the business, never about what happened to her."),
    )
    next_steps = TextAreaField(
        _l("Next steps decided"), validators=[Optional(), Length(max=NEXT_STEPS_MAX)]
    )
    version = HiddenField()

    def offer(self, language: str) -> None:
        self.risks.choices = options(vocabulary.risks(language).items())


class DisbursementForm(FlaskForm):
    paid_on = StringField(_l("Date paid"), widget=DateInput())
    amount = StringField(
        _l("Amount in rupees"),
        validators=[Length(max=40)],
        render_kw={"inputmode": "numeric"},
        description=_l("Whole rupees, such as 8000."),
    )
    money_kind = SelectField(
        _l("Grant or loan"), choices=options(MONEY_LABELS.items()), validate_choice=False
    )
    paid_by = SelectField(_l("From"), validate_choice=False)
    version = HiddenField()

    def offer(self, language: str) -> None:
        self.paid_by.choices = options(vocabulary.sources(language).items())


class BusinessImportForm(FlaskForm):
    kind = SelectField(_l("What the file holds"), choices=IMPORT_KINDS)
    file = FileField(_l("CSV file"), validators=[FileRequired()])
