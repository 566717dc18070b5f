"""curriculum/businesses.yaml names programmes that exist: a misspelt id would silently keep
a programme's business records off its participants' pages."""

from __future__ import annotations

from facilitator.business_model import unknown_programmes
from facilitator.checks.report import Report, known
from facilitator.fixits import did_you_mean
from facilitator.load import Content
from facilitator.problems import Problem


def check_businesses(content: Content) -> list[Problem]:
    records = content.businesses
    if records is None:
        return []
    report = Report.of(content, "businesses", "businesses")
    for programme_id in unknown_programmes(records, set(content.programmes)):
        if known(content, "programme", programme_id):
            continue  # its own file did not load, and says so
        hint = did_you_mean(programme_id, content.programmes)
        position = records.programmes.index(programme_id)
        report.add(
            f"there is no programme '{programme_id}' in curriculum/programmes/{hint}",
            "programmes",
            position,
        )
    return report.problems
