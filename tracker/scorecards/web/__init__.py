"""The scorecard's pages: entry (collectives, rounds, import) and figures (periods, sharing,
the advocacy brief, the blank sheet), under /scorecards."""

from __future__ import annotations

from flask import Blueprint

from tracker.scorecards.web.entry import bp as entry
from tracker.scorecards.web.figures import bp as figures

bp = Blueprint("scorecards", __name__, url_prefix="/scorecards")
bp.register_blueprint(entry)
bp.register_blueprint(figures)
