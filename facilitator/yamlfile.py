"""Reading YAML so that every problem can say on which line it is.

Files are parsed with libyaml's fast safe loader; the slower round-trip parse, which keeps
each node's line, runs only for a file that has a problem to place (`YamlFile.nodes`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError

from facilitator.fixits import explain_all, explain_syntax
from facilitator.problems import Problem

M = TypeVar("M", bound=BaseModel)


@dataclass
class YamlFile:
    """A parsed file: its path relative to the content root, its data and its source hash."""

    rel: str
    text: str
    data: Any  # plain dicts and lists
    source_hash: str

    @cached_property
    def nodes(self) -> Any:
        """The same data parsed round-trip, with line numbers: for placing problems."""
        return YAML(typ="rt").load(self.text)


def source_hash(raw: bytes) -> str:
    """The version of an English source that a translation records (first 12 hex of sha256)."""
    return hashlib.sha256(raw).hexdigest()[:12]


def string_hash(text: str) -> str:
    """The version of one English string (or Markdown section) that a translation records.

    Spaces and line breaks are squeezed first, so re-wrapping a paragraph changes nothing.
    """
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()[:8]


def read_yaml(path: Path, root: Path) -> tuple[YamlFile | None, list[Problem]]:
    rel = path.relative_to(root).as_posix()
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
        data = _load_fast(text)
    except UnicodeDecodeError as exc:
        return None, [Problem(rel, None, "", f"not UTF-8 text: {exc.reason}")]
    except MarkedYAMLError as exc:
        line, message = explain_syntax(exc, text)
        return None, [Problem(rel, line, "", message)]
    if data is None:
        return None, [Problem(rel, 1, "", "the file is empty: write its fields, one per line")]
    if not isinstance(data, dict):
        return None, [Problem(rel, 1, "", "the file must be fields, one 'name: value' per line")]
    return YamlFile(rel, text, data, source_hash(raw)), []


def _load_fast(text: str) -> Any:
    """Plain data through libyaml; where libyaml is stricter than ruamel's own parser (a '?'
    before ']' in a flow list, say), the round-trip parser decides, as it always has."""
    try:
        return YAML(typ="safe").load(text)
    except MarkedYAMLError:
        return plain(YAML(typ="rt").load(text))


def plain(node: Any) -> Any:
    """Round-trip nodes as plain dicts and lists."""
    if isinstance(node, dict):
        return {key: plain(value) for key, value in node.items()}
    if isinstance(node, list):
        return [plain(value) for value in node]
    return node


def line_of(data: Any, loc: Sequence[int | str]) -> int | None:
    """The 1-based line of the deepest node on `loc` that the file has."""
    line: int | None = 1
    node = data
    for key in loc:
        if isinstance(node, CommentedMap) and key in node:
            line = node.lc.key(key)[0] + 1
            node = node[key]
        elif isinstance(node, CommentedSeq) and isinstance(key, int) and key < len(node):
            line = node.lc.item(key)[0] + 1
            node = node[key]
        else:
            break
    return line


def field_path(loc: Sequence[int | str]) -> str:
    out = ""
    for key in loc:
        out += f"[{key}]" if isinstance(key, int) else (f".{key}" if out else str(key))
    return out


def validate(model: type[M], parsed: YamlFile) -> tuple[M | None, list[Problem]]:
    """Validate a file as `model`; every pydantic error becomes a Problem with its line, in
    plain words (facilitator.fixits)."""
    try:
        return model.model_validate(parsed.data), []
    except ValidationError as exc:
        return None, [
            Problem(parsed.rel, line_of(parsed.nodes, loc), field_path(loc), message)
            for loc, message in explain_all(model, exc.errors())
        ]
