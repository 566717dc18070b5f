"""Server-side SVG charts, drawn by hand with xml.etree (no plotting dependency).

Charts work offline, print well, and keep every label as real <text> so Bengali and
Hindi render with the page's fonts. They never rely on colour alone: numbers are printed
on the bars, radar series differ in dash pattern and marker, and there is a legend. The
SummaryTable with the same numbers is shown beside each chart; <desc> also lists them.
"""

from __future__ import annotations

import hashlib
import math
import textwrap
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass

from tracker.summaries.tables import (
    Cell,
    ColumnKind,
    Suppressed,
    Translate,
    display_cell,
    untranslated,
)

FONT_FAMILY = '"Noto Sans", "Noto Sans Bengali", "Noto Sans Devanagari", sans-serif'
SVG_NS = "http://www.w3.org/2000/svg"
BAR_FILL = "#2f5d8a"
SERIES_STYLES = (  # (stroke colour, dash pattern, marker): distinguishable in grey print
    ("#1b4f72", "", "circle"),
    ("#b9770e", "7 4", "square"),
    ("#196f3d", "2 3", "diamond"),
    ("#6c3483", "10 3 2 3", "circle"),
)
LABEL_CHARS = 26  # characters per bar label line before wrapping
RADAR_LABEL_CHARS = 13
FONT_SIZE = 13

BarValue = int | float | Suppressed | None


def _chart_id(title: str, kind: str) -> str:
    return f"{kind}-" + hashlib.sha1(f"{kind}:{title}".encode()).hexdigest()[:10]


def _root(width: float, height: float, title: str, desc: str, chart_id: str) -> ET.Element:
    svg = ET.Element(
        "svg",
        {
            "xmlns": SVG_NS,
            "role": "img",
            "width": f"{width:g}",
            "height": f"{height:g}",
            "viewBox": f"0 0 {width:g} {height:g}",
            "aria-labelledby": f"{chart_id}-title {chart_id}-desc",
            "font-family": FONT_FAMILY,
            "font-size": str(FONT_SIZE),
        },
    )
    ET.SubElement(svg, "title", {"id": f"{chart_id}-title"}).text = title
    ET.SubElement(svg, "desc", {"id": f"{chart_id}-desc"}).text = desc
    return svg


def _text(parent: ET.Element, x: float, y: float, content: str, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, "text", {"x": f"{x:.1f}", "y": f"{y:.1f}", **attrs})
    element.text = content
    return element


def wrap_label(label: str, width: int = LABEL_CHARS, max_lines: int = 2) -> list[str]:
    """Split a label into at most max_lines lines, ending with "…" when cut short."""
    lines = textwrap.wrap(label, width=width, break_long_words=True) or [""]
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: width - 1].rstrip() + "…"
    return lines


def _label(
    parent: ET.Element, x: float, y: float, label: str, anchor: str, width: int = LABEL_CHARS
) -> None:
    """A possibly wrapped label centred vertically on y; the full text is its <title>."""
    lines = wrap_label(label, width)
    first_y = y - (len(lines) - 1) * FONT_SIZE * 0.6 + FONT_SIZE * 0.35
    text = _text(parent, x, first_y, "", **{"text-anchor": anchor})
    text.text = None
    if len(lines) > 1 or lines[0] != label:
        ET.SubElement(text, "title").text = label
    for index, line in enumerate(lines):
        span = ET.SubElement(text, "tspan", {"x": f"{x:.1f}", "dy": "0" if index == 0 else "1.2em"})
        span.text = line


def _hatch(svg: ET.Element) -> str:
    defs = ET.SubElement(svg, "defs")
    pattern = ET.SubElement(
        defs,
        "pattern",
        {
            "id": "hatch",
            "width": "6",
            "height": "6",
            "patternUnits": "userSpaceOnUse",
            "patternTransform": "rotate(45)",
        },
    )
    ET.SubElement(
        pattern,
        "line",
        {"x1": "0", "y1": "0", "x2": "0", "y2": "6", "stroke": "#333", "stroke-width": "2"},
    )
    return "url(#hatch)"


def _describe(pairs: Sequence[tuple[str, str]]) -> str:
    return "; ".join(f"{label}: {value}" for label, value in pairs) + "."


def bar_chart_svg(
    title: str,
    bars: list[tuple[str, BarValue]],
    *,
    value_kind: ColumnKind = ColumnKind.COUNT,
    scale_max: float | None = None,
    legend: Sequence[str] = (),
    width: int = 640,
    gettext: Translate = untranslated,
) -> str:
    """Horizontal bars, largest scale at the right, the value printed after each bar.

    A suppressed bar is a short hatched stub with its marker ("<5") printed.
    legend: lines printed under the chart (pass tables.suppression_legend(table)).
    """
    label_width, value_room, row_height, top = 200.0, 56.0, 34.0, 40.0
    plot_x = label_width + 12
    plot_width = width - plot_x - value_room
    numbers = [float(v) for _, v in bars if isinstance(v, int | float) and math.isfinite(v)]
    top_value = scale_max if scale_max is not None else max([*numbers, 0.0])
    top_value = top_value or 1.0
    height = top + row_height * len(bars) + 16 + 18 * len(legend)
    shown = [(label, display_cell(value, value_kind)) for label, value in bars]
    desc = f"{title}. " + (_describe(shown) if bars else gettext("No data."))
    svg = _root(width, height, title, desc, _chart_id(title, "bar"))
    hatch = _hatch(svg) if any(isinstance(v, Suppressed) for _, v in bars) else ""
    _text(svg, 8, 22, title, **{"font-weight": "bold", "font-size": str(FONT_SIZE + 2)})
    ET.SubElement(
        svg,
        "line",
        {
            "x1": f"{plot_x}",
            "y1": f"{top - 4}",
            "x2": f"{plot_x}",
            "y2": f"{top + row_height * len(bars)}",
            "stroke": "#333",
        },
    )
    for index, ((label, value), (_, value_text)) in enumerate(zip(bars, shown, strict=True)):
        y = top + index * row_height
        middle = y + row_height / 2
        group = ET.SubElement(svg, "g", {"class": "bar"})
        _label(group, label_width, middle, label, "end")
        if isinstance(value, Suppressed):
            bar_width, fill, klass = 10.0, hatch, "bar-suppressed"
        elif isinstance(value, int | float) and math.isfinite(value):
            bar_width, fill, klass = plot_width * max(value, 0) / top_value, BAR_FILL, "bar-value"
        else:
            bar_width, fill, klass = 0.0, "none", "bar-missing"
        if bar_width > 0:
            ET.SubElement(group, "rect", {
                "class": klass, "x": f"{plot_x:.1f}", "y": f"{y + 6:.1f}",
                "width": f"{bar_width:.1f}", "height": f"{row_height - 12:.1f}",
                "fill": fill, "stroke": "#333" if klass == "bar-suppressed" else "none",
            })  # fmt: skip
        _text(group, plot_x + bar_width + 5, middle + FONT_SIZE * 0.35, value_text,
              **{"class": "bar-count", "font-weight": "bold"})  # fmt: skip
    for index, line in enumerate(legend):
        _text(svg, 8, top + row_height * len(bars) + 24 + 18 * index, line,
              **{"class": "legend", "font-size": str(FONT_SIZE - 1)})  # fmt: skip
    return ET.tostring(svg, encoding="unicode")


def attendance_chart_svg(
    title: str,
    sessions: list[tuple[str, float | Suppressed | None]],
    *,
    legend: Sequence[str] = (),
    width: int = 640,
    gettext: Translate = untranslated,
) -> str:
    """Attendance rate per session (a share 0..1) as bars on a fixed 0-100% scale."""
    return bar_chart_svg(
        title,
        list(sessions),
        value_kind=ColumnKind.PERCENT,
        scale_max=1.0,
        legend=legend,
        width=width,
        gettext=gettext,
    )


def _marker(parent: ET.Element, x: float, y: float, shape: str, colour: str) -> None:
    if shape == "square":
        ET.SubElement(
            parent,
            "rect",
            {
                "x": f"{x - 3.5:.1f}",
                "y": f"{y - 3.5:.1f}",
                "width": "7",
                "height": "7",
                "fill": colour,
            },
        )
    elif shape == "diamond":
        points = f"{x:.1f},{y - 5:.1f} {x + 5:.1f},{y:.1f} {x:.1f},{y + 5:.1f} {x - 5:.1f},{y:.1f}"
        ET.SubElement(parent, "polygon", {"points": points, "fill": colour})
    else:
        ET.SubElement(
            parent, "circle", {"cx": f"{x:.1f}", "cy": f"{y:.1f}", "r": "3.5", "fill": colour}
        )


@dataclass(frozen=True)
class _Wheel:
    """Where a radar chart's spokes and rings lie."""

    spokes: int
    cx: float
    cy: float
    radius: float
    scale_min: float
    scale_max: float

    def point(self, index: int, value: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * index / self.spokes
        low, high = self.scale_min, self.scale_max
        share = (min(max(value, low), high) - low) / (high - low)
        return (
            self.cx + self.radius * share * math.cos(angle),
            self.cy + self.radius * share * math.sin(angle),
        )


def radar_chart_svg(
    title: str,
    spokes: list[str],
    series: dict[str, list[float | None]],
    scale_max: float,
    *,
    scale_min: float = 0.0,
    size: int = 520,
    gettext: Translate = untranslated,
) -> str:
    """A radar (wheel of empowerment) with one closed line per series (before, after...).

    A missing value (None) leaves a gap in that series' line rather than dropping to 0.
    """
    if len(spokes) < 3:
        raise ValueError("a radar chart needs at least 3 spokes")
    for name, values in series.items():
        if len(values) != len(spokes):
            raise ValueError(f"series {name!r} has {len(values)} values for {len(spokes)} spokes")
    # Side margins leave room for spoke labels of RADAR_LABEL_CHARS characters a line.
    radius = size / 2 - 110
    top, margin, legend_height = 36.0, 56.0, 22.0 * len(series) + 8
    wheel = _Wheel(len(spokes), size / 2, top + margin + radius, radius, scale_min, scale_max)
    plot_bottom = wheel.cy + radius + margin
    height = plot_bottom + legend_height

    rows: list[tuple[str, str]] = []
    for index, spoke in enumerate(spokes):
        text = ", ".join(
            f"{name} {display_cell(vals[index], ColumnKind.MEAN)}" for name, vals in series.items()
        )
        rows.append((spoke, text))
    scale = gettext("Scale %(low)s to %(high)s.") % {
        "low": f"{scale_min:g}",
        "high": f"{scale_max:g}",
    }
    desc = f"{title}. {scale} " + _describe(rows)
    svg = _root(size, height, title, desc, _chart_id(title, "radar"))
    _text(svg, 8, 22, title, **{"font-weight": "bold", "font-size": str(FONT_SIZE + 2)})
    _radar_grid(svg, wheel, spokes)
    for number, (name, values) in enumerate(series.items()):
        _radar_series(svg, wheel, number, name, values)
        _radar_legend(svg, number, name, plot_bottom + 8 + 22 * number)
    return ET.tostring(svg, encoding="unicode")


def _radar_grid(svg: ET.Element, wheel: _Wheel, spokes: list[str]) -> None:
    """The rings (one per scale step, labelled) and the spokes with their labels."""
    grid = ET.SubElement(svg, "g", {"class": "grid", "stroke": "#999", "fill": "none"})
    low, high = wheel.scale_min, wheel.scale_max
    steps = int(high - low) if 0 < high - low <= 10 else 4
    for step in range(1, steps + 1):
        value = low + (high - low) * step / steps
        ring = " ".join(
            f"{x:.1f},{y:.1f}" for x, y in (wheel.point(i, value) for i in range(len(spokes)))
        )
        ET.SubElement(grid, "polygon", {"points": ring, "stroke-dasharray": "1 3"})
        x, y = wheel.point(0, value)
        _text(svg, x + 4, y + 4, f"{value:g}", **{"class": "scale", "font-size": "10"})
    cx, cy, radius = wheel.cx, wheel.cy, wheel.radius
    for index, spoke in enumerate(spokes):
        x, y = wheel.point(index, high)
        ET.SubElement(
            grid, "line", {"x1": f"{cx:.1f}", "y1": f"{cy:.1f}", "x2": f"{x:.1f}", "y2": f"{y:.1f}"}
        )
        dx, dy = x - cx, y - cy
        anchor = "middle" if abs(dx) < radius * 0.2 else ("start" if dx > 0 else "end")
        lx = x + (8 if anchor == "start" else -8 if anchor == "end" else 0)
        ly = y + (16 if dy > radius * 0.5 else -12 if dy < -radius * 0.5 else 0)
        _label(svg, lx, ly, spoke, anchor, RADAR_LABEL_CHARS)


def _radar_series(
    svg: ET.Element, wheel: _Wheel, number: int, name: str, values: list[float | None]
) -> None:
    """One series' closed line, broken where a value is missing, with a marker per value."""
    colour, dash, shape = SERIES_STYLES[number % len(SERIES_STYLES)]
    group = ET.SubElement(svg, "g", {"class": "series", "data-series": name})
    path: list[str] = []
    for index in range(wheel.spokes + 1):
        rating = values[index % wheel.spokes]
        if rating is None:
            continue
        x, y = wheel.point(index % wheel.spokes, rating)
        previous_missing = index == 0 or values[index - 1] is None
        path.append(f"{'M' if previous_missing else 'L'}{x:.1f},{y:.1f}")
        if index < wheel.spokes:
            _marker(group, x, y, shape, colour)
    attrs = {"d": " ".join(path), "fill": "none", "stroke": colour, "stroke-width": "2.5"}
    if dash:
        attrs["stroke-dasharray"] = dash
    ET.SubElement(group, "path", attrs)


def _radar_legend(svg: ET.Element, number: int, name: str, ly: float) -> None:
    colour, dash, shape = SERIES_STYLES[number % len(SERIES_STYLES)]
    legend_attrs = {"x1": "16", "y1": f"{ly:.1f}", "x2": "56", "y2": f"{ly:.1f}",
                    "stroke": colour, "stroke-width": "2.5"}  # fmt: skip
    if dash:
        legend_attrs["stroke-dasharray"] = dash
    item = ET.SubElement(svg, "g", {"class": "legend"})
    ET.SubElement(item, "line", legend_attrs)
    _marker(item, 36, ly, shape, colour)
    _text(item, 64, ly + 4, name)


def bars_from_column(labels: Sequence[Cell], values: Sequence[Cell]) -> list[tuple[str, BarValue]]:
    """Pair a table's label column with a value column for bar_chart_svg."""
    bars: list[tuple[str, BarValue]] = []
    for label, value in zip(labels, values, strict=True):
        bar: BarValue = value if isinstance(value, int | float | Suppressed) else None
        bars.append((str(label), bar))
    return bars
