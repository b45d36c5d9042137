"""The summary's SVG charts: labels escaped, sizes proportional, empty data drawn sensibly."""
from __future__ import annotations

import xml.etree.ElementTree as ET

from server.nearmiss.charts import bar_chart, stacked_columns

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup) -> ET.Element:
    return ET.fromstring(str(markup))  # well-formed XML, or this raises


def test_bar_chart_escapes_labels_and_scales_bars():
    svg = parse(bar_chart("c", "Top <rules>", [("<script>alert(1)</script>", 10), ("b&c", 5)]))
    assert svg.find(f"{SVG}title").text == "Top <rules>"
    assert "<script>" not in str(bar_chart("c", "t", [("<script>", 1)]))
    widths = [float(r.get("width")) for r in svg.iter(f"{SVG}rect")]
    assert abs(widths[0] - 2 * widths[1]) < 0.2
    assert svg.get("role") == "img" and "style" not in str(ET.tostring(svg))


def test_bar_chart_without_data_says_so():
    svg = parse(bar_chart("c", "Top rules", []))
    assert "No near-misses" in "".join(svg.itertext())


def test_stacked_columns_stack_series_and_label_whole_numbers():
    markup = str(stacked_columns("w", "Weekly", ["W1", "W2"], [("tone", [1, 0]), ("other", [2, 3])]))
    svg = parse(markup)
    bars = [r for r in svg.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
    heights = {r.find(f"{SVG}title").text: float(r.get("height")) for r in bars}
    assert abs(heights["W1: other 2"] - 2 * heights["W1: tone 1"]) < 0.2  # drawn to 0.1 units
    assert abs(heights["W2: other 3"] - 3 * heights["W1: tone 1"]) < 0.2
    assert "W2: tone 0" not in heights  # zero segments are not drawn
    axis = [t.text for t in svg.iter(f"{SVG}text") if t.get("text-anchor") == "end"]
    assert axis == ["0", "1", "2", "3", "4", "5"]  # a round top (1, 2 or 5 × 10^n), whole steps


def test_stacked_columns_with_nothing():
    svg = parse(stacked_columns("w", "Weekly", ["W1", "W2"], []))
    assert svg.find(f"{SVG}desc").text.startswith("W1: none")


def test_axis_steps_stay_whole_for_bigger_counts():
    svg = parse(stacked_columns("w", "Weekly", ["W1"], [("tone", [37])]))
    axis = [t.text for t in svg.iter(f"{SVG}text") if t.get("text-anchor") == "end"]
    assert axis == ["0", "10", "20", "30", "40", "50"]
