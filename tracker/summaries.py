"""Outcome summaries per cohort, programme or organisation: the tables and charts evaluators see.

Data flows one way: `queries` collects numbers -> `stats` summarises -> `tables` shapes ->
`suppression` hides small counts (for evaluators) -> charts, HTML, CSV/XLSX and JSON are
all drawn from the same suppressed table, so no view shows a number another hides.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from threading import Lock
from typing import Any

from flask import abort, current_app
from sqlalchemy import select

from tracker import charts, content, queries, scope, stats, tables
from tracker.db import db
from tracker.models import Cohort, Timepoint, User
from tracker.suppression import suppress
from tracker.tables import Column, ColumnKind, RowGroup, SummaryTable

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


@dataclass
class Summary:
    scope: str
    key: str
    title: str
    cohort_count: int
    threshold: int | None  # None: nothing suppressed (the organisation's own view)
    sections: list[Section]

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
) -> Summary:
    loaded = content.content(language)
    cohorts = queries.cohorts(cohort_ids)
    sections = _attendance(cohorts, loaded)
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
            sections += _instrument(cohort_ids, instrument)
    for form_id in form_ids:
        form = loaded.evaluation_forms.get(form_id)
        if form is not None:
            sections.append(_tally(cohort_ids, form))
    finished = [_finish(section, threshold) for section in sections]
    return Summary(scope_name, key, title, len(cohorts), threshold, finished)


def cached_build(
    title: str,
    scope_name: str,
    key: str,
    cohort_ids: list[int],
    *,
    threshold: int | None,
    language: str = "en",
) -> Summary:
    """`build`, remembered until the data changes.

    Every change writes an audit event in its own transaction, so the newest audit id is a
    version of the whole database: a cached summary is only reused while it is unchanged.
    """
    size = int(current_app.config.get("SUMMARY_CACHE_SIZE", 32))
    if size <= 0:
        return build(title, scope_name, key, cohort_ids, threshold=threshold, language=language)
    cache_key = (
        queries.data_version(),
        title,
        scope_name,
        key,
        tuple(sorted(cohort_ids)),
        threshold,
        language,
    )
    cache, lock = current_app.extensions.setdefault(_CACHE, (OrderedDict(), Lock()))
    with lock:
        if cache_key in cache:
            cache.move_to_end(cache_key)
            return cache[cache_key]  # type: ignore[no-any-return]
    summary = build(title, scope_name, key, cohort_ids, threshold=threshold, language=language)
    with lock:
        cache[cache_key] = summary
        while len(cache) > size:
            cache.popitem(last=False)
    return summary


def _finish(section: Section, threshold: int | None) -> Section:
    """Suppress (for evaluators), then draw the chart from the table that is shown."""
    table = suppress(section.table, threshold) if threshold else section.table
    legend = tables.suppression_legend(table)
    chart = _chart(section, table, legend)
    return Section(
        section.key, section.heading, table, section.chart_kind, section.scale_max, chart, legend
    )


# ------------------------------------------------------------------ attendance


def _attendance(cohorts: Sequence[Cohort], loaded: Any) -> list[Section]:
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
        "Attendance per module" if several else "Attendance per session",
        [(label, present, total) for label, (present, total) in rows.items()],
        notes=["Present counts those on time and those who came late."],
    )
    attended = queries.attended_per_member(ids)
    held = queries.sessions_held(ids)
    share = float(current_app.config["COMPLETION_SHARE"])
    by_cohort = {c.id: c for c in cohorts}
    completion = tables.completion_table(
        f"Completion (attended at least {share:.0%} of sessions)",
        [
            (
                by_cohort[cid].name,
                stats.completion_share(
                    list(attended.get(cid, {}).values()), held.get(cid, 0), share
                ),
            )
            for cid in ids
        ],
        total_label="All cohorts",
    )
    return [
        Section("attendance", "Attendance", per_session, "attendance"),
        Section("attendance-bands", "Attendance per participant", _bands(attended, held)),
        Section("completion", "Completion", completion),
    ]


def _bands(attended: dict[int, dict[int, int]], held: dict[int, int]) -> SummaryTable:
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
    rows.append(["All participants", sum(counts)])
    columns = [
        Column("band", "Sessions attended"),
        Column("participants", "Participants", ColumnKind.COUNT),
    ]
    return SummaryTable(
        "Participants by share of sessions attended",
        columns,
        rows,
        row_groups=[RowGroup(total=len(BANDS), parts=tuple(range(len(BANDS))))],
    )


# ------------------------------------------------------------------ instruments


def _instrument(cohort_ids: list[int], instrument: Any) -> list[Section]:
    if instrument.kind == "yes_no":
        return _yes_no(instrument, queries.item_totals(cohort_ids, instrument.id))
    if instrument.kind == "rating":
        return [_wheel(instrument, cohort_ids)]
    sections = [_paired(instrument, cohort_ids, Timepoint.pre, "pre/post")]
    if Timepoint.retro_pre in queries.respondents(cohort_ids, instrument.id):
        sections.append(
            _paired(instrument, cohort_ids, Timepoint.retro_pre, "retrospective-pre/post")
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


def _paired(instrument: Any, cohort_ids: list[int], before: Timepoint, name: str) -> Section:
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
    rows.append(("Overall score", stats.paired_change(overall)))
    notes = [
        "Wilcoxon signed-rank test (two-sided) over matched pairs; effect size is the "
        "matched-pairs rank-biserial correlation.",
        "The overall score is each participant's mean over answered items, with "
        "reverse-worded items recoded so that higher is better.",
    ]
    if before is Timepoint.retro_pre:
        notes.append("'Before' here is the retrospective answer given after the training.")
    table = tables.paired_change_table(f"{instrument.title}: {name}", rows, notes)
    return Section(
        f"{instrument.id}-{before.value}-post", f"{instrument.title} ({name})", table, "paired"
    )


def _yes_no(
    instrument: Any, totals: dict[tuple[Timepoint, str], queries.ItemTotal]
) -> list[Section]:
    sections = []
    none = queries.ItemTotal(0, 0, 0)
    for timepoint, word in ((Timepoint.pre, "before"), (Timepoint.post, "after")):
        shares = []
        for item in instrument.items:
            total = totals.get((timepoint, item.id), none)
            answers = [True] * total.yes + [False] * (total.answered - total.yes)
            shares.append((item.text, stats.share_yes(answers)))
        table = tables.yes_no_table(f"{instrument.title}: {word} the training", shares)
        sections.append(
            Section(
                f"{instrument.id}-{timepoint.value}",
                f"{instrument.title} ({word})",
                table,
                "yes_no",
            )
        )
    return sections


def _wheel(instrument: Any, cohort_ids: list[int]) -> Section:
    spokes = [item.text for item in instrument.items]
    totals = queries.item_totals(cohort_ids, instrument.id)
    respondents = queries.respondents(cohort_ids, instrument.id)
    series: dict[str, tuple[int, list[float | None]]] = {}
    for timepoint, name in ((Timepoint.pre, "Before"), (Timepoint.post, "After")):
        # As `stats.spoke_means`: the mean of the ratings given; None for a spoke nobody rated.
        found = [totals.get((timepoint, item.id)) for item in instrument.items]
        means = [t.total / t.answered if t and t.answered else None for t in found]
        series[name] = (respondents.get(timepoint, 0), means)
    table = tables.wheel_table(f"{instrument.title}: before and after", spokes, series)
    return Section(
        f"{instrument.id}-wheel",
        instrument.title,
        table,
        "wheel",
        float(_scale_bounds(instrument)[1]),
    )


# ------------------------------------------------------------------ evaluations


def _tally(cohort_ids: list[int], form: Any) -> Section:
    counts, _responses = queries.tally(cohort_ids, form.id)
    labels = {option.id: option.text for option in form.options}
    ordered = {labels[o.id]: counts.get(o.id, 0) for o in form.options}
    if form.other:
        ordered["Other"] = counts.get("other", 0)
    table = tables.tally_table(form.question, ordered)
    return Section(f"{form.id}-tally", form.title, table, "tally")


# ------------------------------------------------------------------ charts


def _chart(section: Section, table: SummaryTable, legend: list[str]) -> str | None:
    kind = section.chart_kind
    if kind == "attendance":
        bars = charts.bars_from_column(table.column_values("session"), table.column_values("rate"))
        return charts.attendance_chart_svg(table.title, bars, legend=legend)  # type: ignore[arg-type]
    if kind == "tally":
        bars = charts.bars_from_column(table.column_values("option"), table.column_values("count"))
        return charts.bar_chart_svg(table.title, bars, legend=legend)
    if kind in ("paired", "yes_no"):
        column = "share_improved" if kind == "paired" else "share_yes"
        suffix = "share improved" if kind == "paired" else "share answering yes"
        bars = charts.bars_from_column(table.column_values("item"), table.column_values(column))
        return charts.bar_chart_svg(
            f"{table.title}: {suffix}",
            bars,
            value_kind=ColumnKind.PERCENT,
            scale_max=1.0,
            legend=legend,
        )
    if kind == "wheel":
        spokes = [str(s) for s in table.column_values("spoke")]
        names = [c.label.removesuffix(": mean") for c in table.columns if c.key.startswith("mean_")]
        series = {
            name: [
                v if isinstance(v, int | float) else None
                for v in table.column_values(f"mean_{index}")
            ]
            for index, name in enumerate(names)
        }
        if len(spokes) < 3:
            return None
        return charts.radar_chart_svg(table.title, spokes, series, scale_max=section.scale_max)
    return None
