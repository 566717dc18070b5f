"""One blueprint per feature; `register` wires them all and the error pages into an app."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException

from facilitator.problems import ContentError


def register(app: Flask) -> None:
    from tracker.blueprints import (
        accounts,
        admin,
        api,
        assessments,
        auth,
        care,
        cohorts,
        collect,
        evaluations,
        imports,
        paper,
        participants,
        sessions,
        summaries,
    )

    for module in (
        auth,
        accounts,
        cohorts,
        participants,
        sessions,
        assessments,
        evaluations,
        care,
        imports,
        collect,
        paper,
        summaries,
        admin,
        api,
    ):
        app.register_blueprint(module.bp)
    from tracker.businesses.blueprints import BLUEPRINTS as BUSINESS_BLUEPRINTS

    for blueprint in BUSINESS_BLUEPRINTS:
        app.register_blueprint(blueprint)
    from tracker.scorecards.web import bp as scorecards

    app.register_blueprint(scorecards)

    @app.errorhandler(ContentError)
    def content_error(error: ContentError) -> ResponseReturnValue:
        # The curriculum is being edited and does not load: say so plainly, nothing else.
        app.logger.error("curriculum does not load: %s", error)
        if request.path.startswith("/api/"):
            return jsonify({"error": "Service Unavailable", "detail": str(error)}), 503
        return render_template("errors/content.html", error=error), 503

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> ResponseReturnValue:
        code = error.code or 500
        if request.path.startswith("/api/"):
            return jsonify({"error": error.name, "detail": error.description}), code
        return render_template("errors/error.html", error=error), code
