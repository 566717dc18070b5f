"""Care rules: which answers raise a follow-up in the tracker, and what `facilitator check`
says about a rule that names an answer the instrument does not have."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from facilitator.care import follow_up_values
from facilitator.checks import check
from facilitator.content import load_content
from facilitator.problems import ContentError
from facilitator.render import render_module

from .conftest import REPO

INSTRUMENT = "curriculum/instruments/self-check.yaml"
CURRICULUM = "curriculum/curriculum.yaml"
ITEM = "  - {id: speak-up, text: I can say what I think in a group., level: learning}"

Edit = Callable[[Path, str, str], None]


def _item_rule(rule: str) -> str:
    return (
        "  - id: speak-up\n    text: I can say what I think in a group.\n    level: learning\n"
        f"    follow_up: {rule}"
    )


def test_a_scale_rule_gives_the_values_that_raise_a_follow_up(
    content_tree: Path, edit: Edit
) -> None:
    edit(content_tree / INSTRUMENT, ITEM, _item_rule("{answers: [1, 2]}"))
    assert check(content_tree) == []
    instrument = load_content(content_tree).instruments["self-check"]
    assert follow_up_values(instrument) == {"speak-up": frozenset({1, 2})}


def test_an_instrument_rule_applies_to_items_without_their_own(
    content_tree: Path, edit: Edit
) -> None:
    edit(content_tree / INSTRUMENT, "\ndisclosure:\n", "\nfollow_up: {answers: [1]}\ndisclosure:\n")
    edit(content_tree / INSTRUMENT, ITEM, _item_rule("{answers: []}"))  # this one opts out
    assert check(content_tree) == []
    instrument = load_content(content_tree).instruments["self-check"]
    assert follow_up_values(instrument) == {"ask-help": frozenset({1})}


@pytest.mark.parametrize(
    ("rule", "field", "message"),
    [
        (
            "{answers: [1, 7]}",
            "items[0].follow_up.answers[1]",
            "'7' is not an answer of this likert instrument: write values from its scale: 1, 2, 3",
        ),
        (
            "{answers: [yes]}",
            "items[0].follow_up.answers[0]",
            "'yes' is not an answer of this likert instrument: write values from its scale: "
            "1, 2, 3",
        ),
    ],
)
def test_an_answer_off_the_scale_is_named_with_file_line_and_field(
    content_tree: Path, edit: Edit, rule: str, field: str, message: str
) -> None:
    edit(content_tree / INSTRUMENT, ITEM, _item_rule(rule))
    problems = check(content_tree)
    assert [(p.file, p.field, p.message) for p in problems] == [(INSTRUMENT, field, message)]
    assert problems[0].line == 14  # the follow_up line of the first item
    with pytest.raises(ContentError, match="not an answer"):
        load_content(content_tree)  # the tracker never runs with such a rule


def test_a_yes_no_rule_takes_yes_or_no_only(content_tree: Path, edit: Edit) -> None:
    edit(content_tree / INSTRUMENT, "kind: likert", "kind: yes_no")
    edit(content_tree / INSTRUMENT, ITEM, _item_rule("{answers: [yes, maybe]}"))
    problems = check(content_tree)
    assert [(p.field, p.message) for p in problems] == [
        (
            "items[0].follow_up.answers[1]",
            "'maybe' is not an answer of this yes_no instrument: write yes or no",
        )
    ]


def test_a_misspelt_rule_key_and_a_true_are_refused(content_tree: Path, edit: Edit) -> None:
    edit(content_tree / INSTRUMENT, ITEM, _item_rule("{answer: [1]}"))
    fields = {p.field for p in check(content_tree)}
    assert "items[0].follow_up.answer" in fields


def test_services_are_listed_once(content_tree: Path, edit: Edit) -> None:
    text = (content_tree / CURRICULUM).read_text("utf-8")
    (content_tree / CURRICULUM).write_text(
        text + "services:\n  - {id: counsellor, label: Counsellor}\n"
        "  - {id: counsellor, label: Counsellor again}\n",
        "utf-8",
    )
    assert [(p.field, p.message) for p in check(content_tree)] == [
        ("services", "duplicate service id 'counsellor'")
    ]


def test_the_real_curriculum_raises_a_follow_up_on_a_yes_to_self_harm() -> None:
    content = load_content(REPO)
    assert follow_up_values(content.instruments["body-image"]) == {"hurt-myself": frozenset({1})}
    services = {s.id for s in content.curriculum.services}
    assert {"counsellor", "health-centre", "legal-aid", "helpline", "shelter", "other"} <= services
    for lang in ("bn", "hi"):
        local = content.localized(lang).curriculum.services
        assert all(
            s.label != e.label for s, e in zip(local, content.curriculum.services, strict=True)
        )


@pytest.mark.parametrize("lang", ["en", "bn", "hi"])
def test_a_module_prints_the_care_of_every_item_it_asks(lang: str) -> None:
    """The module page (and so its printed pack) carries each care instruction of the
    questionnaires the module gives, in the page's language."""
    content = load_content(REPO)
    local = content.localized(lang)
    for module_id, module in content.modules.items():
        page = render_module(content, module_id, lang)
        for instrument_id in module.instruments:
            for item in local.instruments[instrument_id].items:
                if item.care:
                    assert item.care.split("\n")[0] in page, (module_id, item.id)
