"""The tracker: cohorts, attendance, self-assessments and evaluation tallies, with summaries
for evaluators that never show who a participant is."""

from __future__ import annotations

import os
from typing import Any

from flask import Flask


def create_app(
    test_config: dict[str, Any] | None = None, instance_path: str | None = None
) -> Flask:
    app = Flask(__name__, instance_relative_config=True, instance_path=instance_path)
    from tracker.config import defaults

    app.config.from_mapping(defaults(app.instance_path))
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.from_prefixed_env("TRACKER")
    else:
        app.config.from_mapping(test_config)
    if "SUPPRESSION_THRESHOLD" in app.config:
        # Once a single global number; now each question's rule is in the curriculum.
        raise RuntimeError(
            "SUPPRESSION_THRESHOLD is no longer a setting: each instrument, item and "
            "evaluation form declares its protection as `disclosure` in curriculum/ "
            "(see docs/disclosure.md); remove it from the instance config or environment."
        )
    os.makedirs(app.instance_path, exist_ok=True)

    from tracker import cli, db, i18n, serving, templating
    from tracker.access import auth_session, edge, security
    from tracker.blueprints import register

    serving.init_app(app)
    db.init_app(app)
    auth_session.init_app(app)
    i18n.init_app(app)
    edge.init_app(app)
    register(app)
    security.init_app(app)
    templating.init_app(app)
    cli.init_app(app)
    return app
