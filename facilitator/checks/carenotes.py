"""Hard topics and care notes: a module that touches a hard topic carries a care note."""

from __future__ import annotations

from facilitator.checks.report import Report
from facilitator.load import Content
from facilitator.problems import Problem

CARE_PARTS = "content_note, grounding, right_to_pass, closing and referral"


def check_care_notes(content: Content) -> list[Problem]:
    topics = {t.id: t for t in content.curriculum.topics}
    problems: list[Problem] = []
    for module in content.modules.values():
        hard = [topics[t].label for t in module.topics if t in topics and topics[t].hard]
        if hard and not any(s.care for s in module.sessions):
            report = Report.of(content, "module", module.id)
            report.add(
                f"this module touches hard topics ({', '.join(hard)}) but no session has a "
                f"care note: give the session that touches them a care: block with "
                f"{CARE_PARTS}",
                "topics",
            )
            problems += report.problems
    return problems
