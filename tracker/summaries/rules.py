"""The protection rules of each figure, read from the curriculum's `disclosure` settings.

The curriculum declares, per item, instrument and evaluation form, how sensitive its answers
are (facilitator.disclosure resolves item -> instrument -> curriculum default); attendance
and completion follow the curriculum default. The tracker keeps no threshold of its own.
"""

from __future__ import annotations

from dataclasses import dataclass

from facilitator import disclosure
from facilitator.load import Content
from facilitator.model import Disclosure, EvaluationForm, Instrument, InstrumentItem
from tracker.summaries.figures import Protection


def _protection(rule: Disclosure) -> Protection:
    return Protection(
        threshold=rule.threshold,
        sensitive=rule.sensitive,
        min_respondents=rule.min_respondents,
        reason=rule.reason,
    )


@dataclass(frozen=True)
class Rules:
    """The rules of one curriculum, in the language its reasons are to be shown in."""

    loaded: Content

    def default(self) -> Protection:
        return _protection(disclosure.default_rule(self.loaded))

    def instrument(self, instrument: Instrument) -> Protection:
        return _protection(disclosure.instrument_rule(self.loaded, instrument))

    def item(self, instrument: Instrument, item: InstrumentItem) -> Protection:
        return _protection(disclosure.item_rule(self.loaded, instrument, item))

    def form(self, form: EvaluationForm) -> Protection:
        return _protection(disclosure.form_rule(self.loaded, form))
