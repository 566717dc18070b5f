"""Room to write on a printed handout: blanks drawn as lines, sized for a hand with a pen.

A handout's Markdown marks its blanks the way a typist would: `______` after a question,
`1.` `2.` `3.` on lines of their own, a question and then the next heading, `- [ ]` for a
box to tick. On screen these read well enough; on paper they print as a run of underscores,
numbers run together on one line, or no space at all. This Markdown tree processor, run
only for handouts on paper, turns each into something to write on (the print stylesheet
gives them their height), in every language, since the translations keep the same marks:

- a run of three or more underscores -> a line as long as the run (`fh-fill`); alone on its
  line, Markdown reads it as a horizontal rule: such a rule inside the handout -> writing
  lines (the last rule, before the "handout of..." line, stays a rule);
- a paragraph of numbers alone (`1.` `2.`, or `১.` `२.`) -> numbered writing lines;
- a question or a label (`**Two people I can talk to:**`) with nothing after it but the next
  heading, the handout's end or another question -> writing lines below it;
- a list of questions with nothing after it -> a writing line under each question;
- `[ ]` at the start of a list item -> a box to tick.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor

BLANK = re.compile(r"_{3,}")
NUMBER_ONLY = re.compile(r"^\s*\d{1,2}[.)]\s*$")
TICK_BOX = re.compile(r"^\s*\[ \]\s*")
# A sentence that asks for an answer: it ends in a question mark or a colon (full-width too).
PROMPT_END = re.compile(r"[?:？：]\s*$")
# `(for example: ...)` after a label: a hint, not an answer.
HINT = re.compile(r"^(\(.*\))?\s*$", re.DOTALL)
HINTED_LABEL = re.compile(r"^\(.*\)\s*[:：?？]$", re.DOTALL)
LABEL_MARKS = (":", "：", "?", "？")
QUESTION_MARKS = ("?", "？")
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
LINES_AFTER_QUESTION = 3
LINES_AFTER_LABEL = 2
LINES_UNDER_LIST_ITEM = 2
LINES_FOR_RULE = 2  # `______` alone on its line: an answer of a line or two
# Underscores per em: a run of 20 underscores is about 10 em wide in Noto Sans.
UNDERSCORE_EM = 0.5
MIN_FILL_EM = 7.0  # room for a date, a name or a code, however short the run typed


def _text(element: etree.Element) -> str:
    return "".join(element.itertext())


def _has_blank(element: etree.Element) -> bool:
    return any(
        child.get("class", "").startswith(("fh-fill", "fh-write")) for child in element.iter()
    )


def _lines(count: int, numbers: list[str] | None = None) -> etree.Element:
    block = etree.Element("div", {"class": "fh-write"})
    for index in range(count):
        line = etree.SubElement(block, "div", {"class": "fh-write-line"})
        if numbers:
            etree.SubElement(line, "span", {"class": "fh-write-number"}).text = numbers[index]
    return block


def _fill(run: str) -> etree.Element:
    width = max(MIN_FILL_EM, len(run) * UNDERSCORE_EM)
    return etree.Element("span", {"class": "fh-fill", "style": f"width: {width:g}em"})


def _split_blanks(text: str) -> list[str | etree.Element]:
    """`Name: ____ Date: ____` -> ['Name: ', <fill>, ' Date: ', <fill>]."""
    parts: list[str | etree.Element] = []
    at = 0
    for match in BLANK.finditer(text):
        parts.append(text[at : match.start()])
        parts.append(_fill(match.group()))
        at = match.end()
    parts.append(text[at:])
    return parts


def _draw_blanks(parent: etree.Element) -> None:
    """Every underscore run in `parent`'s text and its children's tails becomes a fill."""
    for child in list(parent):
        _draw_blanks(child)
    # The text before the first child, then each child's tail, in document order.
    slots: list[tuple[int, str]] = [(0, parent.text or "")]
    slots += [(index + 1, child.tail or "") for index, child in enumerate(parent)]
    for position, text in reversed(slots):
        if not BLANK.search(text):
            continue
        parts = _split_blanks(text)
        if position == 0:
            parent.text = str(parts[0])
        else:
            parent[position - 1].tail = str(parts[0])
        insert_at = position
        for fill, tail in zip(parts[1::2], parts[2::2], strict=True):
            assert isinstance(fill, etree.Element)
            fill.tail = str(tail)
            parent.insert(insert_at, fill)
            insert_at += 1


def _numbers_only(element: etree.Element) -> list[str] | None:
    """['1.', '2.', '3.'] for a paragraph of numbers alone, else None."""
    if element.tag != "p" or len(element):
        return None
    lines = [line.strip() for line in (element.text or "").splitlines() if line.strip()]
    if lines and all(NUMBER_ONLY.match(line) for line in lines):
        return lines
    return None


def _is_label(element: etree.Element) -> bool:
    """`**My care buddy:**` alone, or a bold label with a hint in brackets and a colon."""
    if element.tag != "p" or not len(element) or element[0].tag != "strong":
        return False
    if (element.text or "").strip():
        return False
    label = _text(element[0]).strip()
    after = _text(element).strip()[len(label) :].strip()
    if label.endswith(LABEL_MARKS):
        return HINT.match(after) is not None
    return HINTED_LABEL.match(after) is not None


def _is_prompt(element: etree.Element) -> bool:
    if element.tag != "p" or _has_blank(element) or _numbers_only(element):
        return False
    return _is_label(element) or PROMPT_END.search(_text(element)) is not None


def _ends_section(children: list[etree.Element], index: int) -> bool:
    """Nothing to write on follows: a heading, the handout's closing rule, or its end."""
    if index >= len(children):
        return True
    element = children[index]
    return element.tag in HEADINGS or (element.tag == "hr" and _is_closing_rule(children, index))


def _is_closing_rule(children: list[etree.Element], index: int) -> bool:
    """The rule before the handout's last line ("A handout of the module..."), or its end."""
    rest = children[index + 1 :]
    return not rest or (len(rest) == 1 and rest[0].tag == "p" and _is_emphasis(rest[0]))


def _is_emphasis(element: etree.Element) -> bool:
    return not (element.text or "").strip() and [c.tag for c in element] == ["em"]


def _room_after(children: list[etree.Element], index: int) -> int:
    """How many writing lines a block needs below it (0: it has its answer space)."""
    element = children[index]
    if not _is_prompt(element):
        return 0
    following = children[index + 1] if index + 1 < len(children) else None
    if _ends_section(children, index + 1) or (following is not None and _is_prompt(following)):
        return LINES_AFTER_LABEL if _is_label(element) else LINES_AFTER_QUESTION
    return 0


def _is_question_list(element: etree.Element) -> bool:
    items = [item for item in element if item.tag == "li"]
    return (
        element.tag in ("ol", "ul")
        and bool(items)
        and not _has_blank(element)
        and all(_text(item).rstrip().endswith(QUESTION_MARKS) for item in items)
    )


def _replace(parent: etree.Element, old: etree.Element, new: etree.Element) -> None:
    new.tail = old.tail
    at = list(parent).index(old)
    parent.remove(old)
    parent.insert(at, new)


def _rule_in_item(parent: etree.Element) -> None:
    """`1. ______` is a list item holding a rule: a line from the number to the margin."""
    for item in parent.iter("li"):
        for rule in [child for child in item if child.tag == "hr"]:
            _replace(item, rule, etree.Element("span", {"class": "fh-fill fh-fill-line"}))


def _make_room(parent: etree.Element) -> None:
    children = list(parent)
    for index, child in enumerate(children):
        if child.tag == "hr" and not _is_closing_rule(children, index):
            _replace(parent, child, _lines(LINES_FOR_RULE))
            continue
        numbers = _numbers_only(child)
        if numbers:
            _replace(parent, child, _lines(len(numbers), numbers))
            continue
        if _is_question_list(child) and _ends_section(children, index + 1):
            for item in child:
                item.append(_lines(LINES_UNDER_LIST_ITEM))
            continue
        count = _room_after(children, index)
        if count:
            parent.insert(list(parent).index(child) + 1, _lines(count))
        elif child.tag in ("div", "section", "blockquote"):
            _make_room(child)


def _tick_boxes(root: etree.Element) -> None:
    for item in root.iter("li"):
        if item.text and TICK_BOX.match(item.text):
            box = etree.Element("span", {"class": "fh-tick"})
            box.tail = TICK_BOX.sub("", item.text, count=1)
            item.text = None
            item.insert(0, box)


class WritingRoom(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        _draw_blanks(root)
        _rule_in_item(root)
        _make_room(root)
        _tick_boxes(root)


class WritingRoomExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        # After the inline patterns (priority 20): the text is final, with <strong> in place.
        md.treeprocessors.register(WritingRoom(md), "fh_writing_room", 5)
