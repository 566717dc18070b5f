"""SummaryTable: the one shape every evaluator-facing summary takes.

A summary is computed (stats.py), put into a SummaryTable, passed through
suppression.suppress(), and only then shown as HTML, drawn as a chart (charts.py),
exported (exports.py) or returned by the API (table_to_dict). The table carries what
suppression needs to know: which columns are counts, which columns or rows are totals
of others, and which cells are computed from which counts.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any, Literal

from tracker.stats import (
    Completion,
    PairedChange,
    YesShare,
    attendance_rate,
    rank_tally,
)

SuppressionReason = Literal["primary", "secondary", "derived"]

# Words the tracker prints around the data (titles, column labels, legends) are English
# message ids, translated by a `gettext` that the caller passes in: this module stays free
# of Flask, and the default leaves them in English (tests, scripts, the CSV export).
Translate = Callable[[str], str]


def untranslated(message: str) -> str:
    """The default Translate: the English message itself."""
    return message


class ColumnKind(StrEnum):
    """What a column holds; decides display, export format and suppression."""

    TEXT = "text"
    COUNT = "count"  # whole numbers of people or responses: the only kind suppressed at source
    PERCENT = "percent"  # a share stored as a fraction 0..1, shown as "43%"
    MEAN = "mean"  # a mean score, shown with 2 decimals
    CHANGE = "change"  # a signed difference, shown as "+0.75"
    P_VALUE = "p_value"  # shown as "0.031" or "<0.001"
    EFFECT_SIZE = "effect_size"  # signed, shown as "+0.62"
    NUMBER = "number"  # any other number, shown with up to 2 decimals


@dataclass(frozen=True)
class Column:
    """One column of a summary table.

    total_of: keys of count columns that, in every row, add up to this column (a shown
        "Total" or "n" column). If the parts add up to less than the total, the rest is
        treated as an unseen cell (for example "not improved" = n - improved).
    derived_from: keys of the count columns this column is computed from; when any of
        them is hidden in a row, this cell is hidden too.
    """

    key: str
    label: str
    kind: ColumnKind = ColumnKind.TEXT
    total_of: tuple[str, ...] = ()
    derived_from: tuple[str, ...] = ()


@dataclass(frozen=True)
class RowGroup:
    """Rows whose count cells add up, column by column, to the cells of a total row."""

    total: int
    parts: tuple[int, ...]


@dataclass(frozen=True)
class Suppressed:
    """A hidden cell. Primary: a count from 1 to threshold-1. Secondary: hidden so that a
    primary one cannot be worked out from a total. Derived: computed from a hidden count."""

    threshold: int = 5
    reason: SuppressionReason = "primary"

    @property
    def display(self) -> str:
        return f"<{self.threshold}" if self.reason == "primary" else SECONDARY_MARK


SECONDARY_MARK = "*"
MISSING_MARK = "–"  # en dash: not available (no data, or a test that could not be run)

Cell = int | float | str | Suppressed | None


@dataclass
class SummaryTable:
    """A titled table with the same numbers as the chart drawn beside it."""

    title: str
    columns: list[Column]
    rows: list[list[Cell]]
    notes: list[str] = field(default_factory=list)
    row_groups: list[RowGroup] = field(default_factory=list)

    def column_index(self, key: str) -> int:
        for index, column in enumerate(self.columns):
            if column.key == key:
                return index
        raise KeyError(f"no column {key!r} in table {self.title!r}")

    def column_values(self, key: str) -> list[Cell]:
        index = self.column_index(key)
        return [row[index] for row in self.rows]

    def suppressed_cells(self) -> list[tuple[int, int, Suppressed]]:
        """(row, column, marker) of every hidden cell."""
        return [
            (r, c, cell)
            for r, row in enumerate(self.rows)
            for c, cell in enumerate(row)
            if isinstance(cell, Suppressed)
        ]

    def copy(self) -> SummaryTable:
        return replace(self, rows=[list(row) for row in self.rows], notes=list(self.notes))


def suppression_legend(table: SummaryTable, gettext: Translate = untranslated) -> list[str]:
    """Legend lines for the hidden cells in a table; empty when nothing is hidden."""
    reasons = {marker.reason: marker for _, _, marker in table.suppressed_cells()}
    lines: list[str] = []
    if "primary" in reasons:
        t = reasons["primary"].threshold
        lines.append(
            gettext("<%(t)d: a count from 1 to %(last)d, hidden to protect participants.")
            % {"t": t, "last": t - 1}
        )
    if "secondary" in reasons or "derived" in reasons:
        lines.append(
            gettext(
                "%(mark)s: hidden so that a small count cannot be worked out from totals, "
                "or computed from a hidden count."
            )
            % {"mark": SECONDARY_MARK}
        )
    return lines


def display_cell(cell: Cell, kind: ColumnKind) -> str:
    """The text shown in an HTML table (and in a chart label) for one cell."""
    if isinstance(cell, Suppressed):
        return cell.display
    if cell is None:
        return MISSING_MARK
    if isinstance(cell, str):
        return cell
    if isinstance(cell, float) and math.isnan(cell):
        return MISSING_MARK
    if kind == ColumnKind.COUNT:
        return f"{round(cell):d}"
    if kind == ColumnKind.PERCENT:
        return f"{cell * 100:.0f}%"
    if kind == ColumnKind.P_VALUE:
        return "<0.001" if cell < 0.001 else f"{cell:.3f}"
    if kind in (ColumnKind.CHANGE, ColumnKind.EFFECT_SIZE):
        return f"{cell:+.2f}"
    if kind == ColumnKind.MEAN:
        return f"{cell:.2f}"
    if isinstance(cell, int):
        return str(cell)
    return f"{cell:.2f}".rstrip("0").rstrip(".")


def display_rows(table: SummaryTable) -> list[list[str]]:
    """Every cell of a table as display text, row by row."""
    kinds = [column.kind for column in table.columns]
    return [
        [display_cell(cell, kind) for cell, kind in zip(row, kinds, strict=True)]
        for row in table.rows
    ]


def _json_cell(cell: Cell) -> Any:
    if isinstance(cell, Suppressed):
        return {"suppressed": cell.reason, "display": cell.display}
    if isinstance(cell, float) and math.isnan(cell):
        return None
    return cell


def table_to_dict(table: SummaryTable, gettext: Translate = untranslated) -> dict[str, Any]:
    """Plain JSON-able dict: the API's representation of a summary.

    Keys (column keys, "suppressed" reasons) never change with the language; the title,
    labels, notes and legend are in whatever language the table was built in. A hidden cell
    becomes {"suppressed": "primary"|"secondary"|"derived", "display": "<5"}, never its value.
    """
    return {
        "title": table.title,
        "columns": [
            {"key": column.key, "label": column.label, "kind": str(column.kind)}
            for column in table.columns
        ],
        "rows": [
            {column.key: _json_cell(cell) for column, cell in zip(table.columns, row, strict=True)}
            for row in table.rows
        ],
        "notes": list(table.notes),
        "legend": suppression_legend(table, gettext),
    }


# Builders: the standard summaries, with the relations suppression needs declared.


def paired_change_table(
    title: str,
    items: Sequence[tuple[str, PairedChange]],
    notes: Sequence[str] = (),
    *,
    gettext: Translate = untranslated,
) -> SummaryTable:
    """Pre/post per item (and an "Overall" row if the caller adds one); every statistic is
    derived from n, so a row with a small n shows nothing but "<5"."""
    on_n = ("n",)
    columns = [
        Column("item", gettext("Item")),
        Column("n", gettext("Matched pairs"), ColumnKind.COUNT),
        Column("mean_before", gettext("Mean before"), ColumnKind.MEAN, derived_from=on_n),
        Column("mean_after", gettext("Mean after"), ColumnKind.MEAN, derived_from=on_n),
        Column("mean_change", gettext("Mean change"), ColumnKind.CHANGE, derived_from=on_n),
        Column("share_improved", gettext("Improved"), ColumnKind.PERCENT, derived_from=on_n),
        Column("p_value", gettext("Wilcoxon p"), ColumnKind.P_VALUE, derived_from=on_n),
        Column(
            "effect_size", gettext("Rank-biserial r"), ColumnKind.EFFECT_SIZE, derived_from=on_n
        ),
        Column("note", gettext("Note"), derived_from=on_n),
    ]
    rows: list[list[Cell]] = []
    for label, change in items:
        note = "; ".join(
            part
            for part in (
                None if change.higher_is_better else gettext("lower is better"),
                change.note_in(gettext),
            )
            if part
        )
        rows.append(
            [
                label,
                change.n_pairs,
                change.mean_before,
                change.mean_after,
                change.mean_change,
                change.share_improved,
                change.p_value,
                change.effect_size,
                note or None,
            ]
        )
    return SummaryTable(title, columns, rows, list(notes))


def yes_no_table(
    title: str,
    items: Sequence[tuple[str, YesShare]],
    notes: Sequence[str] = (),
    *,
    gettext: Translate = untranslated,
) -> SummaryTable:
    """Yes/no items as percentages; yes + no = answered, so hiding a small yes hides no."""
    columns = [
        Column("item", gettext("Item")),
        Column("yes", gettext("Yes"), ColumnKind.COUNT),
        Column("no", gettext("No"), ColumnKind.COUNT),
        Column("answered", gettext("Answered"), ColumnKind.COUNT, total_of=("yes", "no")),
        Column("share_yes", gettext("Yes"), ColumnKind.PERCENT, derived_from=("yes", "answered")),
        Column("share_no", gettext("No"), ColumnKind.PERCENT, derived_from=("no", "answered")),
    ]
    rows: list[list[Cell]] = [
        [
            label,
            share.n_yes,
            share.n_no,
            share.n_answered,
            share.share,
            None if share.share is None else 1 - share.share,
        ]
        for label, share in items
    ]
    return SummaryTable(title, columns, rows, list(notes))


def tally_table(
    title: str,
    counts: Mapping[str, int],
    notes: Sequence[str] = (),
    *,
    gettext: Translate = untranslated,
) -> SummaryTable:
    """Evaluation tallies ranked by count ("Most useful skills learnt"). Options chosen
    several at a time do not add up to a total, so no relation is declared."""
    columns = [
        Column("option", gettext("Option")),
        Column("count", gettext("Times chosen"), ColumnKind.COUNT),
    ]
    rows: list[list[Cell]] = [[option, count] for option, count in rank_tally(counts)]
    return SummaryTable(title, columns, rows, list(notes))


def attendance_table(
    title: str,
    sessions: Sequence[tuple[str, int, int]],
    notes: Sequence[str] = (),
    *,
    gettext: Translate = untranslated,
) -> SummaryTable:
    """Per session: (label, present, enrolled) -> present, enrolled and the rate."""
    columns = [
        Column("session", gettext("Session")),
        Column("present", gettext("Present"), ColumnKind.COUNT),
        Column("enrolled", gettext("Enrolled"), ColumnKind.COUNT),
        Column("rate", gettext("Attendance"), ColumnKind.PERCENT, derived_from=("present",)),
    ]
    rows: list[list[Cell]] = [
        [label, present, enrolled, attendance_rate(present, enrolled)]
        for label, present, enrolled in sessions
    ]
    return SummaryTable(title, columns, rows, list(notes))


def completion_table(
    title: str,
    groups: Sequence[tuple[str, Completion]],
    total_label: str = "All",
    notes: Sequence[str] = (),
    *,
    gettext: Translate = untranslated,
) -> SummaryTable:
    """Completion per cohort (or programme) with a total row; the total row and the
    group rows form a RowGroup, so one small cohort cannot be worked out from the total."""
    columns = [
        Column("group", gettext("Group")),
        Column("participants", gettext("Participants"), ColumnKind.COUNT),
        Column("completed", gettext("Completed"), ColumnKind.COUNT),
        Column(
            "share",
            gettext("Completed"),
            ColumnKind.PERCENT,
            derived_from=("completed", "participants"),
        ),
    ]
    rows: list[list[Cell]] = [
        [label, c.n_participants, c.n_completed, c.share] for label, c in groups
    ]
    participants = sum(c.n_participants for _, c in groups)
    completed = sum(c.n_completed for _, c in groups)
    rows.append(
        [total_label, participants, completed, completed / participants if participants else None]
    )
    group = RowGroup(total=len(rows) - 1, parts=tuple(range(len(rows) - 1)))
    return SummaryTable(title, columns, rows, list(notes), row_groups=[group])


def wheel_table(
    title: str,
    spokes: Sequence[str],
    series: Mapping[str, tuple[int, Sequence[float | None]]],
    notes: Sequence[str] = (),
    *,
    gettext: Translate = untranslated,
) -> SummaryTable:
    """Wheel of empowerment: one row per spoke, for each series (e.g. before, after) the
    number who rated and the mean rating: series maps name -> (n, means per spoke)."""
    columns = [Column("spoke", gettext("Spoke"))]
    for index, name in enumerate(series):
        columns.append(
            Column(f"n_{index}", gettext("%(series)s: n") % {"series": name}, ColumnKind.COUNT)
        )
        columns.append(
            Column(
                f"mean_{index}",
                gettext("%(series)s: mean") % {"series": name},
                ColumnKind.MEAN,
                derived_from=(f"n_{index}",),
            )
        )
    rows: list[list[Cell]] = []
    for spoke_index, spoke in enumerate(spokes):
        row: list[Cell] = [spoke]
        for n, means in series.values():
            row.extend([n, means[spoke_index]])
        rows.append(row)
    return SummaryTable(title, columns, rows, list(notes))
