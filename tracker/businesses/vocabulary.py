"""The words of business records: the curriculum's lists (kinds, who disbursed, risks) in the
reader's language, and the tracker's own fixed words (stages, grant or loan)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from facilitator.business_model import BusinessRecords, business_records
from tracker import content
from tracker.businesses.models import MoneyKind, Stage

# N_-style English labels: the summary translates them with its own gettext (a release is
# built in English and shown in the reader's language), the pages with _l.
STAGE_WORDS = {
    Stage.start_up: "Start-up",
    Stage.initial_growth: "Initial growth",
    Stage.maturity: "Maturity",
    Stage.expansion: "Expansion",
    Stage.closed: "Closed",
}
STAGE_LABELS = {
    Stage.start_up: _l("Start-up"),
    Stage.initial_growth: _l("Initial growth"),
    Stage.maturity: _l("Maturity"),
    Stage.expansion: _l("Expansion"),
    Stage.closed: _l("Closed"),
}
MONEY_LABELS = {MoneyKind.grant: _l("Grant"), MoneyKind.loan: _l("Loan")}


def records(language: str | None = None) -> BusinessRecords | None:
    """curriculum/businesses.yaml in `language` (None: no programme keeps business records)."""
    return business_records(content.content(language))


def keeps_records(programme_id: str) -> bool:
    """Whether a cohort of this programme records its participants' businesses."""
    found = records()
    return found is not None and found.keeps_records(programme_id)


def kinds(language: str | None = None) -> dict[str, str]:
    found = records(language)
    return found.labels(found.kinds) if found else {}


def sources(language: str | None = None) -> dict[str, str]:
    found = records(language)
    return found.labels(found.sources) if found else {}


def risks(language: str | None = None) -> dict[str, str]:
    found = records(language)
    return found.labels(found.risks) if found else {}
