"""Joint protection of everything evaluators can read, proven by an interval audit.

Every count an evaluator reads, in any scope, format or release, is a linear figure over
cohort atoms (`figures`). The evaluator's knowledge is therefore a system of linear
constraints: a shown figure is an equation, a hidden one is bounded by what its label says
("<5" is 1..4; "n<10" is 0..9), and the atoms obey relations anybody who knows the forms
can write down (improved + unchanged + worsened = matched pairs, a yes is at most the
number who answered, a score sum lies between the scale's ends times n...).

Protection decides what to hide so that, in that whole system, with linear programming (HiGHS):
- every primary or withheld cell can still take every value its label allows (neither end of
  its interval can be ruled out);
- every small complement nobody is shown (absent = enrolled - present, not improved, ...)
  and every small difference between two releases can still take every value the rule
  would hide;
- every other hidden cell cannot be worked out exactly.
Cells are hidden greedily: for each requirement that fails, the smallest shown figure of the
fewest cohorts that is tied to it is hidden, and the requirement checked again. Hiding only
ever widens what an evaluator can deduce, so a requirement once met stays met.

The LP is solved with HiGHS (highspy, the solver scipy's linprog wraps), keeping one model
per block; most checks are settled before it is asked, by earlier solutions (witnesses) and
by small LPs around the figure (`nearby`), each only where its answer is the block's.
The LP relaxation is what an evaluator with a linear-programming solver gets; integer
reasoning could in rare cases narrow further, which the tests' attacker checks on random
data with integer enumeration where it is small enough.
"""

from __future__ import annotations

import os
import sys
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

import highspy
import numpy as np
from scipy import sparse

from tracker.summaries.figures import Atom, Figure, Terms
from tracker.summaries.nearby import Nearby, Wants

Status = Literal["shown", "primary", "withheld", "secondary"]
EPS = 1e-6
INF = highspy.kHighsInf
WITNESSES = 256  # solutions kept per block (see BlockLP.met)


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


Block = tuple[set[Atom], list[Terms], list[Relation], list[Requirement]]


class _Linked:
    """Union-find over atoms: which atoms some figure or relation ties together."""

    def __init__(self) -> None:
        self.parent: dict[Atom, Atom] = {}

    def find(self, a: Atom) -> Atom:
        parent = self.parent
        parent.setdefault(a, a)
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    def join(self, atoms: Iterable[Atom]) -> None:
        atoms = list(atoms)
        for other in atoms[1:]:
            self.parent[self.find(other)] = self.find(atoms[0])
        if atoms:
            self.find(atoms[0])


def _linked(ledger: Ledger) -> _Linked:
    linked = _Linked()
    for terms in ledger.known:
        linked.join(a for a, _ in terms)
    for relation in ledger.relations:
        linked.join(a for a, _ in relation.terms)
    for req in ledger.virtual:
        linked.join(a for a, _ in req.terms)
    return linked


def _blocks(ledger: Ledger) -> list[Block]:
    """Independent systems: atoms linked by any figure or relation."""
    linked = _linked(ledger)
    groups: dict[Atom, Block] = {}

    def group(a: Atom) -> Block:
        return groups.setdefault(linked.find(a), (set(), [], [], []))

    for a in list(linked.parent):
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
    """The evaluator's constraints over one block's atoms, as one HiGHS model.

    One row per published figure (shown: equal to its value; hidden with a label: within it;
    hidden without: free) and per relation. Checking a requirement changes only the
    objective, and hiding a figure only that row's bounds, so HiGHS starts each solve from
    the last basis: a few pivots instead of a new model each time. (scipy's linprog runs
    the same HiGHS but rebuilds the model for every solve, which made a release of the
    benchmark's 26 cohorts take many minutes.)
    """

    def __init__(
        self, atoms: set[Atom], figures: list[Terms], relations: list[Relation], ledger: Ledger
    ) -> None:
        self.index = {a: i for i, a in enumerate(sorted(atoms))}
        self.ledger = ledger
        self.model = _quiet_model()
        n = len(self.index)
        self.model.addVars(n, np.zeros(n), np.full(n, INF))
        self.rows: dict[Terms, int] = {}
        # The same rows as a sparse matrix with their bounds, for the shortcuts (`nearby`).
        entries: tuple[list[int], list[int], list[float]] = ([], [], [])
        lows: list[float] = []
        highs: list[float] = []
        for terms in figures:
            low, high = self._limits(terms)
            self.rows[terms] = len(lows)
            self._add_row(terms, low, high, entries, len(lows))
            lows.append(low)
            highs.append(high)
        for relation in relations:
            low = -INF if relation.low is None else relation.low
            high = INF if relation.high is None else relation.high
            self._add_row(relation.terms, low, high, entries, len(lows))
            lows.append(low)
            highs.append(high)
        matrix = sparse.csr_matrix(
            (entries[2], (entries[0], entries[1])), shape=(len(lows), n), dtype=np.float64
        )
        self.nearby = Nearby(matrix, np.asarray(lows), np.asarray(highs), _quiet_model)
        self.costed: list[int] = []
        # Witnesses: every solution found so far. Hiding only loosens rows, so a point that
        # satisfied the constraints once satisfies them for good, and a requirement that
        # some witnesses already meet (one at or below the low end of its interval, one at
        # or above the high end; or two far enough apart) needs no solve at all. HiGHS has
        # no such reuse across objectives; it is what keeps publishing near-linear in the
        # number of cohorts rather than solving twice per figure per hide.
        self.witnesses = np.zeros((WITNESSES, n))
        self.witnessed = 0

    def _add_row(
        self,
        terms: Sequence[tuple[Atom, float]],
        low: float,
        high: float,
        entries: tuple[list[int], list[int], list[float]],
        row: int,
    ) -> None:
        columns = np.asarray([self.index[a] for a, _ in terms], dtype=np.int32)
        values = np.asarray([float(c) for _, c in terms], dtype=np.float64)
        self.model.addRow(low, high, len(columns), columns, values)
        entries[0].extend([row] * len(columns))
        entries[1].extend(columns.tolist())
        entries[2].extend(values.tolist())

    def _limits(self, terms: Terms) -> tuple[float, float]:
        entry = self.ledger.known[terms]
        if entry.status == "shown" or entry.public:
            return float(entry.figure.value), float(entry.figure.value)
        if entry.label is not None:
            return float(entry.label[0]), float(entry.label[1])
        return -INF, INF

    def refresh(self, terms: Terms) -> None:
        """A figure was hidden or blurred: loosen its row."""
        low, high = self._limits(terms)
        row = self.rows[terms]
        self.model.changeRowBounds(row, low, high)
        self.nearby.low[row], self.nearby.high[row] = low, high

    def bound(self, terms: Terms, sense: int) -> float:
        """min (sense=1) or max (sense=-1) of the figure; +-inf when unbounded."""
        if self.costed:
            idx = np.asarray(self.costed, dtype=np.int32)
            self.model.changeColsCost(len(idx), idx, np.zeros(len(idx)))
        columns = [self.index[a] for a, _ in terms]
        self.model.changeColsCost(
            len(columns),
            np.asarray(columns, dtype=np.int32),
            np.asarray([float(c) for _, c in terms], dtype=np.float64),
        )
        self.costed = columns
        self.model.changeObjectiveSense(
            highspy.ObjSense.kMinimize if sense == 1 else highspy.ObjSense.kMaximize
        )
        self.model.run()
        status = self.model.getModelStatus()
        if status == highspy.HighsModelStatus.kOptimal:
            self._keep(self.model.getSolution().col_value)
            return float(self.model.getInfo().objective_function_value)
        if status in (
            highspy.HighsModelStatus.kUnbounded,
            highspy.HighsModelStatus.kUnboundedOrInfeasible,
        ):
            return -sense * float("inf")
        raise RuntimeError(f"protection audit: the LP could not be solved ({status})")

    def _keep(self, point: Sequence[float] | np.ndarray) -> None:
        self.witnesses[self.witnessed % WITNESSES] = point
        self.witnessed += 1

    def _witnessed(self, terms: Terms) -> tuple[float, float]:
        """The lowest and highest value of the figure among the witnesses (inf, -inf when
        there are none)."""
        if not self.witnessed:
            return float("inf"), -float("inf")
        columns = [self.index[a] for a, _ in terms]
        kept = self.witnesses[: min(self.witnessed, WITNESSES)]
        values = kept[:, columns] @ np.asarray([float(c) for _, c in terms])
        return float(values.min()), float(values.max())

    def met(self, req: Requirement) -> bool:
        seen_low, seen_high = self._witnessed(req.terms)
        wants = _wants(req)
        if wants(seen_low, seen_high):
            return True
        if self.witnessed:
            latest = self.witnesses[(self.witnessed - 1) % WITNESSES]
            verdict, point = self.nearby.settle(
                np.asarray([self.index[a] for a, _ in req.terms], dtype=np.int32),
                np.asarray([float(c) for _, c in req.terms]),
                latest,
                wants,
            )
            if point is not None:
                self._keep(point)
            if verdict is not None:
                return verdict
        if req.cover is None:  # the witnesses are not far enough apart: solve the block
            low = self.bound(req.terms, 1)
            if seen_high - low >= req.width - EPS:
                return True
            return self.bound(req.terms, -1) - low >= req.width - EPS
        if seen_low > req.cover[0] + EPS and self.bound(req.terms, 1) > req.cover[0] + EPS:
            return False
        return seen_high >= req.cover[1] - EPS or self.bound(req.terms, -1) >= req.cover[1] - EPS


def _wants(req: Requirement) -> Wants:
    """Whether a figure that can be as low as `low` and as high as `high` meets `req`."""
    if req.cover is None:
        width = req.width
        return lambda low, high: high - low >= width - EPS
    start, end = req.cover
    return lambda low, high: low <= start + EPS and high >= end - EPS


_BANNER_SHOWN = False


def _quiet_model() -> highspy.Highs:
    global _BANNER_SHOWN
    if _BANNER_SHOWN:
        model = highspy.Highs()
    else:
        # HiGHS writes a banner to the process's stdout when its first model is made, before
        # any option can be set; `tracker release` and the web server should print ours.
        sys.stdout.flush()
        saved = os.dup(1)
        try:
            with open(os.devnull, "w") as sink:
                os.dup2(sink.fileno(), 1)
                model = highspy.Highs()
        finally:
            os.dup2(saved, 1)
            os.close(saved)
        _BANNER_SHOWN = True
    model.setOptionValue("output_flag", False)
    # Presolve would rebuild the problem for every objective and throw the basis away.
    model.setOptionValue("presolve", "off")
    # Primal simplex: after a change of objective the last basis is still feasible.
    model.setOptionValue("simplex_strategy", 4)
    return model


# ------------------------------------------------------------------ hiding


def protect(ledger: Ledger) -> None:
    """Hide shown figures of the new release until every requirement is met (in place)."""
    for atoms, figures, relations, reqs in _blocks(ledger):
        if not reqs:
            continue
        lp = BlockLP(atoms, figures, relations, ledger)
        near = _neighbours(relations)
        index = _figures_by_atom(figures)
        pending = list(reqs)
        while pending:
            pending += _satisfy(pending.pop(0), lp, (figures, index), ledger, near)


def _figures_by_atom(figures: list[Terms]) -> dict[Atom, list[Terms]]:
    found: dict[Atom, list[Terms]] = defaultdict(list)
    for terms in figures:
        for a, _ in terms:
            found[a].append(terms)
    return found


def _neighbours(relations: list[Relation]) -> dict[Atom, set[Atom]]:
    """Atoms tied by a relation anybody knows (completed = top band, yes <= respondents)."""
    found: dict[Atom, set[Atom]] = defaultdict(set)
    for relation in relations:
        atoms = {a for a, _ in relation.terms}
        for a in atoms:
            found[a] |= atoms
    return found


def _satisfy(
    req: Requirement,
    lp: BlockLP,
    block: tuple[list[Terms], dict[Atom, list[Terms]]],
    ledger: Ledger,
    near: dict[Atom, set[Atom]],
) -> list[Requirement]:
    """Hide (or blur) figures of the new release until `req` holds; returns the new
    requirements of what was hidden."""
    added: list[Requirement] = []
    if req.terms in ledger.known and ledger.known[req.terms].public:
        return added
    while not lp.met(req):
        choice = _candidate(req.terms, block, ledger, near)
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
        lp.refresh(choice)
    return added


def _candidate(
    target: Terms,
    block: tuple[list[Terms], dict[Atom, list[Terms]]],
    ledger: Ledger,
    near: dict[Atom, set[Atom]],
) -> Terms | None:
    """The figure of the new release to hide next: the figure itself if shown; else the
    shown figure closest to it (sharing its atoms or tied to them by a relation, then one
    step further), fewest cohorts first, then the smallest; else a "<5" label near it to
    blur; else any shown figure of the block."""
    figures, by_atom = block

    def hideable(t: Terms) -> bool:
        entry = ledger.known[t]
        return entry.new and not entry.public and entry.status == "shown"

    def blurrable(t: Terms) -> bool:
        entry = ledger.known[t]
        return (
            t != target
            and entry.new
            and not entry.public
            and entry.status == "primary"
            and entry.label is not None
        )

    if target in ledger.known and hideable(target):
        return target
    first = _touching(_widen(_atoms(target), near), by_atom)
    found = [t for t in first if hideable(t)]
    if not found:
        second = _touching(_widen({a for t in first for a, _ in t}, near), by_atom) | first
        # Looked at one after the other: the whole block only when nothing near will do.
        for group in (
            lambda: [t for t in second if hideable(t)],
            lambda: [t for t in second if blurrable(t)],
            lambda: [t for t in figures if hideable(t)],
            lambda: [t for t in figures if blurrable(t)],
        ):
            if found := group():
                break
    return min(found, key=lambda t: _cost(t, ledger)) if found else None


def _touching(atoms: set[Atom], by_atom: dict[Atom, list[Terms]]) -> set[Terms]:
    return {t for a in atoms for t in by_atom.get(a, ())}


def _widen(atoms: set[Atom], near: dict[Atom, set[Atom]]) -> set[Atom]:
    found = set(atoms)
    for a in atoms:
        found |= near.get(a, set())
    return found


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
