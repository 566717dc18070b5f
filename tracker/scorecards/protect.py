"""What of a period's figures others may see: the same joint protection as every summary.

The tables of every district of the period go into one ledger with what anyone who knows
the sheet knows (`tables.relations`) and the small counts nobody is shown (blank answers,
sheets with no outcome); `tracker.summaries.protection.protect` hides until no hidden count
can be worked out, and `tracker.summaries.publish.apply` marks the tables. A published
period stores the statuses decided then, so it reads the same for ever.
"""

from __future__ import annotations

import json
from typing import Any

from facilitator.load import Content
from facilitator.model import Disclosure
from tracker.summaries import publish
from tracker.summaries.figures import Protection, Terms
from tracker.summaries.protection import Ledger, Relation, Status, protect
from tracker.summaries.rules import Rules
from tracker.summaries.tables import SummaryTable, Translate, untranslated

StatusMap = dict[Terms, tuple[Status, tuple[float, float] | None]]


def rule(loaded: Content) -> Protection:
    """The scorecard's own disclosure rule, else the curriculum's default one."""
    scorecard = loaded.scorecard
    if scorecard is None or scorecard.disclosure is None:
        return Rules(loaded).default()
    return _protection(scorecard.disclosure)


def _protection(found: Disclosure) -> Protection:
    return Protection(found.threshold, found.sensitive, found.min_respondents, found.reason)


def ledger(tables: list[SummaryTable], relations: list[Relation]) -> Ledger:
    """Everything an outsider would know from these tables, before protection."""
    found = Ledger()
    positions: dict[publish.Position, Any] = {}
    for index, table in enumerate(tables):
        publish.add_table(found, "scorecard", str(index), table, positions)
    found.relations += relations
    return found


def decide(tables: list[SummaryTable], relations: list[Relation]) -> StatusMap:
    """Hide until every requirement holds; the status of every figure."""
    found = ledger(tables, relations)
    protect(found)
    return {terms: (known.status, known.label) for terms, known in found.known.items()}


def apply(
    table: SummaryTable, statuses: StatusMap, gettext: Translate = untranslated
) -> SummaryTable:
    return publish.apply(table, statuses, gettext)


def statuses_json(statuses: StatusMap) -> str:
    rows = [
        [[[*atom, c] for atom, c in terms], status, *(label or (None, None))]
        for terms, (status, label) in sorted(statuses.items())
    ]
    return json.dumps(rows, ensure_ascii=False)


def statuses_from(text: str) -> StatusMap:
    found: StatusMap = {}
    for terms, status, low, high in json.loads(text):
        key: Terms = tuple(
            ((int(cid), str(part), int(version), str(name)), int(c))
            for cid, part, version, name, c in terms
        )
        found[key] = (status, None if low is None else (float(low), float(high)))
    return found
