"""Programmes and their modules: each listed module exists, belongs, and comes after the
modules it builds on; each module is listed by the programme it names."""

from __future__ import annotations

from facilitator.checks.report import Report, known, repeats
from facilitator.fixits import did_you_mean
from facilitator.load import Content
from facilitator.model import Module, Programme
from facilitator.problems import Problem


def check_programmes(content: Content) -> list[Problem]:
    problems: list[Problem] = []
    for programme in content.programmes.values():
        report = Report.of(content, "programme", programme.id)
        for position, module_id in enumerate(programme.modules):
            _listed_module(content, programme, position, module_id, report)
        for position, dup in repeats(programme.modules):
            report.add(
                f"module '{dup}' is listed twice: keep it once, where it is taught",
                "modules",
                position,
            )
        problems += report.problems
    for module in content.modules.values():
        problems += _membership(content, module)
    return problems


def _listed_module(
    content: Content, programme: Programme, position: int, module_id: str, report: Report
) -> None:
    module = content.modules.get(module_id)
    if module is None:
        if not known(content, "module", module_id):
            hint = did_you_mean(module_id, content.modules)
            report.add(
                f"there is no module '{module_id}' (no folder modules/{module_id}/){hint}",
                "modules",
                position,
            )
        return
    earlier = set(programme.modules[:position])
    for dep in module.builds_on:
        if dep in programme.modules and dep not in earlier:
            report.add(
                f"'{module_id}' builds on '{dep}', which comes after it in this list: "
                f"move '{dep}' up, above '{module_id}'",
                "modules",
                position,
            )


def _membership(content: Content, module: Module) -> list[Problem]:
    """The module's `programme:` and the programmes' lists agree (one message if not)."""
    report = Report.of(content, "module", module.id)
    programme = content.programmes.get(module.programme)
    listed_in = [p.id for p in content.programmes.values() if module.id in p.modules]
    if programme is None:
        if not known(content, "programme", module.programme):
            hint = did_you_mean(module.programme, content.programmes)
            report.add(
                f"there is no programme '{module.programme}' in curriculum/programmes/{hint}",
                "programme",
            )
    elif module.id not in programme.modules:
        if listed_in:
            report.add(
                f"this module says programme '{module.programme}', but it is listed in "
                f"curriculum/programmes/{listed_in[0]}.yaml: make the two agree",
                "programme",
            )
        else:
            report.add(
                f"programme '{programme.id}' does not list this module: add '{module.id}' to "
                f"the modules of curriculum/programmes/{programme.id}.yaml, in teaching order",
                "programme",
            )
    return report.problems
