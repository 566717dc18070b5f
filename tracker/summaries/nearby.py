"""Shortcuts for the protection LP: two small LPs over a requirement's neighbourhood that
settle most checks without solving the whole block.

A block (`protection.BlockLP`) holds every atom that some figure ties to another: through
organisation and programme totals that can be every cohort of every programme. A solve over
it costs in proportion to its size, and publishing checks every hidden cell, so solving the
whole block for every check made publishing grow with the square of the number of cohorts.
For one requirement, take the atoms of every row (figure or relation) that touches its
figure: the neighbourhood. Then:

- relaxed: only the rows whose atoms all lie in the neighbourhood. Dropping constraints can
  only widen what is deducible, so a figure pinned here is pinned in the block: the
  requirement fails.
- fixed: every row that touches the neighbourhood, with the atoms outside it fixed where a
  known solution of the block (a witness) has them. Adding constraints can only narrow, so a
  figure that still ranges widely enough here does so in the block: the requirement holds.

Only when neither settles it is the whole block solved. Each shortcut answers only when its
answer is the whole block's, so a release is the same with them as without (the tests
publish both ways and compare).
"""

from __future__ import annotations

from collections.abc import Callable

import highspy
import numpy as np
from scipy import sparse

# Atoms: a neighbourhood larger than this (or than half the block) is solved as the block.
NEAR_LIMIT = 4000
Wants = Callable[[float, float], bool]  # (lowest, highest possible value) -> requirement met


class Nearby:
    """The block's rows as a sparse matrix, with their current bounds (kept in step with
    the block's model by `BlockLP.refresh`)."""

    def __init__(
        self,
        matrix: sparse.csr_matrix,
        low: np.ndarray,
        high: np.ndarray,
        make_model: Callable[[], highspy.Highs],
    ) -> None:
        self.by_row = matrix.tocsr()
        self.by_column = matrix.tocsc()
        self.low = low
        self.high = high
        self.row_size = np.diff(self.by_row.indptr)
        self.make_model = make_model

    def settle(
        self, columns: np.ndarray, coefficients: np.ndarray, witness: np.ndarray, wants: Wants
    ) -> tuple[bool | None, np.ndarray | None]:
        """(True: met, False: not met, None: ask the whole block; a new witness or None).
        The neighbourhood is tried one step out, then two (what a figure's own rows leave
        open is often closed by its neighbours' rows)."""
        near = np.unique(columns)
        limit = min(NEAR_LIMIT, self.by_row.shape[1] // 2)
        for _ in range(2):
            touching = np.unique(self.by_column[:, near].indices)
            # The figure's own atoms stay in even where no row holds them.
            wider = np.union1d(self.by_row[touching].indices, near)
            if len(wider) > limit or len(wider) == len(near):
                return None, None
            near = wider
            verdict, point = self._settle_within(near, columns, coefficients, witness, wants)
            if verdict is not None:
                return verdict, point
        return None, None

    def _settle_within(
        self,
        near: np.ndarray,
        columns: np.ndarray,
        coefficients: np.ndarray,
        witness: np.ndarray,
        wants: Wants,
    ) -> tuple[bool | None, np.ndarray | None]:
        rows = np.unique(self.by_column[:, near].indices)
        whole = self.by_row[rows]
        inner = whole[:, near].tocsr()
        inside = np.diff(inner.indptr) == self.row_size[rows]
        target = np.searchsorted(near, columns)
        relaxed = _range(
            self.make_model,
            inner[inside],
            self.low[rows][inside],
            self.high[rows][inside],
            target,
            coefficients,
        )
        if relaxed is not None and not wants(relaxed[0], relaxed[1]):
            return False, None
        outside = whole @ witness - inner @ witness[near]
        fixed = _range(
            self.make_model,
            inner,
            self.low[rows] - outside,
            self.high[rows] - outside,
            target,
            coefficients,
        )
        if fixed is not None and fixed[2] is not None and wants(fixed[0], fixed[1]):
            found = witness.copy()
            found[near] = fixed[2]
            return True, found
        return None, None


def _range(
    make_model: Callable[[], highspy.Highs],
    matrix: sparse.csr_matrix,
    low: np.ndarray,
    high: np.ndarray,
    target: np.ndarray,
    coefficients: np.ndarray,
) -> tuple[float, float, np.ndarray | None] | None:
    """min and max of the target over {x >= 0, low <= matrix x <= high}, and the point of the
    minimum; None when the solver cannot say (then the whole block decides)."""
    lp = highspy.HighsLp()
    lp.num_col_ = matrix.shape[1]
    lp.num_row_ = matrix.shape[0]
    cost = np.zeros(matrix.shape[1])
    np.add.at(cost, target, coefficients)
    lp.col_cost_ = cost
    lp.col_lower_ = np.zeros(matrix.shape[1])
    lp.col_upper_ = np.full(matrix.shape[1], np.inf)
    lp.row_lower_ = low
    lp.row_upper_ = high
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.num_col_ = matrix.shape[1]
    lp.a_matrix_.num_row_ = matrix.shape[0]
    lp.a_matrix_.start_ = matrix.indptr
    lp.a_matrix_.index_ = matrix.indices
    lp.a_matrix_.value_ = matrix.data
    model = make_model()
    model.passModel(lp)
    found: list[float] = []
    point = None
    for sense in (highspy.ObjSense.kMinimize, highspy.ObjSense.kMaximize):
        model.changeObjectiveSense(sense)
        model.run()
        status = model.getModelStatus()
        if status == highspy.HighsModelStatus.kOptimal:
            found.append(float(model.getInfo().objective_function_value))
            if point is None:
                point = np.asarray(model.getSolution().col_value)
        elif status == highspy.HighsModelStatus.kUnbounded:
            found.append(-np.inf if sense == highspy.ObjSense.kMinimize else np.inf)
        else:
            return None  # infeasible by a rounding of the fixed atoms, or a solver limit
    return found[0], found[1], point
