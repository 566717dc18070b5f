"""Publishing a period: the collective's choice to share its protected figures.

What is shared is fixed when it is shared: the period's counts and the statuses protection
decided, stored together. Rounds entered or corrected later change the collective's own view,
never what was shared (a second, different version would let a reader subtract one from the
other), so a period is published once, after it has ended.
"""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from facilitator.load import Content
from tracker.db import db
from tracker.problems import Problem
from tracker.records import audit
from tracker.scorecards import counts as period_counts
from tracker.scorecards import protect, view
from tracker.scorecards.counts import PeriodCounts
from tracker.scorecards.models import Collective, ScorecardPublication
from tracker.scorecards.periods import bounds, label


def publish(
    loaded: Content, collective: Collective, period: str, by: str
) -> ScorecardPublication | list[Problem]:
    """Share the period and commit; the problems (nothing written) if it cannot be shared."""
    shared = share(loaded, collective, period, by)
    if isinstance(shared, ScorecardPublication):
        db.session.commit()
    return shared


def share(
    loaded: Content, collective: Collective, period: str, by: str
) -> ScorecardPublication | list[Problem]:
    """Share the period, audited, without committing (the demo shares inside its own load)."""
    scorecard = loaded.scorecard
    assert scorecard is not None
    shared = view.publication(collective, period)
    if shared is not None:
        message = _(
            "This period was already shared on %(day)s: it stays as it was shared.",
            day=shared.published_at.date().isoformat(),
        )
        return [Problem("period", message)]
    if bounds(period)[1] >= date.today():
        message = _("%(period)s has not ended yet: share it once it is over.", period=label(period))
        return [Problem("period", message)]
    live = period_counts.live(collective.id, period, scorecard.delayed_after_days)
    if not live.rounds:
        return [Problem("period", _("There are no ratings in this period to share."))]
    counts = PeriodCounts.from_json(live.as_json())
    rule = protect.rule(loaded)
    counts.least = view.least(rule)
    try:
        statuses = view.decide(counts, collective.id, scorecard, rule)
    except RuntimeError:
        message = _("The figures could not be protected safely, so nothing was shared.")
        return [Problem("period", message)]
    shared = ScorecardPublication(
        collective_id=collective.id,
        period=period,
        published_by=by,
        counts=counts.as_json(),
        statuses=protect.statuses_json(statuses),
    )
    db.session.add(shared)
    try:
        db.session.flush()
    except IntegrityError:  # shared a moment ago by someone else
        db.session.rollback()
        return [Problem("period", _("This period was shared meanwhile by someone else."))]
    detail = f"{period}: {counts.total()} ratings"
    audit.record("publish", "scorecard_period", shared.id, collective.organisation_id, detail)
    return shared
