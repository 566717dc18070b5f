"""The demo collective: a year of invented scorecards in two invented districts.

The pattern is made up so that the figures have a shape: the health centre and the block
office answer well, the anti-trafficking unit and the compensation authority less so, victim
compensation is often delayed, and respect improves over the year while waiting does not. The
first three quarters are shared; the last is left to share, so both states can be seen.
Loading twice adds nothing: the collective is looked up by name first.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import select

from facilitator.load import Content
from facilitator.scorecard_model import FACE_IDS, Scorecard
from tracker.db import db
from tracker.models import Organisation
from tracker.scorecards import sharing
from tracker.scorecards.models import (
    Collective,
    Outcome,
    ScorecardAnswer,
    ScorecardPublication,
    ScorecardRound,
)

NAME = "Demo survivor collective"
DISTRICTS = {"Demo District North": ("Block A", "Block B"), "Demo District South": ("Block C",)}
YEAR = 2025
SHARED = ("2025-Q1", "2025-Q2", "2025-Q3")
# How well each kind of office answers, 0 (badly) to 1 (well); others are in between.
QUALITY = {"health-centre": 0.75, "block-office": 0.65, "ahtu-police": 0.35, "dlsa": 0.4}
# How often a kind of office is visited, relatively.
VISITS = {"dlsa": 12, "ahtu-police": 10, "block-office": 8, "health-centre": 8, "panchayat": 3}


def add(loaded: Content, organisation: Organisation, seed: int = 2025) -> str:
    """Add the demo collective to `organisation` (once) and share its first quarters."""
    scorecard = loaded.scorecard
    if scorecard is None:
        return "No scorecard in the curriculum: no demo collective."
    found = db.session.scalar(
        select(Collective).where(
            Collective.organisation_id == organisation.id, Collective.name == NAME
        )
    )
    if found is not None:
        return "The demo collective is already loaded."
    rng = random.Random(seed)
    collective = Collective(organisation_id=organisation.id, name=NAME)
    db.session.add(collective)
    db.session.flush()
    made = sum(_quarter(rng, scorecard, collective, q) for q in range(4))
    db.session.flush()
    for period in SHARED:
        shared = sharing.share(loaded, collective, period, "demo")
        if not isinstance(shared, ScorecardPublication):
            raise RuntimeError(f"demo period {period} not shared: {shared}")
    return f"Demo collective: {made} scorecards in two districts, {len(SHARED)} quarters shared."


def _quarter(rng: random.Random, scorecard: Scorecard, collective: Collective, q: int) -> int:
    offices = [o.id for o in scorecard.duty_bearers]
    weights = [VISITS.get(o, 1) for o in offices]
    start = date(YEAR, 3 * q + 1, 1)
    made = 0
    for district, blocks in DISTRICTS.items():
        for _ in range(
            rng.randint(150, 180) if district.endswith("North") else rng.randint(80, 100)
        ):
            office = rng.choices(offices, weights)[0]
            usual = [s.id for s in scorecard.services if office in s.duty_bearers]
            service = rng.choice(usual or [s.id for s in scorecard.services])
            held_on = start + timedelta(days=rng.randint(0, 89))
            _round(rng, scorecard, collective, district, rng.choice(blocks), office, service,
                   held_on, q)  # fmt: skip
            made += 1
    return made


def _round(
    rng: random.Random,
    scorecard: Scorecard,
    collective: Collective,
    district: str,
    block: str,
    office: str,
    service: str,
    held_on: date,
    quarter: int,
) -> None:
    quality = QUALITY.get(office, 0.5)
    outcome, days = _outcome(rng, service, quality)
    sheet = ScorecardRound(
        collective_id=collective.id,
        held_on=held_on,
        district=district,
        block=block,
        duty_bearer=office,
        service=service,
        outcome=outcome,
        days_waited=days,
    )
    db.session.add(sheet)
    db.session.flush()
    for question in scorecard.questions:
        if rng.random() < 0.06:
            continue  # she left it blank: her right
        better = quality + (0.05 * quarter if question.id == "respect" else 0.0)
        if question.id == "waiting":
            better -= 0.15
        draw = rng.random()
        face = (
            FACE_IDS[0] if draw < better else FACE_IDS[1] if draw < better + 0.25 else FACE_IDS[2]
        )
        db.session.add(ScorecardAnswer(round_id=sheet.id, question_id=question.id, face=face))


def _outcome(rng: random.Random, service: str, quality: float) -> tuple[Outcome | None, int | None]:
    if rng.random() < 0.15:
        return None, None  # not written on the sheet
    draw = rng.random()
    if service == "victim-compensation":
        outcome = (
            Outcome.pending if draw < 0.5 else Outcome.refused if draw < 0.7 else Outcome.granted
        )
        return outcome, rng.randint(40, 240)
    if draw < quality:
        return Outcome.granted, rng.randint(0, 25)
    if draw < quality + 0.2:
        return Outcome.pending, rng.randint(10, 60)
    return Outcome.refused, rng.randint(1, 45)
