"""Small-count suppression: primary, secondary and derived, and properties over random
tables (a fixed seed, so a failure can be reproduced)."""

from __future__ import annotations

import random

import numpy as np
import pytest

from tracker.stats import Completion, YesShare, paired_change
from tracker.suppression import suppress
from tracker.tables import (
    Cell,
    Column,
    ColumnKind,
    RowGroup,
    SummaryTable,
    Suppressed,
    completion_table,
    display_rows,
    paired_change_table,
    suppression_legend,
    table_to_dict,
    yes_no_table,
)


def hidden(cell: Cell) -> bool:
    return isinstance(cell, Suppressed)


def counts_table(values: list[int]) -> SummaryTable:
    columns = [Column("option", "Option"), Column("count", "Count", ColumnKind.COUNT)]
    return SummaryTable("Tally", columns, [[f"o{i}", v] for i, v in enumerate(values)])


def test_primary_hides_one_to_four_and_shows_zero_and_five() -> None:
    result = suppress(counts_table([0, 1, 4, 5, 12]))
    assert [row[1] for row in result.rows] == [
        0,
        Suppressed(5, "primary"),
        Suppressed(5, "primary"),
        5,
        12,
    ]
    assert [row[1] for row in display_rows(result)] == ["0", "<5", "<5", "5", "12"]


def test_threshold_and_hide_zero_are_configurable() -> None:
    result = suppress(counts_table([0, 7, 10]), threshold=10, hide_zero=True)
    assert [row[1] for row in display_rows(result)] == ["<10", "<10", "10"]
    assert [row[1] for row in display_rows(suppress(counts_table([3]), threshold=1))] == ["3"]


def test_suppress_returns_a_copy() -> None:
    table = counts_table([2, 9])
    suppress(table)
    assert table.rows[0][1] == 2


def test_yes_no_small_yes_hides_no_and_both_percentages() -> None:
    table = yes_no_table("Body image", [("I like my body", YesShare(23, 3, 3 / 23))])
    row = suppress(table).rows[0]
    cells = dict(zip([c.key for c in table.columns], row, strict=True))
    assert cells["yes"] == Suppressed(5, "primary")
    assert cells["no"] == Suppressed(5, "secondary")  # else 23 - 20 gives the 3 back
    assert cells["answered"] == 23
    assert cells["share_yes"] == Suppressed(5, "derived")
    assert cells["share_no"] == Suppressed(5, "derived")  # 87% of 23 would give 20


def test_yes_no_large_counts_untouched() -> None:
    table = yes_no_table("Body image", [("I like my body", YesShare(23, 11, 11 / 23))])
    assert suppress(table).rows == table.rows


def test_small_rest_hides_the_part_it_could_be_worked_out_from() -> None:
    # n shown with only "agree": n - agree = 3 people who did not agree.
    columns = [
        Column("item", "Item"),
        Column("agree", "Agree", ColumnKind.COUNT),
        Column("n", "n", ColumnKind.COUNT, total_of=("agree",)),
    ]
    table = SummaryTable("Agreement", columns, [["x", 17, 20], ["y", 10, 20]])
    result = suppress(table)
    assert result.rows[0][1] == Suppressed(5, "secondary") and result.rows[0][2] == 20
    assert result.rows[1] == ["y", 10, 20]


def test_row_group_small_cohort_gets_a_partner_and_total_stays() -> None:
    table = completion_table(
        "Completion by cohort",
        [
            ("Kolkata 1", Completion(3, 3, 1.0)),
            ("Kolkata 2", Completion(12, 8, 8 / 12)),
            ("Delhi 1", Completion(20, 15, 0.75)),
        ],
    )
    result = suppress(table)
    participants = result.column_values("participants")
    assert participants[0] == Suppressed(5, "primary")
    assert participants[1] == Suppressed(5, "secondary")  # smallest other cohort
    assert participants[2:] == [20, 35]  # Delhi and the total are shown
    completed = result.column_values("completed")
    assert completed[0] == Suppressed(5, "primary") and hidden(completed[1])
    assert all(hidden(s) for s in result.column_values("share")[:2])
    assert suppression_legend(result) and "<5" in suppression_legend(result)[0]


def test_pre_post_row_with_small_n_hides_every_statistic() -> None:
    small = paired_change([(1, 3), (2, 3), (2, 4)])
    large = paired_change([(1, 3), (2, 3), (2, 4), (3, 4), (1, 2), (2, 2), (3, 5)])
    result = suppress(paired_change_table("Self-assessment", [("a", small), ("b", large)]))
    assert result.rows[0][0] == "a"
    assert all(hidden(cell) for cell in result.rows[0][1:])
    assert not any(hidden(cell) for cell in result.rows[1])
    assert table_to_dict(result)["rows"][0]["mean_change"] == {
        "suppressed": "derived",
        "display": "*",
    }


def test_parts_above_their_total_are_refused() -> None:
    columns = [
        Column("a", "A", ColumnKind.COUNT),
        Column("t", "T", ColumnKind.COUNT, total_of=("a",)),
    ]
    with pytest.raises(ValueError, match="more than their total"):
        suppress(SummaryTable("bad", columns, [[9, 5]]))


# Property tests over random tables with row and column totals.


def random_table(rng: random.Random) -> SummaryTable:
    n_rows, n_cols = rng.randint(1, 6), rng.randint(1, 5)
    keys = [f"c{j}" for j in range(n_cols)]
    partial = rng.random() < 0.3  # the total is more than its parts: an unseen rest
    columns = [Column("label", "Label")]
    columns += [Column(k, k, ColumnKind.COUNT) for k in keys]
    columns.append(Column("total", "Total", ColumnKind.COUNT, total_of=tuple(keys)))
    columns.append(Column("share", "Share", ColumnKind.PERCENT, derived_from=("c0", "total")))
    rows: list[list[Cell]] = []
    sums = [0] * (n_cols + 1)
    for i in range(n_rows):
        counts = [rng.choice([0, rng.randint(1, 4), rng.randint(1, 40)]) for _ in keys]
        total = sum(counts) + (rng.randint(0, 6) if partial else 0)
        rows.append([f"r{i}", *counts, total, counts[0] / total if total else None])
        sums = [a + b for a, b in zip(sums, [*counts, total], strict=True)]
    rows.append(["All", *sums, sums[0] / sums[-1] if sums[-1] else None])
    groups = [RowGroup(total=n_rows, parts=tuple(range(n_rows)))]
    return SummaryTable("random", columns, rows, row_groups=groups)


def equations(table: SummaryTable) -> list[tuple[tuple[int, int], list[tuple[int, int]]]]:
    """Every (total, parts) relation the reader knows, written out independently."""
    n_cols = len(table.columns) - 3
    total_col = n_cols + 1
    out = [((r, total_col), [(r, 1 + j) for j in range(n_cols)]) for r in range(len(table.rows))]
    last = len(table.rows) - 1
    out += [((last, c), [(r, c) for r in range(last)]) for c in range(1, total_col + 1)]
    return out


def count_at(table: SummaryTable, position: tuple[int, int]) -> int:
    value = table.rows[position[0]][position[1]]
    assert isinstance(value, int)
    return value


def rest_of(table: SummaryTable, total: tuple[int, int], parts: list[tuple[int, int]]) -> int:
    return count_at(table, total) - sum(count_at(table, p) for p in parts)


def is_determined(table: SummaryTable, original: SummaryTable, target: tuple[int, int]) -> bool:
    """Can the target be solved for exactly from the shown cells and the equations?
    Linear algebra over the hidden cells (an unseen rest is one more unknown)."""
    unknowns = [(r, c) for r, c, _ in table.suppressed_cells()]
    eqs = equations(original)
    index = {p: i for i, p in enumerate(unknowns)}
    matrix = []
    for e, (total, parts) in enumerate(eqs):
        row = [0.0] * (len(unknowns) + len(eqs))
        for p, sign in [(total, 1.0), *[(p, -1.0) for p in parts]]:
            if p in index:
                row[index[p]] = sign
        rest = rest_of(original, total, parts)
        if 0 < rest < 5:  # a larger rest is assumed known: the strongest reader
            row[len(unknowns) + e] = -1.0
        matrix.append(row)
    a = np.array(matrix)
    goal = np.zeros(a.shape[1])
    goal[index[target]] = 1.0
    return bool(np.linalg.matrix_rank(np.vstack([a, goal])) == np.linalg.matrix_rank(a))


@pytest.mark.parametrize("seed", range(8))
def test_property_no_hidden_small_count_can_be_worked_out(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(40):
        original = random_table(rng)
        result = suppress(original)
        count_cols = [c for c, col in enumerate(original.columns) if col.kind == ColumnKind.COUNT]
        for r, row in enumerate(original.rows):
            for c in count_cols:
                value = row[c]
                assert isinstance(value, int)
                if 0 < value < 5:
                    assert result.rows[r][c] == Suppressed(5, "primary")
                elif not hidden(result.rows[r][c]):
                    assert result.rows[r][c] == value  # shown cells are never altered
        # By subtraction: no relation has exactly one unknown (an unseen small rest, the
        # total minus its parts, counts as an unknown that must not be worked out either).
        for total, parts in equations(original):
            unknown = sum(hidden(result.rows[r][c]) for r, c in (total, *parts))
            rest = rest_of(original, total, parts)
            unknown += 0 < rest < 5
            assert unknown != 1, (original.rows, result.rows)
        # By any combination of relations at once.
        for r, c, marker in result.suppressed_cells():
            if marker.reason == "primary":
                assert not is_determined(result, original, (r, c)), (original.rows, r, c)
        # A share is hidden whenever a count it is computed from is hidden.
        for row in result.rows:
            if hidden(row[1]) or hidden(row[-2]):
                assert hidden(row[-1])
