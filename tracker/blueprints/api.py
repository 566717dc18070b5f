"""The JSON API for evaluators: bearer tokens, aggregate summaries only."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Blueprint, abort, g, jsonify, request
from werkzeug.exceptions import BadRequest, Unauthorized
from werkzeug.wrappers import Response

from tracker import content, openapi, summaries
from tracker.access import scope
from tracker.access.auth_session import csrf, user_for_token
from tracker.access.edge import parse_id
from tracker.access.permissions import Perm, allows
from tracker.models import Cohort
from tracker.problems import Problem
from tracker.summaries import releases
from tracker.summaries.tables import table_to_dict

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # no cookies here: every request carries its own token

F = TypeVar("F", bound=Callable[..., Any])


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
    return jsonify(openapi.document(content.language_codes()))


@bp.route("/scopes")
@api_requires(Perm.api_read)
def scopes() -> Response:
    """What the newest release holds that this evaluator may read."""
    user = g.api_user
    latest = releases.latest_id()
    release = releases.load(latest) if latest is not None else None
    visible = summaries.visible_scopes(user, release) if release else set()
    programmes = content.content().programmes
    live = {c.id: c for c in scope.cohorts(user)}
    cohorts = [
        c for c in (release.cohorts.values() if release else []) if ("cohort", str(c.id)) in visible
    ]
    return jsonify(
        {
            "organisations": [
                {"id": int(key), "name": release.organisations.get(int(key), "")}
                for kind, key in sorted(visible)
                if kind == "organisation" and release is not None
            ],
            "programmes": [
                {"id": key, "title": programmes[key].title if key in programmes else key}
                for kind, key in sorted(visible)
                if kind == "programme"
            ],
            "cohorts": [
                {
                    "id": c.id,
                    "name": c.name,
                    "organisation_id": c.organisation_id,
                    "programme_id": c.programme_id,
                    "language": live[c.id].language if c.id in live else None,
                    "starts_on": c.starts_on,
                    "ends_on": _ends_on(live.get(c.id)),
                }
                for c in cohorts
            ],
        }
    )


def _ends_on(cohort: Cohort | None) -> str | None:
    return cohort.ends_on.isoformat() if cohort is not None and cohort.ends_on else None


def _summary_json(
    scope_name: str, key: str, language: str, sections: list[str] | None, release: int | None
) -> Response:
    """A scope of a release (the newest by default), protected: evaluators never read live
    figures, so asking again after a change gives the same answer until the next release."""
    if scope_name not in summaries.SCOPES:
        abort(404)
    summary = summaries.released(g.api_user, scope_name, key, release_id=release, language=language)
    chosen = [s for s in summary.sections if sections is None or s.key in sections]
    return jsonify(
        {
            "scope": summary.scope,
            "key": summary.key,
            "title": summary.title,
            "cohort_count": summary.cohort_count,
            "release": {"id": summary.release_id, "created_at": summary.released_at},
            "rules": summary.rules,
            "sections": [
                {
                    "key": s.key,
                    "heading": s.heading,
                    "rules": [
                        {
                            "threshold": rule.threshold,
                            "sensitive": rule.sensitive,
                            "min_respondents": rule.min_respondents,
                            "reason": rule.reason,
                        }
                        for rule in sorted(
                            set(s.rules), key=lambda r: (r.threshold, r.min_respondents)
                        )
                    ],
                    "table": table_to_dict(s.table, summary.gettext),
                }
                for s in chosen
            ],
        }
    )


@bp.route("/releases")
@api_requires(Perm.api_read)
def release_list() -> Response:
    return jsonify(
        {"releases": [{"id": rid, "created_at": at} for rid, at in releases.release_ids()]}
    )


@bp.route("/summaries/<scope_name>/<key>")
@api_requires(Perm.api_read)
def summary(scope_name: str, key: str) -> Response:
    language = request.args.get("language", content.content().default_language)
    if language not in content.language_codes():
        return _bad([_language_problem()])
    release = request.args.get("release")
    if release is not None and not _whole(release):
        return _bad([Problem("release", "a release number, like 3")])
    return _summary_json(scope_name, key, language, None, int(release) if release else None)


def _whole(text: str) -> bool:
    return parse_id(text) is not None


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
        body["scope"],
        str(body["key"]),
        body.get("language", content.content().default_language),
        body.get("sections"),
        body.get("release"),
    )


def check_query(body: Any) -> list[Problem]:
    if not isinstance(body, dict):
        return [Problem("body", "a JSON object is expected")]
    problems: list[Problem] = []
    allowed = {"scope", "key", "sections", "language", "release"}
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
    release = body.get("release")
    if release is not None and (
        not isinstance(release, int) or isinstance(release, bool) or not 0 < release < 10**9
    ):
        problems.append(Problem("release", "a release number, like 3"))
    if "language" in body and body["language"] not in content.language_codes():
        problems.append(_language_problem())
    return problems


def _language_problem() -> Problem:
    """The curriculum's languages are the API's: a language added there is offered here."""
    return Problem("language", f"one of {', '.join(content.language_codes())}")


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
