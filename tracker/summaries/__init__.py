"""Outcome summaries per cohort, organisation or programme: what evaluators and staff read.

The package follows the flow, one step per module:

    queries, parts      counts per cohort, from the database (parts: one source, one cohort)
    statistics          change over matched pairs, shares, completion (pure functions)
    scope, sections,    a scope's tables summed from its cohorts' parts; every count keeps
    instrument_sections the cohort atoms it is a sum of (figures)
    rules               how sensitive each figure is, from the curriculum
    protection,         what evaluators may see: joint suppression over every scope and
    publish, releases   every release, proven by an interval audit (see docs/disclosure.md)
    tables, charts,     the shown table, drawn as SVG, written as CSV/XLSX/JSON
    section_charts,
    exports

Two entry points: `exact` for an organisation's own staff (live, exact figures of cohorts
they may see) and `released` for evaluators (a stored release, protected).
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from threading import Lock
from typing import Any

from flask import abort, current_app
from flask_babel import force_locale, get_translations
from sqlalchemy import select

from facilitator.load import Content
from tracker import content
from tracker.access import scope
from tracker.access.edge import parse_id
from tracker.db import db
from tracker.models import Cohort, EvaluatorGrant, Organisation, Role, User
from tracker.records import audit
from tracker.summaries import publish, queries, releases, section_charts, tables
from tracker.summaries.scopes import PartRef
from tracker.summaries.sections import BANDS, Section
from tracker.summaries.tables import Translate

__all__ = [
    "BANDS",
    "SCOPES",
    "Rate",
    "Section",
    "Summary",
    "exact",
    "participant_attendance",
    "released",
    "resolve",
    "translator",
]

SCOPES = ("cohort", "programme", "organisation")


@dataclass
class Summary:
    scope: str
    key: str
    title: str
    cohort_count: int
    protected: bool  # False: the organisation's own exact figures
    sections: list[Section]
    gettext: Translate = tables.untranslated  # what the labels were translated with
    release_id: int | None = None
    released_at: str | None = None
    rules: list[str] = field(default_factory=list)  # thresholds that applied, and why

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)


@dataclass(frozen=True)
class Rate:
    attended: int
    sessions: int

    @property
    def rate(self) -> float:
        return self.attended / self.sessions if self.sessions else 0.0


def participant_attendance(cohort_id: int) -> dict[int, Rate]:
    """Per participant of one cohort: for the organisation's own cohort page, never evaluators."""
    held = queries.sessions_held([cohort_id]).get(cohort_id, 0)
    attended = queries.attended_per_member([cohort_id]).get(cohort_id, {})
    return {pid: Rate(count, held) for pid, count in attended.items()}


def translator(language: str) -> Translate:
    """The interface catalogue of one language as a plain function (English: unchanged)."""
    with force_locale(language):
        catalogue = get_translations()
    return catalogue.gettext


def completion_share() -> float:
    return float(current_app.config["COMPLETION_SHARE"])


# ------------------------------------------------------------------ exact (staff)


def resolve(user: User, scope_name: str, key: str) -> tuple[str, list[int]]:
    """The title and the cohort ids of a scope, limited to what the user may see (404 if none)."""
    visible = scope.cohort_ids(user)
    number = parse_id(key)
    if scope_name == "cohort" and number is not None:
        cohort = scope.cohort_or_404(user, number)
        return cohort.name, [cohort.id]
    if scope_name == "programme":
        programme = content.content().programmes.get(key)
        ids = list(
            db.session.scalars(
                select(Cohort.id).where(Cohort.programme_id == key, Cohort.id.in_(visible))
            )
        )
        if programme is None or not ids:
            abort(404)
        return programme.title, ids
    if scope_name == "organisation" and number is not None:
        organisation = scope.organisation_or_404(user, number)
        ids = list(
            db.session.scalars(
                select(Cohort.id).where(
                    Cohort.organisation_id == organisation.id, Cohort.id.in_(visible)
                )
            )
        )
        return organisation.name, ids
    abort(404)


def exact(
    title: str,
    scope_name: str,
    key: str,
    cohort_ids: list[int],
    *,
    language: str = "en",
    labels_language: str | None = None,
) -> Summary:
    """Live, exact figures of some cohorts, for the staff of the organisation that holds them."""
    cohorts = releases.cohort_infos(cohort_ids)
    versions = audit.figure_versions({cid: c.organisation_id for cid, c in cohorts.items()})
    cache_key = (
        "summary",
        str(db.engine.url),
        scope_name,
        key,
        title,
        tuple(sorted(versions.items())),
        language,
        labels_language,
    )
    found = _cache_get(cache_key)
    if found is not None:
        return found  # type: ignore[no-any-return]
    gettext = translator(labels_language or language)
    loaded = content.content(language)
    live = _live_parts(cohorts, versions)
    parts: dict[int, dict[str, PartRef]] = {
        cid: {k: (0, data) for k, data in by_key.items()} for cid, by_key in live.items()
    }
    spec = releases.ScopeSpec(scope_name, key, title, tuple(cohorts))
    built = releases.scope_sections(spec, cohorts, parts, loaded, gettext, completion_share())
    finished = [_finish(section, None, gettext) for section in built]
    summary = Summary(scope_name, key, title, len(cohorts), False, finished, gettext)
    _cache_put(cache_key, summary)
    return summary


# Exact figures are cached per cohort and its data version (`audit.figure_versions`): every
# change is audited with the cohort it touched, so a write makes stale only that cohort's
# counts and the scopes that include it; the other cohorts' counts are kept and summed again.
# Two caches: whole summaries (SUMMARY_CACHE_SIZE of them) and the counts of up to
# PARTS_PER_SUMMARY times as many cohorts, so that looking at many summaries does not push
# out the cohorts' counts every summary is made of.
PARTS_PER_SUMMARY = 4


def _live_parts(
    cohorts: dict[int, releases.CohortInfo], versions: dict[int, int]
) -> dict[int, dict[str, Any]]:
    url = str(db.engine.url)
    found: dict[int, dict[str, Any]] = {}
    missing: dict[int, releases.CohortInfo] = {}
    for cid, cohort in cohorts.items():
        cached = _cache_get(("parts", url, cid, versions[cid]), "parts")
        if cached is None:
            missing[cid] = cohort
        else:
            found[cid] = cached
    if missing:
        computed = releases.live_parts(missing, content.content(), completion_share())
        for cid, data in computed.items():
            _cache_put(("parts", url, cid, versions[cid]), data, "parts")
            found[cid] = data
    return found


def warm(batch: int = 16) -> int:
    """Count every cohort's figures into the cache (what `tracker serve` does in the
    background as it starts, so the first summaries opened need not count them); returns
    how many cohorts were counted. Call inside an app context."""
    limit = _cache_size("parts")
    infos = releases.cohort_infos()
    chosen = dict(list(infos.items())[-limit:]) if limit > 0 else {}  # the newest, if fewer
    ids = list(chosen)
    for start in range(0, len(ids), batch):
        some = {cid: chosen[cid] for cid in ids[start : start + batch]}
        _live_parts(some, audit.figure_versions({c: i.organisation_id for c, i in some.items()}))
        db.session.rollback()  # end the read transaction between batches
    return len(ids)


def _cache_size(kind: str) -> int:
    size = int(current_app.config.get("SUMMARY_CACHE_SIZE", 256))
    return size * PARTS_PER_SUMMARY if kind == "parts" else size


def _cache(kind: str) -> tuple[OrderedDict[Any, Any], Lock]:
    caches = current_app.extensions.setdefault("tracker_exact_cache", {})
    return caches.setdefault(kind, (OrderedDict(), Lock()))  # type: ignore[no-any-return]


def _cache_get(key: Any, kind: str = "summary") -> Any:
    if _cache_size(kind) <= 0:
        return None
    cache, lock = _cache(kind)
    with lock:
        if key in cache:
            cache.move_to_end(key)
            return cache[key]
    return None


def _cache_put(key: Any, value: Any, kind: str = "summary") -> None:
    size = _cache_size(kind)
    if size <= 0:
        return
    cache, lock = _cache(kind)
    with lock:
        cache[key] = value
        while len(cache) > size:
            cache.popitem(last=False)


# ------------------------------------------------------------------ released (evaluators)


def visible_scopes(user: User, release: releases.Loaded) -> set[tuple[str, str]]:
    """The scopes of a release this user may read: an evaluator's granted organisations,
    their cohorts, and a programme only when every organisation in it is granted (a
    programme total over organisations the evaluator may not see would tell about them)."""
    if user.role is Role.admin:
        granted = set(release.organisations) | {c.organisation_id for c in release.cohorts.values()}
    elif user.role is Role.evaluator:
        granted = set(
            db.session.scalars(
                select(EvaluatorGrant.organisation_id).where(EvaluatorGrant.user_id == user.id)
            )
        )
    else:
        granted = {user.organisation_id} if user.organisation_id is not None else set()
    found: set[tuple[str, str]] = set()
    for cohort in release.cohorts.values():
        if cohort.organisation_id in granted:
            found.add(("cohort", str(cohort.id)))
            found.add(("organisation", str(cohort.organisation_id)))
    for programme_id in {c.programme_id for c in release.cohorts.values()}:
        owners = {
            c.organisation_id for c in release.cohorts.values() if c.programme_id == programme_id
        }
        if owners <= granted:
            found.add(("programme", programme_id))
    return found


def released(
    user: User,
    scope_name: str,
    key: str,
    *,
    release_id: int | None = None,
    language: str = "en",
    labels_language: str | None = None,
) -> Summary:
    """A scope's figures as a release has them, protected; 404 when there is no release or
    the scope is not one this user may read in it."""
    chosen = release_id if release_id is not None else releases.latest_id()
    release = releases.load(chosen) if chosen is not None else None
    if release is None or (scope_name, key) not in visible_scopes(user, release):
        abort(404)
    return _released_summary(release, scope_name, key, language, labels_language or language)


def _released_summary(
    release: releases.Loaded, scope_name: str, key: str, language: str, labels_language: str
) -> Summary:
    cache: dict[Any, Summary] = current_app.extensions.setdefault("tracker_release_views", {})
    cache_key = (str(db.engine.url), release.id, scope_name, key, language, labels_language)
    if cache_key in cache:
        return cache[cache_key]
    gettext = translator(labels_language)
    loaded = content.content(language)
    ids = _scope_cohorts(release, scope_name, key)
    title = _scope_title(release, scope_name, key, loaded)
    spec = releases.ScopeSpec(scope_name, key, title, tuple(ids))
    built = releases.scope_sections(
        spec, release.cohorts, release.parts, loaded, gettext, completion_share()
    )
    finished = [_finish(section, release.statuses, gettext) for section in built]
    summary = Summary(
        scope_name,
        key,
        title,
        len(ids),
        True,
        finished,
        gettext,
        release.id,
        release.created_at,
        publish.rules_note((rule for s in built for rule in s.rules), gettext),
    )
    if len(cache) > 256:
        cache.clear()
    cache[cache_key] = summary
    return summary


def _scope_cohorts(release: releases.Loaded, scope_name: str, key: str) -> list[int]:
    cohorts = release.cohorts.values()
    if scope_name == "cohort":
        return [c.id for c in cohorts if str(c.id) == key]
    if scope_name == "organisation":
        return [c.id for c in cohorts if str(c.organisation_id) == key]
    return [c.id for c in cohorts if c.programme_id == key]


def _scope_title(release: releases.Loaded, scope_name: str, key: str, loaded: Content) -> str:
    if scope_name == "cohort":
        return release.cohorts[int(key)].name
    if scope_name == "organisation":
        name = release.organisations.get(int(key))
        if name is None:
            found = db.session.get(Organisation, int(key))
            name = found.name if found else key
        return name
    programme = loaded.programmes.get(key)
    return programme.title if programme else key


def _finish(section: Section, statuses: releases.StatusMap | None, gettext: Translate) -> Section:
    """Protect (for evaluators), then draw the chart from the table that is shown."""
    if statuses is None:
        shown = section.table.shown()
        publish.holm_column(shown, gettext)
    else:
        shown = publish.apply(section.table, statuses, gettext).shown()
    legend = tables.suppression_legend(shown, gettext)
    chart = section_charts.chart(section, shown, legend, gettext)
    return Section(
        section.key,
        section.heading,
        shown,
        section.chart_kind,
        section.scale_max,
        chart,
        legend,
        section.series,
        section.rules,
    )
