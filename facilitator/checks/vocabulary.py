"""curriculum.yaml and the glossary: every method, topic and term once; one default language."""

from __future__ import annotations

from facilitator.checks.report import Report, repeats
from facilitator.load import Content
from facilitator.problems import Problem


def check_vocabulary(content: Content) -> list[Problem]:
    report = Report.of(content, "curriculum", "curriculum")
    curriculum = content.curriculum
    for position, dup in repeats(m.id for m in curriculum.methods):
        report.add(
            f"method id '{dup}' is used twice: give each method its own id",
            "methods",
            position,
            "id",
        )
    for position, dup in repeats(t.id for t in curriculum.topics):
        report.add(
            f"topic id '{dup}' is used twice: give each topic its own id", "topics", position, "id"
        )
    defaults = sum(lang.default for lang in curriculum.languages)
    if defaults != 1:
        report.add(
            f"{defaults} languages say default: true; exactly one must, the language the "
            "other files are translated from",
            "languages",
        )
    problems = report.problems
    if content.glossary is not None:
        glossary = Report.of(content, "glossary", "glossary")
        for position, dup in repeats(t.id for t in content.glossary.terms):
            glossary.add(
                f"term id '{dup}' is used twice: give each term its own id", "terms", position, "id"
            )
        problems += glossary.problems
    return problems
