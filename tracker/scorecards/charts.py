"""The scorecard's charts as server-side SVG: the share of each face per question as one
bar split in three, with the table of the same numbers shown beside it.

Like every chart of the tracker, no colour carries meaning alone: each part is printed
with its share where it fits, the bad part is hatched as well as coloured, the legend
names the faces in the interface language, and <desc> lists every number.
"""

from __future__ import annotations

import hashlib
import math
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass

from tracker.summaries.charts import FONT_FAMILY, FONT_SIZE, wrap_label
from tracker.summaries.tables import Cell, Suppressed, Translate, untranslated

SVG_NS = "http://www.w3.org/2000/svg"
# good, okay, bad: dark, light and hatched, so that a grey photocopy keeps them apart.
FILLS = ("#1f6f43", "#c9d6cf", "url(#face-bad)")
TEXT_ON = ("#ffffff", "#111111", "#111111")


@dataclass(frozen=True)
class FaceBar:
    label: str  # the question, in a few words
    shares: tuple[Cell, Cell, Cell]  # good, okay, bad: a share 0..1, hidden, or missing
    answered: Cell


def _text(parent: ET.Element, x: float, y: float, content: str, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, "text", {"x": f"{x:.1f}", "y": f"{y:.1f}", **attrs})
    element.text = content
    return element


def _percent(cell: Cell) -> str:
    if isinstance(cell, Suppressed):
        return cell.display
    if isinstance(cell, int | float) and math.isfinite(cell):
        return f"{cell * 100:.0f}%"
    return "–"


def _defs(svg: ET.Element) -> None:
    defs = ET.SubElement(svg, "defs")
    for pattern_id, colour, background in (
        ("face-bad", "#7a1f1f", "#f3d6d6"),
        ("face-hidden", "#333333", "#ffffff"),
    ):
        pattern = ET.SubElement(
            defs,
            "pattern",
            {
                "id": pattern_id,
                "width": "6",
                "height": "6",
                "patternUnits": "userSpaceOnUse",
                "patternTransform": "rotate(45)",
            },
        )
        ET.SubElement(pattern, "rect", {"width": "6", "height": "6", "fill": background})
        ET.SubElement(
            pattern,
            "line",
            {"x1": "0", "y1": "0", "x2": "0", "y2": "6", "stroke": colour, "stroke-width": "2"},
        )


def faces_chart_svg(
    title: str,
    bars: Sequence[FaceBar],
    face_labels: tuple[str, str, str],
    *,
    legend: Sequence[str] = (),
    width: int = 640,
    gettext: Translate = untranslated,
) -> str:
    """One bar per question, split into good, okay and bad; a hidden row is a hatched stub
    with its marker."""
    label_width, top, row_height = 190.0, 64.0, 34.0
    plot_x = label_width + 12
    plot_width = width - plot_x - 16
    height = top + row_height * len(bars) + 12 + 18 * len(legend)
    described = "; ".join(
        f"{bar.label}: "
        + ", ".join(
            f"{name} {_percent(s)}" for name, s in zip(face_labels, bar.shares, strict=True)
        )
        for bar in bars
    )
    chart_id = "faces-" + hashlib.sha1(title.encode()).hexdigest()[:10]
    svg = ET.Element(
        "svg",
        {
            "xmlns": SVG_NS,
            "role": "img",
            "width": f"{width}",
            "height": f"{height:g}",
            "viewBox": f"0 0 {width} {height:g}",
            "font-family": FONT_FAMILY,
            "font-size": str(FONT_SIZE),
            "aria-labelledby": f"{chart_id}-t {chart_id}-d",
        },
    )
    ET.SubElement(svg, "title", {"id": f"{chart_id}-t"}).text = title
    ET.SubElement(svg, "desc", {"id": f"{chart_id}-d"}).text = (
        f"{title}. {described}." if bars else f"{title}. {gettext('No data.')}"
    )
    _defs(svg)
    _text(svg, 8, 22, title, **{"font-weight": "bold", "font-size": str(FONT_SIZE + 2)})
    x = plot_x
    for index, name in enumerate(face_labels):  # the legend: a swatch and the face's word
        ET.SubElement(
            svg,
            "rect",
            {
                "x": f"{x:.1f}",
                "y": "34",
                "width": "14",
                "height": "14",
                "fill": FILLS[index],
                "stroke": "#333",
            },
        )
        _text(svg, x + 19, 46, name, **{"class": "legend"})
        x += 30 + 8 * max(len(name), 4)
    for index, bar in enumerate(bars):
        y = top + index * row_height
        group = ET.SubElement(svg, "g", {"class": "bar"})
        _label(group, label_width, y + row_height / 2, bar.label)
        _bar(group, plot_x, y + 6, plot_width, row_height - 12, bar)
    for index, line in enumerate(legend):
        _text(
            svg,
            8,
            top + row_height * len(bars) + 22 + 18 * index,
            line,
            **{"class": "legend", "font-size": str(FONT_SIZE - 1)},
        )
    return ET.tostring(svg, encoding="unicode")


def _label(parent: ET.Element, x: float, middle: float, label: str) -> None:
    lines = wrap_label(label, 24)
    first = middle - (len(lines) - 1) * FONT_SIZE * 0.6 + FONT_SIZE * 0.35
    text = _text(parent, x, first, "", **{"text-anchor": "end"})
    text.text = None
    if len(lines) > 1 or lines[0] != label:
        ET.SubElement(text, "title").text = label
    for number, line in enumerate(lines):
        span = ET.SubElement(
            text, "tspan", {"x": f"{x:.1f}", "dy": "0" if number == 0 else "1.2em"}
        )
        span.text = line


def _bar(parent: ET.Element, x: float, y: float, width: float, height: float, bar: FaceBar) -> None:
    middle = y + height / 2 + FONT_SIZE * 0.35
    hidden = next((s for s in bar.shares if isinstance(s, Suppressed)), None)
    if hidden is not None or not all(isinstance(s, int | float) for s in bar.shares):
        if hidden is not None:
            ET.SubElement(
                parent,
                "rect",
                {
                    "class": "bar-suppressed",
                    "x": f"{x:.1f}",
                    "y": f"{y:.1f}",
                    "width": "12",
                    "height": f"{height:.1f}",
                    "fill": "url(#face-hidden)",
                    "stroke": "#333",
                },
            )
        _text(
            parent,
            x + 18,
            middle,
            hidden.display if hidden else "–",
            **{"class": "bar-count", "font-weight": "bold"},
        )
        return
    start = x
    for index, share in enumerate(bar.shares):
        assert isinstance(share, int | float)
        part = width * max(float(share), 0.0)
        if part <= 0:
            continue
        ET.SubElement(
            parent,
            "rect",
            {
                "class": f"bar-{index}",
                "x": f"{start:.1f}",
                "y": f"{y:.1f}",
                "width": f"{part:.1f}",
                "height": f"{height:.1f}",
                "fill": FILLS[index],
                "stroke": "#333",
                "stroke-width": "0.5",
            },
        )
        if part >= 34:
            _text(
                parent,
                start + part / 2,
                middle,
                _percent(share),
                **{
                    "text-anchor": "middle",
                    "fill": TEXT_ON[index],
                    "font-weight": "bold",
                    "class": "bar-count",
                },
            )
        start += part
