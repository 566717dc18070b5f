"""What a module names must exist: methods, topics, modules it builds on, instruments and
their items, evaluation forms, its own handouts."""

from __future__ import annotations

from collections.abc import Iterable

from facilitator.checks.report import Report, known
from facilitator.fixits import did_you_mean
from facilitator.load import Content
from facilitator.model import Module
from facilitator.problems import Problem

CURRICULUM = "curriculum/curriculum.yaml"


def check_references(content: Content) -> list[Problem]:
    problems: list[Problem] = []
    for module in content.modules.values():
        report = Report.of(content, "module", module.id)
        _vocabulary(content, module, report)
        _modules_and_forms(content, module, report)
        _measured_by(content, module, report)
        _session_refs(content, module, report)
        problems += report.problems
    return problems


def _unknown(word: str, what: str, choices: Iterable[str], where: str) -> str:
    hint = did_you_mean(word, choices)
    fix = hint or f": use one listed in {where}, or add it there"
    return f"'{word}' is not one of the {what} in {where}{fix}"


def _vocabulary(content: Content, module: Module, report: Report) -> None:
    methods = [m.id for m in content.curriculum.methods]
    topics = [t.id for t in content.curriculum.topics]
    for i, method in enumerate(module.methods):
        if method not in methods:
            report.add(_unknown(method, "methods", methods, CURRICULUM), "methods", i)
    for i, topic in enumerate(module.topics):
        if topic not in topics:
            report.add(_unknown(topic, "topics", topics, CURRICULUM), "topics", i)


def _modules_and_forms(content: Content, module: Module, report: Report) -> None:
    for i, dep in enumerate(module.builds_on):
        if not known(content, "module", dep):
            hint = did_you_mean(dep, content.modules)
            report.add(f"builds on '{dep}', but there is no module '{dep}'{hint}", "builds_on", i)
    for i, instrument_id in enumerate(module.instruments):
        if not known(content, "instrument", instrument_id):
            message = _unknown(
                instrument_id, "instruments", content.instruments, "curriculum/instruments/"
            )
            report.add(message, "instruments", i)
    for i, form in enumerate(module.evaluation_forms):
        if not known(content, "evaluation_form", form):
            message = _unknown(
                form, "evaluation forms", content.evaluation_forms, "curriculum/evaluation_forms/"
            )
            report.add(message, "evaluation_forms", i)


def _measured_by(content: Content, module: Module, report: Report) -> None:
    for i, change in enumerate(module.expected_changes):
        if not change.measured_by:
            report.add(
                f"expected change '{change.id}' is measured by no instrument item: name one in "
                "measured_by, as instrument-id/item-id",
                "expected_changes",
                i,
                severity="warning",
            )
        for j, ref in enumerate(change.measured_by):
            message = _item_problem(content, module, ref)
            if message:
                report.add(message, "expected_changes", i, "measured_by", j)


def _item_problem(content: Content, module: Module, ref: str) -> str | None:
    instrument_id, slash, item_id = ref.partition("/")
    instrument = content.instruments.get(instrument_id)
    if not slash:
        return f"'{ref}' must name an instrument and one of its items, like self-check/speak-up"
    if instrument is None:
        if known(content, "instrument", instrument_id) or instrument_id in module.instruments:
            return None  # its own problem is reported where it is
        return _unknown(
            instrument_id, "instruments", content.instruments, "curriculum/instruments/"
        )
    if instrument_id not in module.instruments:
        return (
            f"'{ref}' uses instrument '{instrument_id}', which this module does not list: "
            f"add it to the module's instruments"
        )
    items = [item.id for item in instrument.items]
    if item_id not in items:
        hint = did_you_mean(item_id, items)
        fix = hint or f": its items are listed in curriculum/instruments/{instrument_id}.yaml"
        return f"instrument '{instrument_id}' has no item '{item_id}'{fix}"
    return None


def _session_refs(content: Content, module: Module, report: Report) -> None:
    methods = [m.id for m in content.curriculum.methods]
    handouts = [h.id for h in module.handouts]
    for i, session in enumerate(module.sessions):
        if session.method is not None and session.method not in methods:
            report.add(
                _unknown(session.method, "methods", methods, CURRICULUM), "sessions", i, "method"
            )
        for j, handout in enumerate(session.handouts):
            if handout not in handouts:
                hint = did_you_mean(handout, handouts)
                fix = hint or ": list it under handouts: at the end of the module first"
                report.add(
                    f"this module has no handout '{handout}'{fix}", "sessions", i, "handouts", j
                )
