"""A module's sessions: timings that add up, days in order, activities with a method and
steps, and ids used once."""

from __future__ import annotations

from itertools import pairwise

from facilitator.checks.report import Report, repeats
from facilitator.load import Content
from facilitator.model import Module
from facilitator.problems import Problem


def check_sessions(content: Content) -> list[Problem]:
    problems: list[Problem] = []
    for module in content.modules.values():
        report = Report.of(content, "module", module.id)
        _timing(module, report)
        _activities(module, report)
        _ids_once(module, report)
        problems += report.problems
    return problems


def _timing(module: Module, report: Report) -> None:
    total = sum(s.minutes for s in module.sessions)
    if total != module.duration_minutes:
        report.add(
            f"the sessions add up to {total} minutes, but duration_minutes is "
            f"{module.duration_minutes}: make them agree (duration_minutes: {total}, or change "
            "a session's minutes)",
            "duration_minutes",
        )
    for i, (before, session) in enumerate(pairwise(module.sessions), start=1):
        if session.day < before.day:
            report.add(
                f"session '{session.id}' is on day {session.day} but comes after a session on "
                f"day {before.day}: list the sessions in day order",
                "sessions",
                i,
                "day",
            )


def _activities(module: Module, report: Report) -> None:
    for i, session in enumerate(module.sessions):
        if session.kind != "activity":
            continue
        if session.method is None:
            report.add(
                f"session '{session.id}' is an activity and needs a method, an id from "
                "curriculum/curriculum.yaml (or write kind: break for a break)",
                "sessions",
                i,
                "method",
            )
        if not session.steps:
            report.add(
                f"session '{session.id}' is an activity and needs steps: what the facilitator "
                "does, one step per line starting with '- '",
                "sessions",
                i,
                "steps",
            )


def _ids_once(module: Module, report: Report) -> None:
    lists = (
        ("session", "sessions", [s.id for s in module.sessions]),
        ("handout", "handouts", [h.id for h in module.handouts]),
        ("expected change", "expected_changes", [c.id for c in module.expected_changes]),
    )
    for what, key, ids in lists:
        for position, dup in repeats(ids):
            report.add(
                f"{what} id '{dup}' is used twice: give each {what} its own id",
                key,
                position,
                "id",
            )
