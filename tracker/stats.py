"""Outcome statistics over plain data: no database, no Flask.

Queries collect the numbers; these functions summarise them; tables.py and
suppression.py decide what an evaluator may see.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats as scipy_stats

# Below this many non-zero differences the Wilcoxon signed-rank test cannot reach p < 0.05
# (with 5 pairs all improving the exact two-sided p is 2/32 = 0.0625), so we report no test.
MIN_NONZERO_PAIRS = 6

Pair = tuple[float | None, float | None]


def N_(message: str) -> str:
    """Mark an English message for translation; it is translated where it is shown."""
    return message


# Why no test was run: English message ids (%(n)d is filled from test_note_n), so that the
# tracker can show them in the interface language.
NOTE_NO_PAIRS = N_("no matched pairs")
NOTE_NO_CHANGE = N_("no test: every matched pair gave the same answer before and after")
NOTE_TOO_FEW_CHANGED = N_("no test: fewer than %(n)d matched pairs changed")


@dataclass(frozen=True)
class PairedChange:
    """Pre/post change for one item (or an overall score) over matched pairs.

    mean_change and effect_size follow the raw scale (after minus before). For an item
    where a lower score is better (higher_is_better False), a fall is an improvement and
    both are negative when participants improved; share_improved always counts improvement.
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
    effect_size: float | None  # matched-pairs rank-biserial correlation, -1..1
    higher_is_better: bool = True
    test_note: str | None = None  # why p_value / effect_size is None, in English
    test_note_id: str | None = None  # the same note as a message id, for translation
    test_note_n: int = 0

    def note_in(self, gettext: Callable[[str], str]) -> str | None:
        """The test note translated by `gettext` (the English note when it has no id)."""
        if self.test_note_id is None:
            return self.test_note
        return gettext(self.test_note_id) % {"n": self.test_note_n}


def complete_pairs(pairs: Iterable[Pair]) -> list[tuple[float, float]]:
    """Keep pairs with both a before and an after answer (a matched pair)."""
    return [(float(b), float(a)) for b, a in pairs if b is not None and a is not None]


def rank_biserial(differences: Sequence[float]) -> float | None:
    """Matched-pairs rank-biserial correlation (Kerby 2014): (T+ - T-) / (T+ + T-).

    Zero differences are dropped, as in the Wilcoxon test's default; ties get average
    ranks. None when every difference is zero.
    """
    nonzero = np.asarray([d for d in differences if d != 0], dtype=float)
    if nonzero.size == 0:
        return None
    ranks = scipy_stats.rankdata(np.abs(nonzero))
    positive = float(ranks[nonzero > 0].sum())
    negative = float(ranks[nonzero < 0].sum())
    return (positive - negative) / (positive + negative)


def paired_change(
    pairs: Iterable[Pair],
    *,
    higher_is_better: bool = True,
    min_nonzero: int = MIN_NONZERO_PAIRS,
) -> PairedChange:
    """Summarise matched before/after answers; pairs with a missing side are left out."""
    matched = complete_pairs(pairs)
    n = len(matched)
    if n == 0:
        return PairedChange(
            0,
            None,
            None,
            None,
            0,
            0,
            0,
            None,
            None,
            None,
            higher_is_better,
            NOTE_NO_PAIRS,
            NOTE_NO_PAIRS,
        )
    before = np.asarray([b for b, _ in matched])
    after = np.asarray([a for _, a in matched])
    differences = after - before
    direction = 1.0 if higher_is_better else -1.0
    improved = int(np.sum(differences * direction > 0))
    worsened = int(np.sum(differences * direction < 0))
    nonzero = improved + worsened
    p_value: float | None = None
    effect: float | None = None
    note: str | None = None
    if nonzero == 0:
        note = NOTE_NO_CHANGE
    elif nonzero < min_nonzero:
        # No count in the note: "3 changed" would be a small count shown beside a shown n.
        note = NOTE_TOO_FEW_CHANGED
    else:
        result = scipy_stats.wilcoxon(differences, zero_method="wilcox", alternative="two-sided")
        p_value = float(result.pvalue)
        effect = rank_biserial(differences.tolist())
    return PairedChange(
        n_pairs=n,
        mean_before=float(before.mean()),
        mean_after=float(after.mean()),
        mean_change=float(differences.mean()),
        n_improved=improved,
        n_unchanged=n - nonzero,
        n_worsened=worsened,
        share_improved=improved / n,
        p_value=p_value,
        effect_size=effect,
        higher_is_better=higher_is_better,
        test_note=None if note is None else note % {"n": min_nonzero},
        test_note_id=note,
        test_note_n=min_nonzero,
    )


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
