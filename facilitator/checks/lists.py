"""A comma inside a one-line list: `[What did you notice, and why?]` is two items.

In the short form `[a, b]` every comma starts a new item, so text with a comma in it is
split in two without a word. The lint looks at one-line lists of text (steps, materials,
debrief...) and reports a split that reads like one: the list's first item starts with a
capital letter and a later item, not in quotes, starts with a small one ("and why?"). Lists
written all in small letters, such as a glossary's words to avoid, are left alone, and so is
an item in quotes, which is how to keep a comma inside one.
"""

from __future__ import annotations

import re
from functools import cache
from itertools import pairwise
from typing import Any, get_origin

from pydantic import BaseModel
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from facilitator import model as content_model
from facilitator.load import Content
from facilitator.problems import Problem
from facilitator.yamlfile import YamlFile, field_path

ONE_LINE_LIST = re.compile(r"^\s*(?:- +)?(?P<key>[a-z_]+):\s*\[(?P<items>.*)\]\s*(?:#.*)?$")


@cache
def text_lists() -> frozenset[str]:
    """Field names that hold a list of text a reader sees (from the model, not a copy)."""
    names = set()
    for value in vars(content_model).values():
        if isinstance(value, type) and issubclass(value, BaseModel):
            for name, info in value.model_fields.items():
                extra = info.json_schema_extra
                translatable = isinstance(extra, dict) and extra.get("translatable") is True
                if translatable and get_origin(info.annotation) is list:
                    names.add(name)
    return frozenset(names)


def check_text_lists(content: Content) -> list[Problem]:
    problems = []
    for parsed in content.files.values():
        for lineno, line in enumerate(parsed.text.splitlines(), start=1):
            match = ONE_LINE_LIST.match(line)
            if match is None or match["key"] not in text_lists():
                continue
            split = split_item(match["items"])
            if split is not None:
                before, after = split
                problems.append(
                    Problem(
                        parsed.rel,
                        lineno,
                        _field_on_line(parsed, lineno) or match["key"],
                        f"the comma before '{after}' starts a new item, so '{before}' and "
                        f"'{after}' are two items: if they are one, put it in quotes, like "
                        f'["{before}, {after}"]; if they are two, start each with a capital '
                        "letter",
                    )
                )
    return problems


def split_item(items: str) -> tuple[str, str] | None:
    """(item, next item) where a comma seems to have split one item in two, or None."""
    parsed = _items(items)
    if parsed is None or len(parsed) < 2 or parsed[0][1] or not parsed[0][0][:1].isupper():
        return None
    for (before, _), (after, quoted) in pairwise(parsed):
        if not quoted and after[:1].islower():
            return before, after
    return None


def _items(items: str) -> list[tuple[str, bool]] | None:
    """The items of a one-line list as (text, was it quoted); None for nested brackets."""
    out: list[tuple[str, bool]] = []
    rest = items.strip()
    while rest:
        if rest[0] in "'\"":
            end = _closing_quote(rest)
            if end < 0:
                return None
            out.append((rest[1:end], True))
            rest = rest[end + 1 :].lstrip()
            rest = rest[1:].lstrip() if rest.startswith(",") else rest
            continue
        item, _, rest = rest.partition(",")
        if any(c in item for c in "[]{}"):
            return None
        out.append((item.strip(), False))
        rest = rest.lstrip()
    return out


def _closing_quote(text: str) -> int:
    quote, i = text[0], 1
    while i < len(text):
        if text[i] == quote:
            if quote == "'" and text[i + 1 : i + 2] == "'":  # '' is a quote inside '...'
                i += 2
                continue
            return i
        i += 2 if quote == '"' and text[i] == "\\" else 1
    return -1


def _field_on_line(parsed: YamlFile, lineno: int) -> str | None:
    """The field path of the list that starts on `lineno` (looked up only for a problem)."""

    def walk(node: Any, loc: tuple[int | str, ...]) -> str | None:
        if isinstance(node, CommentedMap):
            children = [(key, node.lc.key(key)[0], node[key]) for key in node]
        elif isinstance(node, CommentedSeq):
            children = [(i, node.lc.item(i)[0], item) for i, item in enumerate(node)]
        else:
            return None
        for key, line, child in children:
            if isinstance(child, CommentedSeq) and line + 1 == lineno:
                return field_path((*loc, key))
            found = walk(child, (*loc, key))
            if found:
                return found
        return None

    return walk(parsed.nodes, ())
