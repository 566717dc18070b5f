"""Validation errors in plain words: which field, what it expects, an example of the fix.

pydantic says "Input should be a valid integer"; a content author needs "minutes must be a
whole number, like 35". Each error type has a small function that says it that way; the
model's own field names and descriptions supply the rest, so nothing here repeats the schema.
"""

from __future__ import annotations

import re
import types
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Annotated, Any, Union, get_args, get_origin

from annotated_types import Ge, Gt, Le, Lt
from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails

from facilitator import model as content_model
from facilitator.fixits.suggest import as_id, closest, did_you_mean, one_of

Loc = tuple[int | str, ...]

# What each pattern of the model asks for, in words, with an example.
PATTERNS: dict[str, str] = {
    content_model.ID_PATTERN: "an id uses only small letters (a-z), digits and hyphens, "
    "and starts with a letter or digit",
    content_model.LANGUAGE_CODE_PATTERN: "a language code is 2 or 3 small letters, like bn",
}
# What one item of a list is called, for "each session needs 'title'".
ONE_OF = {
    "sessions": "session",
    "handouts": "handout",
    "expected_changes": "expected change",
    "items": "item",
    "options": "option",
    "methods": "method",
    "topics": "topic",
    "terms": "term",
    "languages": "language",
    "scale": "point of the scale",
    "services": "service",
}
HOURS = re.compile(r"(\d+(?:[.,]\d+)?)\s*(?:hours?|hrs?|h)\b(?:\s*(\d+)\s*m\w*)?", re.I)
NUMBER = re.compile(r"\d+")


@dataclass(frozen=True)
class Mistake:
    """One pydantic error, seen from the file: where it is and what the model says there."""

    model: type[BaseModel]
    loc: Loc
    error: ErrorDetails

    @property
    def value(self) -> Any:
        return self.error.get("input")

    @property
    def name(self) -> str:
        """The field's name as the file writes it (the list's name for an item of a list)."""
        return next((k for k in reversed(self.loc) if isinstance(k, str)), "this file")

    @property
    def is_item(self) -> bool:
        return bool(self.loc) and isinstance(self.loc[-1], int)

    @property
    def label(self) -> str:
        return f"each item of {self.name}" if self.is_item else self.name

    @property
    def field(self) -> FieldInfo | None:
        named = [i for i, k in enumerate(self.loc) if isinstance(k, str)]
        if not named:
            return None
        holder = model_class(type_at(self.model, self.loc[: named[-1]]))
        return holder.model_fields.get(str(self.loc[named[-1]])) if holder else None

    @property
    def container(self) -> type[BaseModel] | None:
        """The model whose field the last key is (for an unknown or missing field)."""
        return model_class(type_at(self.model, self.loc[:-1]))

    @property
    def parent(self) -> str:
        """The field the last key sits under, for 'care needs referral'."""
        keys = [k for k in self.loc[:-1] if isinstance(k, str)]
        return keys[-1] if keys else "this file"


# ---------------------------------------------------------------- walking the model


def _unwrap(annotation: Any) -> Any:
    """Strip Optional and Annotated: `Text | None` -> str, `CareNote | None` -> CareNote."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            options = [a for a in get_args(annotation) if a is not type(None)]
            annotation = options[0] if len(options) == 1 else annotation
            if len(options) != 1:
                return annotation
        else:
            return annotation


def model_class(annotation: Any) -> type[BaseModel] | None:
    inner = _unwrap(annotation)
    return inner if isinstance(inner, type) and issubclass(inner, BaseModel) else None


def type_at(model: type[BaseModel], loc: Loc) -> Any:
    """The annotation of the value at `loc` inside `model` (None where the model has none)."""
    current: Any = model
    for key in loc:
        holder = model_class(current)
        if isinstance(key, str) and holder is not None:
            field = holder.model_fields.get(key)
            current = field.annotation if field else None
        else:  # an item of a list, or a value of a dict
            args = get_args(_unwrap(current))
            current = args[-1] if args else None
        if current is None:
            return None
    return current


@cache
def every_field_name() -> frozenset[str]:
    names: set[str] = set()
    for value in vars(content_model).values():
        if isinstance(value, type) and issubclass(value, BaseModel):
            names.update(value.model_fields)
    return frozenset(names)


def _description(info: FieldInfo | None) -> str:
    text = (info.description or "") if info else ""
    return text[:1].lower() + text[1:].rstrip(".") if text else ""


def _bounds(info: FieldInfo | None) -> tuple[int | None, int | None]:
    low = high = None
    for rule in info.metadata if info else []:
        if isinstance(rule, Ge):
            low = int(rule.ge)  # type: ignore[call-overload]
        elif isinstance(rule, Gt):
            low = int(rule.gt) + 1  # type: ignore[call-overload]
        elif isinstance(rule, Le):
            high = int(rule.le)  # type: ignore[call-overload]
        elif isinstance(rule, Lt):
            high = int(rule.lt) - 1  # type: ignore[call-overload]
    return low, high


def _choices(mistake: Mistake) -> list[str]:
    return re.findall(r"'([^']*)'", str(mistake.error.get("ctx", {}).get("expected", "")))


# ---------------------------------------------------------------- one function per error type


def unknown_field(m: Mistake) -> str:
    key = str(m.loc[-1])
    fields = list(m.container.model_fields) if m.container else []
    hint = did_you_mean(key, fields)
    if hint:
        return f"field '{key}' is not known{hint}"
    if key in every_field_name():
        return (
            f"field '{key}' does not belong under {m.parent}: check the spaces at the start "
            "of its line, so that it lines up with the fields it belongs with"
        )
    return f"field '{key}' is not known here: the fields here are {one_of(fields)}"


def missing_field(m: Mistake) -> str:
    key = str(m.loc[-1])
    about = _description(m.field)
    in_list = len(m.loc) > 1 and isinstance(m.loc[-2], int)
    where = f"each {ONE_OF.get(m.parent, 'item of ' + m.parent)}" if in_list else m.parent
    return f"{where} needs '{key}'" + (f": {about}" if about else "")


def not_text(m: Mistake) -> str:
    value = m.value
    if isinstance(value, dict) and len(value) == 1:
        (key, rest), *_ = value.items()
        example = f'"{key}: {rest}"'
        start = "- " if m.is_item else f"{m.name}: "
        return f"put text that contains ': ' in quotes, like {start}{example}"
    if value is None:
        if m.is_item:
            return f"an item of {m.name} is empty: write its text after '- ', or remove the line"
        return f"{m.name} is empty: write the text after '{m.name}: '"
    if isinstance(value, list):
        return f"{m.name} takes one text, not a list"
    if isinstance(value, dict):
        return f"{m.label} must be text, not a group of fields: check the indentation"
    shown = str(value).lower() if isinstance(value, bool) else str(value)
    return f'put {shown} in quotes so that it is read as text, like "{shown}"'


def empty_text(m: Mistake) -> str:
    if m.is_item:
        return f"an item of {m.name} is empty: write its text, or remove the line"
    return f"{m.name} is empty: write some text after '{m.name}: '"


def too_long(m: Mistake) -> str:
    most = m.error.get("ctx", {}).get("max_length")
    return f"{m.label} is too long: at most {most} characters"


def wrong_form(m: Mistake) -> str:
    pattern = str(m.error.get("ctx", {}).get("pattern", ""))
    rule = PATTERNS.get(pattern, "it is not in the expected form")
    value = str(m.value)
    example = f", like '{as_id(value)}'" if pattern == content_model.ID_PATTERN else ""
    where = "an id" if m.name == "id" else f"used in {m.name}"
    return f"'{value}' cannot be {where}: {rule}{example}"


def not_whole_number(m: Mistake) -> str:
    value = m.value
    text = "" if value is None else str(value)
    minutes = "minutes" in m.name
    if value is None:
        return f"{m.name} is empty: write a whole number, like {35 if minutes else 1}"
    hours = HOURS.search(text) if minutes else None
    if hours:
        total = round(float(hours[1].replace(",", ".")) * 60) + int(hours[2] or 0)
        return f"{m.name} counts minutes, as a whole number: write {text.strip()} as {total}"
    if isinstance(value, float):
        return f"{m.name} must be a whole number, like {round(value)}"
    digits = NUMBER.search(text)
    example = digits[0] if digits else ("35" if minutes else "1")
    return f"{m.name} must be a whole number, like {example}"


def out_of_range(m: Mistake) -> str:
    low, high = _bounds(m.field)
    if low is not None and high is not None:
        return f"{m.name} must be from {low} to {high}, not {m.value}"
    if low is not None:
        return f"{m.name} must be {low} or more, not {m.value}"
    return f"{m.name} must be {high} or less, not {m.value}"


def not_a_choice(m: Mistake) -> str:
    choices = _choices(m)
    if isinstance(m.value, list | dict):
        return f"{m.name} takes one value, not a list: {one_of(choices)}"
    value = str(m.value).lower() if isinstance(m.value, bool) else str(m.value)
    hint = did_you_mean(value, choices)
    if hint:
        return f"{m.name} '{value}' is not known{hint} (choose {one_of(choices)})"
    return f"{m.name} '{value}' is not known: choose {one_of(choices)}"


def not_yes_no(m: Mistake) -> str:
    return f"{m.name} must be true or false, not {m.value}"


def not_a_list(m: Mistake) -> str:
    if m.value is None:
        return (
            f"{m.name} is empty: list its items under it, each on a line starting with '- ', "
            "or remove the line"
        )
    return (
        f"{m.name} must be a list: write each item on a line of its own starting with '- ', "
        f"or all on one line in brackets, like {m.name}: [{m.value}]"
    )


def too_few(m: Mistake) -> str:
    least = m.error.get("ctx", {}).get("min_length", 1)
    items = "one item" if least == 1 else f"{least} items"
    about = _description(m.field)
    return f"{m.name} needs at least {items}" + (f" ({about})" if about else "")


def not_a_group(m: Mistake) -> str:
    holder = model_class(type_at(m.model, m.loc))
    fields = one_of(holder.model_fields, "and") if holder else "its fields"
    if m.value is None:
        return f"{m.label} is empty: give {fields}, each on a line indented under it"
    return f"{m.label} is a group of fields ({fields}), each on a line of its own indented under it"


EXPLAIN: dict[str, Callable[[Mistake], str]] = {
    "extra_forbidden": unknown_field,
    "missing": missing_field,
    "string_type": not_text,
    "string_too_short": empty_text,
    "string_too_long": too_long,
    "string_pattern_mismatch": wrong_form,
    "int_type": not_whole_number,
    "int_parsing": not_whole_number,
    "int_from_float": not_whole_number,
    "greater_than_equal": out_of_range,
    "greater_than": out_of_range,
    "less_than_equal": out_of_range,
    "less_than": out_of_range,
    "enum": not_a_choice,
    "literal_error": not_a_choice,
    "bool_type": not_yes_no,
    "bool_parsing": not_yes_no,
    "list_type": not_a_list,
    "too_short": too_few,
    "model_type": not_a_group,
    "model_attributes_type": not_a_group,
    "dict_type": not_a_group,
}


def explain(model: type[BaseModel], loc: Loc, error: ErrorDetails) -> str:
    mistake = Mistake(model, loc, error)
    handler = EXPLAIN.get(error["type"])
    if handler is not None:
        return handler(mistake)
    return f"{mistake.label} is not right here: {error['msg'][:1].lower()}{error['msg'][1:]}"


def explain_all(model: type[BaseModel], errors: list[ErrorDetails]) -> list[tuple[Loc, str]]:
    """Every error once, in plain words; a misspelt required field is one mistake, not an
    unknown field plus a missing one."""
    located = [(_loc(error), error) for error in errors]
    renamed = _misspelt_required(model, located)
    out = []
    for loc, error in located:
        if error["type"] == "missing" and loc in renamed:
            continue
        out.append((loc, explain(model, loc, error)))
    return out


def _loc(error: ErrorDetails) -> Loc:
    # pydantic adds the union member or function name to some locs; keep the file's keys
    return tuple(
        k
        for k in error["loc"]
        if isinstance(k, int) or (isinstance(k, str) and not k.startswith("function-"))
    )


def _misspelt_required(model: type[BaseModel], located: list[tuple[Loc, ErrorDetails]]) -> set[Loc]:
    """Missing fields that an unknown field beside them was meant to be."""
    missing = {loc for loc, error in located if error["type"] == "missing"}
    renamed: set[Loc] = set()
    for loc, error in located:
        if error["type"] != "extra_forbidden":
            continue
        options = [str(m[-1]) for m in missing if m[:-1] == loc[:-1]]
        meant = closest(str(loc[-1]), options)
        if meant is not None:
            renamed.add((*loc[:-1], meant))
    return renamed
