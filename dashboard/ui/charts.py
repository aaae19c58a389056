"""Altair chart builders: pure functions from an (already aggregated) KPI DataFrame to a chart.

No Streamlit here, so every builder is tested on its Vega-Lite spec (``chart.to_dict()``).
Conventions shared by all charts:

* every mark has a tooltip with translated titles; line charts show the values of the
  period nearest the pointer, with a vertical rule, so the pointer need not hit a 2 px line;
* time axes zoom with Shift + mouse wheel and pan by dragging (an interval selection bound
  to the x scale); a plain wheel scrolls the page; a double-click resets;
* legends highlight their series on click (a point selection bound to the legend);
* a project always has the same colour (``project_scale`` over the full project list);
* targets are dashed red rules;
* a CJK-capable font so Chinese labels render.
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

from dashboard.present.chart_style import (  # noqa: F401 (pages use charts.DECIMAL, .SCORE)
    BAD,
    CSAT_COLOURS,
    DECIMAL,
    GOOD,
    HEIGHT,
    NUMBER,
    PALETTE,
    PERCENT,
    SCORE,
    SERIES,
    TARGET_COLOUR,
    project_scale,
    style,
)
from dashboard.present.formats import D3_TICK_FORMATS
from dashboard.present.i18n import t


def _time_format(grain: str) -> str:
    return "%Y-%m" if grain == "month" else "%Y-%m-%d"


# Fewer periods than this and a time axis spans more room than the data: one or two
# periods' bars would otherwise fill the whole plot (as if a single bar were a trend).
FEW_PERIODS = 4


def _time_scale(data: pd.DataFrame | None, grain: str) -> alt.Scale | object:
    """A time domain a little wider than the data when it has only a few periods."""
    if data is None or data.empty or "period_start" not in data.columns:
        return alt.Undefined
    starts = pd.to_datetime(data["period_start"]).dropna()
    if starts.empty or starts.nunique() >= FEW_PERIODS:
        return alt.Undefined
    step = pd.DateOffset(months=1) if grain == "month" else pd.Timedelta(days=7)
    low, high = starts.min() - step, starts.max() + step + step
    return alt.Scale(domain=[low.isoformat(), high.isoformat()])


def _x_time(grain: str, lang: str, data: pd.DataFrame | None = None) -> alt.X:
    """The period axis; given the chart's ``data``, padded when it has only a few periods."""
    return alt.X(
        "period_start:T",
        title=t("period", lang),
        # narrow columns: drop labels that would overlap rather than print them on top
        axis=alt.Axis(
            format=_time_format(grain), labelAngle=0, labelOverlap="greedy", labelSeparation=8
        ),
        scale=_time_scale(data, grain),
    )


def _tooltip_time(grain: str, lang: str) -> alt.Tooltip:
    return alt.Tooltip("period_start:T", title=t("period", lang), format=_time_format(grain))


# Zoom only with Shift held: a plain wheel over a chart must scroll the page (a zoomed-out
# axis from 2023 to 2029 with no hint was what users got). Dragging pans; double-click resets.
ZOOM_WHEEL = "wheel![event.shiftKey]"


def _zoom() -> alt.Parameter:
    return alt.selection_interval(bind="scales", encodings=["x"], name="zoom", zoom=ZOOM_WHEEL)


def _hover() -> alt.Parameter:
    """The period nearest the pointer (for the rule and tooltip of line charts)."""
    return alt.selection_point(
        name="hover", fields=["period_start"], nearest=True, on="pointermove", empty=False,
        clear="pointerout",
    )  # fmt: skip


def _hover_rule(
    wide: pd.DataFrame, columns: dict[str, str], grain: str, lang: str, value_format: str
) -> alt.Chart:
    """A vertical rule at the hovered period whose tooltip lists every series' value.

    ``wide`` has one row per period; ``columns`` maps its value columns to their titles.
    The rule is always drawn (transparent when not hovered) so it catches the pointer."""
    hover = _hover()
    return (
        alt.Chart(wide)
        .mark_rule(color="#888", strokeWidth=1)
        .encode(
            x="period_start:T",
            opacity=alt.condition(hover, alt.value(0.6), alt.value(0)),
            tooltip=[
                _tooltip_time(grain, lang),
                *(
                    alt.Tooltip(f"{c}:Q", title=title, format=value_format)
                    for c, title in columns.items()
                ),
            ],
        )
        .add_params(hover)
    )


# The click that opens the rows behind a point (#12 drill-down); the page names it in
# st.altair_chart(selection_mode=[PICK]) so hovering, zooming and legend picks never rerun.
PICK = "pick"


def _drill_pick(fields: Sequence[str]) -> alt.Parameter:
    return alt.selection_point(name=PICK, fields=list(fields), on="click", nearest=True)


def _legend_pick(field: str) -> alt.Parameter:
    return alt.selection_point(fields=[field], bind="legend", name="legend_pick")


def _dates(df: pd.DataFrame, column: str = "period_start", grain: str = "week") -> pd.DataFrame:
    """Copy with ``period_start`` as datetimes and ``period_end``, where a period's bar ends
    (a day short of the next period, so bars on a zoomable time axis keep a small gap)."""
    out = df.copy()
    out[column] = pd.to_datetime(out[column])
    if grain == "month":
        out["period_end"] = out[column] + pd.offsets.MonthBegin(1) - pd.Timedelta(days=3)
    else:
        out["period_end"] = out[column] + pd.Timedelta(days=6)
    return out


def _points(data: pd.DataFrame) -> bool:
    # Dots help on short series and clutter long ones.
    return data["period_start"].nunique() <= 30


def _legend(items: int) -> alt.Legend:
    return alt.Legend(columns=min(items, 3), labelLimit=200, symbolLimit=0)


def _x2() -> alt.X2:
    return alt.X2("period_end:T")


def _count_axis(value_format: str) -> alt.Axis:
    # Whole numbers only for counts (no "1, 1, 0" ticks on small values).
    return alt.Axis(format=value_format, tickMinStep=1 if value_format == NUMBER else alt.Undefined)


def _target_rule(target: float, lang: str, value_format: str) -> alt.Chart:
    data = pd.DataFrame({"target": [target]})
    return (
        alt.Chart(data)
        .mark_rule(color=TARGET_COLOUR, strokeDash=[6, 4], size=1.5)
        .encode(
            y="target:Q",
            tooltip=[alt.Tooltip("target:Q", title=t("target", lang), format=value_format)],
        )
    )


def trend(
    df: pd.DataFrame,
    measures: Sequence[str],
    lang: str,
    *,
    grain: str = "week",
    value_format: str = NUMBER,
    target: float | None = None,
    y_title: str | None = None,
    mark: str = "line",
    y_domain: tuple[float, float] | None = None,
    drill: bool = False,
) -> alt.TopLevelMixin:
    """One line (or bar) per measure column over ``period_start``; legend picks a series.
    ``drill``: a click selects the nearest period (``PICK``, for a drill-down)."""
    data = _dates(df, grain=grain)[["period_start", "period_end", *measures]]
    names = {m: t(m, lang) for m in measures}
    long = data.rename(columns=names).melt(
        id_vars=["period_start", "period_end"], var_name="measure", value_name="value"
    )
    y_label = y_title or (names[measures[0]] if len(measures) == 1 else t("value", lang))
    pick = _legend_pick("measure")
    y_scale = alt.Scale(domain=list(y_domain)) if y_domain else alt.Undefined
    base = alt.Chart(long).encode(
        x=_x_time(grain, lang, data),
        y=alt.Y(
            "value:Q",
            title=y_label,
            axis=_count_axis(value_format),
            scale=y_scale,
        ),
        color=alt.Color(
            "measure:N",
            title=None,
            scale=alt.Scale(
                domain=[names[m] for m in measures], range=list(SERIES[: len(measures)])
            ),
            legend=alt.Legend(columns=1, labelLimit=320) if len(measures) > 1 else None,
        ),
        opacity=alt.condition(pick, alt.value(1.0), alt.value(0.15)),
        tooltip=[
            _tooltip_time(grain, lang),
            alt.Tooltip("measure:N", title=t("measure", lang)),
            alt.Tooltip("value:Q", title=t("value", lang), format=value_format),
        ],
    )
    if mark == "bar":
        marks = (
            _stack(base, "value", "measure")
            .mark_bar()
            .encode(
                x2=_x2(),
                y=alt.Y(
                    "stack_lo:Q",
                    title=y_label,
                    axis=_count_axis(value_format),
                    scale=y_scale,
                ),
                y2="stack_hi:Q",
            )
        )
    else:
        marks = base.mark_line(point=_points(data))
    layer = marks.add_params(_zoom(), pick)
    if mark == "bar" and drill:
        layer = layer.add_params(_drill_pick(["period_start"]))
    if mark != "bar":
        # the tooltip of the nearest period (all measures), not only of a hit line
        wide = data.rename(columns={m: f"m{i}" for i, m in enumerate(measures)})
        titles = {f"m{i}": names[m] for i, m in enumerate(measures)}
        rule = _hover_rule(wide, titles, grain, lang, value_format)
        layer = layer + (rule.add_params(_drill_pick(["period_start"])) if drill else rule)
    chart = layer + _target_rule(target, lang, value_format) if target is not None else layer
    return style(chart.properties(height=HEIGHT))


HIGHLIGHTED = 5  # projects coloured in a by-project trend; the others are grey context
OTHER_COLOUR = "#cfcfcf"


def by_project_trend(
    df: pd.DataFrame,
    measure: str,
    lang: str,
    projects: Sequence[str],
    *,
    grain: str = "week",
    value_format: str = NUMBER,
    target: float | None = None,
    chosen: Sequence[str] = (),
) -> alt.TopLevelMixin:
    """One line per project (``project`` column). Sixteen coloured lines are a tangle, so
    only the chosen projects (or else the ``HIGHLIGHTED`` largest by mean) are coloured,
    consistently across pages; every other project is a thin grey line for context, and the
    legend lists only the coloured ones plus "other projects"."""
    data = _dates(df)[["period_start", "project", measure]]
    present = sorted(data["project"].unique())
    chosen = [p for p in chosen if p in present]
    if chosen:
        highlighted = chosen
    else:
        means = data.groupby("project")[measure].mean().sort_values(ascending=False)
        highlighted = sorted(means.index[:HIGHLIGHTED])
    others = t("other_projects", lang)
    data = data.assign(
        series=[p if p in highlighted else others for p in data["project"]],
        highlighted=data["project"].isin(highlighted),
    )
    every = project_scale(projects)
    colour_of = dict(zip(every.domain, every.range, strict=True))
    domain = [*highlighted, *([others] if len(highlighted) < len(present) else [])]
    colours = [colour_of.get(p, OTHER_COLOUR) for p in highlighted] + [OTHER_COLOUR] * (
        len(domain) - len(highlighted)
    )
    pick = _legend_pick("series")
    lines = (
        alt.Chart(data)
        .mark_line()
        .encode(
            x=_x_time(grain, lang),
            y=alt.Y(f"{measure}:Q", title=t(measure, lang), axis=alt.Axis(format=value_format)),
            color=alt.Color(
                "series:N",
                title=t("project", lang),
                scale=alt.Scale(domain=domain, range=colours),
                legend=_legend(len(domain)),
            ),
            detail="project:N",
            order=alt.Order("highlighted:N"),  # coloured lines drawn over the grey ones
            strokeWidth=alt.condition("datum.highlighted", alt.value(2), alt.value(1)),
            opacity=alt.condition(pick, alt.value(1.0), alt.value(0.15)),
            tooltip=[
                _tooltip_time(grain, lang),
                alt.Tooltip("project:N", title=t("project", lang)),
                alt.Tooltip(f"{measure}:Q", title=t(measure, lang), format=value_format),
            ],
        )
        .add_params(_zoom(), pick)
    )
    # nearest point: its project and value, without aiming at a thin line
    nearest = alt.selection_point(
        name="hover", fields=["period_start", "project"], nearest=True, on="pointermove",
        empty=False, clear="pointerout",
    )  # fmt: skip
    points = (
        alt.Chart(data)
        .mark_point(filled=True, size=60)
        .encode(
            x="period_start:T",
            y=f"{measure}:Q",
            color=alt.Color("series:N", scale=alt.Scale(domain=domain, range=colours), legend=None),
            opacity=alt.condition(nearest, alt.value(1), alt.value(0)),
            tooltip=[
                _tooltip_time(grain, lang),
                alt.Tooltip("project:N", title=t("project", lang)),
                alt.Tooltip(f"{measure}:Q", title=t(measure, lang), format=value_format),
            ],
        )
        .add_params(nearest)
    )
    chart = lines + points
    chart = chart + _target_rule(target, lang, value_format) if target is not None else chart
    legend_rows = -(-len(domain) // 3)
    return style(chart.properties(height=HEIGHT + 18 * legend_rows))


# The leaky bucket's flows, bottom to top above the zero line, then lost below it.
FLOWS = ("retained", "returning", "new", "lost")
FLOW_COLOURS = ("#4e79a7", "#76b7b2", GOOD, BAD)


def leaky_bucket(df: pd.DataFrame, lang: str, *, grain: str = "week") -> alt.TopLevelMixin:
    """Who is active each period, stacked: retained, returning and new customers above the
    line (together: the period's active customers), lost customers leaking out below it.

    ``df`` is the ``leaky_bucket`` query: period_start, flow, customers (lost negative).
    """
    data = _dates(df, grain=grain)
    names = {flow: t(f"flow_{flow}", lang) for flow in FLOWS}
    data = data[data["flow"].isin(FLOWS)].assign(
        measure=lambda d: d["flow"].map(names),
        order=lambda d: d["flow"].map({f: i for i, f in enumerate(FLOWS)}),
        count=lambda d: d["customers"].abs(),
    )
    pick = _legend_pick("measure")
    bars = (
        alt.Chart(data)
        .transform_calculate(up="datum.customers >= 0")  # above and below stack apart
        .transform_stack(
            stack="customers",
            groupby=["period_start", "up"],
            as_=["stack_lo", "stack_hi"],
            sort=[alt.SortField("order", order="ascending")],
        )
        .mark_bar()
        .encode(
            x=_x_time(grain, lang, data),
            x2=_x2(),
            y=alt.Y("stack_lo:Q", title=t("customers", lang), axis=_count_axis(NUMBER)),
            y2="stack_hi:Q",
            color=alt.Color(
                "measure:N",
                title=None,
                scale=alt.Scale(domain=[names[f] for f in FLOWS], range=list(FLOW_COLOURS)),
                legend=alt.Legend(columns=4, labelLimit=200),
            ),
            opacity=alt.condition(pick, alt.value(1.0), alt.value(0.2)),
            tooltip=[
                _tooltip_time(grain, lang),
                alt.Tooltip("measure:N", title=t("measure", lang)),
                alt.Tooltip("count:Q", title=t("customers", lang), format=NUMBER),
            ],
        )
        .add_params(_zoom(), pick)
    )
    zero = alt.Chart(pd.DataFrame({"y": [0]})).mark_rule(color="#555").encode(y="y:Q")
    return style((bars + zero).properties(height=HEIGHT))


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
            y=alt.Y("complaints:Q", title=t("complaints_count", lang), axis=_count_axis(NUMBER)),
            tooltip=[
                alt.Tooltip("bucket:N", title=t("bucket", lang)),
                alt.Tooltip("complaints:Q", title=t("complaints_count", lang), format=NUMBER),
            ],
        )
    )
    return style(chart.properties(height=HEIGHT))


def _label_unknown(df: pd.DataFrame, columns: Sequence[str], lang: str) -> pd.DataFrame:
    out = df.copy()
    for c in columns:
        out[c] = out[c].astype("object").where(out[c].notna(), t("unknown", lang))
    return out


def complaints_by_category_channel(df: pd.DataFrame, lang: str) -> alt.TopLevelMixin:
    """Opened complaints per category, stacked by channel (complaint_breakdown rows)."""
    data = _label_unknown(df, ["category", "channel"], lang)
    pick = _legend_pick("channel")
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
            x=alt.X("sum(opened):Q", title=t("opened", lang), axis=_count_axis(NUMBER)),
            color=alt.Color(
                "channel:N", title=t("channel", lang), legend=_legend(data["channel"].nunique())
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


def _stack(chart: alt.Chart, field: str, series: str, *, normalize: bool = False) -> alt.Chart:
    """Stack ``field`` per period in Vega (bars spanning period_start..period_end are not
    stacked by Vega-Lite's automatic stacking)."""
    return chart.transform_stack(
        stack=field,
        groupby=["period_start"],
        as_=["stack_lo", "stack_hi"],
        sort=[alt.SortField(series, order="ascending")],
        offset="normalize" if normalize else "zero",
    )


def category_trend(df: pd.DataFrame, lang: str, *, grain: str = "week") -> alt.TopLevelMixin:
    """Opened complaints per period, stacked by category."""
    data = _label_unknown(_dates(df, grain=grain), ["category"], lang)
    pick = _legend_pick("category")
    base = alt.Chart(data).transform_aggregate(
        opened="sum(opened)", groupby=["period_start", "period_end", "category"]
    )
    chart = (
        _stack(base, "opened", "category")
        .mark_bar()
        .encode(
            x=_x_time(grain, lang, data),
            x2=_x2(),
            y=alt.Y("stack_lo:Q", title=t("opened", lang), axis=_count_axis(NUMBER)),
            y2="stack_hi:Q",
            color=alt.Color(
                "category:N", title=t("category", lang), legend=_legend(data["category"].nunique())
            ),
            opacity=alt.condition(pick, alt.value(1.0), alt.value(0.2)),
            tooltip=[
                _tooltip_time(grain, lang),
                alt.Tooltip("category:N", title=t("category", lang)),
                alt.Tooltip("opened:Q", title=t("opened", lang), format=NUMBER),
            ],
        )
        .add_params(_zoom(), pick)
    )
    return style(chart.properties(height=HEIGHT))


def csat_distribution(df: pd.DataFrame, lang: str, *, grain: str = "week") -> alt.TopLevelMixin:
    """Share of responses per CSAT score 1-5 per period (stacked to 100 %)."""
    data = _dates(df, grain=grain)
    data["csat"] = data["csat"].astype(int)
    pick = _legend_pick("csat")
    base = (
        alt.Chart(data)
        .transform_joinaggregate(total="sum(responses)", groupby=["period_start"])
        .transform_calculate(share="datum.total > 0 ? datum.responses / datum.total : 0")
    )
    chart = (
        _stack(base, "responses", "csat", normalize=True)
        .mark_bar()
        .encode(
            x=_x_time(grain, lang, data),
            x2=_x2(),
            y=alt.Y(
                "stack_lo:Q", title=t("share", lang), axis=alt.Axis(format=D3_TICK_FORMATS["rate"])
            ),
            y2="stack_hi:Q",
            color=alt.Color(
                "csat:O",
                title=t("csat", lang),
                scale=alt.Scale(domain=[1, 2, 3, 4, 5], range=list(CSAT_COLOURS)),
            ),
            opacity=alt.condition(pick, alt.value(1.0), alt.value(0.2)),
            tooltip=[
                _tooltip_time(grain, lang),
                alt.Tooltip("csat:O", title=t("csat", lang)),
                alt.Tooltip("responses:Q", title=t("responses", lang), format=NUMBER),
                alt.Tooltip("share:Q", title=t("share", lang), format=PERCENT),
            ],
        )
        .add_params(_zoom(), pick)
    )
    return style(chart.properties(height=HEIGHT))


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
            x=alt.X(f"{measure}:Q", title=t(measure, lang), axis=_count_axis(value_format)),
            color=alt.Color("project:N", scale=project_scale(projects), legend=None),
            tooltip=tooltip,
        )
    )
    labels = bars.mark_text(align="left", dx=3, fontSize=11).encode(
        text=alt.Text(f"{measure}:Q", format=value_format), color=alt.value("#333")
    )
    chart = (bars.add_params(_drill_pick(["project"])) if drill else bars) + labels
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
