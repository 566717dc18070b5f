"""The glossary's words in use: a translation that names a term with a word the glossary says
to avoid, or without the glossary's own term, is reported; endings, the dot below a letter and
strings not yet translated are not."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from facilitator.checks import check
from facilitator.checks.terms import check_terms
from facilitator.load import collect
from facilitator.problems import Problem

Edit = Callable[[Path, str, str], None]

GLOSSARY = """terms:
  - id: facilitator
    term: facilitator
    definition: The person who guides a session.
    avoid: [teacher]
  - id: facilitation
    term: facilitation
    definition: Guiding a group.
  - id: entitlement
    term: entitlement / scheme
    definition: A benefit a person has a right to.
    avoid: [favour]
  - id: resilience
    term: resilience
    definition: The strength to get up again.
  - id: shame-resilience
    term: shame resilience
    definition: Noticing shame and reaching out.
"""
GLOSSARY_HI = """terms:
  - id: facilitator
    term: सहजकर्ता
    definition: जो सत्र चलाती है।
    avoid: [मास्टरनी]
  - id: facilitation
    term: सहजीकरण
    definition: समूह को राह दिखाना।
    avoid: [सुविधा]
  - id: entitlement
    term: हक़ / सरकारी योजना
    definition: ऐसा लाभ जिसका अधिकार है।
    avoid: [एहसान]
  - id: resilience
    term: फिर से उठने की ताक़त
    definition: फिर खड़े होने की ताकत।
  - id: shame-resilience
    term: शर्म से उबरने की ताकत
    definition: शर्म को पहचानना।
"""


def problems_for(root: Path, module_hi: str) -> list[Problem]:
    (root / "curriculum" / "glossary.yaml").write_text(GLOSSARY, "utf-8")
    (root / "curriculum" / "glossary.hi.yaml").write_text(GLOSSARY_HI, "utf-8")
    (root / "modules" / "circle-of-trust" / "module.hi.yaml").write_text(module_hi, "utf-8")
    content, _ = collect(root)
    assert content is not None
    return [p for p in check_terms(content) if p.file.endswith(".hi.yaml")]


@pytest.fixture
def tree(content_tree: Path, edit: Edit) -> Path:
    module = content_tree / "modules" / "circle-of-trust" / "module.yaml"
    edit(
        module,
        "  - Agree the group's ground rules together.\n",
        "  - Learn the facilitation of a group with the facilitator.\n",
    )
    edit(module, "  - Name one strength each person brings.\n", "  - Claim an entitlement.\n")
    edit(module, "  - Ground rules\n", "  - Resilience and shame resilience\n")
    return content_tree


def test_an_avoided_word_is_named_with_the_glossary_term(tree: Path) -> None:
    found = problems_for(
        tree,
        "objectives:\n  - सहजकर्ता के साथ समूह की सुविधा सीखना।\n  - अपना हक़ माँगना।\n",
    )
    assert [(p.file, p.field, p.severity) for p in found] == [
        ("modules/circle-of-trust/module.hi.yaml", "objectives[0]", "warning"),
        ("modules/circle-of-trust/module.hi.yaml", "objectives[0]", "warning"),
    ]
    assert "'सुविधा' is a word the glossary says to avoid here: write 'सहजीकरण'" in (
        found[0].message + found[1].message
    )
    assert "the English says 'facilitation', but this translation does not use the glossary's" in (
        found[0].message + found[1].message
    )


def test_endings_the_nukta_and_either_form_of_a_term_are_the_term(tree: Path) -> None:
    found = problems_for(
        tree,
        "objectives:\n  - सहजकर्ताओं के साथ समूह का सहजीकरण सीखना।\n  - सरकारी योजना माँगना।\n"
        "components:\n  - फिर से उठने की ताकत और शर्म से उबरने की ताक़त\n  - ताकतें\n",
    )
    assert found == []


def test_a_term_inside_a_longer_term_is_not_asked_for_twice(tree: Path) -> None:
    """'shame resilience' holds 'resilience': the longer term is what the English names."""
    found = problems_for(tree, "components:\n  - शर्म से उबरने की ताकत\n  - ताकतें\n")
    assert [p.message for p in found] == [
        "the English says 'resilience', but this translation does not use the glossary's "
        "'फिर से उठने की ताक़त'"
    ]


def test_a_string_still_in_english_is_left_to_the_translation_report(tree: Path) -> None:
    found = problems_for(tree, "title: भरोसे का घेरा\n")
    assert found == []


def test_a_translation_may_reject_an_avoided_word_where_the_english_does(
    tree: Path, edit: Edit
) -> None:
    module = tree / "modules" / "circle-of-trust" / "module.yaml"
    edit(
        module,
        "  - Claim an entitlement.\n",
        "  - Claim an entitlement as a right, not a favour.\n",
    )
    found = problems_for(
        tree,
        "objectives:\n  - सहजकर्ता के साथ समूह का सहजीकरण सीखना।\n"
        "  - हक़ को अधिकार की तरह माँगना, एहसान की तरह नहीं।\n",
    )
    assert found == []


def test_english_flags_an_avoided_word_unless_it_is_rejected_or_quoted(
    tree: Path, edit: Edit
) -> None:
    module = tree / "modules" / "circle-of-trust" / "module.yaml"
    edit(module, "  - Claim an entitlement.\n", "  - Ask for an entitlement as a favour.\n")
    edit(
        module,
        "  - Strengths\n",
        '  - An entitlement is a right, not a favour; never say "favour".\n',
    )
    (tree / "curriculum" / "glossary.yaml").write_text(GLOSSARY, "utf-8")
    content, _ = collect(tree)
    assert content is not None
    english = [p for p in check_terms(content) if p.file.endswith("circle-of-trust/module.yaml")]
    assert [(p.field, p.message) for p in english] == [
        (
            "objectives[1]",
            "'favour' is a word the glossary says to avoid here: write 'entitlement / scheme'",
        )
    ]


def test_check_reports_the_glossary_words_as_warnings(tree: Path) -> None:
    problems_for(tree, "objectives:\n  - सहजकर्ता से समूह की सुविधा सीखना।\n  - हक़ माँगना।\n")
    found = [p for p in check(tree) if "glossary says to avoid" in p.message]
    assert [(p.file, p.severity) for p in found] == [
        ("modules/circle-of-trust/module.hi.yaml", "warning")
    ]


def test_the_real_hindi_handbook_never_calls_facilitation_convenience() -> None:
    """Site title, labels and glossary agree: facilitation is सहजीकरण, never सुविधा."""
    from .conftest import REPO

    glossary = yaml.safe_load((REPO / "curriculum" / "glossary.hi.yaml").read_text("utf-8"))
    terms = {term["id"]: term for term in glossary["terms"]}
    assert "सुविधा" in terms["facilitation"]["avoid"]
    preferred = terms["facilitation"]["term"]
    labels = (REPO / "curriculum" / "labels.hi.yaml").read_text("utf-8")
    site = yaml.safe_load(
        re.sub(r"!!python/\S+|!ENV", "", (REPO / "mkdocs.yml").read_text("utf-8"))
    )
    i18n = next(p["i18n"] for p in site["plugins"] if isinstance(p, dict) and "i18n" in p)
    hindi = next(lang for lang in i18n["languages"] if lang["locale"] == "hi")
    assert preferred in hindi["site_name"]
    assert "सुविधा" not in labels and preferred in labels


def test_the_glossary_page_shows_the_english_term_beside_a_translated_one() -> None:
    from facilitator.render import render_glossary

    from .conftest import REPO

    content, _ = collect(REPO)
    assert content is not None
    hindi, english = render_glossary(content, "hi"), render_glossary(content, "en")
    assert '## सहजीकरण — <span lang="en">facilitation</span> { #term-facilitation }' in hindi
    assert '## সহায়ক — <span lang="en">facilitator</span>' in render_glossary(content, "bn")
    assert "## facilitation { #term-facilitation }" in english
    assert 'lang="en"' not in english
