"""What a versioned page posts back: the version it was based on, and what it showed."""

from __future__ import annotations

from flask import request

from tracker.access.edge import parse_id


def row_id(raw: str) -> int | None:
    """A posted id or version: plain digits that fit the database, else None ('²' is a
    digit to Python but no number to int(); 2**64 is a number but no database's id)."""
    return parse_id(raw)


def form_version(name: str = "version") -> int:
    """The version a page was based on; 0 (matching no saved record) when missing or garbled."""
    return row_id(request.form.get(name, "")) or 0


def prefixed(prefix: str) -> dict[str, str]:
    """Posted fields named `prefix` + key, by key (a roster's `status-12`, an item's `item-x`)."""
    return {
        key.removeprefix(prefix): value
        for key, value in request.form.items()
        if key.startswith(prefix)
    }
