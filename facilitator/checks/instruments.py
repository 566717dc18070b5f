"""Instruments and evaluation forms on their own: ids used once, a scale where one is needed."""

from __future__ import annotations

from facilitator.checks.report import Report, repeats
from facilitator.load import Content
from facilitator.problems import Problem


def check_instruments(content: Content) -> list[Problem]:
    problems: list[Problem] = []
    for instrument in content.instruments.values():
        report = Report.of(content, "instrument", instrument.id)
        for position, dup in repeats(i.id for i in instrument.items):
            report.add(
                f"item id '{dup}' is used twice: give each item its own id",
                "items",
                position,
                "id",
            )
        if instrument.kind != "yes_no" and len(instrument.scale) < 2:
            report.add(
                f"a {instrument.kind} instrument needs a scale of at least 2 points, each "
                "with a value and a label",
                "scale",
            )
        problems += report.problems
    for form in content.evaluation_forms.values():
        report = Report.of(content, "evaluation_form", form.id)
        for position, dup in repeats(o.id for o in form.options):
            report.add(
                f"option id '{dup}' is used twice: give each option its own id",
                "options",
                position,
                "id",
            )
        problems += report.problems
    return problems
