"""Module Markdown (background notes, handouts) as it appears on handbook pages.

Links between a module's Markdown files are rewritten to the pages those files become;
headings are pushed down where a file sits under a section of another page.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import PurePosixPath

from facilitator import pages
from facilitator.load import Content
from facilitator.markdown import read_page
from facilitator.model import Module
from facilitator.notices import Notices, page_notices, page_text


@cache  # the same few hundred links come up in every page of every language
def relative(from_page: str, to_page: str) -> str:
    """A relative link between two pages of the docs tree (both relative to site/)."""
    start = PurePosixPath(from_page).parent
    target = PurePosixPath(to_page)
    up = len(start.parts)
    common = 0
    for a, b in zip(start.parts, target.parent.parts, strict=False):
        if a != b:
            break
        common += 1
    parts = [".."] * (up - common) + list(target.parts[common:])
    return "/".join(parts)


HEADING = re.compile(r"^(#{1,5})(\s)", re.MULTILINE)
FENCE = re.compile(r"^(```|~~~).*?^\1", re.MULTILINE | re.DOTALL)
MD_LINK = re.compile(r"(\]\()(?P<target>[^)\s#]+\.md)(?P<rest>#[^)\s]*)?(\))")


def demote(text: str, levels: int = 1) -> str:
    """Push headings down so a notes file sits under a section of the module page."""
    fences = [m.span() for m in FENCE.finditer(text)]

    def push(match: re.Match[str]) -> str:
        if any(a <= match.start() < b for a, b in fences):
            return match.group(0)
        return "#" * levels + match.group(0)

    return HEADING.sub(push, text)


_last_pages: tuple[dict[str, Module], dict[str, str]] | None = None


def markdown_pages(content: Content) -> dict[str, str]:
    """Each module Markdown file (relative to the content root) -> the page it becomes."""
    global _last_pages
    # Asked for every notes and handout file in every language: the map of the content
    # rendered last is kept (by the identity of its modules) rather than rebuilt each time.
    if _last_pages is not None and _last_pages[0] is content.modules:
        return _last_pages[1]
    found = {}
    for module in content.modules.values():
        folder = PurePosixPath(content.sources[("module", module.id)]).parent
        if module.notes:
            found[_normalise(folder / module.notes)] = pages.module_page(module.id)
        for h in module.handouts:
            found[_normalise(folder / h.file)] = pages.handout_page(module.id, h.id)
    _last_pages = (content.modules, found)
    return found


def _link_rewriter(content: Content, source_rel: str) -> Callable[[re.Match[str]], str]:
    """Rewrite links between modules' Markdown files to the pages those files become."""
    targets = markdown_pages(content)
    from_page = targets[source_rel]
    folder = PurePosixPath(source_rel).parent

    def rewrite(match: re.Match[str]) -> str:
        target = match["target"]
        if re.match(r"^[a-z][a-z0-9+.-]*:", target):
            return match.group(0)
        page = targets.get(_normalise(folder / target))
        if page is None:
            return match.group(0)
        link = relative(from_page, page)
        return f"{match.group(1)}{link}{match['rest'] or ''}{match.group(4)}"

    return rewrite


def _normalise(path: PurePosixPath) -> str:
    parts: list[str] = []
    for part in path.parts:
        if part == "..":
            if parts:
                parts.pop()
        elif part != ".":
            parts.append(part)
    return "/".join(parts)


@dataclass(frozen=True)
class MarkdownPart:
    text: str
    notices: Notices


def module_markdown(content: Content, module: Module, file: str, lang: str) -> MarkdownPart:
    folder = PurePosixPath(content.sources[("module", module.id)]).parent
    rel = (folder / file).as_posix()
    page = read_page(content.root, rel, lang, content.default_language)
    text = MD_LINK.sub(_link_rewriter(content, rel), page_text(content, lang, page))
    handout = PurePosixPath(file).parts[0] == "handouts"
    return MarkdownPart(text, page_notices(content, lang, page, for_participants=handout))
