"""Linear figures: what protection reasons about.

Every count an evaluator can read (and every sum behind a mean) is a sum of cohort-level
counts, the *atoms*: "cohort 7, attendance part version 2, present at session 31". A figure
shown in a programme table and the same cohort's figure in the cohort table are two sums
over the same atoms, so an evaluator who subtracts one from another is solving linear
equations over atoms; `protection` solves the same equations first.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

# (cohort id, part key, part version, name inside the part)
Atom = tuple[int, str, int, str]
Terms = tuple[tuple[Atom, int], ...]  # sorted (atom, coefficient) pairs
FigureKind = Literal["count", "sum"]


@dataclass(frozen=True)
class Protection:
    """How strongly a figure is protected, as the curriculum declares it.

    threshold: counts from 1 to threshold-1 are hidden (1: exact figures).
    sensitive: zeros are hidden too (a zero beside a total says everyone answered alike),
        and rows resting on fewer than min_respondents answers are not released at all.
    reason: why, in English (a message shown translated on every output).
    """

    threshold: int = 5
    sensitive: bool = True
    min_respondents: int = 0
    reason: str = ""

    @property
    def hides_zero(self) -> bool:
        return self.sensitive and self.threshold > 1

    def small(self, value: float) -> bool:
        """A count this rule hides on its own (primary suppression)."""
        low = 0 if self.hides_zero else 1
        return low <= value < self.threshold

    def label(self) -> tuple[int, int]:
        """The interval a "<t" marker publishes: 0 to t-1. A zero is shown on its own where
        the rule is not sensitive, but hidden beside other hidden counts of its row, so
        "<5" always means the same thing."""
        return (0, self.threshold - 1)


EXACT = Protection(threshold=1, sensitive=False)


@dataclass(frozen=True)
class Figure:
    """A linear figure: sum of coefficient * atom, with its true value."""

    terms: Terms
    value: float
    kind: FigureKind
    rule: Protection

    @property
    def key(self) -> Terms:
        return self.terms


def terms_of(weighted: Iterable[tuple[Atom, int]]) -> Terms:
    counter: Counter[Atom] = Counter()
    for atom, coefficient in weighted:
        counter[atom] += coefficient
    return tuple(sorted((a, c) for a, c in counter.items() if c))


@dataclass
class Accumulator:
    """Adds cohort atoms into one scope figure, keeping value and terms together."""

    value: float = 0.0
    weighted: list[tuple[Atom, int]] = field(default_factory=list)

    def add(self, atom: Atom, value: float, times: int = 1) -> None:
        self.value += value * times
        self.weighted.append((atom, times))

    def figure(self, kind: FigureKind, rule: Protection) -> Figure:
        value = round(self.value) if kind == "count" else self.value
        return Figure(terms_of(self.weighted), value, kind, rule)


def difference(total: Figure, *parts: Figure, rule: Protection) -> Figure:
    """total - sum(parts): a complement nobody is shown (absent = enrolled - present)."""
    weighted = list(total.terms)
    value = total.value
    for part in parts:
        weighted += [(atom, -c) for atom, c in part.terms]
        value -= part.value
    return Figure(terms_of(weighted), value, "count", rule)
