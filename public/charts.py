"""The statistics' charts: SVG drawn on the server with leather, wrapped for a page.

leather writes presentation attributes (``fill="#0b5394"``), never a ``style`` attribute or a
``<style>`` element, so the charts live under the site's CSP (``style-src 'self'``) unchanged;
the site's stylesheet sizes them and prints them. Drawn 360 units wide, the width of a phone, so
their text keeps its size there and only grows on a wider screen.
"""

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

import leather
from django.utils.safestring import mark_safe

WIDTH = 360
BAR_HEIGHT = 26
LINE_HEIGHT = 240
LABEL_CHARS = 22
# Against white each passes 4.5:1 (text) and so 3:1 (WCAG 1.4.11, graphics); lines differ by
# their dashes too, not by colour alone.
COLOURS = ("#0b5394", "#a4262c", "#1e5e28", "#6b3fa0")
DASHES = ("none", "6 3", "2 3", "8 3 2 3")

_FONT = "system-ui, sans-serif"
for _name in ("title", "legend", "axis_title", "tick"):
    setattr(leather.theme, f"{_name}_font_family", _FONT)
    setattr(leather.theme, f"{_name}_font_size", 13)
    setattr(leather.theme, f"{_name}_font_char_height", 13)
    setattr(leather.theme, f"{_name}_font_char_width", 7.6)
leather.theme.background_color = "#ffffff"
leather.theme.title_color = leather.theme.legend_color = "#1a1a1a"
leather.theme.axis_title_color = leather.theme.label_color = "#4a4a4a"
leather.theme.tick_color = "#d5dbe1"
leather.theme.zero_color = "#4a4a4a"
leather.theme.margin = 0.05
leather.theme.default_series_colors = list(COLOURS)
leather.theme.default_dot_radius = 3.5


@dataclass
class Chart:
    """What a chart draws: ``labels`` (categories, or years on a line) and one or more
    ``series`` of (name, values), in the order of ``labels``."""

    kind: str  # "bars" (one series, horizontal), "columns" (one series), "lines"
    labels: list
    series: list[tuple[str, list]] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not any(value for _name, values in self.series for value in values)


def _short(label) -> str:
    text = str(label)
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1] + "…"


def _integer_ticks(top: float) -> list[int]:
    """0 and up to five round steps covering ``top``: counts are whole, so are their ticks."""
    top = max(int(top), 1)
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        if top / step <= 5:
            break
    else:
        step = -(-top // 5)
    return list(range(0, top + step, step))


def _ticks_of(values) -> list[int]:
    top = max((v for v in values if v is not None), default=0)
    ticks = _integer_ticks(top)
    return ticks if ticks[-1] >= top else [*ticks, ticks[-1] + (ticks[1] - ticks[0])]


def _whole(value, _index, _count) -> str:
    return f"{int(value)}"


def _bars(chart: Chart) -> tuple[leather.Chart, int]:
    values = chart.series[0][1]
    drawn = leather.Chart()
    ticks = _ticks_of(values)
    drawn.add_x_scale(0, ticks[-1])
    drawn.add_x_axis(ticks=ticks, tick_formatter=_whole)
    # Categories are drawn from the top down in the order given.
    drawn.add_bars(
        [(value, _short(label)) for label, value in zip(chart.labels, values, strict=True)]
    )
    return drawn, 40 + BAR_HEIGHT * max(len(values), 1)


def _columns(chart: Chart) -> tuple[leather.Chart, int]:
    values = chart.series[0][1]
    drawn = leather.Chart()
    ticks = _ticks_of(values)
    drawn.add_y_scale(0, ticks[-1])
    drawn.add_y_axis(ticks=ticks, tick_formatter=_whole)
    drawn.add_x_axis(ticks=[str(label) for label in _year_ticks(chart.labels)])
    drawn.add_columns(
        [(str(label), value) for label, value in zip(chart.labels, values, strict=True)]
    )
    return drawn, LINE_HEIGHT


def _year_ticks(labels: list) -> list:
    # Four digits a label: every year fits up to seven, every other one beyond.
    step = 1 if len(labels) <= 7 else 2
    return list(labels[::step])


class _Markers(leather.Dots):
    """The points of a line: its legend entry is the line's."""

    def legend_to_svg(self, series, palette):
        return []


def _lines(chart: Chart) -> tuple[leather.Chart, int]:
    drawn = leather.Chart()
    ticks = _ticks_of([v for _name, values in chart.series for v in values])
    drawn.add_y_scale(0, ticks[-1])
    drawn.add_y_axis(ticks=ticks, tick_formatter=_whole)
    first, last = min(chart.labels), max(chart.labels)
    drawn.add_x_scale(first, last if last > first else first + 1)
    drawn.add_x_axis(ticks=_year_ticks(chart.labels), tick_formatter=_whole)
    for index, (name, values) in enumerate(chart.series):
        points = [(x, y) for x, y in zip(chart.labels, values, strict=True) if y is not None]
        colour, dashes = COLOURS[index % len(COLOURS)], DASHES[index % len(DASHES)]
        if points:
            drawn.add_line(points, name=str(name), stroke_color=colour, stroke_dasharray=dashes)
            drawn.add_series(leather.Series(points), _Markers(fill_color=colour))
    return drawn, LINE_HEIGHT


_NUMBER = re.compile(r"-?\d+\.\d+")
_GEOMETRY = ("x", "y", "x1", "x2", "y1", "y2", "cx", "cy", "r", "width", "height", "d", "transform")


def _rounded(root: ET.Element) -> ET.Element:
    """leather computes in Decimal: "32.479999999999995452" becomes "32.5"."""
    for element in root.iter():
        for name in _GEOMETRY:
            value = element.get(name)
            if value is not None:
                element.set(name, _NUMBER.sub(lambda m: f"{float(m.group()):.1f}", value))
    return root


_DRAW = {"bars": _bars, "columns": _columns, "lines": _lines}


def chart_svg(chart: Chart, *, slug: str, title: str, description: str) -> str:
    """The chart as an inline ``<svg>`` named by its title and described by its text
    alternative (``role="img"``, ``<title>``, ``<desc>``)."""
    drawn, height = _DRAW[chart.kind](chart)
    root = ET.Element(
        "svg",
        {
            "xmlns": "http://www.w3.org/2000/svg",
            "viewBox": f"0 0 {WIDTH} {height}",
            "class": f"chart chart-{chart.kind}",
            "role": "img",
            "aria-labelledby": f"{slug}-chart-title {slug}-chart-desc",
            "focusable": "false",
        },
    )
    ET.SubElement(root, "title", id=f"{slug}-chart-title").text = str(title)
    ET.SubElement(root, "desc", id=f"{slug}-chart-desc").text = str(description)
    root.append(_rounded(drawn.to_svg_group(WIDTH, height)))
    # ElementTree escapes every text and attribute it writes.
    return mark_safe(ET.tostring(root, encoding="unicode"))  # noqa: S308
