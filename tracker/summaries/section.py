"""One section of a summary: its table, the chart drawn from it, and the rules it follows."""

from __future__ import annotations

from dataclasses import dataclass, field

from tracker.summaries.figures import Protection
from tracker.summaries.tables import SummaryTable


@dataclass
class Section:
    key: str
    heading: str
    table: SummaryTable
    chart_kind: str | None = None  # attendance, paired, yes_no, wheel, tally
    scale_max: float = 1.0
    chart_svg: str | None = None
    legend: list[str] = field(default_factory=list)
    series: list[str] = field(default_factory=list)  # wheel: the series names, in order
    rules: list[Protection] = field(default_factory=list)  # the rules its figures follow
