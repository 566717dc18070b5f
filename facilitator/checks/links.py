"""Relative links in module Markdown and in the site's pages reach a page that exists, or one
the build generates."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from facilitator import pages
from facilitator.load import Content
from facilitator.pages import generated_pages
from facilitator.problems import Problem

LINK = re.compile(r"(?<!!)\[[^\]]*\]\((?P<target>[^)\s]+)(?:\s+\"[^\"]*\")?\)")
TRANSLATED = re.compile(r"^(?P<stem>[^.]+)\.(?P<lang>[a-z]{2,3})\.md$")
EXTERNAL = re.compile(r"^[a-z][a-z0-9+.-]*:")

Exists = Callable[[Path], bool]


def check_markdown_links(content: Content) -> list[Problem]:
    root = content.root
    problems: list[Problem] = []
    for md in sorted((root / "modules").rglob("*.md")):
        problems += _links_in(md, root, Path.is_file)
    site = root / "site"
    if site.is_dir():
        in_site = _site_pages(content, site)
        for md in sorted(site.rglob("*.md")):
            if "overrides" not in md.parts:
                problems += _links_in(md, root, in_site)
    return problems


def _site_pages(content: Content, site: Path) -> Exists:
    generated = {str(PurePosixPath(p)) for p in generated_pages(content)}
    # pages of files that did not load: their own problem is reported, not every link to them
    unloaded = tuple(_page_prefix(kind, obj_id) for kind, obj_id in content.unreadable)
    site_root = site.resolve()

    def exists(target: Path) -> bool:
        if target.is_file():
            return True
        resolved = target.resolve()
        if not resolved.is_relative_to(site_root):
            return False
        rel = resolved.relative_to(site_root).as_posix()
        return rel in generated or rel.startswith(unloaded)

    return exists


def _page_prefix(kind: str, obj_id: str) -> str:
    """The generated page of an object, or for a module its folder of pages."""
    match kind:
        case "module":
            return pages.module_page(obj_id).rsplit("/", 1)[0] + "/"
        case "programme":
            return pages.programme_page(obj_id)
        case "instrument":
            return pages.instrument_page(obj_id)
        case "evaluation_form":
            return pages.evaluation_form_page(obj_id)
    return f"{kind}/{obj_id}"


def _targets(md: Path) -> list[tuple[int, str]]:
    found = []
    for lineno, line in enumerate(md.read_text("utf-8").splitlines(), start=1):
        for match in LINK.finditer(line):
            target = match["target"]
            if EXTERNAL.match(target) or target.startswith(("#", "/")):
                continue
            if target.split("#", 1)[0]:
                found.append((lineno, target))
    return found


def _links_in(md: Path, root: Path, exists: Exists) -> list[Problem]:
    rel = md.relative_to(root).as_posix()
    translated = TRANSLATED.match(md.name)
    english = md.with_name(f"{translated['stem']}.md") if translated else None
    # a link the English page also breaks is reported once, in the English
    also_broken = (
        {t for _, t in _targets(english) if not exists(md.parent / t.split("#", 1)[0])}
        if english is not None and english.is_file()
        else set()
    )
    problems = []
    for lineno, target in _targets(md):
        if exists(md.parent / target.split("#", 1)[0]) or target in also_broken:
            continue
        message = f"the link to '{target}' goes nowhere: correct it, or remove it"
        if english is not None:
            message += (
                f" (if this translation came with a copied module, it belongs to the old "
                f"module: delete it, or translate {english.name} again)"
            )
        problems.append(Problem(rel, lineno, "link", message))
    return problems
