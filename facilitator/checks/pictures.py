"""Pictures: every materials entry that asks the facilitator for a picture has one to print.

A materials entry asks for a picture when it names pictures, outlines, drawings of
something, faces, a sun and cloud, or picture-card games (picture, risk, item, stop cards);
its session must then list a picture (`pictures:` ids from curriculum/illustrations.yaml).
A materials entry that asks for cards of any kind (case, role, question, blank cards) needs a
sheet to cut out: a picture drawn as cards (`cards: true`, such as `card-sheet`), or a
handout of the session whose `{{cards}}` list prints the card texts on a cut-line grid.
Every listed picture must exist, as must every `{{picture:id}}` a handout shows, and every
picture's SVG must be well-formed, carry a title and description, and find each of its words
in the list.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import PurePosixPath

from facilitator.checks.report import Report
from facilitator.fixits.suggest import did_you_mean
from facilitator.illustration_model import Illustration
from facilitator.load import Content
from facilitator.model import Module
from facilitator.pictures import EMBED, catalogue, fill, has_cards, placeholders, svg_path
from facilitator.problems import Problem

# Words that mean the facilitator must bring a picture, not blank paper for the group.
ASKS = re.compile(
    r"\b(pictures?|outlines?|drawings? of|drawn|with faces|sun and cloud|"
    r"(picture|risk|item|stop) cards?)\b",
    re.IGNORECASE,
)
CARDS = re.compile(r"\bcards?\b", re.IGNORECASE)
SVG = "{http://www.w3.org/2000/svg}"


def asks_for_picture(material: str) -> bool:
    return ASKS.search(material) is not None


def asks_for_cards(material: str) -> bool:
    return CARDS.search(material) is not None


def check_pictures(content: Content) -> list[Problem]:
    known = catalogue(content)
    problems: list[Problem] = []
    for module in content.modules.values():
        report = Report.of(content, "module", module.id)
        _sessions(module, set(known), report)
        _card_sheets(content, module, known, report)
        problems += report.problems
        problems += _handouts(content, module, set(known))
    if content.illustrations is not None:
        report = Report.of(content, "illustrations", "illustrations")
        for i, illustration in enumerate(content.illustrations.illustrations):
            _drawing(content, illustration, i, report)
        problems += report.problems
    return problems


def _sessions(module: Module, known: set[str], report: Report) -> None:
    for i, session in enumerate(module.sessions):
        for j, material in enumerate(session.materials):
            if asks_for_picture(material) and not session.pictures:
                report.add(
                    f"session '{session.id}' asks for \"{material}\" but shows no picture to "
                    "print: add a line `pictures: [id]` under its materials, with an id from "
                    "curriculum/illustrations.yaml (or draw a new one there)",
                    "sessions",
                    i,
                    "materials",
                    j,
                )
        for j, picture_id in enumerate(session.pictures):
            if picture_id not in known:
                report.add(
                    f"session '{session.id}' shows the picture '{picture_id}', which "
                    "curriculum/illustrations.yaml does not list" + did_you_mean(picture_id, known),
                    "sessions",
                    i,
                    "pictures",
                    j,
                )


def _card_handouts(content: Content, module: Module) -> set[str]:
    """The ids of the module's handouts that print a sheet of cards (English file)."""
    folder = PurePosixPath(content.sources[("module", module.id)]).parent
    sheets = set()
    for handout in module.handouts:
        path = content.root / folder / handout.file
        if path.is_file() and has_cards(path.read_text(encoding="utf-8")):
            sheets.add(handout.id)
    return sheets


def _card_sheets(
    content: Content, module: Module, known: dict[str, Illustration], report: Report
) -> None:
    handouts = _card_handouts(content, module)
    for i, session in enumerate(module.sessions):
        has_sheet = any(p in known and known[p].cards for p in session.pictures) or bool(
            handouts & set(session.handouts)
        )
        if has_sheet:
            continue
        for j, material in enumerate(session.materials):
            if asks_for_cards(material):
                report.add(
                    f"session '{session.id}' asks for \"{material}\" but has no sheet of cards "
                    "to print and cut out: add `card-sheet` (blank cards) to its `pictures:`, "
                    "or give it a handout with the card texts between {{cards}} and {{/cards}}",
                    "sessions",
                    i,
                    "materials",
                    j,
                )
                break  # one message per session: one sheet answers every card it asks for


def _drawing(content: Content, illustration: Illustration, i: int, report: Report) -> None:
    path = svg_path(content.root, illustration.id)
    where = ("illustrations", i)
    if not path.is_file():
        report.add(
            f"the picture '{illustration.id}' has no drawing: add "
            f"curriculum/illustrations/{illustration.id}.svg",
            *where,
            "id",
        )
        return
    text = path.read_text(encoding="utf-8")
    missing = sorted(placeholders(text) - set(illustration.labels))
    if missing:
        report.add(
            f"the drawing of '{illustration.id}' shows words that are not listed under its "
            f"labels: {', '.join(missing)}",
            *where,
            "labels",
        )
    try:
        root = ET.fromstring(fill(text, illustration))
    except ET.ParseError as error:
        report.add(
            f"curriculum/illustrations/{illustration.id}.svg is not a well-formed drawing "
            f"({error}): check that every tag is closed",
            *where,
            "id",
        )
        return
    if root.find(f"{SVG}title") is None or root.find(f"{SVG}desc") is None:
        report.add(
            f"curriculum/illustrations/{illustration.id}.svg needs <title>{{{{title}}}}</title> "
            "and <desc>{{description}}</desc> first, so screen readers can name it",
            *where,
            "id",
        )


def _handouts(content: Content, module: Module, known: set[str]) -> list[Problem]:
    """`{{picture:id}}` lines in a module's handouts, in every language, that name no picture."""
    folder = PurePosixPath(content.sources[("module", module.id)]).parent
    problems = []
    for handout in module.handouts:
        english = folder / handout.file
        languages = [lang.code for lang in content.languages if not lang.default]
        for rel in [english, *(english.with_suffix(f".{code}.md") for code in languages)]:
            path = content.root / rel
            if not path.is_file():
                continue
            text = path.read_text(encoding="utf-8")
            for match in EMBED.finditer(text):
                if match[1] not in known:
                    line = text.count("\n", 0, match.start()) + 1
                    problems.append(
                        Problem(
                            rel.as_posix(),
                            line,
                            "",
                            f"the handout shows the picture '{match[1]}', which "
                            "curriculum/illustrations.yaml does not list"
                            + did_you_mean(match[1], known),
                        )
                    )
    return problems
