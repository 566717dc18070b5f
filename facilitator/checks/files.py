"""The files a module names sit beside its module.yaml: its notes and its handouts."""

from __future__ import annotations

from facilitator.checks.report import Report
from facilitator.load import Content
from facilitator.problems import Problem


def check_module_files(content: Content) -> list[Problem]:
    problems: list[Problem] = []
    for module in content.modules.values():
        report = Report.of(content, "module", module.id)
        folder = (content.root / report.file.rel).parent
        shown = f"modules/{folder.name}/"
        if module.notes and not (folder / module.notes).is_file():
            report.add(
                f"there is no file {shown}{module.notes} for notes: create it, or correct the name",
                "notes",
            )
        for i, handout in enumerate(module.handouts):
            if not (folder / handout.file).is_file():
                report.add(
                    f"there is no file {shown}{handout.file} for handout '{handout.id}': "
                    "create it, or correct the name",
                    "handouts",
                    i,
                    "file",
                )
        problems += report.problems
    return problems
