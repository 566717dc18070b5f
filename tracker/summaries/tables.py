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

from tracker.summaries.figures import Figure
from tracker.summaries.statistics import (
    YesShare,
    rank_tally,
)

SuppressionReason = Literal["primary", "secondary", "derived", "withheld"]

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
    internal: bool = False  # a sum behind a mean: protected, never shown


@dataclass(frozen=True)
class RowGroup:
    """Rows whose count cells add up, column by column, to the cells of a total row."""

    total: int
    parts: tuple[int, ...]


@dataclass(frozen=True)
class Suppressed:
    """A hidden cell. Primary: a count from 1 to threshold-1. Secondary: hidden so that a
    primary one cannot be worked out from a total. Derived: computed from a hidden count."""

    threshold: int = 5  # withheld: the minimum number of respondents instead
    reason: SuppressionReason = "primary"

    @property
    def display(self) -> str:
        if self.reason == "primary":
            return f"<{self.threshold}"
        if self.reason == "withheld":
            return f"n<{self.threshold}"
        return SECONDARY_MARK


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
    # What protection needs, filled by the section builders (never shown):
    # the linear figure behind each count (and each sum behind a mean) ...
    links: dict[tuple[int, int], Figure] = field(default_factory=dict)
    # ... the cells each derived cell (a share, a mean, a test) is computed from ...
    depends: dict[tuple[int, int], tuple[tuple[int, int], ...]] = field(default_factory=dict)
    # ... stable row keys (item, option, module, cohort ids), complements nobody is shown
    # (absent = enrolled - present), and for sensitive rows the cell counting respondents.
    row_keys: list[str] = field(default_factory=list)
    complements: list[Figure] = field(default_factory=list)
    respondents_cell: dict[int, tuple[tuple[int, int], ...]] = field(default_factory=dict)

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

    def shown(self) -> SummaryTable:
        """The table as people see it: internal columns (sums behind means) left out."""
        keep = [i for i, column in enumerate(self.columns) if not column.internal]
        return replace(
            self,
            columns=[self.columns[i] for i in keep],
            rows=[[row[i] for i in keep] for row in self.rows],
            notes=list(self.notes),
            links={},
            depends={},
            complements=[],
            respondents_cell={},
        )


def suppression_legend(table: SummaryTable, gettext: Translate = untranslated) -> list[str]:
    """Legend lines for the hidden cells in a table; empty when nothing is hidden."""
    reasons = {marker.reason: marker for _, _, marker in table.suppressed_cells()}
    lines: list[str] = []
    if "primary" in reasons:
        t = reasons["primary"].threshold
        lines.append(
            gettext("<%(t)d: a count from 0 to %(last)d, hidden to protect participants.")
            % {"t": t, "last": t - 1}
        )
    if "withheld" in reasons:
        m = reasons["withheld"].threshold
        lines.append(
            gettext(
                "n<%(m)d: a sensitive question answered by fewer than %(m)d people here; "
                "its figures are not released."
            )
            % {"m": m}
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
        "row_keys": list(table.row_keys),
        "notes": list(table.notes),
        "legend": suppression_legend(table, gettext),
    }


# Builders: the standard summaries, with the relations suppression needs declared.


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
