"""Small-count suppression for every summary an evaluator sees.

Rules, in order:

1. Primary: a count from 1 to threshold-1 is hidden and shown as "<5". Zero is shown,
   as is common practice in published statistics (pass hide_zero=True to hide it too):
   a zero names nobody, and hiding zeros makes tables hard to read.
2. Secondary: every shown total (a column with `total_of`, or a row in a `RowGroup`) with
   its parts is an equation. If exactly one of its cells is hidden, it could be worked out
   by subtraction, so the smallest shown part (non-zero preferred) is hidden too. If the
   parts add up to less than the total and the rest is a small count, that rest is treated
   as a hidden cell (e.g. "not improved" = n - improved). Repeated until stable, then
   checked with linear algebra across all equations at once (a hidden cell is safe when
   it is not fixed by the equations) and more cells are hidden until none is.
3. Derived: a cell computed from a hidden count (`derived_from`: rates, percentages,
   means, the test statistics of a pre/post row whose n is hidden) is hidden.

Only relations declared on the table are known to suppress(); a total mentioned only in
a note or a title is not. Builders in summaries put every total they show into the table.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.linalg import null_space

from tracker.tables import Cell, ColumnKind, SummaryTable, Suppressed

DEFAULT_THRESHOLD = 5

Position = tuple[int, int]


@dataclass(frozen=True)
class Equation:
    """total = sum(parts) + rest, where rest is a small count nobody sees (or 0)."""

    total: Position
    parts: tuple[Position, ...]
    sensitive_rest: bool


def _number(cell: Cell) -> float | None:
    if isinstance(cell, bool) or not isinstance(cell, int | float):
        return None
    return float(cell)


def _equations(table: SummaryTable, threshold: int) -> list[Equation]:
    equations: list[tuple[Position, tuple[Position, ...]]] = []
    for c, column in enumerate(table.columns):
        if column.total_of:
            part_columns = tuple(table.column_index(key) for key in column.total_of)
            for r in range(len(table.rows)):
                equations.append(((r, c), tuple((r, pc) for pc in part_columns)))
    count_columns = [c for c, col in enumerate(table.columns) if col.kind == ColumnKind.COUNT]
    for group in table.row_groups:
        for c in count_columns:
            equations.append(((group.total, c), tuple((p, c) for p in group.parts)))
    result = []
    for total, parts in equations:
        values = [_number(table.rows[r][c]) for r, c in (total, *parts)]
        if any(v is None for v in values):
            continue  # a missing total or part (None): nothing to subtract from
        rest = values[0] - sum(v for v in values[1:] if v is not None)  # type: ignore[operator]
        if rest < 0:
            raise ValueError(
                f"{table.title!r}: parts add up to more than their total at row {total[0]}"
            )
        result.append(Equation(total, parts, 0 < rest < threshold))
    return result


def suppress(
    table: SummaryTable,
    threshold: int = DEFAULT_THRESHOLD,
    *,
    hide_zero: bool = False,
) -> SummaryTable:
    """A copy of table with small counts, the cells that would reveal them, and the
    cells computed from them replaced by Suppressed markers."""
    if threshold < 1:
        raise ValueError("threshold must be at least 1")
    original = table
    out = table.copy()
    if threshold == 1 and not hide_zero:
        return out
    count_columns = {c for c, col in enumerate(table.columns) if col.kind == ColumnKind.COUNT}
    for row in out.rows:
        for c in count_columns:
            value = _number(row[c])
            if value is not None and (0 < value < threshold or (hide_zero and value == 0)):
                row[c] = Suppressed(threshold, "primary")
    equations = _equations(original, threshold)
    while True:
        _secondary_until_stable(out, original, equations, threshold)
        if not _fix_linear_disclosure(out, original, equations, threshold):
            break
    _suppress_derived(out, threshold)
    return out


def _hidden(table: SummaryTable, position: Position) -> bool:
    return isinstance(table.rows[position[0]][position[1]], Suppressed)


def _partner(
    out: SummaryTable, original: SummaryTable, candidates: tuple[Position, ...]
) -> Position | None:
    """The smallest shown cell among candidates, preferring non-zero ones (hiding a zero
    protects little when readers can guess it is zero)."""
    shown = [p for p in candidates if not _hidden(out, p)]
    if not shown:
        return None

    def size(p: Position) -> tuple[bool, float, Position]:
        value = _number(original.rows[p[0]][p[1]]) or 0.0
        return (value == 0, value, p)

    return min(shown, key=size)


def _hide_secondary(out: SummaryTable, position: Position, threshold: int) -> None:
    out.rows[position[0]][position[1]] = Suppressed(threshold, "secondary")


def _secondary_until_stable(
    out: SummaryTable, original: SummaryTable, equations: list[Equation], threshold: int
) -> None:
    changed = True
    while changed:
        changed = False
        for eq in equations:
            unknown = sum(_hidden(out, p) for p in (eq.total, *eq.parts)) + eq.sensitive_rest
            if unknown != 1:
                continue
            partner = _partner(out, original, eq.parts) or _partner(out, original, (eq.total,))
            if partner is not None:
                _hide_secondary(out, partner, threshold)
                changed = True


def _fix_linear_disclosure(
    out: SummaryTable, original: SummaryTable, equations: list[Equation], threshold: int
) -> bool:
    """Hide one more cell if some small count is fixed by the equations taken together.
    Returns True when a cell was hidden (the caller repeats)."""
    # Unknowns: hidden cells, and the unseen small rests, keyed (-1 - equation, -1).
    unknowns: dict[Position, int] = {}
    for r, c, _ in out.suppressed_cells():
        unknowns[(r, c)] = len(unknowns)
    rest_keys = {i: (-1 - i, -1) for i, eq in enumerate(equations) if eq.sensitive_rest}
    for key in rest_keys.values():
        unknowns[key] = len(unknowns)
    if not unknowns:
        return False
    matrix = np.zeros((len(equations), len(unknowns)))
    for i, eq in enumerate(equations):
        for p, sign in ((eq.total, 1.0), *((p, -1.0) for p in eq.parts)):
            if p in unknowns:
                matrix[i, unknowns[p]] = sign
        if i in rest_keys:
            matrix[i, unknowns[rest_keys[i]]] = -1.0
    basis = null_space(matrix) if len(equations) else np.eye(len(unknowns))
    to_protect = [
        key
        for key in unknowns
        if key[0] < 0
        or (
            isinstance(marker := out.rows[key[0]][key[1]], Suppressed)
            and marker.reason == "primary"
        )
    ]
    for key in to_protect:
        # A row of zeros in the null space basis: the equations fix this unknown.
        if np.any(np.abs(basis[unknowns[key]]) > 1e-9):
            continue  # free to vary: cannot be worked out
        involved = [
            eq
            for i, eq in enumerate(equations)
            if key in (eq.total, *eq.parts) or rest_keys.get(i) == key
        ]
        for eq in involved:
            partner = _partner(out, original, eq.parts) or _partner(out, original, (eq.total,))
            if partner is not None:
                _hide_secondary(out, partner, threshold)
                return True
    return False


def _suppress_derived(out: SummaryTable, threshold: int) -> None:
    for c, column in enumerate(out.columns):
        if not column.derived_from:
            continue
        bases = [out.column_index(key) for key in column.derived_from]
        for row in out.rows:
            if not isinstance(row[c], Suppressed) and any(
                isinstance(row[b], Suppressed) for b in bases
            ):
                row[c] = Suppressed(threshold, "derived")
