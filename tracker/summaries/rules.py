"""The protection rules of each figure, read from the curriculum's `disclosure` settings.

The curriculum declares, per item, instrument and evaluation form, how sensitive its answers
are (facilitator.disclosure resolves item -> instrument -> curriculum default); attendance
and completion follow the curriculum default. The tracker keeps no threshold of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from facilitator import disclosure
from tracker.summaries.figures import Protection


def _protection(rule: Any) -> Protection:
    return Protection(
        threshold=int(rule.threshold),
        sensitive=bool(rule.sensitive),
        min_respondents=int(rule.min_respondents),
        reason=str(rule.reason),
    )


@dataclass(frozen=True)
class Rules:
    """The rules of one curriculum, in the language its reasons are to be shown in."""

    loaded: Any

    def default(self) -> Protection:
        return _protection(disclosure.default_rule(self.loaded))

    def instrument(self, instrument: Any) -> Protection:
        return _protection(disclosure.instrument_rule(self.loaded, instrument))

    def item(self, instrument: Any, item: Any) -> Protection:
        return _protection(disclosure.item_rule(self.loaded, instrument, item))

    def form(self, form: Any) -> Protection:
        return _protection(disclosure.form_rule(self.loaded, form))
