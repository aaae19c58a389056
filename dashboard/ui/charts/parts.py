"""The building blocks every chart shares: the period axis and its tooltip, the zoom, hover
and click selections, legends, per-period stacking and the dashed target rule.

``PICK`` names the click selection a drillable chart carries (#12 drill-down).
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

from dashboard.present.chart_style import NUMBER, TARGET_COLOUR
from dashboard.present.i18n import t


def time_format(grain: str) -> str:
    return "%Y-%m" if grain == "month" else "%Y-%m-%d"


# Fewer periods than this and a time axis spans more room than the data: one or two
# periods' bars would otherwise fill the whole plot (as if a single bar were a trend).
FEW_PERIODS = 4


def time_scale(data: pd.DataFrame | None, grain: str) -> alt.Scale | object:
    """A time domain a little wider than the data when it has only a few periods."""
    if data is None or data.empty or "period_start" not in data.columns:
        return alt.Undefined
    starts = pd.to_datetime(data["period_start"]).dropna()
    if starts.empty or starts.nunique() >= FEW_PERIODS:
        return alt.Undefined
    step = pd.DateOffset(months=1) if grain == "month" else pd.Timedelta(days=7)
    low, high = starts.min() - step, starts.max() + step + step
    return alt.Scale(domain=[low.isoformat(), high.isoformat()])


def x_time(grain: str, lang: str, data: pd.DataFrame | None = None) -> alt.X:
    """The period axis; given the chart's ``data``, padded when it has only a few periods."""
    return alt.X(
        "period_start:T",
        title=t("period", lang),
        # narrow columns: drop labels that would overlap rather than print them on top
        axis=alt.Axis(
            format=time_format(grain), labelAngle=0, labelOverlap="greedy", labelSeparation=8
        ),
        scale=time_scale(data, grain),
    )


def tooltip_time(grain: str, lang: str) -> alt.Tooltip:
    return alt.Tooltip("period_start:T", title=t("period", lang), format=time_format(grain))


# Zoom only with Shift held: a plain wheel over a chart must scroll the page (a zoomed-out
# axis from 2023 to 2029 with no hint was what users got). Dragging pans; double-click resets.
ZOOM_WHEEL = "wheel![event.shiftKey]"


def zoom() -> alt.Parameter:
    return alt.selection_interval(bind="scales", encodings=["x"], name="zoom", zoom=ZOOM_WHEEL)


def hover() -> alt.Parameter:
    """The period nearest the pointer (for the rule and tooltip of line charts)."""
    return alt.selection_point(
        name="hover", fields=["period_start"], nearest=True, on="pointermove", empty=False,
        clear="pointerout",
    )  # fmt: skip


def hover_rule(
    wide: pd.DataFrame, columns: dict[str, str], grain: str, lang: str, value_format: str
) -> alt.Chart:
    """A vertical rule at the hovered period whose tooltip lists every series' value.

    ``wide`` has one row per period; ``columns`` maps its value columns to their titles.
    The rule is always drawn (transparent when not hovered) so it catches the pointer."""
    nearest = hover()
    return (
        alt.Chart(wide)
        .mark_rule(color="#888", strokeWidth=1)
        .encode(
            x="period_start:T",
            opacity=alt.condition(nearest, alt.value(0.6), alt.value(0)),
            tooltip=[
                tooltip_time(grain, lang),
                *(
                    alt.Tooltip(f"{c}:Q", title=title, format=value_format)
                    for c, title in columns.items()
                ),
            ],
        )
        .add_params(nearest)
    )


# The click that opens the rows behind a point (#12 drill-down); the page names it in
# st.altair_chart(selection_mode=[PICK]) so hovering, zooming and legend picks never rerun.
PICK = "pick"


def drill_pick(fields: Sequence[str]) -> alt.Parameter:
    return alt.selection_point(name=PICK, fields=list(fields), on="click", nearest=True)


def legend_pick(field: str) -> alt.Parameter:
    return alt.selection_point(fields=[field], bind="legend", name="legend_pick")


def with_period_dates(
    df: pd.DataFrame, column: str = "period_start", grain: str = "week"
) -> pd.DataFrame:
    """Copy with ``period_start`` as datetimes and ``period_end``, where a period's bar ends
    (a day short of the next period, so bars on a zoomable time axis keep a small gap)."""
    out = df.copy()
    out[column] = pd.to_datetime(out[column])
    if grain == "month":
        out["period_end"] = out[column] + pd.offsets.MonthBegin(1) - pd.Timedelta(days=3)
    else:
        out["period_end"] = out[column] + pd.Timedelta(days=6)
    return out


def show_points(data: pd.DataFrame) -> bool:
    # Dots help on short series and clutter long ones.
    return data["period_start"].nunique() <= 30


def series_legend(items: int) -> alt.Legend:
    return alt.Legend(columns=min(items, 3), labelLimit=200, symbolLimit=0)


def period_end_x2() -> alt.X2:
    return alt.X2("period_end:T")


def count_axis(value_format: str) -> alt.Axis:
    # Whole numbers only for counts (no "1, 1, 0" ticks on small values).
    return alt.Axis(format=value_format, tickMinStep=1 if value_format == NUMBER else alt.Undefined)


def target_rule(target: float, lang: str, value_format: str) -> alt.Chart:
    """The dashed red rule at ``target`` on the y axis."""
    data = pd.DataFrame({"target": [target]})
    return (
        alt.Chart(data)
        .mark_rule(color=TARGET_COLOUR, strokeDash=[6, 4], size=1.5)
        .encode(
            y="target:Q",
            tooltip=[alt.Tooltip("target:Q", title=t("target", lang), format=value_format)],
        )
    )


def stack_per_period(
    chart: alt.Chart, field: str, series: str, *, normalize: bool = False
) -> alt.Chart:
    """Stack ``field`` per period in Vega (bars spanning period_start..period_end are not
    stacked by Vega-Lite's automatic stacking)."""
    return chart.transform_stack(
        stack=field,
        groupby=["period_start"],
        as_=["stack_lo", "stack_hi"],
        sort=[alt.SortField(series, order="ascending")],
        offset="normalize" if normalize else "zero",
    )


def label_unknown(df: pd.DataFrame, columns: Sequence[str], lang: str) -> pd.DataFrame:
    """Copy with a missing value in ``columns`` shown as "(unknown)"."""
    out = df.copy()
    for c in columns:
        out[c] = out[c].astype("object").where(out[c].notna(), t("unknown", lang))
    return out
