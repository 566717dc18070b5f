"""The sections of a summary, one builder per kind: attendance, pre/post, yes/no, wheel, tally.

Each builder collects its numbers from `queries`, summarises them with `stats` and shapes
them with `tables`, translating its headings and notes with the `gettext` it is given.
`summaries.build` calls them in order; suppression and charts come after, in `summaries`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from flask import current_app

from tracker import queries, stats, tables
from tracker.models import Cohort, Timepoint
from tracker.tables import Column, ColumnKind, RowGroup, SummaryTable, Translate

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


# ------------------------------------------------------------------ attendance


def attendance_sections(
    cohorts: Sequence[Cohort], loaded: Any, gettext: Translate
) -> list[Section]:
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


def instrument_sections(
    cohort_ids: list[int], instrument: Any, gettext: Translate
) -> list[Section]:
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


def tally_section(cohort_ids: list[int], form: Any, gettext: Translate) -> Section:
    counts, _responses = queries.tally(cohort_ids, form.id)
    labels = {option.id: option.text for option in form.options}
    ordered = {labels[o.id]: counts.get(o.id, 0) for o in form.options}
    if form.other:
        ordered[gettext("Other")] = counts.get("other", 0)
    table = tables.tally_table(form.question, ordered, gettext=gettext)
    return Section(f"{form.id}-tally", form.title, table, "tally")
