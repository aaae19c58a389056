"""The Overview's SVG sparklines (#14): the line's points, gaps, colour and tooltips."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from dashboard.ui.sparkline import GREEN, GREY, HEIGHT, PAD, RED, WIDTH, line_colour, sparkline_svg

SVG = "{http://www.w3.org/2000/svg}"


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg.replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1))


def _points(line: ET.Element) -> list[tuple[float, float]]:
    return [tuple(map(float, p.split(","))) for p in line.get("points").split()]


def test_the_line_spans_the_box_lowest_value_at_the_bottom():
    svg = _parse(sparkline_svg([10.0, 20.0, 15.0], ["a", "b", "c"], RED, "Active customers"))
    (line,) = svg.iter(f"{SVG}polyline")
    # three values over the width less the padding: x 5, 110, 215; 10 at the bottom
    # (56 - 5 = 51), 20 at the top (5), 15 half-way (28)
    assert _points(line) == [(PAD, HEIGHT - PAD), (WIDTH / 2, PAD), (WIDTH - PAD, 28.0)]
    assert line.get("stroke") == RED
    assert svg.get("aria-label") == "Active customers"


def test_a_missing_value_breaks_the_line_and_a_lone_value_is_a_dot():
    nan = float("nan")
    svg = _parse(sparkline_svg([1.0, 2.0, None, 3.0, nan], list("abcde"), GREY, "x"))
    lines = list(svg.iter(f"{SVG}polyline"))
    assert len(lines) == 1 and len(_points(lines[0])) == 2  # 1 -> 2, then a gap
    dots = [c for c in svg.iter(f"{SVG}circle") if c.get("fill") == GREY]
    assert len(dots) == 1  # the 3 between two gaps
    titles = [t.text for t in svg.iter(f"{SVG}title")]
    assert titles == ["a", "b", "d"]  # a tooltip for every value shown, none for gaps


def test_a_flat_line_sits_in_the_middle_and_nothing_to_draw_is_none():
    svg = _parse(sparkline_svg([5.0, 5.0], ["a", "b"], GREEN, "x"))
    (line,) = svg.iter(f"{SVG}polyline")
    assert {y for _, y in _points(line)} == {HEIGHT / 2}
    assert sparkline_svg([None, None], ["a", "b"], GREEN, "x") is None
    assert sparkline_svg([], [], GREEN, "x") is None


def test_labels_are_escaped():
    svg = sparkline_svg([1.0, 2.0], ["<b>&", "x"], GREEN, 'a "name"')
    assert "<b>" not in svg and "&lt;b&gt;&amp;" in svg and "&quot;name&quot;" in svg
    assert re.search(r"<title>", svg)


def test_the_colour_follows_the_change_as_streamlit_colours_it():
    assert line_colour("+20", "normal") == GREEN
    assert line_colour("-2,110", "normal") == RED
    assert line_colour("-2.4 h", "inverse") == GREEN  # shorter resolution: good
    assert line_colour("+20", "inverse") == RED  # a growing backlog: bad
    assert line_colour("-514", "off") == GREY  # not judged
    assert line_colour(None, "normal") == GREY  # no comparison (a partial month)
