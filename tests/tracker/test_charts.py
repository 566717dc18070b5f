"""SVG charts, parsed back with xml.etree: what is drawn and said, not the exact bytes."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from tracker.summaries.charts import (
    attendance_chart_svg,
    bar_chart_svg,
    bars_from_column,
    radar_chart_svg,
    wrap_label,
)
from tracker.summaries.tables import Suppressed, suppression_legend, tally_table

NS = {"svg": "http://www.w3.org/2000/svg"}
SKILLS = {
    "Increased Communication Skills": 5,
    "Enhanced Courage & Confidence level": 4,
    "Resilience": 2,
    "Inner Peace": 1,
    "Capacity to protest": 7,
}


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def texts(root: ET.Element, klass: str) -> list[str]:
    return [el.text or "" for el in root.iterfind(f".//svg:text[@class='{klass}']", NS)]


def rects(root: ET.Element, klass: str) -> list[ET.Element]:
    return root.findall(f".//svg:rect[@class='{klass}']", NS)


def test_bar_chart_is_an_accessible_image_with_text_alternative() -> None:
    root = parse(bar_chart_svg("Most useful skills", [("Resilience", 12), ("Inner Peace", 6)]))
    assert root.get("role") == "img"
    assert root.findtext("svg:title", namespaces=NS) == "Most useful skills"
    desc = root.findtext("svg:desc", namespaces=NS) or ""
    assert "Resilience: 12" in desc and "Inner Peace: 6" in desc
    labelled = (root.get("aria-labelledby") or "").split()
    ids = {el.get("id") for el in root.iter()}
    assert labelled and set(labelled) <= ids
    assert (root.get("font-family") or "").startswith('"Noto Sans", "Noto Sans Bengali"')


def test_bars_have_printed_counts_and_proportional_lengths() -> None:
    root = parse(bar_chart_svg("Skills", [("a", 10), ("b", 5), ("c", 0)]))
    assert texts(root, "bar-count") == ["10", "5", "0"]
    widths = [float(r.get("width") or 0) for r in rects(root, "bar-value")]
    assert len(widths) == 2  # a zero draws no bar, only its "0"
    assert widths[0] == pytest.approx(2 * widths[1], rel=0.01)


def test_suppressed_bar_is_a_hatched_stub_with_its_marker() -> None:
    root = parse(bar_chart_svg("Skills", [("a", 10), ("b", Suppressed(5))], legend=["<5: ..."]))
    stub = rects(root, "bar-suppressed")
    assert len(stub) == 1 and stub[0].get("fill") == "url(#hatch)"
    assert root.find(".//svg:pattern[@id='hatch']", NS) is not None
    assert float(stub[0].get("width") or 0) < float(rects(root, "bar-value")[0].get("width") or 0)
    assert texts(root, "bar-count") == ["10", "<5"]
    assert texts(root, "legend") == ["<5: ..."]
    assert "b: <5" in (root.findtext("svg:desc", namespaces=NS) or "")


def test_labels_are_escaped_and_stay_real_text() -> None:
    bengali = "আত্মবিশ্বাস"  # self-confidence
    hindi = "आत्मविश्वास"
    svg = bar_chart_svg("Skills <&>", [("Fear <&> shame", 6), (bengali, 7), (hindi, 8)])
    assert "&lt;&amp;&gt;" in svg and "<&>" not in svg
    root = parse(svg)
    assert root.findtext("svg:title", namespaces=NS) == "Skills <&>"
    spans = [span.text for span in root.iterfind(".//svg:tspan", NS)]
    assert "Fear <&> shame" in spans and bengali in spans and hindi in spans
    assert root.find(".//svg:path", NS) is None  # no glyphs turned into outlines


def test_long_labels_are_wrapped_then_truncated_with_the_full_label_kept() -> None:
    long_label = "Encouragement to study and earn a living for myself and my family"
    lines = wrap_label(long_label, width=26)
    assert len(lines) == 2 and lines[-1].endswith("…")
    assert all(len(line) <= 26 for line in lines)
    root = parse(bar_chart_svg("Skills", [(long_label, 3)]))
    label = next(t for t in root.iterfind(".//svg:text", NS) if t.find("svg:tspan", NS) is not None)
    assert [s.text for s in label.iterfind("svg:tspan", NS)] == lines
    assert label.findtext("svg:title", namespaces=NS) == long_label
    assert wrap_label("Resilience") == ["Resilience"]


def test_tally_chart_from_a_suppressed_table_shows_ranked_bars_and_markers() -> None:
    table = tally_table("Most Useful Skills Learnt", SKILLS)
    for row in table.rows:
        if isinstance(row[1], int) and 0 < row[1] < 5:
            row[1] = Suppressed(5, "primary")
    bars = bars_from_column(table.column_values("option"), table.column_values("count"))
    root = parse(bar_chart_svg(table.title, bars, legend=suppression_legend(table)))
    assert texts(root, "bar-count") == ["7", "5", "<5", "<5", "<5"]
    first_label = root.find(".//svg:g[@class='bar']/svg:text/svg:tspan", NS)
    assert first_label is not None and first_label.text == "Capacity to protest"
    assert len(rects(root, "bar-suppressed")) == 3
    assert texts(root, "legend")[0].startswith("<5")


def test_attendance_chart_uses_a_fixed_percent_scale() -> None:
    root = parse(attendance_chart_svg("Attendance", [("S1", 1.0), ("S2", 0.5), ("S3", None)]))
    assert texts(root, "bar-count") == ["100%", "50%", "–"]
    full, half = (float(r.get("width") or 0) for r in rects(root, "bar-value"))
    assert full == pytest.approx(2 * half, rel=0.01)


def test_radar_has_one_dashed_line_per_series_and_a_legend() -> None:
    spokes = ["Body", "Voice", "Money", "Relationships", "Safety"]
    series: dict[str, list[float | None]] = {
        "Before": [2.0, 1.5, 3.0, 2.0, 2.5],
        "After": [4.0, 3.5, None, 4.0, 3.0],
    }
    root = parse(radar_chart_svg("Wheel of empowerment", spokes, series, scale_max=5))
    assert root.get("role") == "img"
    groups = root.findall(".//svg:g[@class='series']", NS)
    assert [g.get("data-series") for g in groups] == ["Before", "After"]
    paths = [g.find("svg:path", NS) for g in groups]
    dashes = {(p.get("stroke-dasharray") if p is not None else "x") for p in paths}
    assert len(dashes) == 2  # told apart without colour
    after_path = (paths[1].get("d") if paths[1] is not None else "") or ""
    assert after_path.count("M") == 2  # the missing "Money" rating leaves a gap
    before_path = (paths[0].get("d") if paths[0] is not None else "") or ""
    assert before_path.count("M") == 1 and before_path.count("L") == 5  # closed loop
    legend = [t.text for t in root.iterfind(".//svg:g[@class='legend']/svg:text", NS)]
    assert legend == ["Before", "After"]
    spans = [s.text for s in root.iterfind(".//svg:tspan", NS)]
    assert all(spoke in spans for spoke in spokes)
    desc = root.findtext("svg:desc", namespaces=NS) or ""
    assert "Money: Before 3.00, After –" in desc


def test_radar_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="3 spokes"):
        radar_chart_svg("w", ["a", "b"], {"Before": [1.0, 2.0]}, 5)
    with pytest.raises(ValueError, match="values for"):
        radar_chart_svg("w", ["a", "b", "c"], {"Before": [1.0, 2.0]}, 5)
