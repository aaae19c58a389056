"""Charts across something other than time: retention by cohort (a heatmap), complaints per
resolution-time bucket and per category and channel, and the project ranking."""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

from dashboard.present.chart_style import (
    HEIGHT,
    NUMBER,
    PALETTE,
    PERCENT,
    TARGET_COLOUR,
    project_scale,
    style,
)
from dashboard.present.formats import D3_TICK_FORMATS
from dashboard.present.i18n import t
from dashboard.ui.charts.parts import (
    count_axis,
    drill_pick,
    label_unknown,
    legend_pick,
    series_legend,
)


def cohort_heatmap(df: pd.DataFrame, lang: str) -> alt.TopLevelMixin:
    """Retention by cohort (rows) and months since the first order (columns)."""
    data = df.copy()
    data["cohort"] = pd.to_datetime(data["cohort_month"]).dt.strftime("%Y-%m")
    base = alt.Chart(data).encode(
        x=alt.X(
            "months_since_first:O",
            title=t("months_since_first", lang),
            axis=alt.Axis(labelAngle=0),
        ),
        y=alt.Y("cohort:O", title=t("cohort_month", lang), sort="ascending"),
    )
    tooltip = [
        alt.Tooltip("cohort:O", title=t("cohort_month", lang)),
        alt.Tooltip("months_since_first:O", title=t("months_since_first", lang)),
        alt.Tooltip("cohort_size:Q", title=t("cohort_size", lang), format=NUMBER),
        alt.Tooltip("active_customers:Q", title=t("active_customers", lang), format=NUMBER),
        alt.Tooltip("retention_rate:Q", title=t("retention_rate", lang), format=PERCENT),
    ]
    cells = base.mark_rect().encode(
        color=alt.Color(
            "retention_rate:Q",
            title=t("retention_rate", lang),
            scale=alt.Scale(scheme="blues", domain=[0, 1]),
            legend=alt.Legend(format=D3_TICK_FORMATS["rate"]),
        ),
        tooltip=tooltip,
    )
    labels = base.mark_text(fontSize=10).encode(
        text=alt.Text("retention_rate:Q", format=D3_TICK_FORMATS["rate"]),
        color=alt.condition(alt.datum.retention_rate > 0.5, alt.value("white"), alt.value("#333")),
        tooltip=tooltip,
    )
    rows = max(1, data["cohort"].nunique())
    # tall enough for the vertical axis title even with one or two cohorts (it was clipped)
    return style((cells + labels).properties(height=max(180, min(520, 60 + 28 * rows))))


def resolution_distribution(df: pd.DataFrame, lang: str) -> alt.TopLevelMixin:
    """Complaints per resolution-time bucket (bucket, bucket_order, complaints)."""
    order = df.sort_values("bucket_order")["bucket"].tolist()
    chart = (
        alt.Chart(df)
        .mark_bar(color=PALETTE[0])
        .encode(
            x=alt.X("bucket:N", title=t("bucket", lang), sort=order, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("complaints:Q", title=t("complaints_count", lang), axis=count_axis(NUMBER)),
            tooltip=[
                alt.Tooltip("bucket:N", title=t("bucket", lang)),
                alt.Tooltip("complaints:Q", title=t("complaints_count", lang), format=NUMBER),
            ],
        )
    )
    return style(chart.properties(height=HEIGHT))


def complaints_by_category_channel(df: pd.DataFrame, lang: str) -> alt.TopLevelMixin:
    """Opened complaints per category, stacked by channel (complaint_breakdown rows)."""
    data = label_unknown(df, ["category", "channel"], lang)
    pick = legend_pick("channel")
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y(
                "category:N",
                title=t("category", lang),
                sort="-x",
                axis=alt.Axis(labelOverlap=False),
            ),
            x=alt.X("sum(opened):Q", title=t("opened", lang), axis=count_axis(NUMBER)),
            color=alt.Color(
                "channel:N",
                title=t("channel", lang),
                legend=series_legend(data["channel"].nunique()),
            ),
            opacity=alt.condition(pick, alt.value(1.0), alt.value(0.2)),
            tooltip=[
                alt.Tooltip("category:N", title=t("category", lang)),
                alt.Tooltip("channel:N", title=t("channel", lang)),
                alt.Tooltip("sum(opened):Q", title=t("opened", lang), format=NUMBER),
            ],
        )
        .add_params(pick)
    )
    # a band per category: one category is one bar, not a block filling the plot
    return style(chart.properties(height=alt.Step(32)))


def ranking(
    df: pd.DataFrame,
    measure: str,
    lang: str,
    projects: Sequence[str],
    *,
    value_format: str = NUMBER,
    target: float | None = None,
    ascending: bool = False,
    drill: bool = False,
) -> alt.TopLevelMixin:
    """Horizontal bars, one per project, best first; ``rank`` column shown in the tooltip.
    ``drill``: a click on a bar selects its project (``PICK``)."""
    order = df.sort_values(measure, ascending=ascending)["project"].tolist()
    tooltip = [
        alt.Tooltip("project:N", title=t("project", lang)),
        alt.Tooltip(f"{measure}:Q", title=t(measure, lang), format=value_format),
    ]
    if "rank" in df.columns:
        tooltip.append(alt.Tooltip("rank:Q", title=t("rank", lang)))
    bars = (
        alt.Chart(df)
        .mark_bar()
        .encode(
            y=alt.Y("project:N", title=t("project", lang), sort=order),
            x=alt.X(f"{measure}:Q", title=t(measure, lang), axis=count_axis(value_format)),
            color=alt.Color("project:N", scale=project_scale(projects), legend=None),
            tooltip=tooltip,
        )
    )
    labels = bars.mark_text(align="left", dx=3, fontSize=11).encode(
        text=alt.Text(f"{measure}:Q", format=value_format), color=alt.value("#333")
    )
    chart = (bars.add_params(drill_pick(["project"])) if drill else bars) + labels
    if target is not None:
        rule = (
            alt.Chart(pd.DataFrame({"target": [target]}))
            .mark_rule(color=TARGET_COLOUR, strokeDash=[6, 4], size=1.5)
            .encode(
                x="target:Q",
                tooltip=[alt.Tooltip("target:Q", title=t("target", lang), format=value_format)],
            )
        )
        chart = chart + rule
    # a band per project: one project is one bar, not a block filling the plot
    return style(chart.properties(height=alt.Step(34)))
