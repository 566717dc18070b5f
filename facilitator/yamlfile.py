"""Reading YAML with its line numbers kept, so every problem can say where it is."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError

from facilitator.problems import Problem

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class YamlFile:
    """A parsed file: its path relative to the content root, its data and its source hash."""

    rel: str
    data: Any
    source_hash: str


def source_hash(raw: bytes) -> str:
    """The version of an English source that a translation records (first 12 hex of sha256)."""
    return hashlib.sha256(raw).hexdigest()[:12]


def read_yaml(path: Path, root: Path) -> tuple[YamlFile | None, list[Problem]]:
    rel = path.relative_to(root).as_posix()
    raw = path.read_bytes()
    try:
        data = YAML(typ="rt").load(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        return None, [Problem(rel, None, "", f"not UTF-8 text: {exc.reason}")]
    except MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        message = f"YAML syntax: {exc.problem}"
        if exc.context and exc.context_mark and exc.context_mark.line + 1 != line:
            message += f" ({exc.context} started on line {exc.context_mark.line + 1})"
        return None, [Problem(rel, line, "", message)]
    if not isinstance(data, CommentedMap):
        return None, [Problem(rel, 1, "", "the file must be a mapping of fields (key: value)")]
    return YamlFile(rel, data, source_hash(raw)), []


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


def validate(
    model: type[M], data: Any, rel: str, loc_prefix: Sequence[int | str] = ()
) -> tuple[M | None, list[Problem]]:
    """Validate `data` as `model`; every pydantic error becomes a Problem with its line."""
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = tuple(k for k in err["loc"] if isinstance(k, int | str))
            # pydantic adds the union member or function name to some locs; keep real keys
            loc = tuple(k for k in loc if not (isinstance(k, str) and k.startswith("function-")))
            full = (*loc_prefix, *loc)
            problems.append(Problem(rel, line_of(data, loc), field_path(full), err["msg"]))
        return None, problems
