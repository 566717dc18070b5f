"""Outcome summaries per cohort, programme or organisation: the tables and charts evaluators see.

Data flows one way: `queries` collects numbers -> `stats` summarises -> `tables` shapes ->
`suppression` hides small counts (for evaluators) -> charts, HTML, CSV/XLSX and JSON are
all drawn from the same suppressed table, so no view shows a number another hides.

The words around the data (titles, headings, column labels, notes, legends) are translated
here, when the summary is built, into `labels_language`: the pure modules (tables, charts,
exports) take the `gettext` they are given and never import Flask.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from threading import Lock
from typing import Any

from flask import abort, current_app
from flask_babel import force_locale, get_translations
from sqlalchemy import select

from tracker import charts, content, queries, scope, stats, tables
from tracker.db import db
from tracker.models import Cohort, Timepoint, User
from tracker.suppression import suppress
from tracker.tables import Column, ColumnKind, RowGroup, SummaryTable, Translate

SCOPES = ("cohort", "programme", "organisation")
_CACHE = "tracker_summary_cache"
BANDS = ((0.0, "0–24%"), (0.25, "25–49%"), (0.5, "50–74%"), (0.75, "75–100%"))


@dataclass
class Section:
    key: str
    heading: str
    table: SummaryTable
    chart_kind: str | None = None  # attendance, paired, yes_no, wheel, tally
    scale_max: float = 1.0
    chart_svg: str | None = None
    legend: list[str] = field(default_factory=list)
    series: list[str] = field(default_factory=list)  # wheel: the series names, in order


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
    sections = _attendance(cohorts, loaded, gettext)
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
            sections += _instrument(cohort_ids, instrument, gettext)
    for form_id in form_ids:
        form = loaded.evaluation_forms.get(form_id)
        if form is not None:
            sections.append(_tally(cohort_ids, form, gettext))
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
    chart = _chart(section, table, legend, gettext)
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


# ------------------------------------------------------------------ attendance


def _attendance(cohorts: Sequence[Cohort], loaded: Any, gettext: Translate) -> list[Section]:
    ids = [c.id for c in cohorts]
    enrolled = queries.enrolled(ids)
    counts = queries.session_counts(ids)
    several = len(cohorts) > 1
    rows: dict[str, list[int]] = {}
    for count in counts:
        module = loaded.modules.get(count.module_id)
        name = module.title if module else count.module_id
        # One cohort: a row per session. Several: a row per module, summed over cohorts.
        label = name if several else f"{count.held_on.isoformat()} · {name}"
        if not several and label in rows:
            label = f"{label} ({count.session_id})"
        row = rows.setdefault(label, [0, 0])
        row[0] += count.attended
        row[1] += enrolled.get(count.cohort_id, 0)
    per_session = tables.attendance_table(
        gettext("Attendance per module") if several else gettext("Attendance per session"),
        [(label, present, total) for label, (present, total) in rows.items()],
        notes=[gettext("Present counts those on time and those who came late.")],
        gettext=gettext,
    )
    attended = queries.attended_per_member(ids)
    held = queries.sessions_held(ids)
    share = float(current_app.config["COMPLETION_SHARE"])
    by_cohort = {c.id: c for c in cohorts}
    completion = tables.completion_table(
        gettext("Completion (attended at least %(share)s of sessions)") % {"share": f"{share:.0%}"},
        [
            (
                by_cohort[cid].name,
                stats.completion_share(
                    list(attended.get(cid, {}).values()), held.get(cid, 0), share
                ),
            )
            for cid in ids
        ],
        total_label=gettext("All cohorts"),
        gettext=gettext,
    )
    return [
        Section("attendance", gettext("Attendance"), per_session, "attendance"),
        Section(
            "attendance-bands",
            gettext("Attendance per participant"),
            _bands(attended, held, gettext),
        ),
        Section("completion", gettext("Completion"), completion),
    ]


def _bands(
    attended: dict[int, dict[int, int]], held: dict[int, int], gettext: Translate
) -> SummaryTable:
    """How many participants attended what share of their cohort's sessions."""
    counts = [0] * len(BANDS)
    for cohort_id, members in attended.items():
        sessions = held.get(cohort_id, 0)
        if not sessions:
            continue
        for count in members.values():
            rate = count / sessions
            band = max(i for i, (low, _) in enumerate(BANDS) if rate >= low - 1e-9)
            counts[band] += 1
    rows: list[list[tables.Cell]] = [
        [label, n] for (_, label), n in zip(BANDS, counts, strict=True)
    ]
    rows.append([gettext("All participants"), sum(counts)])
    columns = [
        Column("band", gettext("Sessions attended")),
        Column("participants", gettext("Participants"), ColumnKind.COUNT),
    ]
    return SummaryTable(
        gettext("Participants by share of sessions attended"),
        columns,
        rows,
        row_groups=[RowGroup(total=len(BANDS), parts=tuple(range(len(BANDS))))],
    )


# ------------------------------------------------------------------ instruments


def _instrument(cohort_ids: list[int], instrument: Any, gettext: Translate) -> list[Section]:
    if instrument.kind == "yes_no":
        return _yes_no(instrument, queries.item_totals(cohort_ids, instrument.id), gettext)
    if instrument.kind == "rating":
        return [_wheel(instrument, cohort_ids, gettext)]
    sections = [_paired(instrument, cohort_ids, Timepoint.pre, gettext("pre/post"), gettext)]
    if Timepoint.retro_pre in queries.respondents(cohort_ids, instrument.id):
        sections.append(
            _paired(
                instrument,
                cohort_ids,
                Timepoint.retro_pre,
                gettext("retrospective-pre/post"),
                gettext,
            )
        )
    return sections


def _scale_bounds(instrument: Any) -> tuple[int, int]:
    values = [point.value for point in instrument.scale] or [0, 1]
    return min(values), max(values)


def _expand(counted: list[tuple[int, int, int]]) -> list[stats.Pair]:
    """(before, after, how many) back to one pair per participant, for `stats`."""
    pairs: list[stats.Pair] = []
    for before, after, count in counted:
        pairs += [(before, after)] * count
    return pairs


def _paired(
    instrument: Any, cohort_ids: list[int], before: Timepoint, name: str, gettext: Translate
) -> Section:
    low, high = _scale_bounds(instrument)
    counted = queries.paired_answers(cohort_ids, instrument.id, before)
    rows: list[tuple[str, stats.PairedChange]] = [
        (
            item.text,
            stats.paired_change(
                _expand(counted.get(item.id, [])), higher_is_better=not item.reverse
            ),
        )
        for item in instrument.items
    ]
    reverse = [item.id for item in instrument.items if item.reverse]
    scores = queries.paired_scores(
        cohort_ids, instrument.id, before, reverse_items=reverse, scale_min=low, scale_max=high
    )
    # Each participant's mean over answered items, as `stats.scale_score` computes it: the
    # sum of whole numbers is exact, so one division gives the same float.
    overall: list[stats.Pair] = [
        (total_before / n_before, total_after / n_after)
        for total_before, n_before, total_after, n_after in scores
    ]
    rows.append((gettext("Overall score"), stats.paired_change(overall)))
    notes = [
        gettext(
            "Wilcoxon signed-rank test (two-sided) over matched pairs; effect size is the "
            "matched-pairs rank-biserial correlation."
        ),
        gettext(
            "The overall score is each participant's mean over answered items, with "
            "reverse-worded items recoded so that higher is better."
        ),
    ]
    if before is Timepoint.retro_pre:
        notes.append(gettext("'Before' here is the retrospective answer given after the training."))
    table = tables.paired_change_table(f"{instrument.title}: {name}", rows, notes, gettext=gettext)
    return Section(
        f"{instrument.id}-{before.value}-post", f"{instrument.title} ({name})", table, "paired"
    )


def _yes_no(
    instrument: Any, totals: dict[tuple[Timepoint, str], queries.ItemTotal], gettext: Translate
) -> list[Section]:
    sections = []
    none = queries.ItemTotal(0, 0, 0)
    timepoints = (
        (Timepoint.pre, gettext("before"), gettext("%(title)s: before the training")),
        (Timepoint.post, gettext("after"), gettext("%(title)s: after the training")),
    )
    for timepoint, word, caption in timepoints:
        shares = []
        for item in instrument.items:
            total = totals.get((timepoint, item.id), none)
            answers = [True] * total.yes + [False] * (total.answered - total.yes)
            shares.append((item.text, stats.share_yes(answers)))
        table = tables.yes_no_table(caption % {"title": instrument.title}, shares, gettext=gettext)
        sections.append(
            Section(
                f"{instrument.id}-{timepoint.value}",
                f"{instrument.title} ({word})",
                table,
                "yes_no",
            )
        )
    return sections


def _wheel(instrument: Any, cohort_ids: list[int], gettext: Translate) -> Section:
    spokes = [item.text for item in instrument.items]
    totals = queries.item_totals(cohort_ids, instrument.id)
    respondents = queries.respondents(cohort_ids, instrument.id)
    series: dict[str, tuple[int, list[float | None]]] = {}
    for timepoint, name in ((Timepoint.pre, gettext("Before")), (Timepoint.post, gettext("After"))):
        # As `stats.spoke_means`: the mean of the ratings given; None for a spoke nobody rated.
        found = [totals.get((timepoint, item.id)) for item in instrument.items]
        means = [t.total / t.answered if t and t.answered else None for t in found]
        series[name] = (respondents.get(timepoint, 0), means)
    table = tables.wheel_table(
        gettext("%(title)s: before and after") % {"title": instrument.title},
        spokes,
        series,
        gettext=gettext,
    )
    return Section(
        f"{instrument.id}-wheel",
        instrument.title,
        table,
        "wheel",
        float(_scale_bounds(instrument)[1]),
        series=list(series),
    )


# ------------------------------------------------------------------ evaluations


def _tally(cohort_ids: list[int], form: Any, gettext: Translate) -> Section:
    counts, _responses = queries.tally(cohort_ids, form.id)
    labels = {option.id: option.text for option in form.options}
    ordered = {labels[o.id]: counts.get(o.id, 0) for o in form.options}
    if form.other:
        ordered[gettext("Other")] = counts.get("other", 0)
    table = tables.tally_table(form.question, ordered, gettext=gettext)
    return Section(f"{form.id}-tally", form.title, table, "tally")


# ------------------------------------------------------------------ charts


def _chart(
    section: Section, table: SummaryTable, legend: list[str], gettext: Translate
) -> str | None:
    kind = section.chart_kind
    if kind == "attendance":
        bars = charts.bars_from_column(table.column_values("session"), table.column_values("rate"))
        return charts.attendance_chart_svg(table.title, bars, legend=legend, gettext=gettext)  # type: ignore[arg-type]
    if kind == "tally":
        bars = charts.bars_from_column(table.column_values("option"), table.column_values("count"))
        return charts.bar_chart_svg(table.title, bars, legend=legend, gettext=gettext)
    if kind in ("paired", "yes_no"):
        column = "share_improved" if kind == "paired" else "share_yes"
        title = (
            gettext("%(title)s: share improved")
            if kind == "paired"
            else gettext("%(title)s: share answering yes")
        )
        bars = charts.bars_from_column(table.column_values("item"), table.column_values(column))
        return charts.bar_chart_svg(
            title % {"title": table.title},
            bars,
            value_kind=ColumnKind.PERCENT,
            scale_max=1.0,
            legend=legend,
            gettext=gettext,
        )
    if kind == "wheel":
        spokes = [str(s) for s in table.column_values("spoke")]
        names = section.series
        series = {
            name: [
                v if isinstance(v, int | float) else None
                for v in table.column_values(f"mean_{index}")
            ]
            for index, name in enumerate(names)
        }
        if len(spokes) < 3:
            return None
        return charts.radar_chart_svg(
            table.title, spokes, series, scale_max=section.scale_max, gettext=gettext
        )
    return None
