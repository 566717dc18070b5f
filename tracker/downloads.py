"""A file the browser saves rather than shows: exports, templates, paper forms."""

from __future__ import annotations

from flask import Response


def attachment(body: str | bytes, mimetype: str, filename: str) -> Response:
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
