"""Care follow-ups: which answers to an instrument's items raise one, and whether a rule is sound.

The tracker asks which answers raise a follow-up when it saves or imports answers:

    from facilitator.care import follow_up_values
    rules = follow_up_values(instrument)   # {item id: {stored values that raise one}}

An item's own rule replaces its instrument's rule as a whole (an empty list turns it off).
"""

from __future__ import annotations

from collections import Counter

from facilitator.load import Content
from facilitator.model import FollowUpRule, Instrument, InstrumentItem
from facilitator.problems import Problem
from facilitator.yamlfile import field_path, line_of

# A yes_no answer as the tracker stores it (tracker.records.assessments: yes 1, no 0).
YES_NO: dict[str, int] = {"yes": 1, "no": 0}

Loc = tuple[int | str, ...]


def item_rule(instrument: Instrument, item: InstrumentItem) -> FollowUpRule | None:
    return item.follow_up if item.follow_up is not None else instrument.follow_up


def allowed_answers(instrument: Instrument) -> dict[str | int, int]:
    """What a rule may name, and the stored value each stands for."""
    if instrument.kind == "yes_no":
        return {answer: value for answer, value in YES_NO.items()}
    return {point.value: point.value for point in instrument.scale}


def follow_up_values(instrument: Instrument) -> dict[str, frozenset[int]]:
    """Item id -> the stored answer values that raise a follow-up (items with none left out)."""
    allowed = allowed_answers(instrument)
    out: dict[str, frozenset[int]] = {}
    for item in instrument.items:
        rule = item_rule(instrument, item)
        if rule is None:
            continue
        values = frozenset(allowed[a] for a in rule.answers if _key(a) in allowed)
        if values:
            out[item.id] = values
    return out


def _key(answer: int | str) -> int | str:
    return answer.strip().lower() if isinstance(answer, str) else answer


# ---------------------------------------------------------------- is a rule sound


def check_care(content: Content) -> list[Problem]:
    """Rules that name answers the instrument does not have; services listed twice."""
    problems: list[Problem] = []
    for instrument in content.instruments.values():
        rel = content.sources[("instrument", instrument.id)]
        nodes = content.files[rel].nodes
        rules: list[tuple[Loc, FollowUpRule | None]] = [(("follow_up",), instrument.follow_up)]
        rules += [
            (("items", i, "follow_up"), item.follow_up) for i, item in enumerate(instrument.items)
        ]
        for loc, rule in rules:
            if rule is not None:
                problems += _rule_problems(instrument, rule, loc, rel, nodes)
    cur = "curriculum/curriculum.yaml"
    for dup in [i for i, n in Counter(s.id for s in content.curriculum.services).items() if n > 1]:
        line = line_of(content.files[cur].nodes, ("services",))
        problems.append(Problem(cur, line, "services", f"duplicate service id '{dup}'"))
    return problems


def _rule_problems(
    instrument: Instrument, rule: FollowUpRule, loc: Loc, rel: str, nodes: object
) -> list[Problem]:
    allowed = allowed_answers(instrument)
    if instrument.kind == "yes_no":
        hint = "write yes or no"
    else:
        hint = "write values from its scale: " + ", ".join(str(v) for v in allowed)
    problems = []
    for j, answer in enumerate(rule.answers):
        if _key(answer) not in allowed:
            where = (*loc, "answers", j)
            problems.append(
                Problem(
                    rel,
                    line_of(nodes, where),
                    field_path(where),
                    f"'{answer}' is not an answer of this {instrument.kind} instrument: {hint}",
                )
            )
    if not rule.answers and loc == ("follow_up",):
        problems.append(
            Problem(
                rel,
                line_of(nodes, loc),
                field_path(loc),
                "an instrument's follow_up names no answers: name some, or leave it out",
            )
        )
    return problems
