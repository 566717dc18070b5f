"""From a release's tables to a protected release, and back to tables people read.

`ledger_for` turns the tables of every scope into what an evaluator would know (each count
shown, or hidden within its label), adds what anybody knows about the forms (`relations`),
the complements nobody is shown and the differences from the previous release; `protection`
then decides what else to hide, and `apply` marks the tables accordingly.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from facilitator.business_model import business_records
from facilitator.load import Content
from facilitator.model import EvaluationForm, Instrument
from tracker.businesses import relations as business_relations  # a module: it imports ours
from tracker.summaries import statistics as stats
from tracker.summaries.figures import Atom, Figure, Protection, Terms
from tracker.summaries.parts import COMPARISONS, comparison_key
from tracker.summaries.protection import Known, Ledger, Relation, Requirement, Status
from tracker.summaries.scopes import PartRef
from tracker.summaries.tables import SummaryTable, Suppressed

AtomOf = Callable[[str], Atom]  # a figure's name in one cohort's part -> its atom

Position = tuple[str, str, str, str]  # (scope, section, row key, column key)


# ------------------------------------------------------------------ first statuses


def first_statuses(table: SummaryTable) -> dict[tuple[int, int], Known]:
    """Primary suppression and withheld rows, before any secondary hiding."""
    found: dict[tuple[int, int], Known] = {}
    withheld = _withheld_rows(table)
    for (r, c), figure in table.links.items():
        rule = figure.rule
        if r in withheld:
            m = withheld[r]
            found[(r, c)] = Known(
                figure, "withheld", (0, m - 1) if figure.kind == "count" else None
            )
        elif figure.kind == "count" and rule.small(figure.value):
            found[(r, c)] = Known(figure, "primary", rule.label())
        else:
            found[(r, c)] = Known(figure, "shown")
    return found


def _withheld_rows(table: SummaryTable) -> dict[int, int]:
    rows = {}
    for r, cells in table.respondents_cell.items():
        rules = [table.links[p].rule for p in cells if p in table.links]
        m = max((rule.min_respondents for rule in rules if rule.sensitive), default=0)
        if m and min(table.links[p].value for p in cells if p in table.links) < m:
            rows[r] = m
    return rows


def add_table(
    ledger: Ledger,
    scope_key: str,
    section: str,
    table: SummaryTable,
    positions: dict[Position, Figure],
) -> None:
    for (r, c), known in first_statuses(table).items():
        ledger.add(known)
        positions[(scope_key, section, table.row_keys[r], table.columns[c].key)] = known.figure
    for figure in table.complements:
        cover = _cover(figure.value, figure.rule, changed=True)
        if cover is not None:
            ledger.virtual.append(_uncertain(figure.terms, cover, "complement"))


def _uncertain(terms: Terms, cover: tuple[float, float], why: str) -> Requirement:
    """A small value nobody is shown (a complement, a change between releases) must stay as
    uncertain as a "<5" label would leave it: a range at least as wide as the label's. Its
    position is not fixed, since the published labels themselves may already bound it (two
    hidden parts of "1 to 4" each add up to at least 2)."""
    return Requirement(terms, None, why, width=cover[1] - cover[0])


def _cover(value: float, rule: Protection, *, changed: bool) -> tuple[float, float] | None:
    """The interval a small hidden value must keep open, or None if it need not be hidden."""
    if value == 0 and not changed:
        return None
    if value >= 0 and rule.small(value):
        return rule.label()
    if value < 0 and rule.small(-value):
        low, high = rule.label()
        return (-high, -low)
    return None


def add_history(
    ledger: Ledger, published: Iterable[tuple[Figure, Status, tuple[float, float] | None]]
) -> None:
    for figure, status, label in published:
        ledger.add(Known(figure, status, label, new=False))


def add_differences(
    ledger: Ledger,
    before: dict[Position, Figure],
    now: dict[Position, Figure],
    respondents: dict[Position, Position],
) -> None:
    """A figure whose sum changed since the last release: the change is itself a count of
    the people who came or went, and is protected like one."""
    for position, figure in now.items():
        old = before.get(position)
        if old is None or old.terms == figure.terms:
            continue
        change = figure.value - old.value
        basis = respondents.get(position)
        changed = True
        if change == 0 and basis is not None and basis in now and basis in before:
            changed = now[basis].value != before[basis].value
        cover = _cover(change, figure.rule, changed=changed) if figure.kind == "count" else None
        if cover is not None:
            terms = _minus(figure.terms, old.terms)
            ledger.virtual.append(_uncertain(terms, cover, "change since the last release"))


def _minus(a: Terms, b: Terms) -> Terms:
    weighted: dict[Atom, int] = {}
    for atom, c in a:
        weighted[atom] = weighted.get(atom, 0) + c
    for atom, c in b:
        weighted[atom] = weighted.get(atom, 0) - c
    return tuple(sorted((atom, c) for atom, c in weighted.items() if c))


# ------------------------------------------------------------------ what anyone knows


def relations(
    cohort_id: int, part_key: str, ref: PartRef, loaded: Content, completion_share: float
) -> list[Relation]:
    version, data = ref

    def a(name: str) -> Atom:
        return (cohort_id, part_key, version, name)

    if part_key == "attendance":
        return _attendance_relations(a, data, completion_share)
    if part_key.startswith("assess:"):
        instrument = loaded.instruments.get(part_key.removeprefix("assess:"))
        return [] if instrument is None else _assessment_relations(a, instrument)
    if part_key.startswith("form:"):
        form = loaded.evaluation_forms.get(part_key.removeprefix("form:"))
        return [] if form is None else _form_relations(a, form)
    if part_key == business_relations.PART:
        return business_relations.relations(a, data, business_records(loaded))
    return []


def _rel(terms: Sequence[tuple[Atom, float]], low: float | None, high: float | None) -> Relation:
    return Relation(tuple(terms), low, high)


def _attendance_relations(a: AtomOf, data: dict[str, Any], share: float) -> list[Relation]:
    found = [
        _rel([(a(f"present:{s[0]}"), 1), (a("enrolled"), -1)], None, 0) for s in data["sessions"]
    ]
    found.append(_rel([(a("completed"), 1), (a("enrolled"), -1)], None, 0))
    if data["held"]:
        # Every member falls in one band once a session was held (none before).
        bands = [(a(f"band:{i}"), 1) for i in range(4)]
        found.append(_rel([*bands, (a("enrolled"), -1)], 0, 0))
        if math.isclose(share, 0.75):
            # Completing means attending 75% or more: exactly the top band.
            found.append(_rel([(a("completed"), 1), (a("band:3"), -1)], 0, 0))
    return found


def _assessment_relations(a: AtomOf, instrument: Instrument) -> list[Relation]:
    values = [p.value for p in instrument.scale] or [0, 1]
    low, high = min(values), max(values)
    found: list[Relation] = []
    timepoints = ("pre", "post", "follow_up", "retro_pre")
    for tp in timepoints:
        for item in instrument.items:
            if instrument.kind == "yes_no":
                found.append(
                    _rel(
                        [
                            (a(f"value:{tp}:{item.id}:1"), 1),
                            (a(f"value:{tp}:{item.id}:0"), 1),
                            (a(f"respondents:{tp}"), -1),
                        ],
                        None,
                        0,
                    )
                )
            elif instrument.kind == "rating":
                n, total = a(f"value:{tp}:{item.id}:n"), a(f"value:{tp}:{item.id}:sum")
                found.append(_rel([(n, 1), (a(f"respondents:{tp}"), -1)], None, 0))
                found += _between(total, n, low, high)

    for before, after in COMPARISONS:
        cmp = comparison_key(before, after)
        matched = a(f"matched:{cmp}")
        found.append(_rel([(matched, 1), (a(f"respondents:{before.value}"), -1)], None, 0))
        found.append(_rel([(matched, 1), (a(f"respondents:{after.value}"), -1)], None, 0))
        if instrument.kind != "likert":
            continue
        found.append(_rel([(a(f"pair:{cmp}:overall:n"), 1), (matched, -1)], 0, 0))
        for name in [item.id for item in instrument.items] + ["overall"]:
            n = a(f"pair:{cmp}:{name}:n")
            parts = [
                (a(f"pair:{cmp}:{name}:{k}"), 1) for k in ("improved", "unchanged", "worsened")
            ]
            found.append(_rel([*parts, (n, -1)], 0, 0))
            if name != "overall":
                found.append(_rel([(n, 1), (matched, -1)], None, 0))
            for side in ("sum_before", "sum_after"):
                found += _between(a(f"pair:{cmp}:{name}:{side}"), n, low, high)
    return found


def _between(total: Atom, n: Atom, low: float, high: float) -> list[Relation]:
    """low * n <= total <= high * n: a sum of answers lies between the scale's ends."""
    return [_rel([(total, 1), (n, -high)], None, 0), _rel([(total, -1), (n, low)], None, 0)]


def _form_relations(a: AtomOf, form: EvaluationForm) -> list[Relation]:
    options = [o.id for o in form.options] + (["other"] if form.other else [])
    respondents = a("respondents")
    found = [_rel([(a(f"option:{o}"), 1), (respondents, -1)], None, 0) for o in options]
    chosen = [(a(f"option:{o}"), 1) for o in options]
    # Everyone chooses at least one option and at most choose_up_to.
    found.append(_rel([*chosen, (respondents, -1)], 0, None))
    found.append(_rel([*chosen, (respondents, -form.choose_up_to)], None, 0))
    return found


# ------------------------------------------------------------------ back to tables


def apply(
    table: SummaryTable,
    statuses: dict[Terms, tuple[Status, tuple[float, float] | None]],
    gettext: Any = str,
) -> SummaryTable:
    """The table as evaluators see it: hidden figures marked, cells computed from a hidden
    figure hidden, Holm-adjusted p-values over the tests that are shown."""
    out = table.copy()
    for (r, c), figure in table.links.items():
        status, label = statuses.get(figure.terms, ("secondary", None))
        if status == "shown":
            continue
        rule = figure.rule
        if status == "withheld":
            out.rows[r][c] = Suppressed(
                int(label[1]) + 1 if label else rule.min_respondents, "withheld"
            )
        elif status == "primary":
            out.rows[r][c] = Suppressed(rule.threshold, "primary")
        else:
            out.rows[r][c] = Suppressed(rule.threshold, "secondary")
    _hide_derived(out)
    holm_column(out, gettext)
    return out


def _hide_derived(out: SummaryTable) -> None:
    for (r, c), bases in out.depends.items():
        if isinstance(out.rows[r][c], Suppressed):
            continue
        if any(isinstance(out.rows[br][bc], Suppressed) for br, bc in bases):
            out.rows[r][c] = Suppressed(5, "derived")


def holm_column(table: SummaryTable, gettext: Any = str) -> None:
    """p (Holm) over the p-values shown in this table (hidden rows take no part)."""
    try:
        p_col, holm_col = table.column_index("p_value"), table.column_index("p_holm")
    except KeyError:
        return
    shown: list[float | None] = []
    for row in table.rows:
        p = row[p_col]
        visible = isinstance(p, float) and not isinstance(row[holm_col], Suppressed)
        shown.append(p if visible and isinstance(p, float) else None)
    adjusted = stats.holm(shown)
    for row, value in zip(table.rows, adjusted, strict=True):
        if not isinstance(row[holm_col], Suppressed):
            row[holm_col] = value
    tested = sum(p is not None for p in shown)
    if tested > 1:
        table.notes.append(gettext(stats.HOLM_NOTE) % {"m": tested})


def rules_note(rules: Iterable[Protection], gettext: Any) -> list[str]:
    """One line per distinct rule: the threshold that applied and why."""
    lines = []
    for rule in sorted(set(rules), key=lambda r: (r.threshold, r.min_respondents, r.reason)):
        if rule.threshold <= 1:
            text = gettext("Exact counts: %(reason)s") % {"reason": rule.reason}
        elif rule.sensitive and rule.min_respondents:
            text = gettext(
                "Counts from 0 to %(last)d hidden, and not released below %(m)d answers: %(reason)s"
            ) % {"last": rule.threshold - 1, "m": rule.min_respondents, "reason": rule.reason}
        elif rule.sensitive:
            text = gettext("Counts from 0 to %(last)d hidden: %(reason)s") % {
                "last": rule.threshold - 1,
                "reason": rule.reason,
            }
        else:
            text = gettext("Counts from 1 to %(last)d hidden: %(reason)s") % {
                "last": rule.threshold - 1,
                "reason": rule.reason,
            }
        if text not in lines:
            lines.append(text)
    return lines
