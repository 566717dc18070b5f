"""A period's counts for one collective: the sums every scorecard figure is made from.

Counts only, by district, kind of office, service, question and face: no date, no block, no
round. A published period keeps these as JSON, so what was shared never changes afterwards.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, case, func, or_, select

from tracker.db import db
from tracker.scorecards.models import Outcome, ScorecardAnswer, ScorecardRound
from tracker.scorecards.periods import bounds, period_of

Visit = tuple[str, str, str]  # district, kind of office, service
Marked = tuple[str, str, str, str]  # district, kind of office, question, face
OUTCOMES = tuple(outcome.value for outcome in Outcome)


@dataclass
class PeriodCounts:
    period: str
    delayed_after_days: int
    rounds: dict[Visit, int] = field(default_factory=dict)
    faces: dict[Marked, int] = field(default_factory=dict)
    # (district, office, service, outcome) -> sheets with that outcome
    outcomes: dict[Marked, int] = field(default_factory=dict)
    delayed: dict[Visit, int] = field(default_factory=dict)  # waited past the limit
    refused_or_delayed: dict[Visit, int] = field(default_factory=dict)
    # Shared periods: offices and services rated fewer times are shown together (see tables).
    least: int = 0

    def districts(self) -> list[str]:
        return sorted({d for d, _, _ in self.rounds}, key=lambda d: (d.casefold(), d))

    def total(self) -> int:
        return sum(self.rounds.values())

    def as_json(self) -> str:
        return json.dumps(
            {
                "period": self.period,
                "delayed_after_days": self.delayed_after_days,
                "rounds": _rows(self.rounds),
                "faces": _rows(self.faces),
                "outcomes": _rows(self.outcomes),
                "delayed": _rows(self.delayed),
                "refused_or_delayed": _rows(self.refused_or_delayed),
                "least": self.least,
            },
            ensure_ascii=False,
            sort_keys=True,
        )

    @classmethod
    def from_json(cls, text: str) -> PeriodCounts:
        data = json.loads(text)

        def keyed(name: str) -> dict[Any, int]:
            return {tuple(row[:-1]): int(row[-1]) for row in data[name]}

        return cls(
            data["period"],
            int(data["delayed_after_days"]),
            keyed("rounds"),
            keyed("faces"),
            keyed("outcomes"),
            keyed("delayed"),
            keyed("refused_or_delayed"),
            int(data.get("least", 0)),
        )


def _rows(counts: dict[Any, int]) -> list[list[Any]]:
    return [[*key, value] for key, value in sorted(counts.items()) if value]


def live(collective_id: int, period: str, delayed_after_days: int) -> PeriodCounts:
    """The period's counts as the collective's rounds stand now."""
    first, last = bounds(period)
    within = and_(
        ScorecardRound.collective_id == collective_id,
        ScorecardRound.held_on >= first,
        ScorecardRound.held_on <= last,
    )
    found = PeriodCounts(period, delayed_after_days)
    late = ScorecardRound.days_waited > delayed_after_days
    refused = ScorecardRound.outcome == Outcome.refused
    visit = (ScorecardRound.district, ScorecardRound.duty_bearer, ScorecardRound.service)
    sums = [func.sum(case((ScorecardRound.outcome == o, 1), else_=0)) for o in Outcome]
    query = (
        select(
            *visit,
            func.count(),
            func.sum(case((late, 1), else_=0)),
            func.sum(case((or_(refused, late), 1), else_=0)),
            *sums,
        )
        .where(within)
        .group_by(*visit)
    )
    for district, office, service, n, n_late, n_bad, *by_outcome in db.session.execute(query):
        key = (district, office, service)
        found.rounds[key] = int(n)
        found.delayed[key] = int(n_late or 0)
        found.refused_or_delayed[key] = int(n_bad or 0)
        for outcome, count in zip(OUTCOMES, by_outcome, strict=True):
            found.outcomes[(*key, outcome)] = int(count or 0)
    marked = (
        ScorecardRound.district,
        ScorecardRound.duty_bearer,
        ScorecardAnswer.question_id,
        ScorecardAnswer.face,
    )
    answers = (
        select(*marked, func.count())
        .join(ScorecardAnswer, ScorecardAnswer.round_id == ScorecardRound.id)
        .where(within)
        .group_by(*marked)
    )
    for district, office, question, face, n in db.session.execute(answers):
        found.faces[(district, office, question, face)] = int(n)
    return found


def periods(collective_id: int) -> list[str]:
    """The periods the collective has rounds in, newest first."""
    days = db.session.scalars(
        select(ScorecardRound.held_on)
        .where(ScorecardRound.collective_id == collective_id)
        .distinct()
    )
    return sorted({period_of(day) for day in days}, reverse=True)
