"""Which disclosure rule protects a figure: item -> instrument -> curriculum.yaml, and
form -> curriculum.yaml; and the rules the real curriculum gives."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from facilitator.content import load_content
from facilitator.disclosure import default_rule, form_rule, instrument_rule, item_rule, loosened
from facilitator.load import Content
from facilitator.model import Disclosure, default_disclosure

from .conftest import REPO

Edit = Callable[[Path, str, str], None]
INSTRUMENT = "curriculum/instruments/self-check.yaml"
FORM = "curriculum/evaluation_forms/useful-skills.yaml"
CURRICULUM = "curriculum/curriculum.yaml"
SCRIPTS = {"bn": r"[\u0980-\u09FF]", "hi": r"[\u0900-\u097F]"}


def _cut_rule(path: Path) -> None:
    """Remove the top-level disclosure rule (the last block of each fixture file)."""
    text = path.read_text("utf-8")
    path.write_text(text[: text.index("\ndisclosure:")] + "\n", "utf-8")


# ---------------------------------------------------------------- resolution order


def test_an_item_rule_comes_first_then_the_instrument_then_the_curriculum(
    content_tree: Path,
) -> None:
    content = load_content(content_tree)
    instrument = content.instruments["self-check"]
    speak_up, ask_help = instrument.items

    assert item_rule(content, instrument, ask_help) is ask_help.disclosure
    assert item_rule(content, instrument, speak_up) is instrument.disclosure
    assert instrument_rule(content, instrument) is instrument.disclosure
    assert item_rule(content, instrument, ask_help).min_respondents == 10
    assert item_rule(content, instrument, speak_up).min_respondents == 5


def test_without_an_instrument_rule_items_fall_back_to_the_curriculum(
    content_tree: Path,
) -> None:
    _cut_rule(content_tree / INSTRUMENT)
    content = load_content(content_tree)
    instrument = content.instruments["self-check"]
    speak_up, ask_help = instrument.items

    assert instrument_rule(content, instrument) is content.curriculum.disclosure
    assert item_rule(content, instrument, speak_up) is default_rule(content)
    assert item_rule(content, instrument, ask_help) is ask_help.disclosure


def test_a_form_rule_comes_first_then_the_curriculum(content_tree: Path) -> None:
    content = load_content(content_tree)
    form = content.evaluation_forms["useful-skills"]
    assert form_rule(content, form) is form.disclosure
    assert (form_rule(content, form).sensitive, form_rule(content, form).threshold) == (False, 1)

    _cut_rule(content_tree / FORM)
    content = load_content(content_tree)
    assert form_rule(content, content.evaluation_forms["useful-skills"]) is default_rule(content)


def test_without_a_curriculum_rule_the_safe_default_applies(content_tree: Path) -> None:
    for rel in (CURRICULUM, INSTRUMENT, FORM):
        _cut_rule(content_tree / rel)
    content = load_content(content_tree)
    instrument = content.instruments["self-check"]

    rule = item_rule(content, instrument, instrument.items[0])
    assert rule == default_disclosure()
    assert (rule.sensitive, rule.threshold, rule.min_respondents) == (True, 5, 0)
    assert form_rule(content, content.evaluation_forms["useful-skills"]) == rule


def test_an_item_rule_replaces_the_instrument_rule_as_a_whole(
    content_tree: Path, edit: Edit
) -> None:
    """No field is taken from the instrument: what the item leaves out is the default."""
    edit(
        content_tree / INSTRUMENT,
        "\ndisclosure:\n  sensitive: true\n  threshold: 5\n  min_respondents: 5",
        "\ndisclosure:\n  sensitive: false\n  threshold: 6\n  min_respondents: 6",
    )
    edit(content_tree / INSTRUMENT, "      threshold: 5\n      min_respondents: 10\n", "")
    edit(content_tree / INSTRUMENT, "      sensitive: true", "      threshold: 6")
    content = load_content(content_tree)
    instrument = content.instruments["self-check"]

    rule = item_rule(content, instrument, instrument.items[1])
    assert (rule.sensitive, rule.threshold, rule.min_respondents) == (True, 6, 0)
    assert rule.reason == "Whether someone has help says how alone she is."


def test_localized_content_gives_the_reason_in_its_language() -> None:
    content = load_content(REPO)
    for lang in ("bn", "hi"):
        local = content.localized(lang)
        instrument = local.instruments["body-image"]
        rule = item_rule(local, instrument, instrument.items[0])
        assert re.search(SCRIPTS[lang], rule.reason), lang
        assert (
            rule.threshold == instrument_rule(content, content.instruments["body-image"]).threshold
        )


# ---------------------------------------------------------------- the real curriculum


@pytest.fixture(scope="module")
def content() -> Content:
    return load_content(REPO)


def test_the_curriculum_default_hides_counts_below_5(content: Content) -> None:
    """Attendance and completion follow the default: small counts hidden; not declared
    sensitive, so a zero standing alone (nobody absent) is shown."""
    rule = default_rule(content)
    assert (rule.sensitive, rule.threshold, rule.min_respondents) == (False, 5, 0)
    assert rule.reason != default_disclosure().reason, "written in curriculum.yaml"


def test_every_body_image_item_is_sensitive_with_at_least_10_respondents(
    content: Content,
) -> None:
    instrument = content.instruments["body-image"]
    for item in instrument.items:
        rule = item_rule(content, instrument, item)
        assert rule.sensitive, item.id
        assert rule.min_respondents == 10, item.id
        assert rule.threshold >= 5, item.id
    hurt = next(i for i in instrument.items if i.id == "hurt-myself")
    assert hurt.disclosure is not None, "the self-harm item states its own rule"
    assert loosened(hurt.disclosure, instrument_rule(content, instrument)) == []


@pytest.mark.parametrize(
    "instrument_id",
    ["leadership-self-assessment", "restorative-care-self-assessment", "wheel-of-empowerment"],
)
def test_self_ratings_are_not_sensitive_but_still_hide_small_counts(
    content: Content, instrument_id: str
) -> None:
    instrument = content.instruments[instrument_id]
    for item in instrument.items:
        rule = item_rule(content, instrument, item)
        assert (rule.sensitive, rule.threshold, rule.min_respondents) == (False, 5, 0), item.id


@pytest.mark.parametrize("form_id", ["useful-skills-survivors", "useful-lessons-social-workers"])
def test_evaluation_forms_show_exact_counts(content: Content, form_id: str) -> None:
    rule = form_rule(content, content.evaluation_forms[form_id])
    assert (rule.sensitive, rule.threshold) == (False, 1)


def _rules(content: Content) -> Iterator[tuple[str, Disclosure]]:
    """Every rule the content writes, named by where it is."""
    yield "curriculum", content.curriculum.disclosure
    for instrument in content.instruments.values():
        if instrument.disclosure is not None:
            yield instrument.id, instrument.disclosure
        for item in instrument.items:
            if item.disclosure is not None:
                yield f"{instrument.id}/{item.id}", item.disclosure
    for form in content.evaluation_forms.values():
        if form.disclosure is not None:
            yield form.id, form.disclosure


@pytest.mark.parametrize("lang", ["bn", "hi"])
def test_every_reason_is_translated_in_the_right_script(content: Content, lang: str) -> None:
    english = dict(_rules(content))
    local = dict(_rules(content.localized(lang)))
    assert list(local) == list(english)
    assert len(english) >= 8  # the default, four instruments, one item, two forms
    for where, rule in local.items():
        assert rule.reason != english[where].reason, f"{lang}: {where}"
        assert re.search(SCRIPTS[lang], rule.reason), f"{lang}: {where}"
        assert not re.search(r"[A-Za-z]{3,}", rule.reason), f"{lang}: {where} has English"
    fallbacks = [
        path
        for paths in content.localized(lang).fallbacks.values()
        for path in paths
        if "disclosure" in path
    ]
    assert fallbacks == []


def test_the_authoring_page_documents_every_disclosure_field() -> None:
    from facilitator.fieldref import field_reference

    reference = field_reference()
    section = reference[reference.index("### Disclosure") :].split("\n### ", 1)[0]
    for name in Disclosure.model_fields:
        assert f"| `{name}` |" in section, name
    assert reference.count("[Disclosure](#disclosure)") == 4  # curriculum, instrument, item, form
    page = (REPO / "site" / "authoring.md").read_text("utf-8")
    assert "## How sensitive is a question?" in page
    assert all(f"`{name}`" in page for name in Disclosure.model_fields)
