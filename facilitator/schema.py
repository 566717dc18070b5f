"""JSON Schema for editors, generated from the model (never committed: built on demand)."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from facilitator.model import (
    Curriculum,
    EvaluationForm,
    Glossary,
    Instrument,
    Labels,
    Module,
    Programme,
)

SCHEMAS: dict[str, type[BaseModel]] = {
    "module": Module,
    "programme": Programme,
    "instrument": Instrument,
    "evaluation-form": EvaluationForm,
    "curriculum": Curriculum,
    "glossary": Glossary,
    "labels": Labels,
}


def schema_for(model: type[BaseModel]) -> dict[str, object]:
    schema = model.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema


def write_schemas(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, model in SCHEMAS.items():
        path = out / f"{name}.schema.json"
        path.write_text(json.dumps(schema_for(model), indent=2, ensure_ascii=False) + "\n", "utf-8")
        written.append(path)
    return written
