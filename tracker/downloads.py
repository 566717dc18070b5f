"""A file the browser saves rather than shows: exports, templates, paper forms.

Every one is audited: who took which file, when. Records leave the tracker this way."""

from __future__ import annotations

from flask import Response
from flask_login import current_user

from tracker.db import db
from tracker.records import audit


def attachment(body: str | bytes, mimetype: str, filename: str) -> Response:
    organisation_id = getattr(current_user, "organisation_id", None)
    audit.record("download", "file", None, organisation_id, filename)
    db.session.commit()
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
