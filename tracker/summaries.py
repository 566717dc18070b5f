"""Outcome summaries per cohort, programme or organisation: the tables and charts evaluators see.

Data flows one way: `queries` collects numbers -> `stats` summarises -> `tables` shapes ->
`suppression` hides small counts (for evaluators) -> charts, HTML, CSV/XLSX and JSON are
all drawn from the same suppressed table, so no view shows a number another hides.

The words around the data (titles, headings, column labels, notes, legends) are translated
when the summary is built, into `labels_language`: here, in `summary_sections` (one builder
per kind of section) and in `summary_charts`. The pure modules (tables, charts, exports) take
the `gettext` they are given and never import Flask.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from threading import Lock

from flask import abort, current_app
from flask_babel import force_locale, get_translations
from sqlalchemy import select

from tracker import content, queries, scope, summary_charts, summary_sections, tables
from tracker.db import db
from tracker.models import Cohort, User
from tracker.summary_sections import BANDS, Section
from tracker.suppression import suppress
from tracker.tables import Translate

__all__ = [
    "BANDS",
    "SCOPES",
    "Rate",
    "Section",
    "Summary",
    "build",
    "cached_build",
    "participant_attendance",
    "resolve",
    "translator",
]

SCOPES = ("cohort", "programme", "organisation")
_CACHE = "tracker_summary_cache"


@dataclass
class Summary:
    scope: str
    key: str
    title: str
    cohort_count: int
    threshold: int | None  # None: nothing suppressed (the organisation's own view)
    sections: list[Section]
    gettext: Translate = tables.untranslated  # what the labels were translated with

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


# ------------------------------------------------------------------ scopes


def resolve(user: User, scope_name: str, key: str) -> tuple[str, list[int]]:
    """The title and the cohort ids of a scope, limited to what the user may see (404 if none)."""
    visible = scope.cohort_ids(user)
    if scope_name == "cohort" and key.isdigit():
        cohort = scope.cohort_or_404(user, int(key))
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
    if scope_name == "organisation" and key.isdigit():
        organisation = scope.organisation_or_404(user, int(key))
        ids = list(
            db.session.scalars(
                select(Cohort.id).where(
                    Cohort.organisation_id == organisation.id, Cohort.id.in_(visible)
                )
            )
        )
        return organisation.name, ids
    abort(404)


def build(
    title: str,
    scope_name: str,
    key: str,
    cohort_ids: list[int],
    *,
    threshold: int | None,
    language: str = "en",
    labels_language: str | None = None,
) -> Summary:
    """The summary of some cohorts: curriculum text in `language`, and the tracker's own
    words in `labels_language` (by default the same)."""
    gettext = translator(labels_language or language)
    loaded = content.content(language)
    cohorts = queries.cohorts(cohort_ids)
    sections = summary_sections.attendance_sections(cohorts, loaded, gettext)
    programme_ids = sorted({c.programme_id for c in cohorts})
    instrument_ids: list[str] = []
    form_ids: list[str] = []
    for programme_id in programme_ids:
        instrument_ids += [
            i for i in content.programme_instruments(programme_id) if i not in instrument_ids
        ]
        form_ids += [f for f in content.programme_forms(programme_id) if f not in form_ids]
    for instrument_id in instrument_ids:
        instrument = loaded.instruments.get(instrument_id)
        if instrument is not None:
            sections += summary_sections.instrument_sections(cohort_ids, instrument, gettext)
    for form_id in form_ids:
        form = loaded.evaluation_forms.get(form_id)
        if form is not None:
            sections.append(summary_sections.tally_section(cohort_ids, form, gettext))
    finished = [_finish(section, threshold, gettext) for section in sections]
    return Summary(scope_name, key, title, len(cohorts), threshold, finished, gettext)


def cached_build(
    title: str,
    scope_name: str,
    key: str,
    cohort_ids: list[int],
    *,
    threshold: int | None,
    language: str = "en",
    labels_language: str | None = None,
) -> Summary:
    """`build`, remembered until the data changes.

    Every change writes an audit event in its own transaction, so the newest audit id is a
    version of the whole database: a cached summary is only reused while it is unchanged.
    """
    size = int(current_app.config.get("SUMMARY_CACHE_SIZE", 32))
    if size <= 0:
        return build(
            title,
            scope_name,
            key,
            cohort_ids,
            threshold=threshold,
            language=language,
            labels_language=labels_language,
        )
    cache_key = (
        queries.data_version(),
        title,
        scope_name,
        key,
        tuple(sorted(cohort_ids)),
        threshold,
        language,
        labels_language,
    )
    cache, lock = current_app.extensions.setdefault(_CACHE, (OrderedDict(), Lock()))
    with lock:
        if cache_key in cache:
            cache.move_to_end(cache_key)
            return cache[cache_key]  # type: ignore[no-any-return]
    summary = build(
        title,
        scope_name,
        key,
        cohort_ids,
        threshold=threshold,
        language=language,
        labels_language=labels_language,
    )
    with lock:
        cache[cache_key] = summary
        while len(cache) > size:
            cache.popitem(last=False)
    return summary


def _finish(section: Section, threshold: int | None, gettext: Translate) -> Section:
    """Suppress (for evaluators), then draw the chart from the table that is shown."""
    table = suppress(section.table, threshold) if threshold else section.table
    legend = tables.suppression_legend(table, gettext)
    chart = summary_charts.chart(section, table, legend, gettext)
    return Section(
        section.key,
        section.heading,
        table,
        section.chart_kind,
        section.scale_max,
        chart,
        legend,
        section.series,
    )
