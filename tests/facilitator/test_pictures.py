"""Pictures: the drawings are well-formed and named, show their words in the page's
language, and `facilitator check` finds a materials entry that asks for a picture it lacks."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest

from facilitator.checks import check
from facilitator.load import Content, collect
from facilitator.pictures import FOLDER, catalogue, fill, shown
from facilitator.render import render_handout, render_module

REPO = Path(__file__).resolve().parents[2]
SVG = "{http://www.w3.org/2000/svg}"
SCRIPTS = {"bn": re.compile("[\u0980-\u09ff]"), "hi": re.compile("[\u0900-\u097f]")}
Edit = Callable[[Path, str, str], None]


@cache
def repo_content() -> Content:
    content, _ = collect(REPO)
    assert content is not None and content.illustrations is not None
    return content


def drawings() -> list[str]:
    return sorted(p.stem for p in (REPO / FOLDER).glob("*.svg"))


def test_every_drawing_is_listed_and_every_listed_picture_is_drawn() -> None:
    assert drawings() == sorted(catalogue(repo_content()))


@pytest.mark.parametrize("picture_id", drawings())
def test_drawing_parses_with_a_title_and_description(picture_id: str) -> None:
    illustration = catalogue(repo_content())[picture_id]
    text = (REPO / FOLDER / f"{picture_id}.svg").read_text("utf-8")
    root = ET.fromstring(fill(text, illustration))
    assert root.tag == f"{SVG}svg"
    assert (root.findtext(f"{SVG}title") or "").strip() == illustration.title
    assert (root.findtext(f"{SVG}desc") or "").strip() == illustration.description
    words = [t.text or "" for t in root.iter(f"{SVG}text")]
    assert not any("{{" in w or w in illustration.labels for w in words), words


@pytest.mark.parametrize("lang", ["bn", "hi"])
def test_words_in_the_pictures_are_in_the_page_language(lang: str) -> None:
    english = catalogue(repo_content())
    local = repo_content().localized(lang)
    pictures = shown(local, list(english))
    assert [p.id for p in pictures] == list(english)
    for picture in pictures:
        root = ET.fromstring(picture.svg)
        words = [t.text or "" for t in root.iter(f"{SVG}text") if not (t.text or "").isdigit()]
        for word in [picture.title, picture.description, *words]:
            assert SCRIPTS[lang].search(word), f"{picture.id}: {word!r} is not in {lang}"
        assert "{{" not in picture.svg and "\n" not in picture.svg


def test_module_page_shows_the_session_picture_in_bengali() -> None:
    page = render_module(repo_content(), "kaarya-business-stocktaking", "bn")
    figure = next(line for line in page.splitlines() if "fh-cards" in line and "risk" not in line)
    assert figure.startswith('<figure class="fh-picture fh-cards"') and "<svg" in figure
    assert "ভাঙা দাগ ধরে কাটুন" in figure  # the cut-here caption, in Bengali


def _picture_problems(root: Path) -> list[str]:
    return [
        p.message
        for p in check(root)
        if "picture" in p.message or p.file == "curriculum/illustrations.yaml"
    ]


def _add_body_outline(root: Path) -> None:
    (root / "curriculum" / "illustrations").mkdir()
    (root / "curriculum" / "illustrations.yaml").write_text(
        "illustrations:\n"
        "  - id: body-outline\n"
        "    title: A body outline\n"
        "    description: The outline of a body to draw on.\n"
        "    labels: {head: Head}\n",
        "utf-8",
    )
    (root / "curriculum" / "illustrations" / "body-outline.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><title>{{title}}</title>'
        "<desc>{{description}}</desc><text>{{label:head}}</text></svg>",
        "utf-8",
    )


MODULE = "modules/circle-of-trust/module.yaml"


def test_check_reports_materials_that_ask_for_a_picture_without_one(
    content_tree: Path, edit: Edit
) -> None:
    assert _picture_problems(content_tree) == []
    edit(content_tree / MODULE, "materials: [Paper, Colours]", "materials: [Paper, Body outlines]")
    problems = [p for p in check(content_tree) if "picture" in p.message]
    assert len(problems) == 1
    assert problems[0].file == MODULE and problems[0].line == 43
    assert '"Body outlines"' in problems[0].message and "pictures: [id]" in problems[0].message


def test_check_accepts_a_picture_and_names_a_misspelt_one(content_tree: Path, edit: Edit) -> None:
    _add_body_outline(content_tree)
    edit(content_tree / MODULE, "materials: [Paper, Colours]", "materials: [Body outlines]")
    edit(content_tree / MODULE, "debrief: [What", "pictures: [body-outline]\n    debrief: [What")
    assert _picture_problems(content_tree) == []
    edit(content_tree / MODULE, "pictures: [body-outline]", "pictures: [body-outlin]")
    assert _picture_problems(content_tree) == [
        "session 'strengths' shows the picture 'body-outlin', which "
        "curriculum/illustrations.yaml does not list: did you mean 'body-outline'?"
    ]


def test_check_reports_a_drawing_with_an_unlisted_word_or_broken_markup(
    content_tree: Path, edit: Edit
) -> None:
    _add_body_outline(content_tree)
    svg = content_tree / "curriculum" / "illustrations" / "body-outline.svg"
    edit(svg, "{{label:head}}", "{{label:hand}}")
    assert any("not listed under its labels: hand" in m for m in _picture_problems(content_tree))
    edit(svg, "</desc>", "")
    assert any("not a well-formed drawing" in m for m in _picture_problems(content_tree))


def test_picture_handout_shows_its_drawing_in_hindi() -> None:
    page = render_handout(
        repo_content(), "kaarya-body-money-spirit-voice", "my-wheel-pictures", "hi"
    )
    assert "{{picture:" not in page
    figure = next(line for line in page.splitlines() if line.startswith("<figure"))
    assert "पैसा और आना-जाना" in figure  # a spoke of the wheel, in Hindi


def test_check_names_an_unknown_picture_in_a_handout(content_tree: Path, edit: Edit) -> None:
    _add_body_outline(content_tree)
    handout = content_tree / "modules" / "circle-of-trust" / "handouts" / "strength-card.md"
    handout.write_text(handout.read_text("utf-8") + "\n{{picture:body-outlne}}\n", "utf-8")
    problems = [p for p in check(content_tree) if "handout shows the picture" in p.message]
    assert [(p.file, p.message.rsplit(": ", 1)[-1]) for p in problems] == [
        ("modules/circle-of-trust/handouts/strength-card.md", "did you mean 'body-outline'?")
    ]
