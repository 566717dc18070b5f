"""Sections of one instrument: who answered when (and attrition), yes/no shares, the wheel's
spoke means, and pre/post, pre/follow-up, post/follow-up change over matched pairs."""

from __future__ import annotations

from typing import Any

from facilitator.model import Instrument
from tracker.models import Timepoint
from tracker.summaries import statistics as stats
from tracker.summaries.figures import Figure, Protection, difference
from tracker.summaries.parts import COMPARISONS, comparison_key
from tracker.summaries.rules import Rules
from tracker.summaries.scopes import Scope, TableMaker, atom, total
from tracker.summaries.section import Section
from tracker.summaries.tables import Column, ColumnKind, Translate

SINGLE = (Timepoint.pre, Timepoint.post, Timepoint.follow_up)


def timepoint_words(gettext: Translate) -> dict[Timepoint, str]:
    return {
        Timepoint.pre: gettext("before"),
        Timepoint.post: gettext("after"),
        Timepoint.follow_up: gettext("follow-up"),
        Timepoint.retro_pre: gettext("retrospective before"),
    }


def build(scope: Scope, instrument: Instrument, gettext: Translate, rules: Rules) -> list[Section]:
    sections = [_responses(scope, instrument, gettext, rules.instrument(instrument))]
    if instrument.kind == "yes_no":
        sections += _yes_no(scope, instrument, gettext, rules)
    elif instrument.kind == "rating":
        sections.append(_wheel(scope, instrument, gettext, rules))
    else:
        sections += _paired_sections(scope, instrument, gettext, rules)
    return sections


def _part(instrument: Instrument) -> str:
    return f"assess:{instrument.id}"


# ------------------------------------------------------------------ responses and attrition


def _responses(
    scope: Scope, instrument: Instrument, gettext: Translate, rule: Protection
) -> Section:
    key = _part(instrument)
    words = timepoint_words(gettext)
    maker = TableMaker(
        gettext("%(title)s: who answered") % {"title": instrument.title},
        [
            Column("what", gettext("Who answered")),
            Column("people", gettext("People"), ColumnKind.COUNT),
        ],
        [gettext("Matched pairs: the same person answered at both times.")],
    )
    cohorts = list(scope.each(key))
    answered: dict[str, Figure] = {}
    for timepoint in (*SINGLE, Timepoint.retro_pre):
        entries = [
            (
                atom(c, key, v, f"respondents:{timepoint.value}"),
                d["respondents"].get(timepoint.value, 0),
            )
            for c, v, d in cohorts
        ]
        figure = total(entries, "count", rule)
        if figure.value or timepoint is not Timepoint.retro_pre:
            answered[timepoint.value] = figure
            label = gettext("Answered %(when)s") % {"when": words[timepoint]}
            maker.row(
                f"answered:{timepoint.value}",
                {"what": label, "people": figure},
                respondents=("people",),
            )
    for before, after in COMPARISONS:
        cmp = comparison_key(before, after)
        if before.value not in answered or after.value not in answered:
            continue
        entries = [
            (atom(c, key, v, f"matched:{cmp}"), sum(n for _, _, n in d["overall"].get(cmp, [])))
            for c, v, d in cohorts
        ]
        matched = total(entries, "count", rule)
        label = gettext("Matched pairs, %(before)s and %(after)s") % {
            "before": words[before],
            "after": words[after],
        }
        maker.row(f"matched:{cmp}", {"what": label, "people": matched}, respondents=("people",))
        # Those who answered once but not the other time: attrition, never shown alone.
        maker.complement(difference(answered[before.value], matched, rule=rule))
        maker.complement(difference(answered[after.value], matched, rule=rule))
    return Section(f"{instrument.id}-responses", maker.table.title, maker.table, rules=[rule])


# ------------------------------------------------------------------ yes/no


def _yes_no(
    scope: Scope, instrument: Instrument, gettext: Translate, rules: Rules
) -> list[Section]:
    key = _part(instrument)
    cohorts = list(scope.each(key))
    words = timepoint_words(gettext)
    sections = []
    for timepoint in SINGLE:
        if timepoint is Timepoint.follow_up and not any(
            timepoint.value in d["values"] for _, _, d in cohorts
        ):
            continue
        maker = TableMaker(
            gettext("%(title)s: %(when)s") % {"title": instrument.title, "when": words[timepoint]},
            [
                Column("item", gettext("Item")),
                Column("yes", gettext("Yes"), ColumnKind.COUNT),
                Column("no", gettext("No"), ColumnKind.COUNT),
                Column("answered", gettext("Answered"), ColumnKind.COUNT),
                Column(
                    "share_yes",
                    gettext("Yes"),
                    ColumnKind.PERCENT,
                    derived_from=("yes", "answered"),
                ),
                Column(
                    "share_no", gettext("No"), ColumnKind.PERCENT, derived_from=("no", "answered")
                ),
            ],
        )
        rules_used = []
        for item in instrument.items:
            rule = rules.item(instrument, item)
            rules_used.append(rule)
            counts = {}
            for value, name in ((1, "yes"), (0, "no")):
                counts[name] = total(
                    [
                        (
                            atom(c, key, v, f"value:{timepoint.value}:{item.id}:{value}"),
                            d["values"]
                            .get(timepoint.value, {})
                            .get(item.id, {})
                            .get(str(value), 0),
                        )
                        for c, v, d in cohorts
                    ],
                    "count",
                    rule,
                )
            answered = Figure(
                tuple(sorted(counts["yes"].terms + counts["no"].terms)),
                counts["yes"].value + counts["no"].value,
                "count",
                rule,
            )
            share = counts["yes"].value / answered.value if answered.value else None
            maker.row(
                f"item:{item.id}",
                {
                    "item": item.text,
                    "yes": counts["yes"],
                    "no": counts["no"],
                    "answered": answered,
                    "share_yes": share,
                    "share_no": None if share is None else 1 - share,
                },
                respondents=("answered",),
            )
        sections.append(
            Section(
                f"{instrument.id}-{timepoint.value}",
                f"{instrument.title} ({words[timepoint]})",
                maker.table,
                "yes_no",
                rules=rules_used,
            )
        )
    return sections


# ------------------------------------------------------------------ wheel


def _wheel(scope: Scope, instrument: Instrument, gettext: Translate, rules: Rules) -> Section:
    key = _part(instrument)
    cohorts = list(scope.each(key))
    series_words = {
        Timepoint.pre: gettext("Before"),
        Timepoint.post: gettext("After"),
        Timepoint.follow_up: gettext("Follow-up"),
    }
    timepoints = [
        t
        for t in SINGLE
        if t is not Timepoint.follow_up or any(t.value in d["values"] for _, _, d in cohorts)
    ]
    columns = [Column("spoke", gettext("Spoke"))]
    for index, timepoint in enumerate(timepoints):
        name = series_words[timepoint]
        columns += [
            Column(f"n_{index}", gettext("%(series)s: n") % {"series": name}, ColumnKind.COUNT),
            Column(f"sum_{index}", f"sum_{index}", ColumnKind.NUMBER, internal=True),
            Column(
                f"mean_{index}",
                gettext("%(series)s: mean") % {"series": name},
                ColumnKind.MEAN,
                derived_from=(f"n_{index}", f"sum_{index}"),
            ),
        ]
    maker = TableMaker(
        gettext("%(title)s: before and after") % {"title": instrument.title},
        columns,
        [gettext("Each spoke's mean is over the people who rated that spoke (n).")],
    )
    rules_used = []
    for item in instrument.items:
        rule = rules.item(instrument, item)
        rules_used.append(rule)
        cells: dict[str, Any] = {"spoke": item.text}
        for index, timepoint in enumerate(timepoints):
            n_entries, sum_entries = [], []
            for c, v, d in cohorts:
                counts = d["values"].get(timepoint.value, {}).get(item.id, {})
                n_entries.append(
                    (atom(c, key, v, f"value:{timepoint.value}:{item.id}:n"), sum(counts.values()))
                )
                sum_entries.append(
                    (
                        atom(c, key, v, f"value:{timepoint.value}:{item.id}:sum"),
                        sum(int(value) * n for value, n in counts.items()),
                    )
                )
            n = total(n_entries, "count", rule)
            summed = total(sum_entries, "sum", rule)
            cells[f"n_{index}"] = n
            cells[f"sum_{index}"] = summed
            cells[f"mean_{index}"] = summed.value / n.value if n.value else None
        maker.row(
            f"item:{item.id}", cells, respondents=tuple(f"n_{i}" for i in range(len(timepoints)))
        )
    scale = [point.value for point in instrument.scale] or [1]
    return Section(
        f"{instrument.id}-wheel",
        instrument.title,
        maker.table,
        "wheel",
        float(max(scale)),
        series=[series_words[t] for t in timepoints],
        rules=rules_used,
    )


# ------------------------------------------------------------------ pre/post change


def _paired_sections(
    scope: Scope, instrument: Instrument, gettext: Translate, rules: Rules
) -> list[Section]:
    key = _part(instrument)
    cohorts = list(scope.each(key))
    words = timepoint_words(gettext)
    sections = []
    for before, after in COMPARISONS:
        cmp = comparison_key(before, after)
        has_data = any(d["overall"].get(cmp) for _, _, d in cohorts)
        if not has_data and (before, after) != COMPARISONS[0]:
            continue
        name = f"{words[before]} → {words[after]}"
        maker = TableMaker(
            f"{instrument.title}: {name}", paired_columns(gettext), paired_notes(gettext, before)
        )
        rules_used = []
        for item in instrument.items:
            rule = rules.item(instrument, item)
            rules_used.append(rule)
            pooled = [(c, v, d["pairs"].get(cmp, {}).get(item.id, [])) for c, v, d in cohorts]
            _paired_row(
                maker,
                (key, cmp),
                f"item:{item.id}",
                item.text,
                pooled,
                (not item.reverse, rule),
                gettext,
            )
        overall = [(c, v, d["overall"].get(cmp, [])) for c, v, d in cohorts]
        _paired_row(
            maker,
            (key, cmp),
            "overall",
            gettext("Overall score"),
            overall,
            (True, rules.instrument(instrument)),
            gettext,
        )
        sections.append(
            Section(
                f"{instrument.id}-{before.value}-{after.value}",
                f"{instrument.title} ({name})",
                maker.table,
                "paired",
                rules=rules_used,
            )
        )
    return sections


def paired_columns(gettext: Translate) -> list[Column]:
    basis = ("n", "improved", "unchanged", "worsened", "sum_before", "sum_after")
    return [
        Column("item", gettext("Item")),
        Column("n", gettext("Matched pairs"), ColumnKind.COUNT),
        Column("improved", gettext("Improved"), ColumnKind.COUNT),
        Column("unchanged", gettext("Unchanged"), ColumnKind.COUNT),
        Column("worsened", gettext("Worsened"), ColumnKind.COUNT),
        Column("sum_before", "sum_before", ColumnKind.NUMBER, internal=True),
        Column("sum_after", "sum_after", ColumnKind.NUMBER, internal=True),
        Column("share_improved", gettext("Improved"), ColumnKind.PERCENT, derived_from=basis),
        Column("mean_before", gettext("Mean before"), ColumnKind.MEAN, derived_from=basis),
        Column("mean_after", gettext("Mean after"), ColumnKind.MEAN, derived_from=basis),
        Column("mean_change", gettext("Mean change"), ColumnKind.CHANGE, derived_from=basis),
        Column(
            "hl", gettext("Median change (Hodges-Lehmann)"), ColumnKind.CHANGE, derived_from=basis
        ),
        Column("ci", gettext("Confidence interval (95%)"), derived_from=basis),
        Column("p_value", gettext("p"), ColumnKind.P_VALUE, derived_from=basis),
        Column("p_holm", gettext("p (Holm)"), ColumnKind.P_VALUE, derived_from=basis),
        Column("effect_size", gettext("Effect size r"), ColumnKind.EFFECT_SIZE, derived_from=basis),
        Column("note", gettext("Note"), derived_from=basis),
    ]


def paired_notes(gettext: Translate, before: Timepoint) -> list[str]:
    notes = [
        gettext(stats.METHOD_NOTE),
        gettext(
            "The overall score is each participant's mean over answered items, with "
            "reverse-worded items recoded so that higher is better."
        ),
    ]
    if before is Timepoint.retro_pre:
        notes.append(gettext("'Before' here is the retrospective answer given after the training."))
    return notes


def _paired_row(
    maker: TableMaker,
    where: tuple[str, str],
    row_key: str,
    label: str,
    pooled: list[tuple[Any, int, list[list[float]]]],
    direction_rule: tuple[bool, Protection],
    gettext: Translate,
) -> None:
    key, cmp = where
    higher_is_better, rule = direction_rule
    name = row_key.removeprefix("item:")
    entries: dict[str, list[Any]] = {
        k: [] for k in ("n", "improved", "unchanged", "worsened", "sum_before", "sum_after")
    }
    counted: list[tuple[float, float, int]] = []
    step = 1 if higher_is_better else -1
    for cohort, version, pairs in pooled:
        sums = dict.fromkeys(entries, 0.0)
        for b, a, n in pairs:
            counted.append((b, a, int(n)))
            moved = (a - b) * step
            sums["n"] += n
            sums["improved" if moved > 0 else "worsened" if moved < 0 else "unchanged"] += n
            sums["sum_before"] += b * n
            sums["sum_after"] += a * n
        for k in entries:
            entries[k].append((atom(cohort, key, version, f"pair:{cmp}:{name}:{k}"), sums[k]))
    change = stats.paired_change_counted(counted, higher_is_better=higher_is_better)
    cells: dict[str, Any] = {"item": label}
    for k, found in entries.items():
        kind = "sum" if k.startswith("sum") else "count"
        cells[k] = total(found, kind, rule)  # type: ignore[arg-type]
    cells.update(_statistics(change, gettext))
    maker.row(row_key, cells, respondents=("n",))


def _statistics(change: stats.PairedChange, gettext: Translate) -> dict[str, Any]:
    notes = [
        None if change.higher_is_better else gettext("lower is better"),
        change.note_in(gettext),
        None if change.p_value is None or not change.p_method else gettext(change.p_method),
    ]
    interval = (
        None
        if change.ci_low is None or change.ci_high is None
        else f"{change.ci_low:+.2f} … {change.ci_high:+.2f}"
    )
    return {
        "share_improved": change.share_improved,
        "mean_before": change.mean_before,
        "mean_after": change.mean_after,
        "mean_change": change.mean_change,
        "hl": change.hl_estimate,
        "ci": interval,
        "p_value": change.p_value,
        "p_holm": None,  # filled after protection, over the p-values that are shown
        "effect_size": change.effect_size,
        "note": "; ".join(part for part in notes if part) or None,
    }
