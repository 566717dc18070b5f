"""Joint protection of everything evaluators can read, proven by an interval audit.

Every count an evaluator reads, in any scope, format or release, is a linear figure over
cohort atoms (`figures`). The evaluator's knowledge is therefore a system of linear
constraints: a shown figure is an equation, a hidden one is bounded by what its label says
("<5" is 1..4; "n<10" is 0..9), and the atoms obey relations anybody who knows the forms
can write down (improved + unchanged + worsened = matched pairs, a yes is at most the
number who answered, a score sum lies between the scale's ends times n...).

Protection decides what to hide so that, in that whole system, with linprog (HiGHS):
- every primary or withheld cell can still take every value its label allows (neither end of
  its interval can be ruled out);
- every small complement nobody is shown (absent = enrolled - present, not improved, ...)
  and every small difference between two releases can still take every value the rule
  would hide;
- every other hidden cell cannot be worked out exactly.
Cells are hidden greedily: for each requirement that fails, the smallest shown figure of the
fewest cohorts that is tied to it is hidden, and the requirement checked again. Hiding only
ever widens what an evaluator can deduce, so a requirement once met stays met.

The LP relaxation is what an evaluator with a linear-programming solver gets; integer
reasoning could in rare cases narrow further, which the tests' attacker checks on random
data with integer enumeration where it is small enough.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import csr_matrix

from tracker.summaries.figures import Atom, Figure, Terms

Status = Literal["shown", "primary", "withheld", "secondary"]
EPS = 1e-6


@dataclass(frozen=True)
class Relation:
    """low <= sum(coefficient * atom) <= high, known to anyone who knows the forms."""

    terms: tuple[tuple[Atom, float], ...]
    low: float | None
    high: float | None


@dataclass
class Known:
    """A figure as published: shown with its value, or hidden within a label."""

    figure: Figure
    status: Status
    label: tuple[float, float] | None = None  # primary and withheld only
    new: bool = True  # in the release being made (else already public: fixed)
    width: float = 1.0  # hidden without a label: how uncertain it must stay
    public: bool = False  # shown by an earlier release: known for good


@dataclass
class Requirement:
    """What must stay undeducible: an interval that must remain possible, or inexactness."""

    terms: Terms
    cover: tuple[float, float] | None  # an interval that must stay possible, or None
    why: str
    width: float = 1.0  # without cover: the deducible range must be at least this wide


@dataclass
class Ledger:
    """Everything an evaluator knows or might know, by figure terms."""

    known: dict[Terms, Known] = field(default_factory=dict)
    relations: list[Relation] = field(default_factory=list)
    virtual: list[Requirement] = field(default_factory=list)
    values: dict[Atom, float] = field(default_factory=dict)

    def add(self, entry: Known) -> None:
        """Record a published figure; the same sum met again (another scope, another release)
        is one figure: public if any release showed it, else as hidden as its most hidden
        occurrence."""
        found = self.known.get(entry.figure.terms)
        if found is None:
            entry.public = entry.public or (not entry.new and entry.status == "shown")
            self.known[entry.figure.terms] = entry
            return
        found.public = found.public or (not entry.new and entry.status == "shown")
        if entry.new and not found.new:
            # The new release meets a figure an older one published: keep it as hidden as it
            # was (a figure hidden once stays hidden while its sum is the same).
            entry.public = found.public
            if not found.public and _rank(found.status) > _rank(entry.status):
                entry.status, entry.label, entry.width = found.status, found.label, found.width
            self.known[entry.figure.terms] = entry
            return
        if found.new and not entry.new:
            if not found.public and _rank(entry.status) > _rank(found.status):
                found.status, found.label, found.width = entry.status, entry.label, entry.width
            return
        if _rank(entry.status) > _rank(found.status):
            found.status, found.label = entry.status, entry.label
        elif entry.status == found.status and entry.label and found.label:
            found.label = (min(found.label[0], entry.label[0]), max(found.label[1], entry.label[1]))


def _rank(status: Status) -> int:
    return {"shown": 0, "secondary": 1, "primary": 2, "withheld": 3}[status]


def requirements(ledger: Ledger) -> list[Requirement]:
    found = list(ledger.virtual)
    for terms, entry in ledger.known.items():
        if entry.public:
            continue
        if entry.status in ("primary", "withheld") and entry.label is not None:
            found.append(Requirement(terms, entry.label, entry.status))
        elif entry.status == "secondary":
            found.append(Requirement(terms, None, "secondary", entry.width))
    return found


# ------------------------------------------------------------------ blocks


def _blocks(
    ledger: Ledger,
) -> list[tuple[set[Atom], list[Terms], list[Relation], list[Requirement]]]:
    """Independent systems: atoms linked by any figure or relation."""
    parent: dict[Atom, Atom] = {}

    def find(a: Atom) -> Atom:
        parent.setdefault(a, a)
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    def join(atoms: Iterable[Atom]) -> None:
        atoms = list(atoms)
        for other in atoms[1:]:
            parent[find(other)] = find(atoms[0])
        if atoms:
            find(atoms[0])

    for terms in ledger.known:
        join(a for a, _ in terms)
    for relation in ledger.relations:
        join(a for a, _ in relation.terms)
    for req in ledger.virtual:
        join(a for a, _ in req.terms)
    groups: dict[Atom, tuple[set[Atom], list[Terms], list[Relation], list[Requirement]]] = {}

    def group(a: Atom) -> tuple[set[Atom], list[Terms], list[Relation], list[Requirement]]:
        return groups.setdefault(find(a), (set(), [], [], []))

    for a in list(parent):
        group(a)[0].add(a)
    for terms in ledger.known:
        if terms:
            group(terms[0][0])[1].append(terms)
    for relation in ledger.relations:
        if relation.terms:
            group(relation.terms[0][0])[2].append(relation)
    for req in requirements(ledger):
        if req.terms:
            group(req.terms[0][0])[3].append(req)
    return list(groups.values())


# ------------------------------------------------------------------ the LP


class BlockLP:
    """The evaluator's constraints over one block's atoms, rebuilt when a cell is hidden."""

    def __init__(
        self, atoms: set[Atom], figures: list[Terms], relations: list[Relation], ledger: Ledger
    ) -> None:
        self.index = {a: i for i, a in enumerate(sorted(atoms))}
        self.figures = figures
        self.relations = relations
        self.ledger = ledger
        self.rebuild()

    def _row(self, terms: Sequence[tuple[Atom, float]]) -> dict[int, float]:
        return {self.index[a]: float(c) for a, c in terms}

    def rebuild(self) -> None:
        eq_rows, eq_b, ub_rows, ub_b = [], [], [], []
        for terms in self.figures:
            entry = self.ledger.known[terms]
            row = self._row(terms)
            if entry.status == "shown" or entry.public:
                eq_rows.append(row)
                eq_b.append(float(entry.figure.value))
            elif entry.label is not None:
                ub_rows += [row, {i: -c for i, c in row.items()}]
                ub_b += [entry.label[1], -entry.label[0]]
        for relation in self.relations:
            row = self._row(relation.terms)
            if relation.low is not None and relation.low == relation.high:
                eq_rows.append(row)
                eq_b.append(relation.low)
                continue
            if relation.high is not None:
                ub_rows.append(row)
                ub_b.append(relation.high)
            if relation.low is not None:
                ub_rows.append({i: -c for i, c in row.items()})
                ub_b.append(-relation.low)
        n = len(self.index)
        self.a_eq = _matrix(eq_rows, n)
        self.b_eq = np.asarray(eq_b, dtype=float) if eq_rows else None
        self.a_ub = _matrix(ub_rows, n)
        self.b_ub = np.asarray(ub_b, dtype=float) if ub_rows else None

    def bound(self, terms: Terms, sense: int) -> float:
        """min (sense=1) or max (sense=-1) of the figure; inf when unbounded."""
        c = np.zeros(len(self.index))
        for a, coefficient in terms:
            c[self.index[a]] = coefficient * sense
        result = linprog(
            c,
            A_ub=self.a_ub,
            b_ub=self.b_ub,
            A_eq=self.a_eq,
            b_eq=self.b_eq,
            bounds=(0, None),
            method="highs",
        )
        if result.status == 3:  # unbounded
            return float("inf")
        if result.status != 0:
            raise RuntimeError(f"protection audit: the LP could not be solved ({result.message})")
        return float(result.fun) * sense

    def met(self, req: Requirement) -> bool:
        low = self.bound(req.terms, 1)
        high = self.bound(req.terms, -1)
        if req.cover is None:
            return high - low >= req.width - EPS
        return low <= req.cover[0] + EPS and high >= req.cover[1] - EPS


def _matrix(rows: list[dict[int, float]], n: int) -> csr_matrix | None:
    if not rows:
        return None
    data, cols, ptr = [], [], [0]
    for row in rows:
        for i, v in row.items():
            cols.append(i)
            data.append(v)
        ptr.append(len(cols))
    return csr_matrix((data, cols, ptr), shape=(len(rows), n))


# ------------------------------------------------------------------ hiding


def protect(ledger: Ledger) -> None:
    """Hide shown figures of the new release until every requirement is met (in place)."""
    for atoms, figures, relations, reqs in _blocks(ledger):
        if not reqs:
            continue
        lp = BlockLP(atoms, figures, relations, ledger)
        pending = list(reqs)
        while pending:
            pending += _satisfy(pending.pop(0), lp, figures, ledger)


def _satisfy(
    req: Requirement, lp: BlockLP, figures: list[Terms], ledger: Ledger
) -> list[Requirement]:
    """Hide (or blur) figures of the new release until `req` holds; returns the new
    requirements of what was hidden."""
    added: list[Requirement] = []
    if req.terms in ledger.known and ledger.known[req.terms].public:
        return added
    while not lp.met(req):
        choice = _candidate(req.terms, figures, ledger)
        if choice is None:
            if req.why == "secondary":
                return added  # a secondary cell left exact by what was public already
            raise RuntimeError(f"protection: cannot protect {req.why} {req.terms!r}")
        entry = ledger.known[choice]
        if entry.status == "primary" and entry.label is not None:
            # Blurring "<5" to "*": the label's bounds were what narrowed the target (two
            # "<5" parts of a "<5" total); the blurred cell must stay as uncertain as before.
            entry.width = entry.label[1] - entry.label[0]
            added.append(Requirement(choice, None, "blurred", entry.width))
        else:
            added.append(Requirement(choice, None, "secondary"))
        entry.status, entry.label = "secondary", None
        lp.rebuild()
    return added


def _candidate(target: Terms, figures: list[Terms], ledger: Ledger) -> Terms | None:
    """The figure of the new release to hide next: the figure itself if shown, else a shown
    one tied to it within two steps (fewest cohorts first, then the smallest), else a "<5"
    label near it to blur, else any shown figure of the block."""
    fresh = [t for t in figures if ledger.known[t].new and not ledger.known[t].public]
    shown = [t for t in fresh if ledger.known[t].status == "shown"]
    if target in shown:
        return target
    labelled = [
        t
        for t in fresh
        if t != target and ledger.known[t].status == "primary" and ledger.known[t].label
    ]
    near = _atoms(target)
    first = {t for t in figures if _atoms(t) & near}
    ring_atoms = set().union(*(_atoms(t) for t in first)) if first else set()
    ring = [t for t in figures if _atoms(t) & ring_atoms]
    for group in (
        [t for t in shown if t in ring],
        [t for t in labelled if t in ring],
        shown,
        labelled,
    ):
        if group:
            return min(group, key=lambda t: _cost(t, ledger))
    return None


def _atoms(terms: Terms) -> set[Atom]:
    return {a for a, _ in terms}


def _cost(terms: Terms, ledger: Ledger) -> tuple[int, int, float, Terms]:
    cohorts = len({a[0] for a, _ in terms})
    figure = ledger.known[terms].figure
    return (cohorts, figure.kind != "count", abs(figure.value), terms)


def audit(ledger: Ledger) -> list[tuple[Requirement, float, float]]:
    """Every requirement that fails, with the interval an evaluator can deduce (tests and
    the publish step call this after `protect`; an empty list is the proof)."""
    failures = []
    for atoms, figures, relations, reqs in _blocks(ledger):
        if not reqs:
            continue
        lp = BlockLP(atoms, figures, relations, ledger)
        for req in reqs:
            if not lp.met(req):
                failures.append((req, lp.bound(req.terms, 1), lp.bound(req.terms, -1)))
    return failures


def value_of(terms: Terms, values: dict[Atom, float]) -> float:
    return float(sum(c * values.get(a, 0.0) for a, c in terms))


def group_by_cohort(terms: Terms) -> dict[int, list[tuple[Atom, int]]]:
    found: dict[int, list[tuple[Atom, int]]] = defaultdict(list)
    for a, c in terms:
        found[a[0]].append((a, c))
    return found
