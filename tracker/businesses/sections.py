"""The business summary's sections, built from the business parts of a scope's cohorts like
every other section: each count a sum of cohort atoms (so the releases' joint protection
reasons about it), shares and medians computed from the same sums.

Sections: businesses started, still running at each stocktaking, the stage at the
latest stocktaking, money disbursed (total and median per business), the risks met.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from facilitator.business_model import BusinessRecords, business_records
from facilitator.load import Content
from tracker.businesses.models import Stage
from tracker.businesses.parts import PART
from tracker.businesses.vocabulary import STAGE_WORDS
from tracker.summaries.figures import Atom, Protection, difference
from tracker.summaries.scopes import Scope, TableMaker, atom, total
from tracker.summaries.section import Section
from tracker.summaries.tables import Column, ColumnKind, Translate

SECTION_KEYS = (
    "business-started",
    "business-running",
    "business-stages",
    "business-money",
    "business-risks",
)
MONEY_COLUMNS = ("amount", "median")  # rupees, in the money section's table
Entries = list[tuple[Atom, float]]


def applies(scope: Scope, loaded: Content) -> bool:
    records = business_records(loaded)
    return records is not None and any(records.keeps_records(pid) for pid in scope.programme_ids())


def build(scope: Scope, loaded: Content, gettext: Translate, rule: Protection) -> list[Section]:
    """The business sections of a scope whose programmes keep business records; else none."""
    records = business_records(loaded)
    if records is None or not applies(scope, loaded):
        return []
    return [
        _started(scope, gettext, rule),
        _running(scope, gettext, rule),
        _stages(scope, gettext, rule),
        _money(scope, records, gettext, rule),
        _risks(scope, records, gettext, rule),
    ]


def _entries(scope: Scope, name: str, value: Callable[[dict[str, Any]], float]) -> Entries:
    return [(atom(c, PART, v, name), value(d)) for c, v, d in scope.each(PART)]


def _count(name: str) -> Callable[[dict[str, Any]], float]:
    return lambda data: float(data[name])


def _in(table: str, key: str) -> Callable[[dict[str, Any]], float]:
    """The count of `key` in one of a part's tables: risks, or the latest stages."""

    def read(data: dict[str, Any]) -> float:
        found = data["latest"]["stages"] if table == "stages" else data[table]
        return float(found.get(key, 0))

    return read


def _assessed(data: dict[str, Any]) -> float:
    return float(data["latest"]["assessed"])


def _count_columns(gettext: Translate, first: str, count: str, share: str) -> list[Column]:
    return [
        Column("option", first),
        Column("count", count, ColumnKind.COUNT),
        Column("share", share, ColumnKind.PERCENT, derived_from=("count",)),
    ]


def _tally(
    maker: TableMaker,
    rows: Sequence[tuple[str, str, Entries]],
    base_label: str,
    base: Entries,
    rule: Protection,
) -> None:
    """A row per option with its share of the base, then the base row (like a form's tally)."""
    everyone = total(base, "count", rule)
    last = len(rows)
    for index, (key, label, entries) in enumerate(rows):
        counted = total(entries, "count", rule)
        share = counted.value / everyone.value if everyone.value else None
        c = maker.index("count")
        maker.row(
            key,
            {"option": label, "count": counted, "share": share},
            extra_depends={"share": ((index, c), (last, c))},
        )
        maker.complement(difference(everyone, counted, rule=rule))
    maker.row("all", {"option": base_label, "count": everyone})


# ------------------------------------------------------------------ started


def _started(scope: Scope, gettext: Translate, rule: Protection) -> Section:
    maker = TableMaker(
        gettext("Businesses started"),
        _count_columns(
            gettext, gettext("Businesses"), gettext("Number"), gettext("Share of businesses")
        ),
        [
            gettext("A group business run by several participants counts once."),
            gettext(
                "The kinds of business are on each cohort's list of businesses, for its "
                "own staff: broken down by kind, most counts would be too small to show."
            ),
        ],
    )
    started = total(_entries(scope, "started", _count("started")), "count", rule)
    group = total(_entries(scope, "group", _count("group")), "count", rule)
    maker.row("all", {"option": gettext("Businesses started"), "count": started})
    c = maker.index("count")
    maker.row(
        "group",
        {
            "option": gettext("Of them, group businesses"),
            "count": group,
            "share": group.value / started.value if started.value else None,
        },
        extra_depends={"share": ((0, c),)},
    )
    maker.complement(difference(started, group, rule=rule))
    return Section("business-started", gettext("Businesses started"), maker.table, rules=[rule])


# ------------------------------------------------------------------ running


def _running(scope: Scope, gettext: Translate, rule: Protection) -> Section:
    maker = TableMaker(
        gettext("Businesses still running at each stocktaking"),
        [
            Column("session", gettext("Stocktaking")),
            Column("running", gettext("Running"), ColumnKind.COUNT),
            Column("assessed", gettext("Taken stock of"), ColumnKind.COUNT),
            Column(
                "rate",
                gettext("Share running"),
                ColumnKind.PERCENT,
                derived_from=("running", "assessed"),
            ),
        ],
        [
            gettext(
                "Stocktaking 1 is each business's first stocktaking, 2 its second, and so "
                "on; the last row is each business's latest one."
            )
        ],
    )
    rounds = sorted({int(k) for _, _, d in scope.each(PART) for k in d["rounds"]})
    lines: list[tuple[str, str, str]] = [
        (f"round:{n}", gettext("Stocktaking %(n)d") % {"n": n}, f"round:{n}") for n in rounds
    ]
    lines.append(("latest", gettext("Latest stocktaking"), "latest"))
    for key, label, name in lines:
        running = total(_entries(scope, f"{name}:running", _reader(name, "running")), "count", rule)
        assessed = total(
            _entries(scope, f"{name}:assessed", _reader(name, "assessed")), "count", rule
        )
        rate = running.value / assessed.value if assessed.value else None
        maker.row(key, {"session": label, "running": running, "assessed": assessed, "rate": rate})
        maker.complement(difference(assessed, running, rule=rule))
    return Section(
        "business-running", gettext("Still running"), maker.table, "attendance", rules=[rule]
    )


def _reader(name: str, what: str) -> Callable[[dict[str, Any]], float]:
    """How many businesses were assessed (or running) at a round, or at the latest one."""

    def read(data: dict[str, Any]) -> float:
        found = data["latest"] if name == "latest" else data["rounds"].get(name[6:], {})
        return float(found.get(what, 0))

    return read


# ------------------------------------------------------------------ stages


def _stages(scope: Scope, gettext: Translate, rule: Protection) -> Section:
    maker = TableMaker(
        gettext("Stage at the latest stocktaking"),
        _count_columns(
            gettext, gettext("Stage"), gettext("Businesses"), gettext("Share of businesses")
        ),
    )
    rows = [
        (
            f"stage:{stage.value}",
            gettext(STAGE_WORDS[stage]),
            _entries(
                scope,
                f"stage:{stage.value}",
                _in("stages", stage.value),
            ),
        )
        for stage in Stage
    ]
    base = _entries(scope, "latest:assessed", _assessed)
    _tally(maker, rows, gettext("Businesses taken stock of"), base, rule)
    return Section("business-stages", gettext("Stages"), maker.table, "tally", rules=[rule])


# ------------------------------------------------------------------ money


def _median(histogram: Counter[int]) -> float | None:
    count = sum(histogram.values())
    if not count:
        return None
    ordered = sorted(histogram.items())

    def nth(n: int) -> int:
        seen = 0
        for amount, times in ordered:
            seen += times
            if seen > n:
                return amount
        return ordered[-1][0]

    middle = count // 2
    return float(nth(middle)) if count % 2 else (nth(middle - 1) + nth(middle)) / 2


def _money(scope: Scope, records: BusinessRecords, gettext: Translate, rule: Protection) -> Section:
    maker = TableMaker(
        gettext("Money disbursed to businesses, in rupees"),
        [
            Column("option", gettext("Disbursed")),
            Column("funded", gettext("Businesses that received it"), ColumnKind.COUNT),
            Column("amount", gettext("Total (₹)"), ColumnKind.NUMBER, derived_from=("funded",)),
            Column(
                "median",
                gettext("Median per business (₹)"),
                ColumnKind.NUMBER,
                derived_from=("funded",),
            ),
        ],
        [
            gettext(
                "The median: half the businesses that received money of this kind received "
                "this much or less in all."
            )
        ],
    )
    categories = [
        ("all", gettext("All money")),
        ("grant", gettext("As grants")),
        ("loan", gettext("As loans")),
    ]
    categories += [
        (f"source:{s.id}", gettext("From: %(source)s") % {"source": s.label})
        for s in records.sources
    ]
    for category, label in categories:
        funded: Entries = []
        amount: Entries = []
        histogram: Counter[int] = Counter()
        for cohort, version, data in scope.each(PART):
            found = data["money"].get(category, {"funded": 0, "amounts": {}})
            funded.append(
                (atom(cohort, PART, version, f"money:{category}:funded"), found["funded"])
            )
            summed = sum(int(a) * n for a, n in found["amounts"].items())
            amount.append((atom(cohort, PART, version, f"money:{category}:sum"), summed))
            histogram.update({int(a): n for a, n in found["amounts"].items()})
        maker.row(
            f"money:{category}",
            {
                "option": label,
                "funded": total(funded, "count", rule),
                "amount": total(amount, "sum", rule),
                "median": _median(histogram),
            },
        )
    return Section("business-money", gettext("Money disbursed"), maker.table, rules=[rule])


# ------------------------------------------------------------------ risks


def _risks(scope: Scope, records: BusinessRecords, gettext: Translate, rule: Protection) -> Section:
    maker = TableMaker(
        gettext("Risks met, at any stocktaking"),
        _count_columns(
            gettext,
            gettext("Risk"),
            gettext("Businesses that met it"),
            gettext("Share of businesses taken stock of"),
        ),
        [gettext("A business that met a risk at several stocktakings counts once.")],
    )
    rows = [
        (
            f"risk:{r.id}",
            r.label,
            _entries(scope, f"risk:{r.id}", _in("risks", r.id)),
        )
        for r in records.risks
    ]
    base = _entries(scope, "latest:assessed", _assessed)
    _tally(maker, rows, gettext("Businesses taken stock of"), base, rule)
    return Section("business-risks", gettext("Risks met"), maker.table, "tally", rules=[rule])
