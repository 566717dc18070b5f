"""An evaluator who tries to unpick the protected figures: the attacker of the privacy tests.

It holds every grant and a token, reads every scope (cohort, organisation, programme) of
every release through the JSON API, knows the published rules ("<5" is 0 to 4, "n<10" is 0
to 9, yes + no = answered, improved + unchanged + worsened = matched pairs, a mean times its
n is a sum between the scale's ends, a programme is the sum of its cohorts, a cohort's
figures that look the same in two releases are the same...) and solves for every hidden
cell with linear programming (HiGHS through highspy, one model per independent system).

It shares no code with the tracker's own protection: it works from what an evaluator
receives. `recovered()` compares what it could deduce with the truth, which only the test
knows, and lists every hidden cell worked out exactly or narrowed below what its label says.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import highspy
import numpy as np

# (release, cohort, section, row key, column key); column "sum:<mean column>" for sums.
Var = tuple[int, int, str, str, str]
Cell = tuple[int, str, str, str, str]  # (release, scope "kind:key", section, row, column)
EPS = 1e-6

Fetch = Callable[[str], tuple[int, Any]]  # url -> (status, JSON)


@dataclass
class Hidden:
    cell: Cell
    terms: dict[Var, float]
    label: tuple[float, float] | None  # None: "*" (no range promised)
    complement: bool = False  # never shown: a finding only when small and worked out


@dataclass
class Knowledge:
    equalities: list[tuple[dict[Var, float], float]] = field(default_factory=list)
    bounds: list[tuple[dict[Var, float], float | None, float | None]] = field(default_factory=list)
    hidden: list[Hidden] = field(default_factory=list)
    cohorts: dict[int, dict[int, dict[str, Any]]] = field(default_factory=dict)  # release ->


@dataclass(frozen=True)
class Scale:
    low: float
    high: float


def collect(fetch: Fetch, scales: dict[str, Scale], *, link_releases: bool = True) -> Knowledge:
    """Read every release and scope an evaluator can read, and write down what it implies."""
    known = Knowledge()
    status, body = fetch("/api/v1/releases")
    assert status == 200, body
    release_ids = sorted(r["id"] for r in body["releases"])
    status, scopes = fetch("/api/v1/scopes")
    assert status == 200, scopes
    cohorts = {c["id"]: c for c in scopes["cohorts"]}
    tables: dict[Cell, Any] = {}
    for release in release_ids:
        present: dict[int, dict[str, Any]] = {}
        for cid, cohort in cohorts.items():
            status, summary = fetch(f"/api/v1/summaries/cohort/{cid}?release={release}")
            if status == 200:
                present[cid] = cohort
                _read(known, tables, release, f"cohort:{cid}", [cid], summary, scales)
        known.cohorts[release] = present
        for kind, key, members in _aggregates(present, scopes):
            status, summary = fetch(f"/api/v1/summaries/{kind}/{key}?release={release}")
            if status == 200:
                _read(known, tables, release, f"{kind}:{key}", members, summary, scales)
    _relations(known, tables, scales)
    if link_releases:
        _same_across_releases(known, tables, release_ids)
    return known


def _aggregates(
    present: dict[int, dict[str, Any]], scopes: dict[str, Any]
) -> Iterable[tuple[str, str, list[int]]]:
    for org in scopes["organisations"]:
        members = [c for c, v in present.items() if v["organisation_id"] == org["id"]]
        if members:
            yield "organisation", str(org["id"]), members
    for programme in scopes["programmes"]:
        members = [c for c, v in present.items() if v["programme_id"] == programme["id"]]
        if members:
            yield "programme", programme["id"], members


def _cohort_rows(
    section: str, row: str, members: list[int], tables: dict[Cell, Any], release: int
) -> list[tuple[int, str]]:
    """Which cohort rows a scope row sums: the same row key, or a module's sessions."""
    if row.startswith("module:"):
        module = row.removeprefix("module:")
        found = []
        for cid in members:
            for key in _row_keys(tables, release, f"cohort:{cid}", section):
                if key.startswith("session:") and key.split(":", 2)[2] == module:
                    found.append((cid, key))
        return found
    if row.startswith("cohort:"):
        cid = int(row.removeprefix("cohort:"))
        return [(cid, row)] if cid in members else []
    return [(cid, row) for cid in members]


def _row_keys(tables: dict[Cell, Any], release: int, scope: str, section: str) -> list[str]:
    table = tables.get((release, scope, section, "", ""))
    return list(table["row_keys"]) if table else []


def _read(
    known: Knowledge,
    tables: dict[Cell, Any],
    release: int,
    scope: str,
    members: list[int],
    summary: dict[str, Any],
    scales: dict[str, Scale],
) -> None:
    for section in summary["sections"]:
        table = section["table"]
        tables[(release, scope, section["key"], "", "")] = table
        kinds = {c["key"]: c["kind"] for c in table["columns"]}
        for row_key, row in zip(table["row_keys"], table["rows"], strict=True):
            parts = _cohort_rows(section["key"], row_key, members, tables, release)
            if scope.startswith("cohort:"):
                parts = [(members[0], row_key)]
            for column, value in row.items():
                if kinds[column] == "count":
                    terms = {(release, cid, section["key"], r, column): 1.0 for cid, r in parts}
                    _note(known, (release, scope, section["key"], row_key, column), terms, value)
            _means(known, release, scope, section["key"], row_key, row, kinds, parts, scales)


def _note(known: Knowledge, cell: Cell, terms: dict[Var, float], value: Any) -> None:
    if not terms:
        return
    if isinstance(value, dict):
        display = value["display"]
        if display.startswith("n<"):
            label: tuple[float, float] | None = (0, int(display[2:]) - 1)
        elif display.startswith("<"):
            label = (0, int(display[1:]) - 1)
        else:
            label = None
        known.hidden.append(Hidden(cell, terms, label))
        if label is not None:
            known.bounds.append((terms, label[0], label[1]))
    elif isinstance(value, int | float):
        known.equalities.append((terms, float(value)))


def _means(
    known: Knowledge,
    release: int,
    scope: str,
    section: str,
    row_key: str,
    row: dict[str, Any],
    kinds: dict[str, str],
    parts: list[tuple[int, str]],
    scales: dict[str, Scale],
) -> None:
    """A shown mean times its shown n is a sum: a linear figure like any count."""
    pairs = {"mean_before": "n", "mean_after": "n"}
    pairs |= {k: f"n_{k.split('_')[1]}" for k in kinds if k.startswith("mean_") and k[5:].isdigit()}
    for mean, n in pairs.items():
        if mean not in row or n not in row:
            continue
        terms = {(release, cid, section, r, f"sum:{mean}"): 1.0 for cid, r in parts}
        if isinstance(row[mean], float) and isinstance(row[n], int | float):
            known.equalities.append((terms, row[mean] * row[n]))
        elif isinstance(row[mean], dict):
            known.hidden.append(
                Hidden((release, scope, section, row_key, f"sum:{mean}"), terms, None)
            )


def _relations(known: Knowledge, tables: dict[Cell, Any], scales: dict[str, Scale]) -> None:
    """What anybody who knows the forms knows, per cohort row."""
    seen: set[tuple[int, int, str, str]] = set()
    for (release, scope, section, _, _), table in tables.items():
        if not scope.startswith("cohort:"):
            continue
        cid = int(scope.removeprefix("cohort:"))
        columns = {c["key"] for c in table["columns"]}
        for row_key in table["row_keys"]:
            if (release, cid, section, row_key) in seen:
                continue
            seen.add((release, cid, section, row_key))

            def v(
                column: str, row: str = row_key, at: int = release, c: int = cid, s: str = section
            ) -> Var:
                return (at, c, s, row, column)

            if {"yes", "no", "answered"} <= columns:
                known.equalities.append(({v("yes"): 1, v("no"): 1, v("answered"): -1}, 0.0))
            if {"n", "improved", "unchanged", "worsened"} <= columns:
                known.equalities.append(
                    ({v("improved"): 1, v("unchanged"): 1, v("worsened"): 1, v("n"): -1}, 0.0)
                )
                scale = scales.get(section.rsplit("-", 2)[0])
                if scale is not None:
                    for mean in ("mean_before", "mean_after"):
                        _between(known, v(f"sum:{mean}"), v("n"), scale)
            if {"present", "enrolled"} <= columns:
                known.bounds.append(({v("present"): 1, v("enrolled"): -1}, None, 0.0))
                _complement(
                    known, v("enrolled"), v("present"), (release, scope, section, row_key, "absent")
                )
            if {"participants", "completed"} <= columns:
                known.bounds.append(({v("completed"): 1, v("participants"): -1}, None, 0.0))
                _complement(
                    known,
                    v("participants"),
                    v("completed"),
                    (release, scope, section, row_key, "not_completed"),
                )
            for column in columns:
                if column.startswith("mean_") and column[5:].isdigit():
                    scale = scales.get(section.removesuffix("-wheel"))
                    if scale is not None:
                        _between(known, v(f"sum:{column}"), v(f"n_{column[5:]}"), scale)
        if "count" in columns and "respondents" in table["row_keys"]:
            for row_key in table["row_keys"]:
                if row_key != "respondents":
                    known.bounds.append(
                        (
                            {
                                (release, cid, section, row_key, "count"): 1,
                                (release, cid, section, "respondents", "count"): -1,
                            },
                            None,
                            0.0,
                        )
                    )
        if section == "attendance-bands":
            bands = [r for r in table["row_keys"] if r.startswith("band:")]
            terms = {(release, cid, section, b, "participants"): 1.0 for b in bands}
            terms[(release, cid, section, "all", "participants")] = -1.0
            known.equalities.append((terms, 0.0))


def _complement(known: Knowledge, total: Var, part: Var, cell: Cell) -> None:
    """total - part: nobody is shown it, but it is a count of people all the same."""
    known.hidden.append(Hidden(cell, {total: 1.0, part: -1.0}, None, complement=True))


def _between(known: Knowledge, total: Var, n: Var, scale: Scale) -> None:
    known.bounds.append(({total: 1, n: -scale.high}, None, 0.0))
    known.bounds.append(({total: -1, n: scale.low}, None, 0.0))


def _same_across_releases(known: Knowledge, tables: dict[Cell, Any], releases: list[int]) -> None:
    """A cohort section that shows the same in two consecutive releases is taken to be the
    same data (true when nothing changed; a wrong guess only costs the attacker)."""
    for before, after in itertools.pairwise(releases):
        for (release, scope, section, _, _), table in list(tables.items()):
            if release != before or not scope.startswith("cohort:"):
                continue
            later = tables.get((after, scope, section, "", ""))
            if later is None or later["rows"] != table["rows"]:
                continue
            cid = int(scope.removeprefix("cohort:"))
            for row_key in table["row_keys"]:
                for column in [c["key"] for c in table["columns"]] + [
                    "sum:mean_before",
                    "sum:mean_after",
                ]:
                    known.equalities.append(
                        (
                            {
                                (before, cid, section, row_key, column): 1.0,
                                (after, cid, section, row_key, column): -1.0,
                            },
                            0.0,
                        )
                    )


# ------------------------------------------------------------------ solving


@dataclass
class Finding:
    cell: Cell
    low: float
    high: float
    truth: float
    label: tuple[float, float] | None

    def __str__(self) -> str:
        deduced = f"{self.low:g}..{self.high:g}"
        return f"{self.cell}: truth {self.truth}, deduced {deduced}, label {self.label}"


def recovered(known: Knowledge, truth: Callable[[Cell], float | None]) -> list[Finding]:
    """Every hidden cell the attacker pins exactly or narrows below its label, where the
    deduction holds for the true value (a wrong assumption finds nothing)."""
    rows: list[tuple[dict[Var, float], float, float]] = [
        (terms, value, value) for terms, value in known.equalities
    ]
    rows += [
        (terms, -INF if lo is None else lo, INF if hi is None else hi)
        for terms, lo, hi in known.bounds
    ]
    findings = []
    seen: set[tuple[tuple[Var, float], ...]] = set()
    for component_rows, hidden in _components(rows, known.hidden):
        solver = _Solver(component_rows)
        for cell in hidden:
            key = tuple(sorted(cell.terms.items()))
            true = truth(cell.cell)
            if true is None or key in seen:
                continue
            seen.add(key)
            low, high = solver.bounds(cell.terms)
            if not (low - EPS <= true <= high + EPS):
                continue  # the attacker's guess about unchanged data was wrong here
            exact = high - low < 0.5
            label = cell.label
            narrowed = label is not None and (low > label[0] + EPS or high < label[1] - EPS)
            if cell.complement and not (exact and 0 < true < 5):
                continue  # a complement matters when it is a small count worked out exactly
            if exact or narrowed:
                findings.append(Finding(cell.cell, low, high, true, label))
    return findings


INF = highspy.kHighsInf


def _components(
    rows: list[tuple[dict[Var, float], float, float]], hidden: list[Hidden]
) -> list[tuple[list[tuple[dict[Var, float], float, float]], list[Hidden]]]:
    """Independent systems: variables linked by any known row."""
    parent: dict[Var, Var] = {}

    def find(v: Var) -> Var:
        parent.setdefault(v, v)
        while parent[v] != v:
            parent[v] = parent[parent[v]]
            v = parent[v]
        return v

    for terms in [r[0] for r in rows] + [h.terms for h in hidden]:
        first = next(iter(terms))
        for v in terms:
            parent[find(v)] = find(first)
    grouped: dict[Var, tuple[list[Any], list[Hidden]]] = defaultdict(lambda: ([], []))
    for row in rows:
        grouped[find(next(iter(row[0])))][0].append(row)
    for cell in hidden:
        grouped[find(next(iter(cell.terms)))][1].append(cell)
    return [group for group in grouped.values() if group[1]]


class _Solver:
    """One LP per component, solved again for each objective (HiGHS keeps its basis)."""

    def __init__(self, rows: list[tuple[dict[Var, float], float, float]]) -> None:
        self.index: dict[Var, int] = {}
        for terms, _, _ in rows:
            for v in terms:
                self.index.setdefault(v, len(self.index))
        self.model = highspy.Highs()
        self.model.setOptionValue("output_flag", False)
        self.model.setOptionValue("presolve", "off")
        n = len(self.index)
        self.model.addVars(n, np.zeros(n), np.full(n, INF))
        for terms, low, high in rows:
            cols = np.asarray([self.index[v] for v in terms], dtype=np.int32)
            vals = np.asarray(list(terms.values()), dtype=np.float64)
            self.model.addRow(low, high, len(cols), cols, vals)
        self.costed: list[int] = []

    def bounds(self, terms: dict[Var, float]) -> tuple[float, float]:
        for v in terms:
            if v not in self.index:
                return -INF, INF  # a variable nothing constrains
        return self._solve(terms, 1), self._solve(terms, -1)

    def _solve(self, terms: dict[Var, float], sense: int) -> float:
        if self.costed:
            idx = np.asarray(self.costed, dtype=np.int32)
            self.model.changeColsCost(len(idx), idx, np.zeros(len(idx)))
        cols = [self.index[v] for v in terms]
        self.model.changeColsCost(
            len(cols),
            np.asarray(cols, dtype=np.int32),
            np.asarray(list(terms.values()), dtype=np.float64),
        )
        self.costed = cols
        self.model.changeObjectiveSense(
            highspy.ObjSense.kMinimize if sense == 1 else highspy.ObjSense.kMaximize
        )
        self.model.run()
        status = self.model.getModelStatus()
        if status == highspy.HighsModelStatus.kOptimal:
            return float(self.model.getInfo().objective_function_value)
        if status == highspy.HighsModelStatus.kInfeasible:
            return -INF if sense == 1 else INF  # the attacker's guesses contradict: nothing
        return -sense * INF


def by_cell(findings: list[Finding]) -> dict[str, list[Finding]]:
    grouped: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        grouped[finding.cell[2]].append(finding)
    return grouped
