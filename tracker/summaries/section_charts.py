"""The chart of a summary section, drawn from the (suppressed) table that is shown."""

from __future__ import annotations

from tracker.summaries import charts
from tracker.summaries.section import Section
from tracker.summaries.tables import ColumnKind, SummaryTable, Translate


def chart(
    section: Section, table: SummaryTable, legend: list[str], gettext: Translate
) -> str | None:
    kind = section.chart_kind
    if kind == "attendance":
        bars = charts.bars_from_column(table.column_values("session"), table.column_values("rate"))
        return charts.attendance_chart_svg(table.title, bars, legend=legend, gettext=gettext)  # type: ignore[arg-type]
    if kind == "tally":
        bars = charts.bars_from_column(table.column_values("option"), table.column_values("count"))
        return charts.bar_chart_svg(table.title, bars, legend=legend, gettext=gettext)
    if kind in ("paired", "yes_no"):
        column = "share_improved" if kind == "paired" else "share_yes"
        title = (
            gettext("%(title)s: share improved")
            if kind == "paired"
            else gettext("%(title)s: share answering yes")
        )
        bars = charts.bars_from_column(table.column_values("item"), table.column_values(column))
        return charts.bar_chart_svg(
            title % {"title": table.title},
            bars,
            value_kind=ColumnKind.PERCENT,
            scale_max=1.0,
            legend=legend,
            gettext=gettext,
        )
    if kind == "wheel":
        spokes = [str(s) for s in table.column_values("spoke")]
        names = section.series
        series = {
            name: [
                v if isinstance(v, int | float) else None
                for v in table.column_values(f"mean_{index}")
            ]
            for index, name in enumerate(names)
        }
        if len(spokes) < 3:
            return None
        return charts.radar_chart_svg(
            table.title, spokes, series, scale_max=section.scale_max, gettext=gettext
        )
    return None
