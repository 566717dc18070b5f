"""A period's scorecard figures for one district, as summary tables tied to their counts.

Every count is a Figure over the period's atoms (district, office, service or question and
face), so the joint protection (tracker.summaries.protection) can reason about the tables
of every district at once, exactly as it does for cohorts. Words are translated by `gettext`
and the scorecard's own words come from the localized curriculum.

For readers outside the collective, kinds of office (and services) rated fewer than
`least` times in the district are shown together as "other offices": a table per office of
three or four ratings would be hidden anyway, and hiding it would take the totals with it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from facilitator.scorecard_model import FACE_IDS, Scorecard
from tracker.scorecards.counts import OUTCOMES, PeriodCounts
from tracker.summaries.figures import Accumulator, Atom, Figure, Protection, difference
from tracker.summaries.protection import Relation
from tracker.summaries.scopes import CellInput, TableMaker
from tracker.summaries.tables import Column, ColumnKind, SummaryTable, Translate

ALL = "all"  # the row or table of every kind of office together
OTHER = "other"  # the row or table of the offices (or services) rated too rarely


@dataclass(frozen=True)
class Group:
    """A row of the tables: one kind of office (or service), or the rarely rated together."""

    key: str
    label: str
    members: tuple[str, ...]


@dataclass
class DistrictTables:
    district: str
    ratings: SummaryTable  # ratings per kind of office, and all offices
    questions: dict[str, SummaryTable]  # office group key (or ALL) -> faces per question
    services: SummaryTable  # outcomes per service asked for

    def all(self) -> list[SummaryTable]:
        return [self.ratings, *self.questions.values(), self.services]


@dataclass(frozen=True)
class Atoms:
    """Names the period's counts as protection's atoms: (collective, part, version, name)."""

    collective_id: int
    period: str

    def __call__(self, kind: str, *key: str) -> Atom:
        name = json.dumps([kind, *key], ensure_ascii=False)
        return (self.collective_id, f"scorecard:{self.period}", 1, name)


@dataclass(frozen=True)
class Setting:
    """What every table of a period is built with."""

    counts: PeriodCounts
    atoms: Atoms
    scorecard: Scorecard
    rule: Protection
    gettext: Translate
    least: int = 0  # rated fewer times than this: shown with the other offices (0: never)


def _sum(entries: Iterable[tuple[Atom, int]], rule: Protection) -> Figure:
    acc = Accumulator()
    for found, value in entries:
        acc.add(found, value)
    return acc.figure("count", rule)


def each(ids: list[tuple[str, str]], rated: dict[str, int]) -> list[Group]:
    """Every id rated at least once, on its own, in the scorecard's order."""
    return [Group(key, label, (key,)) for key, label in ids if rated.get(key)]


def clear_groups(
    ids: list[tuple[str, str]],
    rated: dict[str, int],
    s: Setting,
    clear: Callable[[tuple[str, ...]], bool],
    other: tuple[str, str],
) -> list[Group]:
    """The rows shown on their own. For readers outside the collective, only those with
    enough ratings whose every count is large enough to show (`clear`: nothing in their
    row or table is hidden), and the rest together only if that is so for them as well,
    else the least rated is moved in with them: a count hidden in one row would otherwise
    have to be hidden in the district's totals too, which readers need most. `other`: the
    label of the rest, and of everything when nothing is shown on its own."""
    if not s.least:
        return each(ids, rated)
    order = [key for key, _ in ids]
    alone = [k for k in order if rated.get(k, 0) >= s.least and clear((k,))]
    while True:
        # Never named, the offices in the rest need not be listed when nobody rated them.
        rest = tuple(k for k in order if k not in alone and rated.get(k))
        if not alone or not rest or clear(rest):
            break
        alone.remove(min(alone, key=lambda k: (rated[k], order.index(k))))
    labels = dict(ids)
    found = [Group(k, labels[k], (k,)) for k in alone]
    if rest:
        found.append(Group(OTHER, other[0] if found else other[1], rest))
    return found


def _office_clear(s: Setting, district: str, members: tuple[str, ...]) -> bool:
    """Whether no count of these offices' tables together is small enough to hide."""
    small = s.rule.small
    rated = sum(n for (d, k, _), n in s.counts.rounds.items() if d == district and k in members)
    if small(rated):
        return False
    for question in s.scorecard.questions:
        faces = [
            sum(s.counts.faces.get((district, k, question.id, f), 0) for k in members)
            for f in FACE_IDS
        ]
        if any(small(n) for n in [*faces, sum(faces)]):
            return False
    return True


def _service_clear(s: Setting, district: str, members: tuple[str, ...]) -> bool:
    """Whether these services' ratings, those refused or delayed, and the others are all
    large enough to show."""
    keys = [k for k in s.counts.rounds if k[0] == district and k[2] in members]
    rated = sum(s.counts.rounds[k] for k in keys)
    bad = sum(s.counts.refused_or_delayed.get(k, 0) for k in keys)
    return not any(s.rule.small(n) for n in (rated, bad, rated - bad))


def district_tables(s: Setting, district: str) -> DistrictTables:
    rated_office: dict[str, int] = {}
    rated_service: dict[str, int] = {}
    for (d, office, service), n in s.counts.rounds.items():
        if d == district:
            rated_office[office] = rated_office.get(office, 0) + n
            rated_service[service] = rated_service.get(service, 0) + n
    card = s.scorecard
    offices = clear_groups(
        [(o.id, o.label) for o in card.duty_bearers],
        rated_office,
        s,
        lambda members: _office_clear(s, district, members),
        (s.gettext("Other offices"), s.gettext("All offices")),
    )
    services = clear_groups(
        [(o.id, o.label) for o in card.services],
        rated_service,
        s,
        lambda members: _service_clear(s, district, members),
        (s.gettext("Other services"), s.gettext("All services")),
    )
    every = Group(ALL, s.gettext("All offices"), tuple(o.id for o in card.duty_bearers))
    if [g.key for g in offices] == [OTHER]:
        offices = []  # everything together: the row and table of all offices
    questions = {ALL: _question_table(s, district, every)}
    for group in offices:
        if any(rated_office.get(o) for o in group.members):
            questions[group.key] = _question_table(s, district, group)
    return DistrictTables(
        district,
        _ratings_table(s, district, offices, every),
        questions,
        _services_table(s, district, services),
    )


def _ratings(s: Setting, district: str, offices: Iterable[str]) -> Figure:
    wanted = set(offices)
    return _sum(
        (
            (s.atoms("n", *key), n)
            for key, n in s.counts.rounds.items()
            if key[0] == district and key[1] in wanted
        ),
        s.rule,
    )


def _ratings_table(s: Setting, district: str, offices: list[Group], every: Group) -> SummaryTable:
    maker = TableMaker(
        s.gettext("Ratings per kind of office"),
        [
            Column("office", s.gettext("Kind of office")),
            Column("ratings", s.gettext("Ratings"), ColumnKind.COUNT),
            # Filled from the last period's own table, as it was shown: no new figure.
            Column("last", s.gettext("Ratings in the last period"), ColumnKind.COUNT),
        ],
    )
    for group in [*offices, every]:
        ratings = _ratings(s, district, group.members)
        maker.row(group.key, {"office": group.label, "ratings": ratings}, respondents=["ratings"])
    return maker.table


def _question_table(s: Setting, district: str, group: Group) -> SummaryTable:
    labels: dict[str, str] = {face.id: face.label for face in s.scorecard.faces}
    columns = [Column("question", s.gettext("Question"))]
    columns += [Column(f, labels[f], ColumnKind.COUNT) for f in FACE_IDS]
    columns.append(Column("answered", s.gettext("Answered"), ColumnKind.COUNT, total_of=FACE_IDS))
    columns += [
        Column(f"share_{f}", labels[f], ColumnKind.PERCENT, derived_from=(f, "answered"))
        for f in FACE_IDS
    ]
    change = s.gettext("%(face)s: change since the last period (points)") % {"face": labels["good"]}
    columns.append(Column("change", change))
    maker = TableMaker(group.label, columns)
    for question in s.scorecard.questions:
        marks = {
            f: [
                (s.atoms("face", district, k, question.id, f), s.counts.faces[key])
                for k in group.members
                if (key := (district, k, question.id, f)) in s.counts.faces
            ]
            for f in FACE_IDS
        }
        faces = {f: _sum(marks[f], s.rule) for f in FACE_IDS}
        answered = _sum((m for f in FACE_IDS for m in marks[f]), s.rule)
        cells: dict[str, CellInput] = {"question": question.short, **faces, "answered": answered}
        for f in FACE_IDS:
            cells[f"share_{f}"] = faces[f].value / answered.value if answered.value else None
        # A question left blank is a pass, as on every questionnaire: it is bounded (answered
        # <= ratings, in `relations`) but, like a passed item, not a complement of its own.
        maker.row(question.id, cells, respondents=["answered"])
    return maker.table


def _services_table(s: Setting, district: str, services: list[Group]) -> SummaryTable:
    days = s.counts.delayed_after_days
    gettext = s.gettext
    # Outcome by outcome for the collective itself; for others, what sets the services apart
    # (refused or delayed) without the small counts each outcome on its own would have.
    detail = [
        Column("granted", gettext("Granted"), ColumnKind.COUNT),
        Column("pending", gettext("Pending"), ColumnKind.COUNT),
        Column("refused", gettext("Refused"), ColumnKind.COUNT),
        Column("delayed", gettext("Waited over %(n)d days") % {"n": days}, ColumnKind.COUNT),
    ]
    maker = TableMaker(
        gettext("Services asked for"),
        [
            Column("service", gettext("Service")),
            Column("ratings", gettext("Ratings"), ColumnKind.COUNT),
            *(detail if not s.least else []),
            Column("refused_or_delayed", gettext("Refused or delayed"), ColumnKind.COUNT),
            Column(
                "share",
                gettext("Refused or delayed"),
                ColumnKind.PERCENT,
                derived_from=("refused_or_delayed", "ratings"),
            ),
        ],
        [gettext("Delayed: the member waited more than %(n)d days.") % {"n": days}],
    )
    a, counts, rule = s.atoms, s.counts, s.rule
    for group in services:
        keys = [k for k in counts.rounds if k[0] == district and k[2] in group.members]
        ratings = _sum(((a("n", *k), counts.rounds[k]) for k in keys), rule)
        cells: dict[str, CellInput] = {"service": group.label, "ratings": ratings}
        if not s.least:
            for outcome in OUTCOMES:
                cells[outcome] = _sum(
                    (
                        (a("outcome", *k, outcome), counts.outcomes.get((*k, outcome), 0))
                        for k in keys
                    ),
                    rule,
                )
            delayed = ((a("delayed", *k), counts.delayed.get(k, 0)) for k in keys)
            cells["delayed"] = _sum(delayed, rule)
        bad = _sum(((a("bad", *k), counts.refused_or_delayed.get(k, 0)) for k in keys), rule)
        cells["refused_or_delayed"] = bad
        cells["share"] = bad.value / ratings.value if ratings.value else None
        maker.row(group.key, cells, respondents=["ratings"])
        # Those neither refused nor delayed: a count nobody is shown (no outcome written is a
        # blank on the sheet, bounded in `relations` like a passed question).
        maker.complement(difference(ratings, bad, rule=rule))
    return maker.table


def relations(counts: PeriodCounts, a: Atoms, scorecard: Scorecard) -> list[Relation]:
    """What anyone who knows the sheet knows: a question is answered at most once per sheet,
    a sheet has at most one outcome, and 'refused or delayed' is refused, delayed or both."""
    found: list[Relation] = []
    by_office: dict[tuple[str, str], list[Atom]] = {}
    for key in counts.rounds:
        by_office.setdefault((key[0], key[1]), []).append(a("n", *key))
        n, bad = a("n", *key), a("bad", *key)
        outcomes = [(a("outcome", *key, o), 1.0) for o in OUTCOMES]
        refused = a("outcome", *key, "refused")
        delayed = a("delayed", *key)
        found += [
            Relation((*outcomes, (n, -1.0)), None, 0),
            Relation(((bad, 1.0), (n, -1.0)), None, 0),
            Relation(((refused, 1.0), (bad, -1.0)), None, 0),
            Relation(((delayed, 1.0), (bad, -1.0)), None, 0),
            Relation(((bad, 1.0), (refused, -1.0), (delayed, -1.0)), None, 0),
        ]
    found += _siblings(counts, a)
    for (district, office), sheets in by_office.items():
        for question in scorecard.questions:
            marks = [
                (a("face", district, office, question.id, f), 1.0)
                for f in FACE_IDS
                if (district, office, question.id, f) in counts.faces
            ]
            if marks:
                found.append(Relation((*marks, *((s, -1.0) for s in sheets)), None, 0))
    return found


def _siblings(counts: PeriodCounts, a: Atoms) -> list[Relation]:
    """Relations that say nothing (a sum of counts is not negative) but tie the same face of
    one question for every office of a district together. Protection looks for what to hide
    next among the counts tied to a hidden one; tied to its siblings, it hides a sibling (as
    cell suppression does) before it reaches for the district's total."""
    tied: dict[tuple[str, ...], list[Atom]] = {}
    for district, office, question, face in counts.faces:
        tied.setdefault(("face", district, question, face), []).append(
            a("face", district, office, question, face)
        )
    return [
        Relation(tuple((atom, 1.0) for atom in atoms), 0, None)
        for atoms in tied.values()
        if len(atoms) > 1
    ]
