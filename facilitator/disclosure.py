"""How sensitive a figure is: which disclosure rule applies, and whether a rule is sound.

The tracker asks which rule protects a figure before it shows the figure to an evaluator:

    from facilitator.disclosure import form_rule, item_rule
    rule = item_rule(content, instrument, item)   # item -> instrument -> curriculum.yaml
    rule = form_rule(content, form)               # form -> curriculum.yaml

A rule found on the way replaces the ones after it as a whole; fields are never merged.
Pass localized content (`content.localized("bn")`) to get the rule's reason in that language.
"""

from __future__ import annotations

from facilitator.load import Content
from facilitator.model import Disclosure, EvaluationForm, Instrument, InstrumentItem
from facilitator.problems import Problem
from facilitator.yamlfile import field_path, line_of

# Below 3, a sensitive count of 1 or 2 would be shown: the people a figure is most likely
# to single out.
MIN_SENSITIVE_THRESHOLD = 3

Loc = tuple[int | str, ...]

# ---------------------------------------------------------------- which rule applies


def default_rule(content: Content) -> Disclosure:
    """curriculum.yaml's rule: for attendance, completion and anything without its own."""
    return content.curriculum.disclosure


def instrument_rule(content: Content, instrument: Instrument) -> Disclosure:
    if instrument.disclosure is not None:
        return instrument.disclosure
    return default_rule(content)


def item_rule(content: Content, instrument: Instrument, item: InstrumentItem) -> Disclosure:
    if item.disclosure is not None:
        return item.disclosure
    return instrument_rule(content, instrument)


def form_rule(content: Content, form: EvaluationForm) -> Disclosure:
    if form.disclosure is not None:
        return form.disclosure
    return default_rule(content)


# ---------------------------------------------------------------- is a rule sound


def check_disclosure(content: Content) -> list[Problem]:
    """Every rule the content gives, checked on its own; item rules also against their
    instrument's. Rules left to their defaults are sound by construction."""
    problems = _rule_problems(
        content, "curriculum", "curriculum", ("disclosure",), content.curriculum.disclosure
    )
    for instrument in content.instruments.values():
        if instrument.disclosure is not None:
            problems += _rule_problems(
                content, "instrument", instrument.id, ("disclosure",), instrument.disclosure
            )
        for i, item in enumerate(instrument.items):
            if item.disclosure is None:
                continue
            loc: Loc = ("items", i, "disclosure")
            found = _rule_problems(content, "instrument", instrument.id, loc, item.disclosure)
            # one mistake, one message: a rule unsound on its own is not compared as well
            problems += found or _loosening(content, instrument, loc, item.disclosure)
    for form in content.evaluation_forms.values():
        if form.disclosure is not None:
            problems += _rule_problems(
                content, "evaluation_form", form.id, ("disclosure",), form.disclosure
            )
    if content.scorecard is not None and content.scorecard.disclosure is not None:
        rule = content.scorecard.disclosure
        problems += _rule_problems(content, "scorecard", "scorecard", ("disclosure",), rule)
    return problems


def rule_mistakes(rule: Disclosure) -> list[tuple[str, str]]:
    """(field, message) for what is wrong with one rule on its own."""
    if rule.sensitive and rule.threshold <= 1:
        hint = (
            ""
            if "sensitive" in rule.model_fields_set
            else " (a rule is sensitive unless it says sensitive: false)"
        )
        return [
            (
                "threshold",
                f"threshold {rule.threshold} shows every count exactly: allowed only where "
                f"sensitive is false{hint}",
            )
        ]
    mistakes = []
    if rule.sensitive and rule.threshold < MIN_SENSITIVE_THRESHOLD:
        mistakes.append(
            (
                "threshold",
                f"threshold {rule.threshold} would show counts of 2: a sensitive rule needs a "
                f"threshold of {MIN_SENSITIVE_THRESHOLD} or more",
            )
        )
    if 0 < rule.min_respondents < rule.threshold:
        mistakes.append(
            (
                "min_respondents",
                f"min_respondents {rule.min_respondents} is below the threshold "
                f"{rule.threshold}: give 0 (no minimum) or at least {rule.threshold}",
            )
        )
    return mistakes


def loosened(item: Disclosure, instrument: Disclosure) -> list[str]:
    """How an item's rule protects less than its instrument's (empty if it does not)."""
    found = []
    if instrument.sensitive and not item.sensitive:
        found.append("it says sensitive: false where the instrument's rule is sensitive")
    if item.threshold < instrument.threshold:
        found.append(
            f"its threshold {item.threshold} is below the instrument's {instrument.threshold}"
        )
    if instrument.sensitive and item.min_respondents < instrument.min_respondents:
        found.append(
            f"its min_respondents {item.min_respondents} is below the instrument's "
            f"{instrument.min_respondents}"
        )
    return found


def _rule_problems(
    content: Content, kind: str, obj_id: str, loc: Loc, rule: Disclosure
) -> list[Problem]:
    return [
        _problem(content, kind, obj_id, (*loc, name), message)
        for name, message in rule_mistakes(rule)
    ]


def _loosening(
    content: Content, instrument: Instrument, loc: Loc, rule: Disclosure
) -> list[Problem]:
    found = loosened(rule, instrument_rule(content, instrument))
    if not found:
        return []
    whose = (
        ""
        if instrument.disclosure is not None
        else " (the instrument has no rule of its own, so curriculum.yaml's applies to it)"
    )
    message = f"an item cannot loosen its instrument's protection{whose}: {'; '.join(found)}"
    return [_problem(content, "instrument", instrument.id, loc, message)]


def _problem(content: Content, kind: str, obj_id: str, loc: Loc, message: str) -> Problem:
    rel = content.sources[(kind, obj_id)]
    return Problem(rel, line_of(content.files[rel].nodes, loc), field_path(loc), message)
