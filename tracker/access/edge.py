"""What every request must be before any view sees it: ids a database can hold, and no
control characters (NUL breaks PostgreSQL and spreadsheet exports; none belongs in a form).

Refused at the edge with 400 or 404, so no view has to think about them and no input can
turn into a server error further in.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Flask, abort, request
from flask_babel import gettext as _
from werkzeug.routing import IntegerConverter

# The largest id SQLite and PostgreSQL (bigint) can hold; past it a lookup would overflow.
MAX_ID = 2**63 - 1
# C0 controls and DEL, except tab, line feed and carriage return, which a text box may hold.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class IdConverter(IntegerConverter):
    """`<int:...>` in every route: ASCII digits only (werkzeug's own rule) and at most
    MAX_ID, so an id too large for the database is simply not found (404)."""

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for key, item in value.items() for s in _strings(key) + _strings(item)]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return []


def refuse_control_characters() -> None:
    texts = [request.path]
    texts += [v for key, value in request.args.items(multi=True) for v in (key, value)]
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        texts += [v for key, value in request.form.items(multi=True) for v in (key, value)]
    if request.is_json:
        texts += _strings(request.get_json(silent=True))
    if any(CONTROL.search(text) for text in texts):
        abort(
            400,
            description=_("The form holds control characters (such as NUL) that no field takes."),
        )


def init_app(app: Flask) -> None:
    """Call before any blueprint is registered: routes take their converters when added."""
    app.url_map.converters["int"] = IdConverter
    app.before_request(refuse_control_characters)


def parse_id(text: str | None) -> int | None:
    """An id or count from a form or query: ASCII digits only (not '²' or other scripts'
    digits, which str.isdigit accepts), at most MAX_ID; None for anything else."""
    if not text or len(text) > 19 or not (text.isascii() and text.isdigit()):
        return None
    value = int(text)
    return value if value <= MAX_ID else None
