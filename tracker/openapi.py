"""The OpenAPI 3.1 description of /api/v1/: a test checks real responses against it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

ERROR = {
    "type": "object",
    "required": ["error", "detail"],
    "properties": {
        "error": {"type": "string"},
        "detail": {"type": "string"},
        "problems": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["field", "message", "row"],
                "properties": {
                    "field": {"type": "string"},
                    "message": {"type": "string"},
                    "row": {"type": ["integer", "null"]},
                },
            },
        },
    },
}

CELL = {
    "description": "A number, a text, null (not available), or a hidden cell: never its value.",
    "oneOf": [
        {"type": "number"},
        {"type": "string"},
        {"type": "null"},
        {
            "type": "object",
            "required": ["suppressed", "display"],
            "additionalProperties": False,
            "properties": {
                "suppressed": {"enum": ["primary", "secondary", "derived", "withheld"]},
                "display": {"type": "string", "examples": ["<5", "*", "n<10"]},
            },
        },
    ],
}

TABLE = {
    "type": "object",
    "required": ["title", "columns", "rows", "notes", "legend"],
    "properties": {
        "title": {"type": "string"},
        "columns": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["key", "label", "kind"],
                "properties": {
                    "key": {"type": "string"},
                    "label": {"type": "string"},
                    "kind": {
                        "enum": [
                            "text",
                            "count",
                            "percent",
                            "mean",
                            "change",
                            "p_value",
                            "effect_size",
                            "number",
                        ]
                    },
                },
            },
        },
        "rows": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": {"$ref": "#/components/schemas/Cell"},
            },
        },
        "row_keys": {
            "type": "array",
            "items": {"type": "string"},
            "description": "A stable key per row (item, option, module, session, cohort).",
        },
        "notes": {"type": "array", "items": {"type": "string"}},
        "legend": {"type": "array", "items": {"type": "string"}},
    },
}

RULE = {
    "type": "object",
    "required": ["threshold", "sensitive", "min_respondents", "reason"],
    "properties": {
        "threshold": {"type": "integer", "minimum": 1},
        "sensitive": {"type": "boolean"},
        "min_respondents": {"type": "integer", "minimum": 0},
        "reason": {"type": "string"},
    },
}

RELEASE = {
    "type": "object",
    "required": ["id", "created_at"],
    "properties": {"id": {"type": "integer"}, "created_at": {"type": "string"}},
}

RELEASES = {
    "type": "object",
    "required": ["releases"],
    "properties": {"releases": {"type": "array", "items": RELEASE}},
}

SUMMARY = {
    "type": "object",
    "required": ["scope", "key", "title", "cohort_count", "release", "rules", "sections"],
    "properties": {
        "scope": {"enum": ["cohort", "programme", "organisation"]},
        "key": {"type": "string"},
        "title": {"type": "string"},
        "cohort_count": {"type": "integer", "minimum": 0},
        "release": RELEASE,
        "rules": {
            "type": "array",
            "items": {"type": "string"},
            "description": "The protection that applied and why, in the asked language.",
        },
        "sections": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["key", "heading", "rules", "table"],
                "properties": {
                    "key": {"type": "string"},
                    "heading": {"type": "string"},
                    "rules": {"type": "array", "items": RULE},
                    "table": {"$ref": "#/components/schemas/Table"},
                },
            },
        },
    },
}

SCOPES = {
    "type": "object",
    "required": ["organisations", "programmes", "cohorts"],
    "properties": {
        "organisations": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "name"],
                "properties": {"id": {"type": "integer"}, "name": {"type": "string"}},
            },
        },
        "programmes": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "title"],
                "properties": {"id": {"type": "string"}, "title": {"type": "string"}},
            },
        },
        "cohorts": {
            "type": "array",
            "items": {
                "type": "object",
                "required": [
                    "id",
                    "name",
                    "organisation_id",
                    "programme_id",
                    "language",
                    "starts_on",
                ],
                "properties": {
                    "id": {"type": "integer"},
                    "name": {"type": "string"},
                    "organisation_id": {"type": "integer"},
                    "programme_id": {"type": "string"},
                    "language": {"type": ["string", "null"]},
                    "starts_on": {"type": "string", "format": "date"},
                    "ends_on": {"type": ["string", "null"], "format": "date"},
                },
            },
        },
    },
}

SCOPE = {"enum": ["cohort", "programme", "organisation"]}


def _query(languages: Sequence[str]) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["scope", "key"],
        "additionalProperties": False,
        "properties": {
            "scope": SCOPE,
            "key": {
                "type": "string",
                "description": "A cohort or organisation id, or a programme id.",
            },
            "sections": {
                "type": "array",
                "items": {"type": "string"},
                "description": "Only these sections (by key); all when left out.",
            },
            "language": {"enum": list(languages)},
            "release": {
                "type": "integer",
                "minimum": 1,
                "description": "A release number; the newest when left out.",
            },
        },
    }


RELEASE_PARAMETER = {
    "name": "release",
    "in": "query",
    "required": False,
    "schema": {"type": "integer", "minimum": 1},
    "description": "A release number (see /releases); the newest when left out.",
}


def _error(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def _ok(schema: str, description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
    }


SECURED: list[dict[str, list[str]]] = [{"token": []}]


def _language(languages: Sequence[str]) -> dict[str, Any]:
    return {
        "name": "language",
        "in": "query",
        "required": False,
        "schema": {"enum": list(languages)},
        "description": "Language of item and option texts (English where not translated).",
    }


def document(languages: Sequence[str]) -> dict[str, Any]:
    """The document; `languages` are the curriculum's, which the API accepts."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Me-We-Us tracker API",
            "version": "1.0.0",
            "description": "Aggregate outcome summaries for evaluators, from releases: dated "
            "snapshots protected jointly over every scope and every earlier release. Counts "
            "below a threshold, cells that would reveal them, and sensitive questions answered "
            'by too few people are never sent: they come as {"suppressed": ..., "display": '
            '"<5"}. No participant-level data. The thresholds and why they apply are in '
            "each summary's rules.",
        },
        "servers": [{"url": "/api/v1"}],
        "components": {
            "securitySchemes": {
                "token": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "An API token created by an evaluator under 'API tokens'.",
                }
            },
            "schemas": {
                "Error": ERROR,
                "Cell": CELL,
                "Table": TABLE,
                "Summary": SUMMARY,
                "Scopes": SCOPES,
                "Releases": RELEASES,
                "SummaryQuery": _query(languages),
            },
        },
        "paths": {
            "/openapi.json": {
                "get": {
                    "summary": "This document.",
                    "security": [],
                    "responses": {"200": {"description": "The OpenAPI document."}},
                }
            },
            "/scopes": {
                "get": {
                    "summary": "The organisations, programmes and cohorts you may read.",
                    "security": SECURED,
                    "responses": {
                        "200": _ok("Scopes", "What the token's evaluator may read."),
                        "401": _error("No valid token."),
                    },
                }
            },
            "/releases": {
                "get": {
                    "summary": "The releases, newest first.",
                    "security": SECURED,
                    "responses": {
                        "200": _ok("Releases", "Every release's number and date."),
                        "401": _error("No valid token."),
                    },
                }
            },
            "/summaries/{scope}/{key}": {
                "get": {
                    "summary": "A summary of a cohort, programme or organisation.",
                    "security": SECURED,
                    "parameters": [
                        {
                            "name": "scope",
                            "in": "path",
                            "required": True,
                            "schema": SCOPE,
                        },
                        {
                            "name": "key",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string"},
                        },
                        _language(languages),
                        RELEASE_PARAMETER,
                    ],
                    "responses": {
                        "200": _ok("Summary", "The summary as a release has it, protected."),
                        "400": _error("An unknown language or a release that is not a number."),
                        "401": _error("No valid token."),
                        "404": _error("No such scope or release, or not one you may read."),
                    },
                }
            },
            "/summaries/{scope}/{key}/businesses": {
                "get": {
                    "summary": "The business summary of a scope whose programme keeps business "
                    "records (Kaarya): businesses started, still running at each stocktaking, "
                    "stages, money disbursed (total and median per business), risks met.",
                    "security": SECURED,
                    "parameters": [
                        {"name": "scope", "in": "path", "required": True, "schema": SCOPE},
                        {
                            "name": "key",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string"},
                        },
                        _language(languages),
                        RELEASE_PARAMETER,
                    ],
                    "responses": {
                        "200": _ok(
                            "Summary", "Its business sections as a release has them, protected."
                        ),
                        "400": _error("An unknown language or a release that is not a number."),
                        "401": _error("No valid token."),
                        "404": _error(
                            "No such scope or release, not one you may read, or no "
                            "business records in it."
                        ),
                    },
                }
            },
            "/summaries": {
                "post": {
                    "summary": "A summary, asked for with a JSON body (optionally some sections).",
                    "security": SECURED,
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/SummaryQuery"}
                            }
                        },
                    },
                    "responses": {
                        "200": _ok("Summary", "The summary as a release has it, protected."),
                        "400": _error("The body is not a valid query; problems lists each fault."),
                        "401": _error("No valid token."),
                        "404": _error("No such scope or release, or not one you may read."),
                    },
                }
            },
        },
    }
