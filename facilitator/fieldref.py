"""The field reference of the authoring page, generated from the model's field descriptions
so it can never drift from what `facilitator check` accepts."""

from __future__ import annotations

import html
import types
import typing
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from facilitator.model import (
    CareNote,
    Curriculum,
    Disclosure,
    EvaluationForm,
    EvaluationOption,
    ExpectedChange,
    FollowUpRule,
    Glossary,
    GlossaryTerm,
    Handout,
    Instrument,
    InstrumentItem,
    Labels,
    Language,
    Method,
    Module,
    Programme,
    ScalePoint,
    Service,
    Session,
    SessionRoles,
    Topic,
)

# Ids: small letters, digits and '-' (the model's Id type).
ID_PATTERN = "^[a-z0-9][a-z0-9-]*$"

# (model, where it is written), in the order an author meets them.
REFERENCE: list[tuple[type[BaseModel], str]] = [
    (Module, "modules/<id>/module.yaml"),
    (Session, "module.yaml: each item of sessions"),
    (CareNote, "module.yaml: care, inside a session"),
    (SessionRoles, "module.yaml: roles, inside a session"),
    (Handout, "module.yaml: each item of handouts"),
    (ExpectedChange, "module.yaml: each item of expected_changes"),
    (Programme, "curriculum/programmes/<id>.yaml"),
    (Instrument, "curriculum/instruments/<id>.yaml"),
    (ScalePoint, "instrument: each item of scale"),
    (InstrumentItem, "instrument: each item of items"),
    (Disclosure, "disclosure: in curriculum.yaml, an instrument, an item or an evaluation form"),
    (FollowUpRule, "follow_up: on an instrument or an item"),
    (EvaluationForm, "curriculum/evaluation_forms/<id>.yaml"),
    (EvaluationOption, "evaluation form: each item of options"),
    (Curriculum, "curriculum/curriculum.yaml"),
    (Language, "curriculum.yaml: each item of languages"),
    (Method, "curriculum.yaml: each item of methods"),
    (Topic, "curriculum.yaml: each item of topics"),
    (Service, "curriculum.yaml: each item of services"),
    (Glossary, "curriculum/glossary.yaml"),
    (GlossaryTerm, "glossary.yaml: each item of terms"),
    (Labels, "curriculum/labels.yaml"),
]


def type_name(annotation: Any) -> str:
    """A plain-words name for a field's type."""
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        inner = [type_name(a) for a in args if a is not type(None)]
        return " or ".join(inner)
    if origin is typing.Annotated:
        if any(getattr(m, "pattern", None) == ID_PATTERN for m in args[1:]):
            return "id"
        return type_name(args[0])
    if origin is list:
        return f"list of {type_name(args[0])}"
    if origin is dict:
        return f"map of {type_name(args[0])} to {type_name(args[1])}"
    if origin is typing.Literal:
        return "one of " + ", ".join(f"`{a}`" for a in args)
    if isinstance(annotation, type):
        if issubclass(annotation, BaseModel):
            return f"[{annotation.__name__}](#{annotation.__name__.lower()})"
        if issubclass(annotation, str) and annotation is not str:  # an enum of words
            return "one of " + ", ".join(f"`{m.value}`" for m in annotation)  # type: ignore[attr-defined]
        return {"str": "text", "int": "whole number", "bool": "true or false"}.get(
            annotation.__name__, annotation.__name__
        )
    return str(annotation)


def field_type(info: FieldInfo) -> str:
    if any(getattr(m, "pattern", None) == ID_PATTERN for m in info.metadata):
        return "id"
    return type_name(info.annotation)


def _required(info: FieldInfo) -> str:
    if info.is_required():
        return "yes"
    if info.default is PydanticUndefined or info.default in (None, [], {}):
        return "no"
    default = str(info.default).lower() if isinstance(info.default, bool) else info.default
    return f"no (default `{default}`)"


def _translatable(info: FieldInfo) -> str:
    extra = info.json_schema_extra
    return "yes" if isinstance(extra, dict) and extra.get("translatable") else ""


def field_reference() -> str:
    """Markdown: one table per model, from the model's own field descriptions."""
    out = []
    for model, where in REFERENCE:
        doc = " ".join((model.__doc__ or "").split())
        out.append(f"### {model.__name__} {{ #{model.__name__.lower()} }}\n")
        about = f": {html.escape(doc)}" if doc and not doc.startswith(where) else ""
        out.append(f"*{html.escape(where)}*{about}\n")
        out.append("| field | type | required | translated | what it is |")
        out.append("| --- | --- | --- | --- | --- |")
        for name, info in model.model_fields.items():
            description = " ".join((info.description or "").split()).replace("|", "\\|")
            out.append(
                f"| `{name}` | {field_type(info)} | {_required(info)} "
                f"| {_translatable(info)} | {description} |"
            )
        out.append("")
    return "\n".join(out)
