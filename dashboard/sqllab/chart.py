"""Charts for results nobody wrote a chart builder for: an analyst query file's ``[chart]``
metadata, or the SQL lab's quick chart. Pure functions (no Streamlit), tested on the spec.

The encoding types follow the data: dates are temporal, numbers quantitative, text
nominal in the order the query returned it (so a Pareto stays sorted by its rank). Columns
named like ``rank`` are drawn with 1 at the top. Projects get the dashboard's project
colours."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import altair as alt
import pandas as pd

from dashboard.present.chart_style import (
    HEIGHT,
    project_scale,
    style,
)
from dashboard.present.formats import D3_FORMATS
from dashboard.present.i18n import has, t

MARKS = ("line", "bar", "area", "point", "rect", "arc")
# Altair sends every row to the browser: charts stop here (tables show everything).
MAX_CHART_ROWS = 5_000
_UNIT_FORMATS = D3_FORMATS


def _is_date(series: pd.Series) -> bool:
    if pd.api.types.is_datetime64_any_dtype(series):
        return True
    sample = series.dropna()
    return not sample.empty and isinstance(sample.iloc[0], dt.date | pd.Timestamp)


def _is_number(series: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)


def numeric_columns(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns if _is_number(frame[c])]


def _is_bool(series: pd.Series) -> bool:
    present = series.dropna()
    return pd.api.types.is_bool_dtype(series) or (
        len(present) > 0 and all(isinstance(v, bool) for v in present)
    )


def _words(series: pd.Series, column: str, lang: str) -> pd.Series:
    """Text values as a person reads them in ``lang``: booleans as yes/no (是/否), missing as
    "unknown", and a value with its own label (``flow`` 'lost' -> the label ``flow_lost``)
    in words; anything else as it is."""
    if _is_bool(series):
        return series.map(
            lambda v: t("unknown", lang) if pd.isna(v) else t("yes" if v else "no", lang)
        )

    def word(value: object) -> str:
        if value is None or value is pd.NA or value != value:
            return t("unknown", lang)
        key = f"{column}_{value}"
        return t(key, lang) if has(key) else str(value)

    return series.astype(object).map(word).astype("string")


def _prepared(frame: pd.DataFrame, columns: Sequence[str], lang: str = "en") -> pd.DataFrame:
    data = frame[list(dict.fromkeys(columns))].head(MAX_CHART_ROWS).copy()
    for column in data.columns:
        series = data[column]
        if _is_date(series):
            data[column] = pd.to_datetime(series)
        elif _is_number(series):
            data[column] = series.astype("float64")  # nullable Int64 -> plain numbers
        else:
            data[column] = _words(series, column, lang)
    return data


LEGEND_COLUMNS = 3
MAX_LEVEL_BARS = 12  # more categories than this: horizontal bars


def _label_width(text: str) -> int:
    """Roughly how many Latin characters wide ``text`` is (a CJK character is two)."""
    return sum(2 if ord(char) > 0x2E80 else 1 for char in text)


def category_angle(values: pd.Series) -> int:
    """The x labels' angle: level when a few short categories fit side by side; else
    slanted, so long labels neither overlap nor turn vertical (Chinese set vertically,
    letter by letter, was unreadable)."""
    labels = [str(v) for v in values.dropna().unique()]
    widest = max((_label_width(label) for label in labels), default=0)
    return 0 if len(labels) * max(widest, 1) <= 60 and widest <= 12 else -35


def _present_projects(values: pd.Series, projects: Sequence[str]) -> alt.Scale:
    """The dashboard's colour of each project in ``values`` and only those: the legend
    lists the series inside the filters, not every project in the data."""
    every = project_scale(projects)
    colour_of = dict(zip(every.domain, every.range, strict=True))
    shown = sorted({str(v) for v in values.dropna()})
    return alt.Scale(domain=shown, range=[colour_of.get(p, "#9e9e9e") for p in shown])


def _type(data: pd.DataFrame, column: str, *, ordinal_numbers: bool = False) -> str:
    series = data[column]
    if pd.api.types.is_datetime64_any_dtype(series):
        return "temporal"
    if _is_number(series):
        return "ordinal" if ordinal_numbers else "quantitative"
    return "nominal"


def _format(column: str, units: Mapping[str, str]) -> str | None:
    return _UNIT_FORMATS.get(units.get(column, ""))


# Dates as numbers (2026-11-16, 2026-11): Vega's default axis names months in English.
DATE_FORMAT = "%Y-%m-%d"


def _tooltip(
    data: pd.DataFrame,
    columns: Sequence[str],
    units: Mapping[str, str],
    labels: Mapping[str, str],
) -> list:
    tips = []
    for column in dict.fromkeys(columns):
        kind = _type(data, column)
        fmt = _format(column, units)
        title = labels.get(column, column)
        if kind == "temporal":
            tips.append(alt.Tooltip(column, type=kind, format=DATE_FORMAT, title=title))
        elif kind == "quantitative" and fmt:
            tips.append(alt.Tooltip(column, type=kind, format=fmt, title=title))
        else:
            tips.append(alt.Tooltip(column, type=kind, title=title))
    return tips


def build_chart(
    frame: pd.DataFrame,
    *,
    mark: str,
    x: str | None,
    y: str | None,
    color: str | None = None,
    tooltip: Sequence[str] = (),
    units: Mapping[str, str] | None = None,
    title: str | None = None,
    projects: Sequence[str] = (),
    labels: Mapping[str, str] | None = None,
    lang: str = "en",
) -> alt.TopLevelMixin | None:
    """A chart of ``frame`` or None when the spec cannot be drawn (table mark, missing
    column, no rows). Never raises for a column the result lacks: ``kpi check`` reports
    that; the page then just shows the table. Text values are words in ``lang`` (booleans
    as yes/no, see ``_words``)."""
    units = dict(units or {})
    labels = dict(labels or {})  # column -> its label in the user's language (axis titles)
    needed = [c for c in (x, y, color) if c]
    if mark not in MARKS or frame.empty or not x or not y or x == y:
        return None
    if any(c not in frame.columns for c in [*needed, *tooltip]):
        return None
    data = _prepared(frame, [*needed, *tooltip], lang)
    heatmap = mark == "rect"
    legend_rows = 0
    horizontal = False
    if heatmap:  # a heatmap's axes are categories: dates become their ISO text
        for column in (x, y):
            if pd.api.types.is_datetime64_any_dtype(data[column]):
                data[column] = data[column].dt.strftime("%Y-%m-%d")
    if mark == "arc":
        encoding: dict = {
            "theta": alt.Theta(y, type="quantitative"),
            "color": alt.Color(color or x, type="nominal", sort=None),
        }
    else:
        x_type = _type(data, x, ordinal_numbers=heatmap or mark == "bar")
        y_type = _type(data, y, ordinal_numbers=heatmap)
        y_axis = (
            alt.Axis(format=_format(y, units), title=labels.get(y, y))
            if _format(y, units)
            else alt.Axis(title=labels.get(y, y))
        )
        x_axis = alt.Axis(
            title=labels.get(x, x),
            format=DATE_FORMAT if x_type == "temporal" else alt.Undefined,
            labelLimit=160,  # long category labels are cut with an ellipsis, never overlap
            labelOverlap=True,
            labelAngle=0 if x_type == "temporal" else category_angle(data[x]),
        )
        reverse = "rank" in y.lower() and y_type == "quantitative"
        encoding = {
            "x": alt.X(
                x, type=x_type, sort=None if x_type == "nominal" else "ascending", axis=x_axis
            ),
            "y": alt.Y(
                y,
                type=y_type,
                axis=y_axis,
                sort=None if y_type == "nominal" else "ascending",
                scale=alt.Scale(reverse=True, zero=False, padding=8) if reverse else alt.Undefined,
            ),
        }
        categories = int(data[x].nunique())
        if mark == "bar" and x_type == "nominal" and categories > MAX_LEVEL_BARS:
            # many categories side by side leave each label no room (names dropped or
            # overlapping): bars run across instead, one labelled row per category
            horizontal = True
            encoding = {
                "y": alt.Y(
                    x,
                    type="nominal",
                    sort=None,
                    axis=alt.Axis(title=labels.get(x, x), labelLimit=220),
                ),
                "x": alt.X(y, type=y_type, axis=y_axis),
            }
        if color:
            color_type = _type(data, color)
            if color_type == "quantitative" and not heatmap:
                color_type = "ordinal"  # e.g. csat 1..5 as separate series
            scale = (
                _present_projects(data[color], projects)
                if color == "project" and projects
                else alt.Undefined
            )
            series = int(data[color].nunique())
            legend_rows = -(-series // LEGEND_COLUMNS) if color_type != "quantitative" else 1
            encoding["color"] = alt.Color(
                color,
                type=color_type,
                scale=scale,
                sort=None,
                title=labels.get(color, color),
                # every series listed (it stopped at 7 of 15 projects), a few per row
                legend=alt.Legend(columns=LEGEND_COLUMNS, symbolLimit=0, labelLimit=200)
                if color_type != "quantitative"
                else alt.Undefined,
            )
    tips = list(tooltip) or needed
    chart = alt.Chart(data).encode(tooltip=_tooltip(data, tips, units, labels), **encoding)
    if mark == "line":
        chart = chart.mark_line(point=True)
    elif mark == "bar":
        chart = chart.mark_bar()
    elif mark == "area":
        chart = chart.mark_area(opacity=0.7)
    elif mark == "point":
        chart = chart.mark_point(filled=True)
    elif mark == "rect":
        chart = chart.mark_rect()
    else:
        chart = chart.mark_arc()
    if x and mark != "arc" and _type(data, x) == "temporal":
        # Shift + wheel zooms (a plain wheel scrolls the page), as on the other charts
        chart = chart.add_params(
            alt.selection_interval(bind="scales", encodings=["x"], zoom="wheel![event.shiftKey]")
        )
    # Streamlit fits the whole chart, legend included, into this height: the plot keeps
    # its room when the legend grows by a row (about 26 px with a title and Chinese text)
    props = {"height": HEIGHT + (26 * legend_rows + 30 if legend_rows else 0)}
    if horizontal:
        props["height"] = alt.Step(20)
    if title:
        props["title"] = title
    return style(chart.properties(**props))


def chart_from_metadata(
    frame: pd.DataFrame,
    chart: Mapping[str, object],
    units: Mapping[str, str],
    *,
    lang: str = "en",
    by: str | None = None,
    projects: Sequence[str] = (),
    labels: Mapping[str, str] | None = None,
) -> alt.TopLevelMixin | None:
    """The chart a query file's ``[chart]`` describes; grouped results (``by``) are
    coloured by their group when the file names no colour."""
    mark = str(chart.get("mark", "table"))
    color = chart.get("color") or by
    title = chart.get("title_zh" if lang == "zh" else "title")
    tooltip = [str(t) for t in chart.get("tooltip", []) or []]
    if by and by not in tooltip and tooltip:
        tooltip.append(by)
    return build_chart(
        frame,
        mark=mark,
        x=chart.get("x"),  # type: ignore[arg-type]
        y=chart.get("y"),  # type: ignore[arg-type]
        color=str(color) if color else None,
        tooltip=tooltip,
        units=units,
        title=str(title) if title else None,
        projects=projects,
        labels=labels,
        lang=lang,
    )


# The quick chart's extra x choice: each row's place in the result (1, 2, ...), so a result
# of numbers only (``select * from range(10)``) still has something to draw against.
ROW_NUMBER = "#"


def with_row_number(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with a ``ROW_NUMBER`` column first (unless it has one already)."""
    if ROW_NUMBER in frame.columns:
        return frame
    numbered = frame.copy()
    numbered.insert(0, ROW_NUMBER, range(1, len(frame) + 1))
    return numbered


def default_axes(frame: pd.DataFrame) -> tuple[str | None, str | None]:
    """Quick-chart defaults: x = first date or text column, y = first numeric column. A
    result of numbers only plots its second number against its first, a single number
    column against the row number (``ROW_NUMBER``, see ``with_row_number``)."""
    numbers = [c for c in numeric_columns(frame) if c != ROW_NUMBER]
    others = [c for c in frame.columns if c not in numbers and c != ROW_NUMBER]
    if others:
        return others[0], numbers[0] if numbers else None
    if len(numbers) >= 2:
        return numbers[0], numbers[1]
    return (ROW_NUMBER, numbers[0]) if numbers else (None, None)
