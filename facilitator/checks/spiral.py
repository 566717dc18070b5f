"""The Me-We-Us spiral: in a programme that follows it, every module has a phase, and the
modules come in the spiral's order (me, then we, then us)."""

from __future__ import annotations

from facilitator.checks.report import Report
from facilitator.load import Content
from facilitator.model import Module, Phase, Programme
from facilitator.problems import Problem

ORDER = [Phase.me, Phase.we, Phase.us]


def check_spiral(content: Content) -> list[Problem]:
    problems: list[Problem] = []
    for programme in content.programmes.values():
        if not programme.spiral:
            continue
        for module in content.programme_modules(programme.id):
            if module.phase is None and module.programme == programme.id:
                report = Report.of(content, "module", module.id)
                report.add(
                    f"programme '{programme.id}' follows the Me-We-Us spiral: give this module "
                    "a phase, like phase: me (me, we or us)",
                    "phase",
                    near=("programme",),
                )
                problems += report.problems
        problems += _order(content, programme)
    return problems


def _order(content: Content, programme: Programme) -> list[Problem]:
    placed = [
        (position, content.modules[module_id])
        for position, module_id in enumerate(programme.modules)
        if module_id in content.modules and content.modules[module_id].phase is not None
    ]
    keep = in_order([_rank(module) for _, module in placed])
    kept = [placed[index] for index in sorted(keep)]
    report = Report.of(content, "programme", programme.id)
    for index, (position, module) in enumerate(placed):
        if index not in keep:
            report.add(_misplaced(module, position, kept), "modules", position)
    return report.problems


def _rank(module: Module) -> int:
    return ORDER.index(module.phase) if module.phase is not None else -1


def _misplaced(module: Module, position: int, kept: list[tuple[int, Module]]) -> str:
    rank = _rank(module)
    rule = "in the Me-We-Us spiral the me modules come first, then we, then us"
    phase = ORDER[rank].value
    earlier = [m for p, m in kept if p < position and _rank(m) > rank]
    if earlier:
        other = earlier[-1]
        return (
            f"'{module.id}' is a {phase} module, but it comes after '{other.id}', a "
            f"{ORDER[_rank(other)].value} module: {rule}"
        )
    later = [m for p, m in kept if p > position and _rank(m) < rank]
    other = later[0]
    return (
        f"'{module.id}' is a {phase} module, but it comes before '{other.id}', a "
        f"{ORDER[_rank(other)].value} module: {rule}"
    )


def in_order(ranks: list[int]) -> set[int]:
    """The positions of a longest run that is already in order: the others are the ones to
    move, so that one module out of place gives one message, not one per module it jumps."""
    if not ranks:
        return set()
    length = [1] * len(ranks)
    before = [-1] * len(ranks)
    for i, rank in enumerate(ranks):
        for j in range(i):
            if ranks[j] <= rank and length[j] + 1 > length[i]:
                length[i], before[i] = length[j] + 1, j
    end = max(range(len(ranks)), key=lambda i: length[i])
    keep = set()
    while end != -1:
        keep.add(end)
        end = before[end]
    return keep
