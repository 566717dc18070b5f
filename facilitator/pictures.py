"""Pictures: an illustration's SVG with its words in the page's language.

    shown(content, ["body-outline"])  # [Picture(...)] for a session's pictures
    placeholders(svg_text)            # the `{{label:key}}` keys an SVG uses
    embed(markdown, content)          # a handout's `{{picture:id}}` lines as drawings,
                                      # and its `{{cards}}` lists as sheets to cut out

The SVG files are the source (curriculum/illustrations/<id>.svg, drawn by hand); words
inside them are placeholders, filled here from curriculum/illustrations.yaml as the
localized content has it, so one drawing serves every language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape
from pathlib import Path

from facilitator.illustration_model import Illustration
from facilitator.load import Content

FOLDER = Path("curriculum") / "illustrations"
PLACEHOLDER = re.compile(r"\{\{\s*(label:[a-z0-9_-]+|title|description)\s*\}\}")
# A handout shows a drawing with a line of its own: {{picture:wheel-blank}}
EMBED = re.compile(r"^\{\{picture:([a-z0-9-]+)\}\}[ \t]*$", re.MULTILINE)
# A handout holds card texts to print and cut out as a list between two lines of their own:
# {{cards}} / - one card's words / {{/cards}}
CARDS = re.compile(r"^\{\{cards\}\}[ \t]*\n(.*?)^\{\{/cards\}\}[ \t]*$", re.MULTILINE | re.DOTALL)
# The XML prolog and comments are for the file, not for a page that holds the picture.
PROLOG = re.compile(r"<\?xml[^>]*\?>|<!--.*?-->", re.DOTALL)


@dataclass(frozen=True)
class Picture:
    """One illustration as a page shows it."""

    id: str
    title: str
    description: str
    cards: bool
    svg: str  # one line of inline SVG, safe inside Markdown


def svg_path(root: Path, picture_id: str) -> Path:
    return root / FOLDER / f"{picture_id}.svg"


def placeholders(svg_text: str) -> set[str]:
    """The label keys an SVG asks for (`{{label:me}}` -> "me")."""
    return {m[6:] for m in PLACEHOLDER.findall(svg_text) if m.startswith("label:")}


def fill(svg_text: str, illustration: Illustration) -> str:
    """The SVG with its placeholders replaced by the illustration's words, escaped for XML;
    a key the words lack shows as the key itself, which `facilitator check` reports."""

    def word(match: re.Match[str]) -> str:
        key = match[1]
        if key == "title":
            return escape(illustration.title)
        if key == "description":
            return escape(illustration.description)
        name = key.removeprefix("label:")
        return escape(illustration.labels.get(name, name))

    return PLACEHOLDER.sub(word, svg_text)


def _one_line(svg_text: str) -> str:
    """Markdown ends a raw HTML block at a blank line, so the SVG goes on one line."""
    return " ".join(line.strip() for line in PROLOG.sub("", svg_text).splitlines() if line.strip())


def catalogue(content: Content) -> dict[str, Illustration]:
    listed = content.illustrations.illustrations if content.illustrations else []
    return {illustration.id: illustration for illustration in listed}


def shown(content: Content, picture_ids: list[str]) -> list[Picture]:
    """The pictures of `picture_ids` that exist, in the language of `content`."""
    known = catalogue(content)
    pictures = []
    for picture_id in picture_ids:
        path = svg_path(content.root, picture_id)
        if picture_id not in known or not path.is_file():
            continue  # reported by `facilitator check`; the page shows the rest
        illustration = known[picture_id]
        svg = _one_line(fill(path.read_text(encoding="utf-8"), illustration))
        pictures.append(
            Picture(
                picture_id, illustration.title, illustration.description, illustration.cards, svg
            )
        )
    return pictures


def embedded(markdown: str) -> list[str]:
    """The picture ids a handout's Markdown shows, in order."""
    return EMBED.findall(markdown)


def embed(markdown: str, content: Content) -> str:
    """A handout's `{{picture:id}}` lines as inline drawings in the language of `content`;
    an unknown id is left as written, and `facilitator check` reports it."""

    def drawing(match: re.Match[str]) -> str:
        pictures = shown(content, [match[1]])
        if not pictures:
            return match[0]
        return (
            f'<figure class="fh-picture" style="break-inside: avoid; margin: 0.5em 0;">'
            f"{pictures[0].svg}</figure>\n"
        )

    return card_sheets(EMBED.sub(drawing, markdown), content)


def card_texts(block: str) -> list[str]:
    """The words of each card in a `{{cards}}` block: one list item per card."""
    return [line.strip()[2:].strip() for line in block.splitlines() if line.strip()[:2] == "- "]


def has_cards(markdown: str) -> bool:
    return any(card_texts(match[1]) for match in CARDS.finditer(markdown))


def card_sheets(markdown: str, content: Content) -> str:
    """Each `{{cards}}` block as a page of cards with dashed lines to cut along, two cards
    a row and each at least 55 mm high, so a hand can hold it and a group can read it."""
    cut = content.illustrations.captions.get("cut", "") if content.illustrations else ""

    def sheet(match: re.Match[str]) -> str:
        cards = "".join(
            '<div class="fh-card" style="border: 1px dashed #555; min-height: 55mm; '
            'padding: 5mm; font-size: 1.15em; line-height: 1.5; break-inside: avoid;">'
            f"{escape(text)}</div>"
            for text in card_texts(match[1])
        )
        return (
            '<div class="fh-card-sheet" style="display: grid; grid-template-columns: 1fr 1fr; '
            'gap: 0; margin: 0.5em 0;">'
            f'{cards}</div>\n<p class="fh-cut"><em>\u2702 {escape(cut)}</em></p>\n'
        )

    return CARDS.sub(sheet, markdown)
