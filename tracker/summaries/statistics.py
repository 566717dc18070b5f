"""Outcome statistics over plain data: no database, no Flask.

Queries collect the numbers; these functions summarise them; tables.py and
suppression.py decide what an evaluator may see.

Method
------
Pre/post change (`paired_change`, `paired_change_counted`) looks at matched pairs: the
same participant answered before and after. For each pair the change is the answer after
minus the answer before.

The test is the Wilcoxon signed-rank test, two-sided, computed in this module (not by
scipy), so the p-value does not depend on which scipy version is installed. The changes
are ranked by size, smallest first; changes of the same size share their average rank
(mid-ranks). Participants whose answer did not change are ranked together with the others
(they get the lowest ranks) and then left out of the sums: this is Pratt's method. T+ is
the sum of the ranks of the rises. The question the test asks is: if a rise and a fall
were equally likely for every participant who changed, how often would T+ be at least as
far from its middle as the T+ we saw? The p-value is twice the smaller tail, at most 1.

The p-value is exact when at most EXACT_MAX_NONZERO (60) participants changed: it counts
every way of giving the changed participants' ranks a plus or a minus sign, using the
ranks actually observed, so shared ranks and unchanged participants are accounted for
exactly. With more changed participants it is a normal approximation: the mean and the
variance are those of the observed ranks (which corrects for shared ranks), with a
continuity correction of half the step between the values T+ can take (0.5 when no rank
is shared). `PairedChange.p_method` says which was used. No test is reported when fewer
than MIN_NONZERO_PAIRS (6) participants changed: with 5 or fewer even a change in the
same direction for all of them cannot reach p < 0.05.

The effect size is the rank-biserial correlation counting everyone: (T+ - T-) divided by
the sum of all ranks, n(n+1)/2, where unchanged participants hold ranks but add to
neither T+ nor T-. It runs from -1 (everyone fell) to +1 (everyone rose); when 6 of 40
rose by one point and 34 did not change it is 0.27, not 1.

The size of the change is the Hodges-Lehmann estimate, the median of the averages of every
two changes (the Walsh averages, including each change with itself and the unchanged
participants), with a 95% confidence interval read off the same signed-rank distribution
(exact for up to 60 participants, normal approximation beyond; see `hodges_lehmann`). It
assumes the changes are spread symmetrically around their centre. On a 1..5 scale the
Walsh averages are whole or half points, so the estimate and the bounds are too; when
most participants did not change, the estimate (and often the interval) is 0 even where
the test finds a change among those who did: the typical participant did not change.
The interval uses the ranks of all pairs as if untied, so in borderline cases it can
include 0 while p < 0.05, or exclude 0 while p >= 0.05.

When a summary tests many items at once, some will reach p < 0.05 by chance alone;
`holm` gives Holm-adjusted p-values, which keep the chance of any false finding among the
items tested at most 5% (HOLM_NOTE says so).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import reduce
from statistics import NormalDist

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]

# Below this many non-zero differences the Wilcoxon signed-rank test cannot reach p < 0.05
# (with 5 pairs all improving the exact two-sided p is 2/32 = 0.0625), so we report no test.
MIN_NONZERO_PAIRS = 6

# Up to this many non-zero differences the p-value is exact. The sign-flip counts are held
# in int64, exact up to 2**62 patterns; 60 keeps a margin, and the worst case (60 changed
# among 5,000 mostly unchanged pairs, mid-ranks near 5,000) takes about 15 ms.
EXACT_MAX_NONZERO = 60

# Zero differences: Pratt (1959). The unchanged pairs are information (theirs are the
# smallest changes), so they keep the lowest ranks and the changed pairs are ranked above
# them, as their size says; Wilcoxon's original rule would rank 6 changers among 40 pairs
# 1..6 as if nobody else had answered. Pratt's ranks are also the ones the effect size
# uses, so the test and the effect size count the same pairs.
ZERO_METHOD = "pratt"

CI_LEVEL = 0.95

# Differences are rounded to this many decimals (and held as whole multiples of 10**-9)
# before ranking: overall scores are means, and 11/3 - 7/3 and 4/3 can differ in the last
# bit, which would split a tie or turn "no change" into a change. Real differences between
# means of a few dozen answers are far coarser than 10**-9.
DIFFERENCE_DECIMALS = 9
_UNITS = 10**DIFFERENCE_DECIMALS

# The Hodges-Lehmann search writes out every pair of distinct differences when there are
# at most this many (likert items: 45); beyond, it narrows the search first.
WALSH_CELL_LIMIT = 250_000

Pair = tuple[float | None, float | None]
Counted = tuple[float, float, int]


def N_(message: str) -> str:
    """Mark an English message for translation; it is translated where it is shown."""
    return message


# Why no test was run: English message ids (%(n)d is filled from test_note_n), so that the
# tracker can show them in the interface language.
NOTE_NO_PAIRS = N_("no matched pairs")
NOTE_NO_CHANGE = N_("no test: every matched pair gave the same answer before and after")
NOTE_TOO_FEW_CHANGED = N_("no test: fewer than %(n)d matched pairs changed")

# How a p-value or a confidence interval was computed (PairedChange.p_method, ci_method).
METHOD_EXACT = N_("exact")
METHOD_NORMAL = N_("normal approximation")

# Notes a summary can print under a pre/post table. The 60 is EXACT_MAX_NONZERO (a test
# checks they agree); %(m)d is the number of items given a p-value. METHOD_NOTE is not a
# format string: "95%" stays before ")" because Babel reads "% c" as a printf conversion.
METHOD_NOTE = N_(
    "Wilcoxon signed-rank test, two-sided: participants whose answer did not change are "
    "ranked with the others and then left out of the test (Pratt's method), equal changes "
    "share their average rank, and p is exact when at most 60 participants changed "
    "(normal approximation with tie and continuity correction beyond). Effect size: "
    "rank-biserial correlation over all matched pairs, counting those that did not change; "
    "change: Hodges-Lehmann estimate with its confidence interval (95%)."
)
HOLM_NOTE = N_("p (Holm) adjusts for testing %(m)d items at once.")


@dataclass(frozen=True)
class PairedChange:
    """Pre/post change for one item (or an overall score) over matched pairs.

    mean_change, effect_size, hl_estimate, ci_low and ci_high follow the raw scale (after
    minus before). For an item where a lower score is better (higher_is_better False), a
    fall is an improvement and these are negative when participants improved;
    share_improved and share_worsened always count improvement and worsening.

    effect_size is the rank-biserial correlation counting unchanged pairs (Pratt ranks):
    r = (T+ - T-) / (n(n+1)/2) over all n matched pairs, where unchanged pairs hold ranks
    but add to neither T+ nor T-; see `rank_biserial_pratt`. p_value is the two-sided
    Wilcoxon signed-rank p-value (zeros by Pratt's method), p_method METHOD_EXACT or
    METHOD_NORMAL. hl_estimate is the Hodges-Lehmann estimate of the change, with a
    ci_level confidence interval [ci_low, ci_high] computed by ci_method; see
    `hodges_lehmann`. All of these are None when no test is reported (test_note says why).
    """

    n_pairs: int
    mean_before: float | None
    mean_after: float | None
    mean_change: float | None
    n_improved: int
    n_unchanged: int
    n_worsened: int
    share_improved: float | None
    p_value: float | None
    effect_size: float | None  # rank-biserial correlation counting unchanged pairs, -1..1
    higher_is_better: bool = True
    test_note: str | None = None  # why p_value / effect_size is None, in English
    test_note_id: str | None = None  # the same note as a message id, for translation
    test_note_n: int = 0
    share_unchanged: float | None = None  # n_unchanged / n_pairs
    share_worsened: float | None = None  # n_worsened / n_pairs
    p_method: str | None = None  # METHOD_EXACT or METHOD_NORMAL, a message id
    hl_estimate: float | None = None  # Hodges-Lehmann estimate of after minus before
    ci_low: float | None = None
    ci_high: float | None = None
    ci_level: float = CI_LEVEL
    ci_method: str | None = None  # METHOD_EXACT or METHOD_NORMAL, a message id

    def note_in(self, gettext: Callable[[str], str]) -> str | None:
        """The test note translated by `gettext` (the English note when it has no id)."""
        if self.test_note_id is None:
            return self.test_note
        return gettext(self.test_note_id) % {"n": self.test_note_n}


@dataclass(frozen=True)
class ShiftEstimate:
    """Hodges-Lehmann estimate of a change with its confidence interval (see
    `hodges_lehmann`); low and high are None when n is too small for the level."""

    estimate: float
    low: float | None
    high: float | None
    level: float
    method: str  # METHOD_EXACT or METHOD_NORMAL: how the interval's ranks were found


@dataclass(frozen=True)
class _Histogram:
    """Differences as sorted distinct values (in units of 10**-9) with their counts."""

    values: IntArray
    counts: IntArray

    @property
    def n(self) -> int:
        return int(self.counts.sum())


def _to_units(difference: float) -> int:
    if not math.isfinite(difference):
        raise ValueError(f"difference {difference} is not a finite number")
    return round(difference * _UNITS)


def _histogram(weighted: Iterable[tuple[int, int]]) -> _Histogram:
    """Histogram of (difference in units, count) items; zero counts are left out."""
    tally: dict[int, int] = {}
    for units, count in weighted:
        if count < 0:
            raise ValueError(f"a count cannot be negative: {count}")
        if count:
            tally[units] = tally.get(units, 0) + count
    keys = sorted(tally)
    return _Histogram(
        np.asarray(keys, dtype=np.int64), np.asarray([tally[k] for k in keys], dtype=np.int64)
    )


def _histogram_of(differences: Iterable[float]) -> _Histogram:
    return _histogram((_to_units(d), 1) for d in differences)


def _doubled_ranks(hist: _Histogram) -> IntArray:
    """Twice the mid-rank of |d| among all n differences (zeros included), per distinct d.

    A group of g equal sizes after s smaller ones holds ranks s+1..s+g, mid-rank
    s + (g+1)/2; doubled, 2s + g + 1 is a whole number, so sums stay exact.
    """
    sizes, group_of = np.unique(np.abs(hist.values), return_inverse=True)
    group = np.zeros(sizes.size, dtype=np.int64)
    np.add.at(group, group_of.ravel(), hist.counts)
    ends = np.cumsum(group)
    return (2 * ends - group + 1)[group_of.ravel()]


def _signed_rank_sums(hist: _Histogram) -> tuple[int, int, IntArray]:
    """Doubled T+ and T- (Pratt ranks), and the doubled ranks per distinct value."""
    ranks = _doubled_ranks(hist)
    positive = int((ranks * hist.counts)[hist.values > 0].sum())
    negative = int((ranks * hist.counts)[hist.values < 0].sum())
    return positive, negative, ranks


def _rank_biserial_of(hist: _Histogram) -> float | None:
    n = hist.n
    if n == 0:
        return None
    positive, negative, _ = _signed_rank_sums(hist)
    return (positive - negative) / (n * (n + 1))  # doubled sums over doubled n(n+1)/2


def rank_biserial(differences: Sequence[float]) -> float | None:
    """Matched-pairs rank-biserial correlation (Kerby 2014): (T+ - T-) / (T+ + T-).

    Zero differences are dropped, as in Wilcoxon's original rule; ties get average
    ranks. None when every difference is zero. Not the effect size `paired_change` reports
    (that is `rank_biserial_pratt`): dropping the unchanged pairs overstates the effect.
    """
    return _rank_biserial_of(_histogram_of(d for d in differences if _to_units(d) != 0))


def rank_biserial_pratt(differences: Iterable[float]) -> float | None:
    """Rank-biserial correlation counting unchanged pairs: r = (T+ - T-) / (n(n+1)/2).

    All n differences are ranked by size with mid-ranks, zeros included (Pratt); T+ and
    T- sum the ranks of the rises and of the falls, so zeros hold ranks but add to
    neither. r is +1 when everyone rose, -1 when everyone fell, and shrinks towards 0 as
    more pairs stay the same. None when there are no differences.
    """
    return _rank_biserial_of(_histogram_of(differences))


# ------------------------------------------------------------------ signed-rank test


def _lower_tail_counts(weights: Sequence[int], cap: int) -> IntArray:
    """counts[s] = how many of the 2**k sign patterns give sum(weights of pluses) == s, for
    s <= cap: a subset-sum convolution, one weight at a time (k <= 62 fits int64)."""
    counts = np.zeros(cap + 1, dtype=np.int64)
    counts[0] = 1
    reach = 0
    for weight in sorted(weights):
        reach = min(cap, reach + weight)
        if weight <= reach:
            # numpy reads the right-hand side before writing when the slices overlap.
            counts[weight : reach + 1] += counts[: reach + 1 - weight]
    return counts


def _exact_p(weights: Sequence[int], observed: int) -> float:
    """Two-sided p = min(1, 2 min(P(T <= t), P(T >= t))) by enumerating sign patterns. The
    null distribution is symmetric about total/2, so the smaller tail is P(T <= t_low)."""
    step = reduce(math.gcd, weights)
    scaled = [w // step for w in weights]
    low_side = min(observed // step, sum(scaled) - observed // step)
    tail = int(_lower_tail_counts(scaled, low_side).sum())
    return min(1.0, 2 * tail / 2 ** len(scaled))


def _normal_p(rank_counts: Sequence[tuple[int, int]], observed: int) -> float:
    """Normal approximation on (doubled rank, count) items: mean sum(R)/2, variance
    sum(R**2)/4 of the observed ranks (the tie correction), continuity correction of half
    the lattice step of T (the gcd of the ranks)."""
    mean = sum(r * c for r, c in rank_counts) / 2
    variance = sum(r * r * c for r, c in rank_counts) / 4
    half_step = reduce(math.gcd, (r for r, _ in rank_counts)) / 2
    z = max(0.0, abs(observed - mean) - half_step) / math.sqrt(variance)
    return min(1.0, math.erfc(z / math.sqrt(2)))


def _signed_rank_p(hist: _Histogram) -> tuple[float, str] | None:
    positive, _, ranks = _signed_rank_sums(hist)
    changed = hist.values != 0
    k = int(hist.counts[changed].sum())
    if k == 0:
        return None
    if k <= EXACT_MAX_NONZERO:
        weights = np.repeat(ranks[changed], hist.counts[changed]).tolist()
        return _exact_p(weights, positive), METHOD_EXACT
    items = [(int(r), int(c)) for r, c in zip(ranks[changed], hist.counts[changed], strict=True)]
    return _normal_p(items, positive), METHOD_NORMAL


def signed_rank_test(differences: Iterable[float]) -> tuple[float, str] | None:
    """Two-sided Wilcoxon signed-rank p-value and how it was computed (METHOD_EXACT or
    METHOD_NORMAL), zeros by Pratt's method; see the module's Method section. None when
    every difference is zero. Unlike `paired_change`, no minimum number of changes."""
    return _signed_rank_p(_histogram_of(differences))


# ------------------------------------------------------------------ Hodges-Lehmann


def _walsh_count(values: IntArray, counts: IntArray, bound: int) -> int:
    """How many Walsh sums d_i + d_j (i <= j, over the expanded differences) are <= bound."""
    rows = np.arange(values.size)
    prefix = np.concatenate(([0], np.cumsum(counts)))
    stop = np.searchsorted(values, bound - values, side="right")  # first j beyond the bound
    later = prefix[np.maximum(stop, rows + 1)] - prefix[rows + 1]
    own = np.where(stop > rows, counts * (counts + 1) // 2, 0)  # within one value: c(c+1)/2
    return int((counts * later).sum() + own.sum())


def _cells_between(values: IntArray, low: int, high: int) -> tuple[IntArray, IntArray]:
    """Per row i, the columns j >= i with low < values[i] + values[j] <= high: [first, stop)."""
    rows = np.arange(values.size)
    first = np.maximum(rows, np.searchsorted(values, low - values, side="right"))
    stop = np.maximum(first, np.searchsorted(values, high - values, side="right"))
    return first.astype(np.int64), stop.astype(np.int64)


def _select_in_cells(
    values: IntArray, counts: IntArray, first: IntArray, stop: IntArray, ranks: Sequence[int]
) -> list[int]:
    """The ranks-th smallest sums (1-based, weighted) among the cells [first, stop)."""
    widths = stop - first
    rows = np.repeat(np.arange(values.size), widths)
    starts = np.cumsum(widths) - widths
    cols = np.arange(int(widths.sum())) - np.repeat(starts - first, widths)
    sums = values[rows] + values[cols]
    same = counts[rows] * (counts[rows] + 1) // 2
    weights = np.where(rows == cols, same, counts[rows] * counts[cols])
    order = np.argsort(sums, kind="stable")
    at = np.searchsorted(np.cumsum(weights[order]), np.asarray(ranks), side="left")
    return [int(s) for s in sums[order][at]]


def _middle_sum(values: IntArray, first: IntArray, stop: IntArray) -> int:
    """A pivot: the median of the rows' middle cells, weighted by the rows' widths."""
    rows = np.flatnonzero(stop > first)
    widths = (stop - first)[rows]
    middles = values[rows] + values[(first[rows] + stop[rows] - 1) // 2]
    order = np.argsort(middles, kind="stable")
    cumulative = np.cumsum(widths[order])
    return int(middles[order][np.searchsorted(cumulative, (cumulative[-1] + 1) // 2)])


def _walsh_sum_by_narrowing(values: IntArray, counts: IntArray, rank: int, limit: int) -> int:
    """The rank-th smallest Walsh sum when there are too many cells to write out: narrow
    (low, high] around it by pivots until few cells are left. Sums are whole numbers, so
    testing pivot - 1 removes the pivot itself and every round makes progress."""
    low, high = 2 * int(values[0]) - 1, 2 * int(values[-1])
    while True:
        first, stop = _cells_between(values, low, high)
        if int((stop - first).sum()) <= limit:
            below = _walsh_count(values, counts, low)
            return _select_in_cells(values, counts, first, stop, [rank - below])[0]
        pivot = _middle_sum(values, first, stop)
        if _walsh_count(values, counts, pivot - 1) >= rank:
            high = pivot - 1
        elif _walsh_count(values, counts, pivot) >= rank:
            return pivot
        else:
            low = pivot


def _walsh_sums_at(
    hist: _Histogram, ranks: Sequence[int], *, cell_limit: int = WALSH_CELL_LIMIT
) -> list[int]:
    """The ranks-th smallest Walsh sums d_i + d_j (i <= j), 1-based, in units, from the
    histogram: a pair of distinct values (u, v), u < v, stands for c_u * c_v Walsh sums and
    a value with itself for c_u (c_u + 1) / 2, so the n**2 / 2 sums are never written."""
    values, counts = hist.values, hist.counts
    m = values.size
    if m * (m + 1) // 2 <= cell_limit:
        rows = np.arange(m, dtype=np.int64)
        return _select_in_cells(values, counts, rows, np.full(m, m, dtype=np.int64), ranks)
    return [_walsh_sum_by_narrowing(values, counts, r, cell_limit) for r in ranks]


def _ci_rank(n: int, level: float) -> tuple[int, str]:
    """C: the largest c with P(T <= c - 1) <= (1 - level) / 2, T the signed-rank statistic
    of n untied differences under the null (ranks 1..n, each sign equally likely)."""
    alpha_half = (1 - level) / 2
    if n <= EXACT_MAX_NONZERO:
        cumulative = np.cumsum(_lower_tail_counts(range(1, n + 1), n * (n + 1) // 4))
        return int(np.sum(cumulative / 2.0**n <= alpha_half)), METHOD_EXACT
    mean = n * (n + 1) / 4
    sd = math.sqrt(n * (n + 1) * (2 * n + 1) / 24)
    z = NormalDist().inv_cdf(1 - alpha_half)
    return math.floor(mean + 0.5 - z * sd), METHOD_NORMAL  # with continuity correction


def _shift_estimate(hist: _Histogram, level: float) -> ShiftEstimate:
    n = hist.n
    total = n * (n + 1) // 2  # Walsh averages
    c, method = _ci_rank(n, level)
    ranks = [(total + 1) // 2, total // 2 + 1]  # the median: one rank, or two to average
    if c >= 1:
        ranks += [c, total + 1 - c]
    sums = _walsh_sums_at(hist, ranks)
    estimate = (sums[0] + sums[1]) / (4 * _UNITS)  # mean of two sums, each twice an average
    if c < 1:
        return ShiftEstimate(estimate, None, None, level, method)
    return ShiftEstimate(estimate, sums[2] / (2 * _UNITS), sums[3] / (2 * _UNITS), level, method)


def hodges_lehmann(differences: Iterable[float], level: float = CI_LEVEL) -> ShiftEstimate | None:
    """Hodges-Lehmann estimate of the change with a confidence interval; None if empty.

    Let d_1..d_n be all the differences (unchanged pairs included) and W_(1) <= ... <=
    W_(N) the N = n(n+1)/2 Walsh averages (d_i + d_j) / 2, i <= j. The estimate is their
    median (the mean of the two middle ones when N is even). Let T be the Wilcoxon
    signed-rank statistic of n untied differences under the null hypothesis: the sum of
    the ranks 1..n given a plus sign, each sign independently with probability 1/2. C is
    the largest integer c with P(T <= c - 1) <= (1 - level) / 2: exact, from the same
    sign-pattern counts as the test, when n <= EXACT_MAX_NONZERO, otherwise
    C = floor(n(n+1)/4 + 1/2 - z sqrt(n(n+1)(2n+1)/24)) with z the normal quantile at
    1 - (1 - level) / 2. The interval is [W_(C), W_(N+1-C)] (Tukey); it has no bounds when
    C < 1 (for 95%: n <= 5). It assumes the differences are symmetric about their centre;
    with tied differences (likert answers) the closed interval is conservative
    (Noether 1967).
    """
    hist = _histogram_of(differences)
    return _shift_estimate(hist, level) if hist.n else None


# ------------------------------------------------------------------ multiplicity


def holm(p_values: Sequence[float | None]) -> list[float | None]:
    """Holm-Bonferroni step-down adjusted p-values, in the order given.

    With the m p-values that are not None sorted p_(1) <= ... <= p_(m), the adjusted value
    of p_(i) is min(1, max over j <= i of (m - j + 1) p_(j)): the same as statsmodels'
    multipletests(method="holm"). None passes through and is not counted in m. Rejecting
    where the adjusted p < alpha keeps the chance of any false rejection at most alpha.
    """
    present = [(p, i) for i, p in enumerate(p_values) if p is not None]
    for p, _ in present:
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"{p} is not a p-value")
    adjusted: list[float | None] = [None] * len(p_values)
    m = len(present)
    running = 0.0
    for step, (p, i) in enumerate(sorted(present, key=lambda item: item[0])):
        running = max(running, min(1.0, (m - step) * p))  # the max keeps the order monotone
        adjusted[i] = running
    return adjusted


# ------------------------------------------------------------------ pre/post change


@dataclass(frozen=True)
class _Tested:
    """The figures reported only when a test is: None otherwise."""

    p_value: float | None = None
    p_method: str | None = None
    effect_size: float | None = None
    hl_estimate: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    ci_method: str | None = None


def _test(hist: _Histogram) -> _Tested:
    tested = _signed_rank_p(hist)
    if tested is None:
        return _Tested()
    shift = _shift_estimate(hist, CI_LEVEL)
    return _Tested(
        p_value=tested[0],
        p_method=tested[1],
        effect_size=_rank_biserial_of(hist),
        hl_estimate=shift.estimate,
        ci_low=shift.low,
        ci_high=shift.high,
        ci_method=shift.method,
    )


def _changed(hist: _Histogram, higher_is_better: bool) -> tuple[int, int]:
    """How many improved and how many worsened, by the item's direction."""
    direction = 1 if higher_is_better else -1
    improved = int(hist.counts[hist.values * direction > 0].sum())
    return improved, int(hist.counts[hist.values * direction < 0].sum())


def _tally(counted: Iterable[Counted]) -> dict[tuple[float, float], int]:
    """Merge the triples by (before, after), so that any grouping of the same pairs gives
    the same sums below (fsum is exact, so the order of the terms does not matter)."""
    tally: dict[tuple[float, float], int] = {}
    for before, after, count in counted:
        if count < 0 or count != int(count):
            raise ValueError(f"a count must be a whole number, not negative: {count}")
        if count:
            key = (float(before), float(after))
            tally[key] = tally.get(key, 0) + int(count)
    return tally


def _means(tally: Mapping[tuple[float, float], int], n: int) -> tuple[float, float, float]:
    """Means before and after and the mean change, from weighted sums."""
    before = math.fsum(b * c for (b, _), c in tally.items())
    after = math.fsum(a * c for (_, a), c in tally.items())
    change = math.fsum((a - b) * c for (b, a), c in tally.items())
    return before / n, after / n, change / n


def _no_test_note(changed: int, min_nonzero: int) -> str | None:
    if changed == 0:
        return NOTE_NO_CHANGE
    if changed < min_nonzero:
        # No count in the note: "3 changed" would be a small count shown beside a shown n.
        return NOTE_TOO_FEW_CHANGED
    return None


def _no_pairs(higher_is_better: bool) -> PairedChange:
    return PairedChange(
        n_pairs=0,
        mean_before=None,
        mean_after=None,
        mean_change=None,
        n_improved=0,
        n_unchanged=0,
        n_worsened=0,
        share_improved=None,
        p_value=None,
        effect_size=None,
        higher_is_better=higher_is_better,
        test_note=NOTE_NO_PAIRS,
        test_note_id=NOTE_NO_PAIRS,
    )


def paired_change_counted(
    counted: Iterable[Counted],
    *,
    higher_is_better: bool = True,
    min_nonzero: int = MIN_NONZERO_PAIRS,
) -> PairedChange:
    """Summarise matched pairs given as (before, after, how many participants) triples.

    The same result as `paired_change` on the pairs written out one per participant, but
    the pairs are never written out: everything works from the histogram of differences.
    """
    tally = _tally(counted)
    n = sum(tally.values())
    if n == 0:
        return _no_pairs(higher_is_better)
    hist = _histogram((_to_units(a - b), c) for (b, a), c in tally.items())
    improved, worsened = _changed(hist, higher_is_better)
    note = _no_test_note(improved + worsened, min_nonzero)
    tested = _Tested() if note else _test(hist)
    mean_before, mean_after, mean_change = _means(tally, n)
    return PairedChange(
        n_pairs=n,
        mean_before=mean_before,
        mean_after=mean_after,
        mean_change=mean_change,
        n_improved=improved,
        n_unchanged=n - improved - worsened,
        n_worsened=worsened,
        share_improved=improved / n,
        p_value=tested.p_value,
        effect_size=tested.effect_size,
        higher_is_better=higher_is_better,
        test_note=None if note is None else note % {"n": min_nonzero},
        test_note_id=note,
        test_note_n=min_nonzero,
        share_unchanged=(n - improved - worsened) / n,
        share_worsened=worsened / n,
        p_method=tested.p_method,
        hl_estimate=tested.hl_estimate,
        ci_low=tested.ci_low,
        ci_high=tested.ci_high,
        ci_method=tested.ci_method,
    )


def complete_pairs(pairs: Iterable[Pair]) -> list[tuple[float, float]]:
    """Keep pairs with both a before and an after answer (a matched pair)."""
    return [(float(b), float(a)) for b, a in pairs if b is not None and a is not None]


def paired_change(
    pairs: Iterable[Pair],
    *,
    higher_is_better: bool = True,
    min_nonzero: int = MIN_NONZERO_PAIRS,
) -> PairedChange:
    """Summarise matched before/after answers; pairs with a missing side are left out.
    See the module's Method section and `PairedChange` for what is computed."""
    return paired_change_counted(
        ((b, a, 1) for b, a in complete_pairs(pairs)),
        higher_is_better=higher_is_better,
        min_nonzero=min_nonzero,
    )


# ------------------------------------------------------------------ other summaries


def reverse_score(value: float, scale_min: float, scale_max: float) -> float:
    """Recode a reverse-scored answer so that higher is better (1..5 -> 5..1)."""
    return scale_min + scale_max - value


def scale_score(
    answers: Mapping[str, float | None],
    *,
    reverse_items: Iterable[str] = (),
    scale_min: float,
    scale_max: float,
    min_answered: int = 1,
) -> float | None:
    """One participant's overall score: the mean of answered items, reverse-scored items
    recoded so that higher is always better. None if fewer than min_answered answers."""
    reverse = set(reverse_items)
    values = [
        reverse_score(v, scale_min, scale_max) if key in reverse else v
        for key, v in answers.items()
        if v is not None
    ]
    if len(values) < max(min_answered, 1):
        return None
    return math.fsum(values) / len(values)


@dataclass(frozen=True)
class YesShare:
    """A yes/no item: how many answered, how many said yes, the share saying yes."""

    n_answered: int
    n_yes: int
    share: float | None

    @property
    def n_no(self) -> int:
        return self.n_answered - self.n_yes


def share_yes(answers: Iterable[bool | None]) -> YesShare:
    """Yes/no answers as a share; unanswered (None) items are left out of the base."""
    answered = [a for a in answers if a is not None]
    yes = sum(1 for a in answered if a)
    return YesShare(len(answered), yes, yes / len(answered) if answered else None)


def rank_tally(counts: Mapping[str, int]) -> list[tuple[str, int]]:
    """Options ranked by count, largest first; ties keep the mapping's order (the order
    of the options on the form), since Python's sort is stable."""
    return sorted(counts.items(), key=lambda item: -item[1])


def attendance_rate(attended: int, possible: int) -> float | None:
    """Attended / possible (for a session: present / enrolled; for a participant:
    sessions attended / sessions held). None when nothing was possible."""
    if possible < 0 or attended < 0 or attended > possible:
        raise ValueError(f"attendance {attended} of {possible} is not possible")
    return attended / possible if possible else None


@dataclass(frozen=True)
class Completion:
    n_participants: int
    n_completed: int
    share: float | None


def completion_share(
    per_participant_attended: Mapping[str, int] | Sequence[int],
    sessions_held: int,
    threshold_share: float = 0.75,
) -> Completion:
    """Participants who attended at least threshold_share of the sessions held."""
    if not 0 < threshold_share <= 1:
        raise ValueError("threshold_share must be in (0, 1]")
    attended = list(
        per_participant_attended.values()
        if isinstance(per_participant_attended, Mapping)
        else per_participant_attended
    )
    n = len(attended)
    if sessions_held <= 0 or n == 0:
        return Completion(n, 0, None)
    # Compare whole numbers to avoid 0.75 * 12 rounding surprises: ceil of the share.
    needed = math.ceil(threshold_share * sessions_held - 1e-9)
    completed = sum(1 for a in attended if a >= needed)
    return Completion(n, completed, completed / n)


def spoke_means(
    ratings: Iterable[Mapping[str, float | None]], spokes: Sequence[str]
) -> list[float | None]:
    """Mean rating per spoke of the wheel of empowerment (one mapping per participant);
    None for a spoke nobody rated."""
    sums = dict.fromkeys(spokes, 0.0)
    counts = dict.fromkeys(spokes, 0)
    for rating in ratings:
        for spoke in spokes:
            value = rating.get(spoke)
            if value is not None:
                sums[spoke] += value
                counts[spoke] += 1
    return [sums[s] / counts[s] if counts[s] else None for s in spokes]
