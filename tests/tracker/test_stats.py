"""Outcome statistics: checked against brute force, scipy/numpy and hand-worked examples."""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable, Sequence
from statistics import NormalDist

import numpy as np
import pytest
from babel.messages.catalog import PYTHON_FORMAT
from scipy import stats as scipy_stats

from tracker.summaries.statistics import (
    EXACT_MAX_NONZERO,
    HOLM_NOTE,
    METHOD_EXACT,
    METHOD_NORMAL,
    METHOD_NOTE,
    MIN_NONZERO_PAIRS,
    _histogram_of,
    _walsh_sums_at,
    attendance_rate,
    complete_pairs,
    completion_share,
    hodges_lehmann,
    holm,
    paired_change,
    paired_change_counted,
    rank_biserial,
    rank_biserial_pratt,
    rank_tally,
    reverse_score,
    scale_score,
    share_yes,
    signed_rank_test,
    spoke_means,
)


def test_rank_biserial_matches_hand_worked_example() -> None:
    # Differences 2, -1, 3, 0, 4, -2: the zero is dropped; |d| = 2, 1, 3, 4, 2 get ranks
    # 2.5, 1, 4, 5, 2.5 (the two 2s share ranks 2 and 3). T+ = 2.5 + 4 + 5 = 11.5,
    # T- = 1 + 2.5 = 3.5, T+ + T- = 15 = 5 * 6 / 2, so r = (11.5 - 3.5) / 15 = 8 / 15.
    assert rank_biserial([2, -1, 3, 0, 4, -2]) == pytest.approx(8 / 15)


def test_rank_biserial_extremes_and_all_zero() -> None:
    assert rank_biserial([1, 2, 3]) == pytest.approx(1.0)
    assert rank_biserial([-1, -2, -3]) == pytest.approx(-1.0)
    assert rank_biserial([0, 0]) is None


# ------------------------------------------------------------------ references
# Independent of the module: scipy's mid-ranks, dictionaries and brute force.


def pratt_ranks(differences: Sequence[float]) -> np.ndarray:
    """Mid-ranks of |d| among all differences, zeros included (Pratt)."""
    return np.asarray(scipy_stats.rankdata(np.abs(np.asarray(differences, dtype=float))))


def brute_force_p(differences: Sequence[float]) -> float:
    """Two-sided p over all 2**k sign patterns of the k non-zero differences."""
    d = np.asarray(differences, dtype=float)
    ranks = pratt_ranks(differences)[d != 0]
    k = ranks.size
    signs = (np.arange(2**k)[:, None] >> np.arange(k)) & 1  # one row per sign pattern
    sums = signs @ ranks  # ranks are halves, so these sums are exact
    observed = float(pratt_ranks(differences)[d > 0].sum())
    lower = np.count_nonzero(sums <= observed) / 2**k
    upper = np.count_nonzero(sums >= observed) / 2**k
    return min(1.0, 2 * min(lower, upper))


def convolution_p(differences: Sequence[float]) -> float:
    """The same p-value, by convolving the sign distributions in a dictionary."""
    d = np.asarray(differences, dtype=float)
    ranks = pratt_ranks(differences)
    sums: dict[float, int] = {0.0: 1}
    for rank in ranks[d != 0]:
        grown = dict(sums)
        for total, count in sums.items():
            grown[total + rank] = grown.get(total + rank, 0) + count
        sums = grown
    observed = float(ranks[d > 0].sum())
    patterns = sum(sums.values())
    lower = sum(c for t, c in sums.items() if t <= observed) / patterns
    upper = sum(c for t, c in sums.items() if t >= observed) / patterns
    return min(1.0, 2 * min(lower, upper))


def null_lower_tail(n: int) -> dict[int, int]:
    """Sign patterns of the ranks 1..n by sum of the plus ranks (untied null)."""
    sums = {0: 1}
    for rank in range(1, n + 1):
        grown = dict(sums)
        for total, count in sums.items():
            grown[total + rank] = grown.get(total + rank, 0) + count
        sums = grown
    return sums


def brute_force_shift(differences: Sequence[float]) -> tuple[float, float | None, float | None]:
    """Hodges-Lehmann estimate and 95% interval, writing out every Walsh average."""
    d = np.asarray(differences, dtype=float)
    n = d.size
    upper = np.triu_indices(n)  # i <= j, each difference with itself included
    walsh = np.sort((d[upper[0]] + d[upper[1]]) / 2)
    if n <= 60:
        null = null_lower_tail(n)
        # C = the largest c with P(T <= c - 1) <= 0.025.
        c = 0
        while sum(v for t, v in null.items() if t <= c) / 2**n <= 0.025:
            c += 1
    else:
        mean, sd = n * (n + 1) / 4, math.sqrt(n * (n + 1) * (2 * n + 1) / 24)
        c = math.floor(mean + 0.5 - NormalDist().inv_cdf(0.975) * sd)
    estimate = float(np.median(walsh))
    if c < 1:
        return estimate, None, None
    return estimate, float(walsh[c - 1]), float(walsh[walsh.size - c])


def random_differences(rng: random.Random, n: int, *, fractional: bool) -> list[float]:
    """Likert-like differences with zeros and ties, or differences of means of thirds."""
    if fractional:
        return [rng.randint(-12, 12) / 3 - rng.randint(-1, 1) / 7 for _ in range(n)]
    return [float(rng.choice([-3, -2, -1, 0, 0, 0, 1, 1, 2, 3, 4])) for _ in range(n)]


def best_time(call: Callable[[], object], repeat: int = 5) -> float:
    """The fastest of a few runs, in seconds, so a busy machine does not fail the test."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return min(times)


# ------------------------------------------------------------------ paired change


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_paired_change_agrees_with_numpy_and_a_reference_test(seed: int) -> None:
    rng = random.Random(seed)
    before = [rng.randint(1, 5) for _ in range(40)]
    after = [min(5, max(1, b + rng.choice([-1, 0, 0, 1, 1, 2]))) for b in before]
    change = paired_change(zip(before, after, strict=True))
    differences = np.asarray(after, dtype=float) - np.asarray(before, dtype=float)

    assert change.n_pairs == 40
    assert change.mean_before == pytest.approx(np.mean(before))
    assert change.mean_after == pytest.approx(np.mean(after))
    assert change.mean_change == pytest.approx(differences.mean())
    assert change.p_value == pytest.approx(convolution_p(differences.tolist()), abs=1e-12)
    assert change.p_method == "exact"
    # Rank-biserial over all 40 pairs: (T+ - T-) / (40 * 41 / 2), zeros ranked but in
    # neither sum.
    ranks = pratt_ranks(differences.tolist())
    signed = float(ranks[differences > 0].sum() - ranks[differences < 0].sum())
    assert change.effect_size == pytest.approx(signed / 820)
    assert change.n_improved == int(np.sum(differences > 0))
    assert change.n_worsened == int(np.sum(differences < 0))
    assert change.n_unchanged == int(np.sum(differences == 0))
    assert change.share_improved == pytest.approx(change.n_improved / 40)
    assert change.share_worsened == pytest.approx(change.n_worsened / 40)
    assert change.share_unchanged == pytest.approx(change.n_unchanged / 40)
    estimate, low, high = brute_force_shift(differences.tolist())
    assert (change.hl_estimate, change.ci_low, change.ci_high) == (estimate, low, high)
    assert change.ci_level == 0.95 and change.ci_method == "exact"


def test_zero_differences_are_ranked_then_left_out_of_the_test() -> None:
    pairs = [(3, 3), (3, 3), (2, 4), (1, 3), (2, 3), (4, 5), (3, 5), (1, 2), (4, 3)]
    change = paired_change(pairs)
    differences = [float(a - b) for b, a in pairs]
    assert change.n_pairs == 9
    assert change.n_unchanged == 2
    assert change.mean_change == pytest.approx(np.mean(differences))
    # Pratt: |d| = 0, 0, 2, 2, 1, 1, 2, 1, 1 ranks the zeros 1.5, the ones 4.5 and the
    # twos 8; the fall (-1) has rank 4.5, so T+ = 3 * 8 + 3 * 4.5 = 37.5, T- = 4.5 and the
    # effect size is (37.5 - 4.5) / 45 = 11/15.
    assert change.effect_size == pytest.approx(11 / 15)
    assert change.p_value == pytest.approx(brute_force_p(differences), abs=1e-12)
    # Of the 2**7 sign patterns of 4.5 (x4) and 8 (x3), T+ >= 37.5 only when at most one
    # 4.5 is negative: 5 patterns, so p = 2 * 5 / 128.
    assert change.p_value == pytest.approx(10 / 128)


def test_too_few_changed_pairs_gives_no_test_with_a_reason() -> None:
    pairs = [(1, 2)] * (MIN_NONZERO_PAIRS - 1) + [(3, 3)] * 10
    change = paired_change(pairs)
    assert change.p_value is None and change.effect_size is None
    assert change.test_note is not None and "fewer than" in change.test_note
    assert change.mean_change == pytest.approx(5 / 15)  # descriptive figures are still given
    enough = paired_change([(1, 2)] * MIN_NONZERO_PAIRS)
    assert enough.p_value is not None and enough.test_note is None


def test_all_unchanged_and_no_pairs() -> None:
    same = paired_change([(2, 2)] * 8)
    assert same.p_value is None and same.test_note is not None
    assert "same answer" in same.test_note
    assert same.share_improved == 0.0
    empty = paired_change([])
    assert empty.n_pairs == 0 and empty.mean_before is None and empty.share_improved is None
    assert empty.test_note == "no matched pairs"


def test_pairs_missing_a_side_are_not_matched() -> None:
    pairs = [(1, 2), (None, 3), (2, None), (None, None), (4, 4)]
    assert complete_pairs(pairs) == [(1.0, 2.0), (4.0, 4.0)]
    assert paired_change(pairs).n_pairs == 2


def test_scale_score_recodes_reverse_items() -> None:
    assert reverse_score(1, 1, 5) == 5 and reverse_score(4, 1, 5) == 2
    answers = {"confident": 4.0, "ashamed": 2.0, "speak_up": None}
    assert scale_score(answers, reverse_items={"ashamed"}, scale_min=1, scale_max=5) == 4.0
    assert scale_score(answers, scale_min=1, scale_max=5, min_answered=3) is None


def test_share_yes_leaves_unanswered_out() -> None:
    share = share_yes([True, True, False, None, True])
    assert (share.n_answered, share.n_yes, share.n_no) == (4, 3, 1)
    assert share.share == pytest.approx(0.75)
    assert share_yes([None]).share is None


def test_rank_tally_orders_by_count_and_keeps_form_order_on_ties() -> None:
    counts = {"Inner peace": 1, "Resilience": 2, "Capacity to protest": 2, "Communication": 5}
    assert rank_tally(counts) == [
        ("Communication", 5),
        ("Resilience", 2),
        ("Capacity to protest", 2),
        ("Inner peace", 1),
    ]


def test_attendance_rate() -> None:
    assert attendance_rate(9, 12) == pytest.approx(0.75)
    assert attendance_rate(0, 0) is None
    with pytest.raises(ValueError):
        attendance_rate(13, 12)


def test_completion_share_uses_whole_sessions() -> None:
    # 75% of 12 sessions is 9; 75% of 10 is 7.5, so 8 are needed.
    done = completion_share({"P01": 9, "P02": 8, "P03": 12, "P04": 0}, 12, 0.75)
    assert (done.n_participants, done.n_completed) == (4, 2)
    assert done.share == pytest.approx(0.5)
    assert completion_share([7, 8], 10, 0.75).n_completed == 1
    assert completion_share([], 10).share is None
    with pytest.raises(ValueError):
        completion_share([1], 10, 1.5)


def test_spoke_means_skip_missing_ratings() -> None:
    ratings: list[dict[str, float | None]] = [
        {"body": 2.0, "voice": 4.0},
        {"body": 4.0, "voice": None},
        {"body": 3.0},
    ]
    assert spoke_means(ratings, ["body", "voice", "money"]) == [3.0, 4.0, None]


# ------------------------------------------------------------------ signed-rank test


def test_exact_p_matches_brute_force_with_ties_and_zeros() -> None:
    rng = random.Random(20240601)
    for _ in range(250):
        k = rng.randint(1, 12)  # non-zero differences
        zeros = rng.randint(0, 8)
        changed = [
            rng.choice([-3, -2, -1, 1, 1, 2, 2, 3]) * rng.choice([1, 1, 0.5]) for _ in range(k)
        ]
        differences = changed + [0.0] * zeros
        rng.shuffle(differences)
        tested = signed_rank_test(differences)
        assert tested is not None and tested[1] == "exact"
        assert tested[0] == pytest.approx(brute_force_p(differences), rel=1e-12, abs=1e-12)


def test_exact_p_matches_scipy_exact_without_ties_or_zeros() -> None:
    rng = random.Random(7)
    for _ in range(150):
        n = rng.randint(1, 40)
        sizes = rng.sample(range(1, 500), n)  # distinct: no ties, no zeros
        differences = [s / 100 * rng.choice([-1, 1]) for s in sizes]
        tested = signed_rank_test(differences)
        reference = scipy_stats.wilcoxon(differences, method="exact")
        assert tested is not None and tested[1] == "exact"
        assert tested[0] == pytest.approx(float(reference.pvalue), rel=1e-12, abs=1e-12)


def test_exact_p_up_to_the_limit_then_normal() -> None:
    changed = [1.0 + i % 7 for i in range(EXACT_MAX_NONZERO)]
    assert signed_rank_test(changed) == (pytest.approx(2 / 2**EXACT_MAX_NONZERO), "exact")
    more = signed_rank_test([*changed, 9.0])
    assert more is not None and more[1] == "normal approximation"
    assert signed_rank_test([0.0, 0.0]) is None


def test_normal_branch_matches_hand_computed_value_without_ties() -> None:
    # 61 differences of sizes 1..61, the 39 smallest negative: T- = 39 * 40 / 2 = 780,
    # T+ = 1891 - 780 = 1111. Mean 1891 / 2 = 945.5, variance 61 * 62 * 123 / 24 =
    # 19382.75, continuity correction 0.5: z = (165.5 - 0.5) / sqrt(19382.75).
    differences = [float(-s) for s in range(1, 40)] + [float(s) for s in range(40, 62)]
    z = 165 / math.sqrt(19382.75)
    expected = 2 * (1 - NormalDist().cdf(z))
    assert expected == pytest.approx(0.235955, abs=1e-6)
    assert signed_rank_test(differences) == (
        pytest.approx(expected, rel=1e-12),
        "normal approximation",
    )
    # scipy's approximation agrees where there are no ties or zeros.
    reference = scipy_stats.wilcoxon(differences, method="approx", correction=True)
    assert expected == pytest.approx(float(reference.pvalue), rel=1e-9)


def test_normal_branch_matches_hand_computed_value_with_ties_and_zeros() -> None:
    # 30 zeros, 30 of +1, 25 of -1, 5 of +2, 5 of -2 (k = 65 changed). Pratt mid-ranks:
    # the zeros hold 1..30, the 55 ones 31..85 (mid-rank 58), the 10 twos 86..95 (90.5).
    # T+ = 30 * 58 + 5 * 90.5 = 2192.5; mean (55 * 58 + 10 * 90.5) / 2 = 2047.5; variance
    # (55 * 58**2 + 10 * 90.5**2) / 4 = 66730.625. T+ moves in steps of gcd(58, 90.5) = 0.5,
    # so the continuity correction is 0.25: z = (145 - 0.25) / sqrt(66730.625).
    differences = [0.0] * 30 + [1.0] * 30 + [-1.0] * 25 + [2.0] * 5 + [-2.0] * 5
    z = 144.75 / math.sqrt(66730.625)
    expected = math.erfc(z / math.sqrt(2))
    assert expected == pytest.approx(0.575244, abs=1e-6)
    assert signed_rank_test(differences) == (
        pytest.approx(expected, rel=1e-12),
        "normal approximation",
    )


def test_exact_p_is_fast_in_the_worst_case() -> None:
    # 60 changes among 5,000 pairs: mid-ranks near 5,000 and a statistic near its middle
    # make the longest count. Groups of 18, 16, 13 and 13 equal sizes give doubled
    # mid-ranks 9899, 9933, 9962 and 9988, which share no factor to divide the sums by.
    pairs = [(3.0, 3.0, 4940), (2.0, 3.0, 9), (3.0, 2.0, 9), (1.0, 3.0, 8), (3.0, 1.0, 8)]
    pairs += [(1.0, 4.0, 7), (4.0, 1.0, 6), (1.0, 5.0, 7), (5.0, 1.0, 6)]
    change = paired_change_counted(pairs)
    assert change.p_value is not None and change.p_value > 0.5
    assert change.n_improved + change.n_worsened == EXACT_MAX_NONZERO
    assert change.p_method == "exact"
    assert best_time(lambda: paired_change_counted(pairs)) < 0.05


# ------------------------------------------------------------------ effect size


def test_effect_size_counts_the_pairs_that_did_not_change() -> None:
    few = paired_change([(2, 3)] * 6 + [(3, 3)] * 34)
    # The zeros hold ranks 1..34, the six rises 35..40 (mid-rank 37.5): T+ = 225 of 820.
    assert few.effect_size == pytest.approx(225 / 820)
    assert few.effect_size is not None and few.effect_size < 0.5
    # The old measure dropped the 34 unchanged pairs and reported +1.
    assert rank_biserial([1.0] * 6 + [0.0] * 34) == pytest.approx(1.0)
    everyone = paired_change([(2, 3)] * 40)
    assert everyone.effect_size == pytest.approx(1.0)
    assert paired_change([(3, 2)] * 40).effect_size == pytest.approx(-1.0)


def test_rank_biserial_pratt_hand_worked_example() -> None:
    # |d| = 2, 1, 3, 0, 4, 2 get ranks 3.5, 2, 5, 1, 6, 3.5 (the zero ranks first).
    # T+ = 3.5 + 5 + 6 = 14.5, T- = 2 + 3.5 = 5.5, so r = 9 / 21.
    assert rank_biserial_pratt([2, -1, 3, 0, 4, -2]) == pytest.approx(9 / 21)
    assert rank_biserial_pratt([0, 0]) == 0.0
    assert rank_biserial_pratt([]) is None


def test_float_noise_neither_changes_nor_splits_ties() -> None:
    # 0.1 + 0.2 - 0.3 is 5.6e-17, and 11/3 - 7/3 and 5/3 - 1/3 differ in the last bit.
    assert paired_change([(0.3, 0.1 + 0.2)] * 8).n_unchanged == 8
    assert rank_biserial_pratt([11 / 3 - 7 / 3, 5 / 3 - 1 / 3]) == pytest.approx(1.0)
    assert signed_rank_test([11 / 3 - 7 / 3, -(5 / 3 - 1 / 3)]) == (pytest.approx(1.0), "exact")


# ------------------------------------------------------------------ Hodges-Lehmann


def test_hodges_lehmann_matches_brute_force_on_small_data() -> None:
    rng = random.Random(11)
    for case in range(120):
        n = rng.randint(1, 14) if case < 80 else rng.randint(15, 90)
        differences = random_differences(rng, n, fractional=case % 2 == 1)
        shift = hodges_lehmann(differences)
        assert shift is not None
        expected = brute_force_shift(differences)
        assert shift.estimate == pytest.approx(expected[0], abs=1e-8)
        assert (shift.low is None) == (expected[1] is None)
        if expected[1] is not None:
            assert (shift.low, shift.high) == (
                pytest.approx(expected[1], abs=1e-8),
                pytest.approx(expected[2], abs=1e-8),
            )
        assert shift.method == ("exact" if n <= EXACT_MAX_NONZERO else "normal approximation")
    assert hodges_lehmann([]) is None


def test_hodges_lehmann_ranks_match_published_critical_values() -> None:
    # Two-sided 5% critical values of the signed-rank statistic (reject when T <= t):
    # n = 10: 8, n = 20: 52, n = 30: 137; so C = t + 1. With n = 6, C = 1 (1/64 <= 0.025),
    # the interval runs from the smallest to the largest difference.
    for n, critical in ((10, 8), (20, 52), (30, 137)):
        null = null_lower_tail(n)
        assert sum(v for t, v in null.items() if t <= critical) / 2**n <= 0.025
        assert sum(v for t, v in null.items() if t <= critical + 1) / 2**n > 0.025
    shift = hodges_lehmann([1.0, 2.0, 3.0, 4.0, 5.0, 6.0])
    assert shift is not None and (shift.low, shift.high, shift.estimate) == (1.0, 6.0, 3.5)
    five = hodges_lehmann([1.0, 2.0, 3.0, 4.0, 5.0])
    assert five is not None and five.low is None and five.high is None


def test_walsh_search_by_narrowing_matches_writing_every_pair_out() -> None:
    rng = random.Random(5)
    for _ in range(20):
        differences = [rng.randint(-4000, 4000) / 997 for _ in range(rng.randint(30, 300))]
        hist = _histogram_of(differences)
        total = hist.n * (hist.n + 1) // 2
        ranks = sorted({1, total, *(rng.randint(1, total) for _ in range(5))})
        slow = _walsh_sums_at(hist, ranks)
        assert _walsh_sums_at(hist, ranks, cell_limit=50) == slow
        units = [round(d * 10**9) for d in differences]
        walsh = sorted(units[i] + units[j] for i in range(len(units)) for j in range(i, len(units)))
        assert slow == [walsh[r - 1] for r in ranks]


def test_hodges_lehmann_is_fast_on_5000_pairs() -> None:
    rng = random.Random(3)
    likert = [(rng.randint(1, 5), rng.randint(1, 5), rng.randint(1, 60)) for _ in range(200)]
    assert best_time(lambda: paired_change_counted(likert)) < 0.02
    # Overall scores: nearly every difference distinct, so the search narrows first.
    scores = [rng.randint(0, 400) / 97 - rng.randint(0, 400) / 89 for _ in range(5000)]
    assert best_time(lambda: hodges_lehmann(scores), repeat=2) < 1.0
    shift = hodges_lehmann(scores)
    assert shift is not None and shift.low is not None and shift.high is not None
    assert shift.low <= shift.estimate <= shift.high


def test_reported_interval_and_estimate_follow_the_raw_scale() -> None:
    pairs = [(5, 2), (4, 2), (5, 3), (4, 4), (3, 1), (5, 4), (4, 2), (2, 3)]
    change = paired_change(pairs, higher_is_better=False)
    expected = brute_force_shift([float(a - b) for b, a in pairs])
    assert (change.hl_estimate, change.ci_low, change.ci_high) == expected
    assert change.hl_estimate is not None and change.hl_estimate < 0


# ------------------------------------------------------------------ multiplicity


def test_holm_hand_worked_example() -> None:
    # m = 4 (None is not counted). Sorted: 0.005 * 4 = 0.02, 0.01 * 3 = 0.03,
    # 0.03 * 2 = 0.06, 0.04 * 1 = 0.04 -> 0.06 (never below the step before).
    adjusted = holm([0.01, None, 0.04, 0.03, 0.005])
    assert adjusted == [
        pytest.approx(0.03),
        None,
        pytest.approx(0.06),
        pytest.approx(0.06),
        pytest.approx(0.02),
    ]
    assert holm([0.6, 0.5]) == [1.0, 1.0]  # 2 * 0.5 capped at 1
    assert holm([]) == [] and holm([None]) == [None]
    with pytest.raises(ValueError):
        holm([1.5])


def test_holm_matches_the_statsmodels_definition() -> None:
    # statsmodels.stats.multitest.multipletests(method="holm"): with p sorted ascending,
    # np.maximum.accumulate((m - np.arange(m)) * p_sorted), then values above 1 set to 1.
    rng = random.Random(13)
    for _ in range(100):
        p_values: list[float | None] = [
            None if rng.random() < 0.2 else rng.random() ** 3 for _ in range(rng.randint(1, 15))
        ]
        present = np.asarray([p for p in p_values if p is not None])
        order = np.argsort(present, kind="stable")
        m = present.size
        corrected = np.maximum.accumulate((m - np.arange(m)) * present[order])
        corrected[corrected > 1] = 1
        expected = np.empty(m)
        expected[order] = corrected
        got = [p for p in holm(p_values) if p is not None]
        assert got == pytest.approx(expected.tolist(), rel=1e-12)
        assert all(a >= p for a, p in zip(got, present, strict=True))


def test_notes_are_plain_english_message_ids() -> None:
    assert str(EXACT_MAX_NONZERO) in METHOD_NOTE and "Pratt" in METHOD_NOTE
    # Babel must not take METHOD_NOTE for a format string ("95% c" reads as "% c").
    assert "95%" in METHOD_NOTE and not PYTHON_FORMAT.search(METHOD_NOTE)
    assert PYTHON_FORMAT.search(HOLM_NOTE)
    assert HOLM_NOTE % {"m": 12} == "p (Holm) adjusts for testing 12 items at once."
    assert (METHOD_EXACT, METHOD_NORMAL) == ("exact", "normal approximation")


# ------------------------------------------------------------------ counted input


def test_counted_input_gives_the_same_result_as_the_expanded_pairs() -> None:
    rng = random.Random(17)
    for case in range(60):
        if case % 2:
            values = [rng.randint(3, 15) / 3 for _ in range(6)]  # overall scores: means
        else:
            values = [float(v) for v in range(1, 6)]
        counted = [
            (rng.choice(values), rng.choice(values), rng.randint(0, 9))
            for _ in range(rng.randint(1, 25))
        ]
        pairs = [(b, a) for b, a, c in counted for _ in range(c)]
        rng.shuffle(pairs)
        higher = case % 3 != 0
        expected = paired_change(pairs, higher_is_better=higher)
        assert paired_change_counted(counted, higher_is_better=higher) == expected
    assert paired_change_counted([]) == paired_change([])
    with pytest.raises(ValueError):
        paired_change_counted([(1.0, 2.0, -1)])
