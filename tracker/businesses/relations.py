"""What anybody who knows the business forms can say about a cohort's business counts (see
tracker.summaries.publish.relations): the joint protection reasons with these too, so a
hidden count cannot be narrowed by them further than protection allows for."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from facilitator.business_model import BusinessRecords
from tracker.businesses.models import MoneyKind, Stage
from tracker.businesses.parts import PART
from tracker.summaries.figures import Atom
from tracker.summaries.protection import Relation

AtomOf = Callable[[str], Atom]
__all__ = ["PART", "relations"]


def _rel(terms: Sequence[tuple[Atom, float]], low: float | None, high: float | None) -> Relation:
    return Relation(tuple(terms), low, high)


def _at_most(a: Atom, b: Atom) -> Relation:
    """a <= b."""
    return _rel([(a, 1), (b, -1)], None, 0)


def relations(a: AtomOf, data: dict[str, Any], records: BusinessRecords | None) -> list[Relation]:
    started = a("started")
    assessed = a("latest:assessed")
    found = [_at_most(a("group"), started), _at_most(assessed, started)]
    if records is not None:
        found += [_at_most(a(f"risk:{r.id}"), assessed) for r in records.risks]
    found += _stocktaking_relations(a, data)
    found += _money_relations(a, records)
    return found


def _stocktaking_relations(a: AtomOf, data: dict[str, Any]) -> list[Relation]:
    assessed = a("latest:assessed")
    stages = [(a(f"stage:{stage.value}"), 1.0) for stage in Stage]
    found = [
        _rel([*stages, (assessed, -1)], 0, 0),  # each business's latest stage
        _at_most(a("latest:running"), assessed),
        # A closed business is not running.
        _rel(
            [(a(f"stage:{Stage.closed.value}"), 1), (a("latest:running"), 1), (assessed, -1)],
            None,
            0,
        ),
    ]
    rounds = sorted(int(n) for n in data["rounds"])
    if rounds:
        # Every business with a stocktaking has a first one.
        found.append(_rel([(a("round:1:assessed"), 1), (assessed, -1)], 0, 0))
    for n in rounds:
        found.append(_at_most(a(f"round:{n}:running"), a(f"round:{n}:assessed")))
        if n > 1:
            found.append(_at_most(a(f"round:{n}:assessed"), a(f"round:{n - 1}:assessed")))
    return found


def _money_relations(a: AtomOf, records: BusinessRecords | None) -> list[Relation]:
    funded, money = a("money:all:funded"), a("money:all:sum")
    kinds = [kind.value for kind in MoneyKind]
    sources = [f"source:{s.id}" for s in (records.sources if records else [])]
    found = [_at_most(funded, a("started")), _at_most(funded, money)]
    for category in kinds + sources:
        some = a(f"money:{category}:funded")
        found.append(_at_most(some, funded))
        # Every business counted received at least a rupee.
        found.append(_at_most(some, a(f"money:{category}:sum")))
    # All the money is the grants plus the loans; every funded business had one or both.
    found.append(_rel([*((a(f"money:{k}:sum"), 1.0) for k in kinds), (money, -1)], 0, 0))
    found.append(_rel([*((a(f"money:{k}:funded"), 1.0) for k in kinds), (funded, -1)], 0, None))
    if sources:
        # At most all the money came from the sources the curriculum lists now (a source
        # taken off the list since keeps its money in the total).
        found.append(_rel([*((a(f"money:{c}:sum"), 1.0) for c in sources), (money, -1)], None, 0))
    return found
