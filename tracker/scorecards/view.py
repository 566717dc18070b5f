"""A period's scorecard figures as people read them: per district, the ratings per kind of
office, the share of each face per question, the services most often refused or delayed,
the change since the last period, a chart beside each table.

Three ways to read a period: `exact` (the collective's own staff, live), `preview` (live,
protected as publishing would protect it) and `published` (what the collective shared,
as it was shared). The last two pass through the same protection as every evaluator figure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from sqlalchemy import select

from facilitator.load import Content
from facilitator.scorecard_model import Scorecard
from tracker.db import db
from tracker.scorecards import counts as period_counts
from tracker.scorecards import protect
from tracker.scorecards.charts import FaceBar, faces_chart_svg
from tracker.scorecards.counts import PeriodCounts
from tracker.scorecards.models import Collective, ScorecardPublication
from tracker.scorecards.periods import label, previous
from tracker.scorecards.tables import (
    ALL,
    OTHER,
    Atoms,
    DistrictTables,
    Setting,
    district_tables,
    relations,
)
from tracker.summaries import charts
from tracker.summaries.figures import Protection
from tracker.summaries.publish import rules_note
from tracker.summaries.tables import (
    Cell,
    ColumnKind,
    SummaryTable,
    Suppressed,
    Translate,
    suppression_legend,
)

Mode = Literal["exact", "preview", "published"]


@dataclass
class Shown:
    """One table as people see it, with its chart and the legend of what it hides."""

    key: str
    heading: str
    table: SummaryTable
    chart_svg: str | None
    legend: list[str] = field(default_factory=list)


@dataclass
class DistrictFigures:
    district: str
    ratings: Cell  # every office together, as shown
    overall: SummaryTable  # every office together, per question
    services: SummaryTable  # most often refused or delayed first
    worst: list[tuple[str, Cell, Cell, Cell]]  # service, refused or delayed, ratings, share
    sections: list[Shown]


@dataclass
class PeriodFigures:
    period: str
    label: str
    mode: Mode
    published_at: date | None
    delayed_after_days: int
    districts: list[DistrictFigures]
    rules: list[str]

    def district(self, name: str) -> DistrictFigures | None:
        return next((d for d in self.districts if d.district == name), None)


@dataclass
class Read:
    """A period's tables as shown (protected or exact), by district."""

    counts: PeriodCounts
    tables: dict[str, DistrictTables]


# ---------------------------------------------------------------- reading a period


def publication(collective: Collective, period: str) -> ScorecardPublication | None:
    return db.session.scalar(
        select(ScorecardPublication).where(
            ScorecardPublication.collective_id == collective.id,
            ScorecardPublication.period == period,
        )
    )


def build(
    counts: PeriodCounts,
    collective_id: int,
    scorecard: Scorecard,
    rule: Protection,
    gettext: Translate,
) -> dict[str, DistrictTables]:
    setting = Setting(
        counts, Atoms(collective_id, counts.period), scorecard, rule, gettext, counts.least
    )
    return {d: district_tables(setting, d) for d in counts.districts()}


def every_table(tables: dict[str, DistrictTables]) -> list[SummaryTable]:
    return [table for found in tables.values() for table in found.all()]


def least(rule: Protection) -> int:
    """Offices and services rated fewer times than this are shown together to others."""
    return 2 * rule.threshold


def decide(
    counts: PeriodCounts, collective_id: int, scorecard: Scorecard, rule: Protection
) -> protect.StatusMap:
    """What sharing these counts would show (the same whatever the language)."""
    tables = build(counts, collective_id, scorecard, rule, str)
    found = relations(counts, Atoms(collective_id, counts.period), scorecard)
    return protect.decide(every_table(tables), found)


def _read(
    collective: Collective, period: str, mode: Mode, loaded: Content, gettext: Translate
) -> Read | None:
    scorecard = loaded.scorecard
    assert scorecard is not None
    rule = protect.rule(loaded)
    statuses: protect.StatusMap | None = None
    if mode == "published":
        shared = publication(collective, period)
        if shared is None:
            return None
        counts = PeriodCounts.from_json(shared.counts)
        statuses = protect.statuses_from(shared.statuses)
    else:
        live = period_counts.live(collective.id, period, scorecard.delayed_after_days)
        if not live.rounds:
            return None
        # Through JSON, as sharing stores it: the same figures, the same atoms.
        counts = PeriodCounts.from_json(live.as_json())
        if mode == "preview":
            counts.least = least(rule)
            statuses = decide(counts, collective.id, scorecard, rule)
    tables = build(counts, collective.id, scorecard, rule, gettext)
    for found in tables.values():
        for name, table in [
            ("ratings", found.ratings),
            ("services", found.services),
            *found.questions.items(),
        ]:
            shown = protect.apply(table, statuses, gettext) if statuses is not None else table
            _put(found, name, shown.shown())
    return Read(counts, tables)


def _put(found: DistrictTables, name: str, table: SummaryTable) -> None:
    if name == "ratings":
        found.ratings = table
    elif name == "services":
        found.services = table
    else:
        found.questions[name] = table


def _previous(
    collective: Collective, period: str, mode: Mode, loaded: Content, gettext: Translate
) -> Read | None:
    before = previous(period)
    if mode == "exact":
        return _read(collective, before, "exact", loaded, gettext)
    if mode == "preview" and publication(collective, before) is None:
        return _read(collective, before, "preview", loaded, gettext)
    return _read(collective, before, "published", loaded, gettext)


def figures(
    collective: Collective, period: str, mode: Mode, loaded: Content, gettext: Translate
) -> PeriodFigures | None:
    """The period as `mode` reads it; None when there is nothing to read."""
    now = _read(collective, period, mode, loaded, gettext)
    if now is None:
        return None
    before = _previous(collective, period, mode, loaded, gettext)
    rule = protect.rule(loaded)
    shared = publication(collective, period) if mode == "published" else None
    districts = [
        _district(found, before, rule, loaded, gettext, mode != "exact")
        for found in now.tables.values()
    ]
    return PeriodFigures(
        period,
        label(period),
        mode,
        shared.published_at.date() if shared else None,
        now.counts.delayed_after_days,
        districts,
        rules_note([rule], gettext) if mode != "exact" else [],
    )


# ---------------------------------------------------------------- one district


def _district(
    found: DistrictTables,
    before: Read | None,
    rule: Protection,
    loaded: Content,
    gettext: Translate,
    protected: bool,
) -> DistrictFigures:
    scorecard = loaded.scorecard
    assert scorecard is not None
    earlier = before.tables.get(found.district) if before else None
    _fill_last(found.ratings, earlier, before is not None, protected)
    for office, table in found.questions.items():
        same = earlier.questions.get(office) if earlier and office != OTHER else None
        _fill_change(table, same, rule)
    services = ranked(found.services)

    def legend(table: SummaryTable) -> list[str]:
        return suppression_legend(table, gettext) if protected else []

    faces = tuple(face.label for face in scorecard.faces)
    sections = [
        Shown(
            "ratings",
            found.ratings.title,
            found.ratings,
            _ratings_chart(found.ratings, legend(found.ratings), gettext),
            legend(found.ratings),
        ),
        Shown(
            f"questions-{ALL}",
            found.questions[ALL].title,
            found.questions[ALL],
            _faces_chart(found.questions[ALL], faces, legend(found.questions[ALL]), gettext),
            legend(found.questions[ALL]),
        ),
        Shown(
            "services",
            services.title,
            services,
            _services_chart(services, legend(services), gettext),
            legend(services),
        ),
    ]
    for office, table in found.questions.items():
        if office != ALL:
            chart = _faces_chart(table, faces, legend(table), gettext)
            sections.append(Shown(f"questions-{office}", table.title, table, chart, legend(table)))
    total = found.ratings.rows[-1][found.ratings.column_index("ratings")]
    return DistrictFigures(
        found.district, total, found.questions[ALL], services, worst(services), sections
    )


def _fill_last(
    table: SummaryTable, earlier: DistrictTables | None, known: bool, protected: bool
) -> None:
    """The ratings of the last period beside this one's, copied as the last period showed
    them (a hidden one stays hidden); none where the last period is not there to read, or
    (for others) did not show that row on its own."""
    last = table.column_index("last")
    ratings = table.column_index("ratings")
    before: dict[str, Cell] = {}
    if earlier is not None:
        shown = earlier.ratings
        before = {key: row[ratings] for key, row in zip(shown.row_keys, shown.rows, strict=True)}
    for key, row in zip(table.row_keys, table.rows, strict=True):
        # "Other offices" may hold other offices from one period to the next: not compared.
        missing = None if protected else 0
        row[last] = before.get(key, missing) if known and key != OTHER else None


def _fill_change(table: SummaryTable, earlier: SummaryTable | None, rule: Protection) -> None:
    """The change in the share of good faces, in percentage points, from two shown shares."""
    change = table.column_index("change")
    share = table.column_index("share_good")
    before: dict[str, Cell] = {}
    if earlier is not None:
        before = {key: row[share] for key, row in zip(earlier.row_keys, earlier.rows, strict=True)}
    for key, row in zip(table.row_keys, table.rows, strict=True):
        now, then = row[share], before.get(key)
        if isinstance(now, Suppressed) or isinstance(then, Suppressed):
            row[change] = Suppressed(rule.threshold, "derived")
        elif isinstance(now, float) and isinstance(then, float):
            row[change] = f"{round((now - then) * 100):+d}"
        else:
            row[change] = None


def ranked(table: SummaryTable) -> SummaryTable:
    """Services most often refused or delayed first, among those whose share is shown; the
    others after, in the scorecard's order (a hidden count's rank would tell its size), and
    the other services last."""
    share = table.column_index("share")
    count = table.column_index("refused_or_delayed")
    order = list(range(len(table.rows)))
    shown = [
        i for i in order if isinstance(table.rows[i][share], float) and table.row_keys[i] != OTHER
    ]
    shown.sort(key=lambda i: (-float(table.rows[i][share]), -_number(table.rows[i][count]), i))  # type: ignore[arg-type]
    rest = [i for i in order if i not in shown]
    out = table.copy()
    out.rows = [list(table.rows[i]) for i in shown + rest]
    out.row_keys = [table.row_keys[i] for i in shown + rest]
    return out


def _number(cell: Cell) -> float:
    return float(cell) if isinstance(cell, int | float) else 0.0


def worst(services: SummaryTable, limit: int = 3) -> list[tuple[str, Cell, Cell, Cell]]:
    """The services with the worst responses: the most often refused or delayed (shown)."""
    share = services.column_index("share")
    found: list[tuple[str, Cell, Cell, Cell]] = []
    for key, row in zip(services.row_keys, services.rows, strict=True):
        value = row[share]
        if key != OTHER and isinstance(value, float) and value > 0 and len(found) < limit:
            found.append(
                (
                    str(row[0]),
                    row[services.column_index("refused_or_delayed")],
                    row[services.column_index("ratings")],
                    value,
                )
            )
    return found


# ---------------------------------------------------------------- charts


def _faces_chart(
    table: SummaryTable, faces: tuple[str, ...], legend: list[str], gettext: Translate
) -> str:
    columns = [table.column_index(f"share_{f}") for f in ("good", "okay", "bad")]
    answered = table.column_index("answered")
    bars = [
        FaceBar(str(row[0]), (row[columns[0]], row[columns[1]], row[columns[2]]), row[answered])
        for row in table.rows
    ]
    return faces_chart_svg(
        table.title, bars, (faces[0], faces[1], faces[2]), legend=legend, gettext=gettext
    )


def _ratings_chart(table: SummaryTable, legend: list[str], gettext: Translate) -> str:
    bars = charts.bars_from_column(table.column_values("office"), table.column_values("ratings"))
    return charts.bar_chart_svg(table.title, bars, legend=legend, gettext=gettext)


def _services_chart(table: SummaryTable, legend: list[str], gettext: Translate) -> str:
    bars = charts.bars_from_column(table.column_values("service"), table.column_values("share"))
    title = gettext("Share of ratings refused or delayed")
    return charts.bar_chart_svg(
        title, bars, value_kind=ColumnKind.PERCENT, scale_max=1.0, legend=legend, gettext=gettext
    )
