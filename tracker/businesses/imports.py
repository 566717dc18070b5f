"""CSV import of business records, all or nothing and idempotent (tracker.records.imports.
running does the reading, the two passes, the audit and the commit).

Two files, as the paper comes back from a stocktaking workshop:

- businesses and stocktakings: a row per stocktaking of a business (or a row with no
  stocktaking, to record the business alone). The business is named by her code, its kind
  and the day it started; a business not yet recorded is added.
- money disbursed: a row per disbursement, to a business already recorded.

A stocktaking is one per business and date, a disbursement one per business, date, kind
and source: importing the same file again changes nothing, and a corrected file corrects.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from tracker.businesses import checks
from tracker.businesses.checks import BusinessInput, DisbursementInput, StocktakingInput
from tracker.businesses.entries import disbursement_values, set_risks, stocktaking_values
from tracker.businesses.models import Business, BusinessPartner, Disbursement, Stocktaking
from tracker.businesses.models import StocktakingRisk as Risk
from tracker.businesses.records import new_business, set_partners
from tracker.db import db
from tracker.models import Cohort
from tracker.problems import Problem
from tracker.records.imports.reading import header_row
from tracker.records.imports.running import RowImporter, cohort_codes
from tracker.records.values import parse_code

BUSINESS_COLUMNS = ("participant_code", "business_kind", "started_on")
STOCKTAKING_COLUMNS = (
    *BUSINESS_COLUMNS,
    "group_business",
    "partner_codes",
    "taken_on",
    "stage",
    "running",
    "risks",
    "other_risk",
    "next_steps",
)
STOCKTAKING_REQUIRED = (*BUSINESS_COLUMNS, "taken_on", "stage", "running")
DISBURSEMENT_COLUMNS = (*BUSINESS_COLUMNS, "paid_on", "amount", "money_kind", "paid_by")
BusinessKey = tuple[str, str, date]  # her code, the kind, the day it started


@dataclass(frozen=True)
class StocktakingRow:
    code: str
    owner_id: int
    business: BusinessInput
    stocktaking: StocktakingInput | None  # None: a row recording the business alone

    @property
    def business_key(self) -> BusinessKey:
        return (self.code, self.business.kind, self.business.started_on)


@dataclass(frozen=True)
class DisbursementRow:
    business_id: int
    money: DisbursementInput


def _problems(*values: object) -> list[Problem]:
    return [v for v in values if isinstance(v, Problem)]


class _CohortBusinesses:
    """The cohort's businesses as they are stored: found by her code, kind and start day."""

    def __init__(self, cohort: Cohort) -> None:
        self.cohort = cohort
        self.members = cohort_codes(cohort)
        codes = {pid: code for code, pid in self.members.items()}
        self.ids: dict[BusinessKey, int] = {}
        self.shape: dict[int, tuple[bool, frozenset[int]]] = {}
        rows = db.session.execute(
            select(
                Business.id,
                Business.participant_id,
                Business.kind,
                Business.started_on,
                Business.group_business,
            ).where(Business.cohort_id == cohort.id)
        )
        partners: dict[int, set[int]] = {}
        for bid, pid in db.session.execute(
            select(BusinessPartner.business_id, BusinessPartner.participant_id)
            .join(Business, Business.id == BusinessPartner.business_id)
            .where(Business.cohort_id == cohort.id)
        ):
            partners.setdefault(bid, set()).add(pid)
        for bid, pid, kind, started_on, group in rows:
            if pid in codes:
                self.ids[(codes[pid], kind, started_on)] = bid
            self.shape[bid] = (bool(group), frozenset(partners.get(bid, ())))

    def owner(self, raw: str, row: int) -> tuple[str, int] | Problem:
        code = parse_code(raw, "participant_code", row)
        if isinstance(code, Problem):
            return code
        if code not in self.members:
            return Problem("participant_code", _("%(code)s is not in this cohort.", code=code), row)
        return code, self.members[code]


# ---------------------------------------------------------------- stocktakings


class StocktakingRows(RowImporter[StocktakingRow]):
    entity = "business"
    required = STOCKTAKING_REQUIRED

    def __init__(self, cohort: Cohort) -> None:
        super().__init__(cohort)
        self.stored = _CohortBusinesses(cohort)
        self.said: dict[BusinessKey, tuple[int, bool, tuple[str, ...]]] = {}

    def check(self, number: int, row: Mapping[str, str]) -> StocktakingRow | list[Problem]:
        owner = self.stored.owner(row["participant_code"], number)
        business = self._business(number, row)
        stocktaking = self._stocktaking(number, row)
        if (
            isinstance(owner, Problem)
            or isinstance(business, list)
            or isinstance(stocktaking, list)
        ):
            return (
                _problems(owner)
                + (business if isinstance(business, list) else [])
                + (stocktaking if isinstance(stocktaking, list) else [])
            )
        code, owner_id = owner
        problems = checks.business_problems(business, code, self.stored.members, number)
        if stocktaking is not None:
            problems += checks.stocktaking_problems(stocktaking, business.started_on, number)
        problems += self._agrees(code, business, number)
        return problems or StocktakingRow(code, owner_id, business, stocktaking)

    def _business(self, number: int, row: Mapping[str, str]) -> BusinessInput | list[Problem]:
        kind = checks.parse_kind(row["business_kind"], number)
        started = checks.parse_day(row["started_on"], "started_on", number)
        group: bool | Problem = False
        if row.get("group_business", ""):
            group = checks.parse_yes_no(row["group_business"], "group_business", number)
        partners = checks.parse_partner_codes(row.get("partner_codes", ""), number)
        if (
            isinstance(kind, Problem)
            or isinstance(started, Problem)
            or isinstance(group, Problem)
            or isinstance(partners, Problem)
        ):
            return _problems(kind, started, group, partners)
        return BusinessInput(kind, started, group, partners)

    def _stocktaking(
        self, number: int, row: Mapping[str, str]
    ) -> StocktakingInput | list[Problem] | None:
        given = [
            row.get(c, "")
            for c in ("taken_on", "stage", "running", "risks", "other_risk", "next_steps")
        ]
        if not any(given):
            return None  # the business alone
        taken = checks.parse_day(row["taken_on"], "taken_on", number)
        stage = checks.parse_stage(row["stage"], number)
        running = checks.parse_yes_no(row["running"], "running", number)
        risks = checks.parse_risks(row.get("risks", ""), number)
        other = checks.parse_words(row.get("other_risk"), "other_risk", number)
        steps = checks.parse_words(row.get("next_steps"), "next_steps", number)
        if (
            isinstance(taken, Problem)
            or isinstance(stage, Problem)
            or isinstance(running, Problem)
            or isinstance(risks, Problem)
            or isinstance(other, Problem)
            or isinstance(steps, Problem)
        ):
            return _problems(taken, stage, running, risks, other, steps)
        return StocktakingInput(
            taken, stage, running, checks.with_other(risks, other), other, steps
        )

    def _agrees(self, code: str, business: BusinessInput, number: int) -> list[Problem]:
        """Every row of one business names the same partners (or none)."""
        key = (code, business.kind, business.started_on)
        shape = (business.group_business, tuple(sorted(business.partner_codes)))
        first, *said = self.said.setdefault(key, (number, *shape))
        if tuple(said) == shape:
            return []
        message = _(
            "Row %(first)d says otherwise about this business's partners: give the "
            "same group business and partners in every row of a business.",
            first=first,
        )
        return [Problem("partner_codes", message, number)]

    def key(self, entry: StocktakingRow) -> Hashable:
        taken = entry.stocktaking.taken_on if entry.stocktaking else None
        return (*entry.business_key, taken)

    def duplicate(self, entry: StocktakingRow, first: int, number: int) -> Problem:
        if entry.stocktaking is None:
            message = _("Row %(first)d records this business already.", first=first)
            return Problem("row", message, number)
        message = _(
            "Row %(first)d has a stocktaking of this business on the same date: one "
            "row per stocktaking.",
            first=first,
        )
        return Problem("taken_on", message, number)

    def write(self, chunk: list[StocktakingRow], tally: Counter[str]) -> None:
        saved = [self._saved_business(entry) for entry in chunk]
        existing = _stored_stocktakings([bid for bid, _ in saved])
        for entry, (bid, business) in zip(chunk, saved, strict=True):
            row = _save_stocktaking(bid, entry.stocktaking, existing) if entry.stocktaking else ""
            # A row is new if it added its business or stocktaking, changed if it changed one.
            for status in ("new", "changed", "unchanged"):
                if status in (business, row):
                    tally[status] += 1
                    break

    def _saved_business(self, entry: StocktakingRow) -> tuple[int, str]:
        """The row's business id, added or brought in line with the row (no commit), and
        whether it was new, changed or unchanged."""
        data = entry.business
        partners = frozenset(self.stored.members[c] for c in data.partner_codes)
        shape = (data.group_business, partners)
        bid = self.stored.ids.get(entry.business_key)
        if bid is None:
            business = new_business(self.cohort.id, entry.owner_id, data, partners)
            bid = self.stored.ids[entry.business_key] = business.id
            self.stored.shape[bid] = shape
            return bid, "new"
        if self.stored.shape[bid] == shape:
            return bid, "unchanged"
        stored = db.session.get_one(Business, bid)
        stored.group_business = data.group_business
        stored.version += 1
        set_partners(bid, partners)
        self.stored.shape[bid] = shape
        return bid, "changed"


StoredStocktakings = dict[tuple[int, date], tuple[Stocktaking, tuple[str, ...]]]


def _stored_stocktakings(business_ids: list[int]) -> StoredStocktakings:
    found: StoredStocktakings = {}
    wanted = sorted(set(business_ids))
    rows = list(db.session.scalars(select(Stocktaking).where(Stocktaking.business_id.in_(wanted))))
    risks: dict[int, list[str]] = {}
    if rows:
        for sid, risk in db.session.execute(
            select(Risk.stocktaking_id, Risk.risk_id).where(
                Risk.stocktaking_id.in_([r.id for r in rows])
            )
        ):
            risks.setdefault(sid, []).append(risk)
    for row in rows:
        found[(row.business_id, row.taken_on)] = (row, tuple(sorted(risks.get(row.id, []))))
    return found


def _save_stocktaking(bid: int, data: StocktakingInput, existing: StoredStocktakings) -> str:
    values = stocktaking_values(data)
    stored = existing.get((bid, data.taken_on))
    if stored is None:
        row = Stocktaking(business_id=bid, **values)
        db.session.add(row)
        db.session.flush()
        set_risks(row.id, data.risks)
        existing[(bid, data.taken_on)] = (row, tuple(sorted(data.risks)))
        return "new"
    row, risks = stored
    if all(getattr(row, k) == v for k, v in values.items()) and risks == tuple(sorted(data.risks)):
        return "unchanged"
    for name, value in values.items():
        setattr(row, name, value)
    row.version += 1
    set_risks(row.id, data.risks)
    existing[(bid, data.taken_on)] = (row, tuple(sorted(data.risks)))
    return "changed"


# ---------------------------------------------------------------- disbursements


class DisbursementRows(RowImporter[DisbursementRow]):
    entity = "disbursement"
    required = DISBURSEMENT_COLUMNS

    def __init__(self, cohort: Cohort) -> None:
        super().__init__(cohort)
        self.stored = _CohortBusinesses(cohort)

    def check(self, number: int, row: Mapping[str, str]) -> DisbursementRow | list[Problem]:
        owner = self.stored.owner(row["participant_code"], number)
        kind = checks.parse_kind(row["business_kind"], number)
        started = checks.parse_day(row["started_on"], "started_on", number)
        paid = checks.parse_day(row["paid_on"], "paid_on", number)
        amount = checks.parse_amount(row["amount"], number)
        money_kind = checks.parse_money_kind(row["money_kind"], number)
        source = checks.parse_source(row["paid_by"], number)
        if (
            isinstance(owner, Problem)
            or isinstance(kind, Problem)
            or isinstance(started, Problem)
            or isinstance(paid, Problem)
            or isinstance(amount, Problem)
            or isinstance(money_kind, Problem)
            or isinstance(source, Problem)
        ):
            return _problems(owner, kind, started, paid, amount, money_kind, source)
        code = owner[0]
        bid = self.stored.ids.get((code, kind, started))
        if bid is None:
            message = _(
                "%(code)s has no business of this kind started on %(day)s in this "
                "cohort: record the business first, on her page or with the file of "
                "businesses and stocktakings.",
                code=code,
                day=started,
            )
            return [Problem("business_kind", message, number)]
        return DisbursementRow(bid, DisbursementInput(paid, amount, money_kind, source))

    def key(self, entry: DisbursementRow) -> Hashable:
        money = entry.money
        return (entry.business_id, money.paid_on, money.kind, money.source)

    def duplicate(self, entry: DisbursementRow, first: int, number: int) -> Problem:
        message = _(
            "Row %(first)d has money of the same kind from the same source to this "
            "business on the same date: one row per disbursement.",
            first=first,
        )
        return Problem("paid_on", message, number)

    def write(self, chunk: list[DisbursementRow], tally: Counter[str]) -> None:
        wanted = sorted({entry.business_id for entry in chunk})
        existing = {
            (d.business_id, d.paid_on, d.kind, d.source): d
            for d in db.session.scalars(
                select(Disbursement).where(Disbursement.business_id.in_(wanted))
            )
        }
        for entry in chunk:
            money = entry.money
            key = (entry.business_id, money.paid_on, money.kind, money.source)
            stored = existing.get(key)
            if stored is None:
                existing[key] = Disbursement(
                    business_id=entry.business_id, **disbursement_values(money)
                )
                db.session.add(existing[key])
                tally["new"] += 1
            elif stored.amount == money.amount:
                tally["unchanged"] += 1
            else:
                stored.amount = money.amount
                stored.version += 1
                tally["changed"] += 1
        db.session.flush()


def template(kind: str) -> str:
    """The header row of a kind's template: stocktakings or disbursements."""
    return header_row(STOCKTAKING_COLUMNS if kind == "stocktakings" else DISBURSEMENT_COLUMNS)
