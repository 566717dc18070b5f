"""Outcome statistics: checked against scipy/numpy and against hand-worked examples."""

from __future__ import annotations

import random

import numpy as np
import pytest
from scipy import stats as scipy_stats

from tracker.stats import (
    MIN_NONZERO_PAIRS,
    attendance_rate,
    complete_pairs,
    completion_share,
    paired_change,
    rank_biserial,
    rank_tally,
    reverse_score,
    scale_score,
    share_yes,
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


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_paired_change_agrees_with_scipy_and_numpy(seed: int) -> None:
    rng = random.Random(seed)
    before = [rng.randint(1, 5) for _ in range(40)]
    after = [min(5, max(1, b + rng.choice([-1, 0, 0, 1, 1, 2]))) for b in before]
    change = paired_change(zip(before, after, strict=True))
    differences = np.asarray(after, dtype=float) - np.asarray(before, dtype=float)
    reference = scipy_stats.wilcoxon(differences, zero_method="wilcox")

    assert change.n_pairs == 40
    assert change.mean_before == pytest.approx(np.mean(before))
    assert change.mean_after == pytest.approx(np.mean(after))
    assert change.mean_change == pytest.approx(differences.mean())
    assert change.p_value == pytest.approx(reference.pvalue)
    # scipy's two-sided statistic is min(T+, T-); the rank-biserial r is (T+ - T-) / S.
    nonzero = int(np.count_nonzero(differences))
    total = nonzero * (nonzero + 1) / 2
    assert change.effect_size is not None
    assert abs(change.effect_size) == pytest.approx((total - 2 * reference.statistic) / total)
    assert change.n_improved == int(np.sum(differences > 0))
    assert change.n_worsened == int(np.sum(differences < 0))
    assert change.n_unchanged == int(np.sum(differences == 0))
    assert change.share_improved == pytest.approx(change.n_improved / 40)


def test_zero_differences_are_dropped_from_the_test_but_kept_in_the_means() -> None:
    pairs = [(3, 3), (3, 3), (2, 4), (1, 3), (2, 3), (4, 5), (3, 5), (1, 2), (4, 3)]
    change = paired_change(pairs)
    differences = [a - b for b, a in pairs]
    assert change.n_pairs == 9
    assert change.n_unchanged == 2
    assert change.mean_change == pytest.approx(np.mean(differences))
    assert change.p_value == pytest.approx(scipy_stats.wilcoxon(differences).pvalue)
    assert change.effect_size == pytest.approx(rank_biserial([d for d in differences if d]))


def test_reverse_scored_item_counts_a_fall_as_improvement() -> None:
    # "I feel ashamed of what happened to me": lower is better.
    pairs = [(5, 2), (4, 2), (5, 3), (4, 4), (3, 1), (5, 4), (4, 2), (2, 3)]
    raw = paired_change(pairs)
    reverse = paired_change(pairs, higher_is_better=False)
    assert reverse.n_improved == 6 and reverse.n_worsened == 1
    assert raw.n_improved == 1 and raw.n_worsened == 6
    assert reverse.share_improved == pytest.approx(6 / 8)
    # The raw scale is kept: the mean falls, and the test does not depend on direction.
    assert reverse.mean_change is not None and reverse.mean_change < 0
    assert reverse.mean_change == pytest.approx(raw.mean_change)
    assert reverse.p_value == pytest.approx(raw.p_value)
    assert reverse.effect_size is not None and reverse.effect_size < 0
    assert not reverse.higher_is_better


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
