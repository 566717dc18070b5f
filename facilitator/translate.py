"""Translations: overlaying a language's strings onto the English model.

A translation of `X.yaml` is `X.<lang>.yaml` beside it. It mirrors the English structure but
holds only translatable strings (fields marked translatable in the model), and a header
(see `facilitator.header`) recording, for each string, the hash of the English string it
was made from and whether it is a draft or reviewed.

Matching follows strings, not places in the file:

- items of lists of objects with an `id` are matched by id;
- items of other lists are matched by the English they were made from (the recorded hash),
  so adding, removing or reordering English items leaves the others as they are; items left
  over on both sides are paired in order when there are as many on each side (an English
  item that was edited), else the English shows;
- a string whose English changed since it was stamped is stale: still shown, with a note.

Anything missing falls back to English, and the fallback is recorded so pages can say so.
A file with the older header (one hash of the whole English file) is matched by position,
as before, and all its strings are stale together.
"""

from __future__ import annotations

import itertools
import types
import typing
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel

from facilitator.fixits.suggest import did_you_mean
from facilitator.header import Mark, Record, Status
from facilitator.problems import Problem
from facilitator.yamlfile import field_path, line_of, string_hash

State = Literal["missing", "stale", "draft", "reviewed"]
Loc = tuple[int | str, ...]


@dataclass(frozen=True)
class StringState:
    """One English string and its translation into one language."""

    path: str  # the English place, items by id where they have one: sessions[intro].title
    key: str | None  # the place the header records (None: nothing translates it)
    english: str
    text: str | None  # the translation; None where there is none
    current: str  # the hash of the English now
    mark: Mark  # what the translation recorded
    loc: Loc = ()  # where the translation's text is, in its file's nodes (for lines)

    @property
    def state(self) -> State:
        if self.text is None:
            return "missing"
        if self.mark.source != self.current:
            return "stale"
        return self.mark.status


@dataclass
class Overlay:
    """The outcome of overlaying one translation file."""

    data: dict[str, Any]
    strings: list[StringState] = field(default_factory=list)
    fallbacks: list[str] = field(default_factory=list)  # field paths shown in English
    problems: list[Problem] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.strings)

    @property
    def translated(self) -> int:
        return sum(1 for s in self.strings if s.text is not None)


@dataclass(frozen=True)
class Translation:
    """One translation file and how each of its strings stands against the English."""

    english: str  # the English file, relative to the root
    language: str
    file: str  # the translation file, relative to the root
    record: Record | None  # None where the header is missing or unreadable
    strings: tuple[StringState, ...] = ()
    fallbacks: tuple[str, ...] = ()

    @property
    def legacy(self) -> bool:
        return self.record is None or self.record.legacy

    @property
    def total(self) -> int:
        return len(self.strings)

    @property
    def translated(self) -> int:
        return sum(1 for s in self.strings if s.text is not None)

    def count(self, state: State) -> int:
        return sum(1 for s in self.strings if s.state == state)

    @property
    def stale(self) -> bool:
        return any(s.state == "stale" for s in self.strings)

    @property
    def status(self) -> Status:
        """reviewed where every translated string is; else draft. The older header: the
        status it gives the whole file."""
        if self.record is not None and self.record.legacy:
            return self.record.status
        shown = [s for s in self.strings if s.text is not None]
        return "reviewed" if shown and all(s.state == "reviewed" for s in shown) else "draft"

    def stale_texts(self) -> frozenset[str]:
        """The translated texts a reader sees that were made from an older English."""
        return frozenset(s.text for s in self.strings if s.state == "stale" and s.text)


# ---------------------------------------------------------------- the model's shape


def _extra(info: Any, key: str) -> bool:
    extra = info.json_schema_extra
    return isinstance(extra, dict) and bool(extra.get(key))


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


def _join(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name


# ---------------------------------------------------------------- overlaying


@dataclass
class _Walk:
    rel: str
    record: Record
    out: Overlay

    def problem(self, node: Any, loc: Loc, where: Loc, message: str) -> None:
        self.out.problems.append(Problem(self.rel, line_of(node, loc), field_path(where), message))


@dataclass(frozen=True)
class _At:
    """Where a value is: in the English (`here`, by index), by id (`path`), in the header
    (`key`) and in the translation's nodes (`loc`)."""

    here: Loc
    path: str
    key: str | None
    loc: Loc

    def field(self, name: str) -> _At:
        key = _join(self.key, name) if self.key is not None else None
        return _At((*self.here, name), _join(self.path, name), key, (*self.loc, name))

    def item(self, index: int, token: str, key: str | None, given: int | None) -> _At:
        """An item of a list: its English index, its token in paths, its token in the
        header (None: no translation item matches it) and its index in the translation."""
        key = f"{self.key}[{key}]" if self.key is not None and key is not None else None
        loc = (*self.loc, given) if given is not None else self.loc
        return _At((*self.here, index), f"{self.path}[{token}]", key, loc)


def overlay(
    model: type[BaseModel],
    english: dict[str, Any],
    translated: Any,
    rel: str,
    record: Record | None = None,
) -> Overlay:
    """Overlay `translated` onto `english` (a model_dump of `model`).

    Fallback paths name fields by their place in the English model; lines are looked up in
    the translation's own nodes, which ruamel parsed with their positions.
    """
    out = Overlay(data={})
    walk = _Walk(rel, record or Record(), out)
    out.data = _object(walk, model, english, translated, _At((), "", "", ()), top=True)
    return out


def _object(
    w: _Walk, model: type[BaseModel], english: dict[str, Any], given: Any, at: _At, top: bool
) -> dict[str, Any]:
    data = dict(english)
    tmap = given if isinstance(given, dict) else {}
    _unknown_fields(w, model, tmap, at, top)
    for name, info in model.model_fields.items():
        value = english.get(name)
        if value is None:
            continue
        here, part = at.field(name), tmap.get(name)
        if _extra(info, "translatable"):
            if _extra(info, "own_list"):
                _own_list(w, data, name, value, part, here)
            elif isinstance(value, str):
                data[name] = _take(w, value, part, here)
            elif isinstance(value, list):
                data[name] = _string_list(w, value, part, here, tmap)
            elif isinstance(value, dict):
                data[name] = _string_map(w, value, part, here, tmap)
            continue
        sub, is_list = _nested_model(info.annotation)
        if sub is None:
            if part is not None and name != "id":  # ids match list items; never translated
                w.problem(
                    tmap,
                    (name,),
                    here.here,
                    "this field is not translated: leave it out of the translation",
                )
        elif is_list:
            data[name] = _object_list(w, sub, value, part, here, tmap)
        else:
            data[name] = _object(w, sub, value, part or {}, here, top=False)
    return data


def _unknown_fields(
    w: _Walk, model: type[BaseModel], tmap: dict[str, Any], at: _At, top: bool
) -> None:
    known = set(model.model_fields) | ({"translation"} if top else set())
    for key in tmap:
        if key not in known:
            w.problem(
                tmap,
                (key,),
                (*at.here, key),
                f"field '{key}' is not in the English{did_you_mean(str(key), known)}: "
                "a translation has only the English file's fields",
            )


def _take(w: _Walk, english: str, given: Any, at: _At) -> str:
    """One translatable string: the translation where there is one, else English (noted)."""
    text = given.strip() if isinstance(given, str) and given.strip() else None
    current = string_hash(english)
    mark = w.record.mark(at.key, current)
    w.out.strings.append(StringState(at.path, at.key, english, text, current, mark, at.loc))
    if text is None:
        w.out.fallbacks.append(field_path(at.here))
        return english
    return text


def _own_list(
    w: _Walk, data: dict[str, Any], name: str, value: list[Any], given: Any, at: _At
) -> None:
    """A language's own list (such as words to avoid): taken whole, any length."""
    if not (isinstance(given, list) and given) and not value:
        return
    english = "\n".join(str(v) for v in value)
    text = "\n".join(str(v) for v in given) if isinstance(given, list) and given else None
    current = string_hash(english)
    mark = w.record.mark(at.key, current)
    w.out.strings.append(StringState(at.path, at.key, english, text, current, mark, at.loc))
    if text is None:
        w.out.fallbacks.append(field_path(at.here))
    else:
        data[name] = [str(item) for item in given]


def pair_items(
    english: list[list[str]],
    recorded: list[list[str | None]],
    english_alt: list[str | None] | None = None,
    recorded_alt: list[str | None] | None = None,
) -> dict[int, int]:
    """English item index -> translation item index.

    Each side gives, per item, the hashes of its strings (English now; as recorded). Items
    whose recorded hashes are the English's match. Then, where given, items whose second
    key matches (a Markdown section's heading, when only its text changed). What is left
    between two matched items is paired in order where there are as many on each side
    (English items edited in place); so, last, is what is left over in all.
    """
    pairs: dict[int, int] = {}
    used: set[int] = set()

    def match(en: list[Any], tr: list[Any]) -> None:
        for i, key in enumerate(en):
            if i in pairs or key is None:
                continue
            order = [i, *range(len(tr))] if i < len(tr) else range(len(tr))
            j = next((j for j in order if j not in used and tr[j] == key), None)
            if j is not None:
                pairs[i] = j
                used.add(j)

    match(english, recorded)
    if english_alt is not None and recorded_alt is not None:
        match(english_alt, recorded_alt)
    bounds = [(-1, -1), *sorted(pairs.items()), (len(english), len(recorded))]
    for (i0, j0), (i1, j1) in itertools.pairwise(bounds):
        left_en = [i for i in range(i0 + 1, i1) if i not in pairs]
        left_tr = [j for j in range(j0 + 1, j1) if j not in used]
        if left_en and len(left_en) == len(left_tr):
            pairs.update(zip(left_en, left_tr, strict=True))
            used.update(left_tr)
    left_en = [i for i in range(len(english)) if i not in pairs]
    left_tr = [j for j in range(len(recorded)) if j not in used]
    if len(left_en) == len(left_tr):
        pairs.update(zip(left_en, left_tr, strict=True))
    return pairs


def _positional(
    w: _Walk, english: list[Any], given: list[Any], at: _At, parent: Any
) -> dict[int, int]:
    """The older header: items match by position, and the lists must be as long."""
    if given and len(given) != len(english):
        w.problem(
            parent,
            (at.loc[-1],),
            at.here,
            f"has {len(given)} items, the English has {len(english)}: give one translation per "
            "English item, in the same order",
        )
        return {}
    return {i: i for i in range(len(given))}


def _recorded(w: _Walk, at: _At, count: int, suffixes: list[str]) -> list[list[str | None]]:
    marks = w.record.marks or {}
    out = []
    for j in range(count):
        base = f"{at.key}[{j}]"
        out.append([(marks.get(base + s) or Mark(None, "draft")).source for s in suffixes])
    return out


def _string_list(w: _Walk, value: list[str], given: Any, at: _At, parent: Any) -> list[str]:
    given_list = given if isinstance(given, list) else []
    if w.record.legacy:
        pairs = _positional(w, value, given_list, at, parent)
    else:
        english = [[string_hash(str(item))] for item in value]
        pairs = pair_items(english, _recorded(w, at, len(given_list), [""]))
    out = []
    for i, item in enumerate(value):
        j = pairs.get(i)
        out.append(
            _take(
                w,
                item,
                given_list[j] if j is not None else None,
                at.item(i, str(i), None if j is None else str(j), j),
            )
        )
    return out


def _string_map(
    w: _Walk, value: dict[str, str], given: Any, at: _At, parent: Any
) -> dict[str, str]:
    given_map = given if isinstance(given, dict) else {}
    for key in given_map:
        if key not in value:
            w.problem(
                parent,
                (at.loc[-1], key),
                (*at.here, key),
                f"'{key}' is not a key of the English{did_you_mean(str(key), value)}",
            )
    return {key: _take(w, item, given_map.get(key), at.field(key)) for key, item in value.items()}


def _object_list(
    w: _Walk, sub: type[BaseModel], value: list[Any], given: Any, at: _At, parent: Any
) -> list[Any]:
    given_list = given if isinstance(given, list) else []
    if "id" in sub.model_fields:
        found = _by_id(w, value, given_list, at, parent)
        out = []
        for i, item in enumerate(value):
            j = found.get(item.get("id"))
            out.append(_item(w, sub, item, given_list, j, at.item(i, item["id"], item["id"], j)))
        return out
    if w.record.legacy:
        pairs = _positional(w, value, given_list, at, parent)
    else:
        inner = [_strings_of(sub, item) for item in value]
        suffixes = ["." + s.key for s in inner[0] if s.key] if inner else []
        english = [[s.current for s in strings if s.key] for strings in inner]
        pairs = pair_items(english, _recorded(w, at, len(given_list), suffixes))
    return [
        _item(w, sub, item, given_list, j, at.item(i, str(i), None if j is None else str(j), j))
        for i, item in enumerate(value)
        for j in [pairs.get(i)]
    ]


def _strings_of(sub: type[BaseModel], item: dict[str, Any]) -> list[StringState]:
    """The strings of one English item, keyed relative to the item (for matching)."""
    return overlay(sub, item, {}, "").strings


def _item(
    w: _Walk, sub: type[BaseModel], item: Any, given: list[Any], j: int | None, at: _At
) -> Any:
    part = given[j] if j is not None and j < len(given) else {}
    return _object(w, sub, item, part, at, top=False)


def _by_id(w: _Walk, value: list[Any], given: list[Any], at: _At, parent: Any) -> dict[Any, int]:
    """Translation items by the id of the English item they translate."""
    ids = {e.get("id") for e in value}
    found: dict[Any, int] = {}
    for j, item in enumerate(given):
        item_id = item.get("id") if isinstance(item, dict) else None
        if item_id is None:
            w.problem(
                parent,
                (at.loc[-1], j),
                (*at.here, j),
                "each item needs the id of the English item it translates, like id: intro",
            )
        elif item_id not in ids:
            w.problem(
                parent,
                (at.loc[-1], j, "id"),
                (*at.here, j, "id"),
                f"no English item has id '{item_id}'{did_you_mean(str(item_id), map(str, ids))}: "
                "copy the id of the English item this translates",
            )
        else:
            found[item_id] = j
    return found
