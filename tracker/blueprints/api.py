"""The JSON API for evaluators: bearer tokens, aggregate summaries only."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Blueprint, abort, current_app, g, jsonify, request
from werkzeug.exceptions import BadRequest, Unauthorized
from werkzeug.wrappers import Response

from tracker import content, openapi, scope, summaries
from tracker.auth_session import csrf, user_for_token
from tracker.permissions import Perm, allows
from tracker.problems import Problem
from tracker.tables import table_to_dict

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # no cookies here: every request carries its own token

F = TypeVar("F", bound=Callable[..., Any])
LANGUAGES = ("en", "bn", "hi")


def api_requires(perm: Perm) -> Callable[[F], F]:
    def decorate(view: F) -> F:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            if perm is not Perm.public:
                header = request.headers.get("Authorization", "")
                token = (
                    header.removeprefix("Bearer ").strip() if header.startswith("Bearer ") else ""
                )
                user = user_for_token(token) if token else None
                if user is None:
                    raise Unauthorized("Send a valid API token: Authorization: Bearer <token>.")
                if not allows(user.role, perm):
                    abort(403)
                g.api_user = user
            return view(*args, **kwargs)

        guarded.required_permission = perm  # type: ignore[attr-defined]
        return guarded  # type: ignore[return-value]

    return decorate


@bp.after_request
def no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    if response.status_code == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="tracker"'
    return response


@bp.route("/openapi.json")
@api_requires(Perm.public)
def openapi_document() -> Response:
    return jsonify(openapi.document())


@bp.route("/scopes")
@api_requires(Perm.api_read)
def scopes() -> Response:
    user = g.api_user
    cohorts = scope.cohorts(user)
    programmes = content.content().programmes
    programme_ids = sorted({c.programme_id for c in cohorts})
    return jsonify(
        {
            "organisations": [{"id": o.id, "name": o.name} for o in scope.organisations(user)],
            "programmes": [
                {"id": pid, "title": programmes[pid].title}
                for pid in programme_ids
                if pid in programmes
            ],
            "cohorts": [
                {
                    "id": c.id,
                    "name": c.name,
                    "organisation_id": c.organisation_id,
                    "programme_id": c.programme_id,
                    "language": c.language,
                    "starts_on": c.starts_on.isoformat(),
                    "ends_on": c.ends_on.isoformat() if c.ends_on else None,
                }
                for c in cohorts
            ],
        }
    )


def _summary_json(scope_name: str, key: str, language: str, sections: list[str] | None) -> Response:
    if scope_name not in summaries.SCOPES:
        abort(404)
    title, cohort_ids = summaries.resolve(g.api_user, scope_name, key)
    threshold = int(current_app.config["SUPPRESSION_THRESHOLD"])
    summary = summaries.cached_build(
        title, scope_name, key, cohort_ids, threshold=threshold, language=language
    )
    chosen = [s for s in summary.sections if sections is None or s.key in sections]
    return jsonify(
        {
            "scope": summary.scope,
            "key": summary.key,
            "title": summary.title,
            "cohort_count": summary.cohort_count,
            "threshold": threshold,
            "sections": [
                {
                    "key": s.key,
                    "heading": s.heading,
                    "table": table_to_dict(s.table, summary.gettext),
                }
                for s in chosen
            ],
        }
    )


@bp.route("/summaries/<scope_name>/<key>")
@api_requires(Perm.api_read)
def summary(scope_name: str, key: str) -> Response:
    language = request.args.get("language", "en")
    if language not in LANGUAGES:
        return _bad([Problem("language", f"one of {', '.join(LANGUAGES)}")])
    return _summary_json(scope_name, key, language, None)


@bp.route("/summaries", methods=["POST"])
@api_requires(Perm.api_read)
def query() -> Response:
    try:
        body = request.get_json(force=True, silent=False)
    except BadRequest:
        return _bad([Problem("body", "not JSON")])
    problems = check_query(body)
    if problems:
        return _bad(problems)
    return _summary_json(
        body["scope"], str(body["key"]), body.get("language", "en"), body.get("sections")
    )


def check_query(body: Any) -> list[Problem]:
    if not isinstance(body, dict):
        return [Problem("body", "a JSON object is expected")]
    problems: list[Problem] = []
    allowed = {"scope", "key", "sections", "language"}
    problems += [Problem(k, "unknown field") for k in sorted(set(body) - allowed)]
    if body.get("scope") not in summaries.SCOPES:
        problems.append(Problem("scope", f"one of {', '.join(summaries.SCOPES)}"))
    if not isinstance(body.get("key"), str) or not body.get("key"):
        problems.append(Problem("key", "a non-empty string"))
    sections = body.get("sections")
    if sections is not None and (
        not isinstance(sections, list) or not all(isinstance(s, str) for s in sections)
    ):
        problems.append(Problem("sections", "a list of section keys"))
    if body.get("language", "en") not in LANGUAGES:
        problems.append(Problem("language", f"one of {', '.join(LANGUAGES)}"))
    return problems


def _bad(problems: list[Problem]) -> Response:
    response = jsonify(
        {
            "error": "Bad Request",
            "detail": "; ".join(str(p) for p in problems),
            "problems": [p.as_dict() for p in problems],
        }
    )
    response.status_code = 400
    return response
