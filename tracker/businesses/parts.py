"""The business part of a cohort: every count the business summary needs, counted once per
cohort (see tracker.summaries.parts for what a part is and why).

Counts only, as plain JSON: no code, no participant or business id. Money is kept as how
many businesses received each total (like a rating's count per value), so totals and
medians are exact sums over cohorts and every number in a part counts businesses:

    {"started": n, "group": n,
     "rounds": {"1": {"assessed": n, "running": n}, ...},   # each business's k-th stocktaking
     "latest": {"assessed": n, "running": n, "stages": {stage: n}},
     "risks": {risk: n},                  # businesses that met it at any stocktaking
     "money": {"all" | "grant" | "loan" | "source:<id>": {"funded": n, "amounts": {"8000": n}}}}
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import func, select

from facilitator.business_model import business_records
from facilitator.load import Content
from tracker.businesses.models import Business, Disbursement, Stocktaking, StocktakingRisk
from tracker.db import db

PART = "business"
PartData = dict[str, Any]


def empty() -> PartData:
    return {
        "started": 0,
        "group": 0,
        "rounds": {},
        "latest": {"assessed": 0, "running": 0, "stages": {}},
        "risks": {},
        "money": {},
    }


def cohort_parts(cohorts: Mapping[int, Any], loaded: Content) -> dict[int, PartData]:
    """The business part of each cohort (a CohortInfo by id) whose programme keeps business
    records: what tracker.summaries.releases adds to a cohort's parts."""
    records = business_records(loaded)
    if records is None:
        return {}
    return business_parts(
        [cid for cid, cohort in cohorts.items() if records.keeps_records(cohort.programme_id)]
    )


def business_parts(cohort_ids: Sequence[int]) -> dict[int, PartData]:
    parts = {cid: empty() for cid in cohort_ids}
    if not parts:
        return parts
    owner = {bid: cid for bid, cid, _ in _businesses(cohort_ids, parts)}
    if owner:
        _stocktakings(owner, parts)
        _risks(owner, parts)
        _money(owner, parts)
    return parts


def _businesses(cohort_ids: Sequence[int], parts: dict[int, PartData]) -> list[Any]:
    rows = list(
        db.session.execute(
            select(Business.id, Business.cohort_id, Business.group_business).where(
                Business.cohort_id.in_(cohort_ids)
            )
        )
    )
    for _, cid, group in rows:
        parts[cid]["started"] += 1
        parts[cid]["group"] += bool(group)
    return rows


def _stocktakings(owner: dict[int, int], parts: dict[int, PartData]) -> None:
    history: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for bid, taken_on, stage, running in db.session.execute(
        select(
            Stocktaking.business_id, Stocktaking.taken_on, Stocktaking.stage, Stocktaking.running
        )
        .where(Stocktaking.business_id.in_(list(owner)))
        .order_by(Stocktaking.business_id, Stocktaking.taken_on)
    ):
        history[bid].append((taken_on, stage, running))
    for bid, taken in history.items():
        part = parts[owner[bid]]
        for number, (_, _, running) in enumerate(taken, start=1):
            found = part["rounds"].setdefault(str(number), {"assessed": 0, "running": 0})
            found["assessed"] += 1
            found["running"] += bool(running)
        _, stage, running = taken[-1]
        latest = part["latest"]
        latest["assessed"] += 1
        latest["running"] += bool(running)
        latest["stages"][stage.value] = latest["stages"].get(stage.value, 0) + 1


def _risks(owner: dict[int, int], parts: dict[int, PartData]) -> None:
    for bid, risk in db.session.execute(
        select(Stocktaking.business_id, StocktakingRisk.risk_id)
        .join(StocktakingRisk, StocktakingRisk.stocktaking_id == Stocktaking.id)
        .where(Stocktaking.business_id.in_(list(owner)))
        .distinct()
    ):
        risks = parts[owner[bid]]["risks"]
        risks[risk] = risks.get(risk, 0) + 1


def _money(owner: dict[int, int], parts: dict[int, PartData]) -> None:
    totals: dict[tuple[int, str], int] = Counter()
    for bid, kind, source, amount in db.session.execute(
        select(
            Disbursement.business_id,
            Disbursement.kind,
            Disbursement.source,
            func.sum(Disbursement.amount),
        )
        .where(Disbursement.business_id.in_(list(owner)))
        .group_by(Disbursement.business_id, Disbursement.kind, Disbursement.source)
    ):
        for category in ("all", kind.value, f"source:{source}"):
            totals[(bid, category)] += int(amount)
    for (bid, category), total in sorted(totals.items()):
        money = parts[owner[bid]]["money"].setdefault(category, {"funded": 0, "amounts": {}})
        money["funded"] += 1
        money["amounts"][str(total)] = money["amounts"].get(str(total), 0) + 1
