"""A scope as summaries see it: some cohorts and the parts (counts) they are summed from,
and the small table builder every section uses to keep each count tied to its atoms."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from tracker.summaries.figures import Accumulator, Atom, Figure, FigureKind, Protection
from tracker.summaries.parts import PartData
from tracker.summaries.tables import Cell, Column, SummaryTable

PartRef = tuple[int, PartData]  # (version, data); live figures are version 0


@dataclass(frozen=True)
class CohortInfo:
    id: int
    name: str
    organisation_id: int
    programme_id: str
    starts_on: str

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "name": self.name,
            "organisation_id": self.organisation_id,
            "programme_id": self.programme_id,
            "starts_on": self.starts_on,
        }


@dataclass
class Scope:
    kind: str  # cohort, organisation, programme
    key: str
    title: str
    cohorts: list[CohortInfo]
    parts: dict[int, dict[str, PartRef]]

    @property
    def several(self) -> bool:
        return len(self.cohorts) > 1

    def each(self, part_key: str) -> Iterator[tuple[CohortInfo, int, PartData]]:
        """(cohort, version, data) of every cohort in scope that has this part."""
        for cohort in self.cohorts:
            found = self.parts.get(cohort.id, {}).get(part_key)
            if found is not None:
                yield cohort, found[0], found[1]

    def programme_ids(self) -> list[str]:
        return sorted({c.programme_id for c in self.cohorts})


def atom(cohort: CohortInfo, part_key: str, version: int, name: str) -> Atom:
    return (cohort.id, part_key, version, name)


def total(
    entries: Sequence[tuple[Atom, float]], kind: FigureKind, rule: Protection, times: int = 1
) -> Figure:
    acc = Accumulator()
    for found, value in entries:
        acc.add(found, value, times)
    return acc.figure(kind, rule)


CellInput = Cell | Figure


@dataclass
class TableMaker:
    """Rows of cells where counts and sums come as Figures: the value goes into the table and
    the Figure into `links`, so protection knows what every count is a sum of."""

    title: str
    columns: list[Column]
    notes: list[str] = field(default_factory=list)
    table: SummaryTable = field(init=False)

    def __post_init__(self) -> None:
        self.table = SummaryTable(self.title, self.columns, [], list(self.notes))

    def index(self, key: str) -> int:
        return self.table.column_index(key)

    def row(
        self,
        key: str,
        cells: dict[str, CellInput],
        *,
        respondents: Sequence[str] | None = None,
        extra_depends: dict[str, tuple[tuple[int, int], ...]] | None = None,
    ) -> int:
        r = len(self.table.rows)
        values: list[Cell] = []
        for c, column in enumerate(self.columns):
            given = cells.get(column.key)
            if isinstance(given, Figure):
                self.table.links[(r, c)] = given
                values.append(given.value)
            else:
                values.append(given)
            if column.derived_from:
                self.table.depends[(r, c)] = tuple(
                    (r, self.index(base)) for base in column.derived_from
                )
        for column_key, positions in (extra_depends or {}).items():
            c = self.index(column_key)
            self.table.depends[(r, c)] = self.table.depends.get((r, c), ()) + positions
        self.table.rows.append(values)
        self.table.row_keys.append(key)
        if respondents is not None:
            self.table.respondents_cell[r] = tuple((r, self.index(k)) for k in respondents)
        return r

    def complement(self, figure: Figure) -> None:
        self.table.complements.append(figure)
