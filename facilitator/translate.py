"""Translations: overlaying a language's strings onto the English model.

A translation of `X.yaml` is `X.<lang>.yaml` beside it. It mirrors the English structure but
holds only translatable strings (fields marked translatable in the model), and a header:

    translation:
      source: 1a2b3c4d5e6f   # the English file's hash when this was translated
      status: draft          # draft (awaiting a native speaker's review) or reviewed

Lists of objects with an `id` are matched by id; lists of strings and of objects without
an id are matched by position and must have the English list's length. Anything missing
falls back to English, and the fallback is recorded so pages can say so.
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel

from facilitator.problems import Problem
from facilitator.yamlfile import YamlFile, field_path, line_of

Status = Literal["draft", "reviewed"]
STATUSES = ("draft", "reviewed")


@dataclass
class Overlay:
    """The outcome of overlaying one translation file."""

    data: dict[str, Any]
    total: int = 0  # translatable strings in the English source
    translated: int = 0
    fallbacks: list[str] = field(default_factory=list)  # field paths shown in English
    problems: list[Problem] = field(default_factory=list)


def _translatable(info: Any) -> bool:
    extra = info.json_schema_extra
    return isinstance(extra, dict) and bool(extra.get("translatable"))


def _own_list(info: Any) -> bool:
    extra = info.json_schema_extra
    return isinstance(extra, dict) and bool(extra.get("own_list"))


def _nested_model(annotation: Any) -> tuple[type[BaseModel] | None, bool]:
    """(model class, is a list) for annotations like Model, Model | None, list[Model]."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            if arg is not type(None):
                return _nested_model(arg)
    if origin is list:
        inner, _ = _nested_model(typing.get_args(annotation)[0])
        return inner, True
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation, False
    return None, False


def count_strings(model: type[BaseModel], english: dict[str, Any]) -> int:
    return overlay(model, english, {}, "", ()).total


def overlay(
    model: type[BaseModel],
    english: dict[str, Any],
    translated: Any,
    rel: str,
    path: tuple[int | str, ...],
) -> Overlay:
    """Overlay `translated` onto `english` (a model_dump of `model`).

    `path` names fields by their place in the English model (what fallbacks report); lines
    are looked up in the translation's own nodes, which ruamel parsed with their positions.
    """
    out = Overlay(data=dict(english))
    tmap = translated if isinstance(translated, dict) else {}
    known = set(model.model_fields) | ({"translation"} if not path else set())
    for key in tmap:
        if key not in known:
            out.problems.append(
                Problem(
                    rel,
                    line_of(tmap, (key,)),
                    field_path((*path, key)),
                    "no such field in the English model",
                )
            )
    for name, info in model.model_fields.items():
        value = english.get(name)
        if value is None:
            continue
        here = (*path, name)
        given = tmap.get(name)
        if _translatable(info):
            if _own_list(info) and isinstance(given, list) and given:
                # a language's own list (such as words to avoid): taken whole, any length
                out.data[name] = [str(item) for item in given]
                out.total += 1
                out.translated += 1
            elif _own_list(info) and value:
                out.total += 1
                out.fallbacks.append(field_path(here))
            elif _own_list(info):
                pass
            else:
                _overlay_strings(out, value, given, rel, here, tmap)
            continue
        sub, is_list = _nested_model(info.annotation)
        if sub is None:
            if given is not None and name != "id":  # ids match list items; never translated
                out.problems.append(
                    Problem(
                        rel,
                        line_of(tmap, (name,)),
                        field_path(here),
                        "this field is not translated: leave it out of the translation",
                    )
                )
            continue
        if is_list:
            out.data[name] = _overlay_list(out, sub, value, given, rel, here, tmap)
        else:
            _merge(out, overlay(sub, value, given or {}, rel, here), name)
    return out


def _merge(out: Overlay, inner: Overlay, name: str) -> None:
    out.data[name] = inner.data
    _absorb(out, inner)


def _absorb(out: Overlay, inner: Overlay) -> None:
    """Add a nested object's counts, fallbacks and problems to its parent's."""
    out.total += inner.total
    out.translated += inner.translated
    out.fallbacks += inner.fallbacks
    out.problems += inner.problems


def _overlay_list(
    out: Overlay,
    sub: type[BaseModel],
    value: list[Any],
    given: Any,
    rel: str,
    here: tuple[int | str, ...],
    parent: Any,
) -> list[Any]:
    name = here[-1]
    given_list = given if isinstance(given, list) else []
    by_id = "id" in sub.model_fields
    lookup: dict[Any, Any] = {}
    if by_id:
        for i, item in enumerate(given_list):
            item_id = item.get("id") if isinstance(item, dict) else None
            if item_id is None:
                out.problems.append(
                    Problem(
                        rel,
                        line_of(parent, (name, i)),
                        field_path((*here, i)),
                        "each item needs the id of the English item",
                    )
                )
            elif item_id not in {e.get("id") for e in value}:
                out.problems.append(
                    Problem(
                        rel,
                        line_of(parent, (name, i, "id")),
                        field_path((*here, i, "id")),
                        f"no English item has id '{item_id}'",
                    )
                )
            else:
                lookup[item_id] = item
    elif given_list and len(given_list) != len(value):
        out.problems.append(
            Problem(
                rel,
                line_of(parent, (name,)),
                field_path(here),
                f"has {len(given_list)} items, the English has {len(value)}",
            )
        )
    merged = []
    for i, item in enumerate(value):
        if by_id:
            gitem = lookup.get(item.get("id"), {})
        else:
            gitem = given_list[i] if i < len(given_list) else {}
        inner = overlay(sub, item, gitem, rel, (*here, i))
        inner.data.pop("translation", None)
        merged.append(inner.data)
        _absorb(out, inner)
    return merged


def _take(out: Overlay, english: str, given: Any, path: tuple[int | str, ...]) -> str:
    """One translatable string: the translation where there is one, else English (noted)."""
    out.total += 1
    if isinstance(given, str) and given.strip():
        out.translated += 1
        return given.strip()
    out.fallbacks.append(field_path(path))
    return english


def _overlay_strings(
    out: Overlay, value: Any, given: Any, rel: str, here: tuple[int | str, ...], parent: Any
) -> None:
    name = str(here[-1])
    if isinstance(value, str):
        out.data[name] = _take(out, value, given, here)
    elif isinstance(value, list):
        given_list = given if isinstance(given, list) else []
        if given_list and len(given_list) != len(value):
            out.problems.append(
                Problem(
                    rel,
                    line_of(parent, (name,)),
                    field_path(here),
                    f"has {len(given_list)} items, the English has {len(value)}",
                )
            )
            given_list = []
        out.data[name] = [
            _take(out, item, given_list[i] if i < len(given_list) else None, (*here, i))
            for i, item in enumerate(value)
        ]
    elif isinstance(value, dict):
        given_map = given if isinstance(given, dict) else {}
        out.data[name] = {
            key: _take(out, item, given_map.get(key), (*here, key)) for key, item in value.items()
        }
        for key in given_map:
            if key not in value:
                out.problems.append(
                    Problem(
                        rel,
                        line_of(parent, (name, key)),
                        field_path((*here, key)),
                        "no such key in English",
                    )
                )


def header_problems(parsed: YamlFile) -> tuple[str | None, Status | None, list[Problem]]:
    """Check a translation file's `translation:` header; return its source hash and status."""
    rel, data = parsed.rel, parsed.data
    header = data.get("translation")
    if not isinstance(header, dict):
        return (
            None,
            None,
            [
                Problem(
                    rel,
                    1,
                    "translation",
                    "missing header: translation: {source: <hash>, status: draft}"
                    " (run `facilitator translations stamp FILE`)",
                )
            ],
        )
    problems = []
    source, status = header.get("source"), header.get("status")
    if not isinstance(source, str) or not source:
        problems.append(
            Problem(
                rel,
                line_of(parsed.nodes, ("translation",)),
                "translation.source",
                "the hash of the English source is missing",
            )
        )
        source = None
    if status not in STATUSES:
        problems.append(
            Problem(
                rel,
                line_of(parsed.nodes, ("translation",)),
                "translation.status",
                f"must be one of {', '.join(STATUSES)}",
            )
        )
        status = None
    return source, status, problems
