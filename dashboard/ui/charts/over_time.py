"""Charts over the period axis: a KPI's trend (lines or bars, with targets and drill-down),
one line per project, the leaky bucket of customers, complaints by category and the CSAT
distribution per period. Every one zooms and pans its time axis (``parts.zoom``)."""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

from dashboard.present.chart_style import (
    BAD,
    CSAT_COLOURS,
    GOOD,
    HEIGHT,
    NUMBER,
    PERCENT,
    SERIES,
    project_scale,
    style,
)
from dashboard.present.formats import D3_TICK_FORMATS
from dashboard.present.i18n import t
from dashboard.ui.charts.parts import (
    count_axis,
    drill_pick,
    hover_rule,
    label_unknown,
    legend_pick,
    period_end_x2,
    series_legend,
    show_points,
    stack_per_period,
    target_rule,
    tooltip_time,
    with_period_dates,
    x_time,
    zoom,
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
    data = with_period_dates(df, grain=grain)[["period_start", "period_end", *measures]]
    names = {m: t(m, lang) for m in measures}
    long = data.rename(columns=names).melt(
        id_vars=["period_start", "period_end"], var_name="measure", value_name="value"
    )
    y_label = y_title or (names[measures[0]] if len(measures) == 1 else t("value", lang))
    pick = legend_pick("measure")
    y_scale = alt.Scale(domain=list(y_domain)) if y_domain else alt.Undefined
    base = alt.Chart(long).encode(
        x=x_time(grain, lang, data),
        y=alt.Y(
            "value:Q",
            title=y_label,
            axis=count_axis(value_format),
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
    )
    if mark == "bar":
        marks = (
            stack_per_period(base, "value", "measure")
            .mark_bar()
            .encode(
                tooltip=[
                    tooltip_time(grain, lang),
                    alt.Tooltip("measure:N", title=t("measure", lang)),
                    alt.Tooltip("value:Q", title=t("value", lang), format=value_format),
                ],
                x2=period_end_x2(),
                y=alt.Y(
                    "stack_lo:Q",
                    title=y_label,
                    axis=count_axis(value_format),
                    scale=y_scale,
                ),
                y2="stack_hi:Q",
            )
        )
    else:
        # no tooltip of its own: the hover rule below covers the plot with its hover cells
        # and names every measure of the nearest period (#14: one tooltip less per row)
        marks = base.mark_line(point=show_points(data))
    layer = marks.add_params(zoom(), pick)
    if mark == "bar" and drill:
        layer = layer.add_params(drill_pick(["period_start"]))
    if mark != "bar":
        # the tooltip of the nearest period (all measures), not only of a hit line
        wide = data.rename(columns={m: f"m{i}" for i, m in enumerate(measures)})
        titles = {f"m{i}": names[m] for i, m in enumerate(measures)}
        rule = hover_rule(wide, titles, grain, lang, value_format)
        layer = layer + (rule.add_params(drill_pick(["period_start"])) if drill else rule)
    chart = layer + target_rule(target, lang, value_format) if target is not None else layer
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
    data = with_period_dates(df)[["period_start", "project", measure]]
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
    pick = legend_pick("series")
    lines = (
        alt.Chart(data)
        .mark_line()
        .encode(
            x=x_time(grain, lang),
            y=alt.Y(f"{measure}:Q", title=t(measure, lang), axis=alt.Axis(format=value_format)),
            color=alt.Color(
                "series:N",
                title=t("project", lang),
                scale=alt.Scale(domain=domain, range=colours),
                legend=series_legend(len(domain)),
            ),
            detail="project:N",
            order=alt.Order("highlighted:N"),  # coloured lines drawn over the grey ones
            strokeWidth=alt.condition("datum.highlighted", alt.value(2), alt.value(1)),
            opacity=alt.condition(pick, alt.value(1.0), alt.value(0.15)),
            # no tooltip on the lines: the nearest-point layer's hover cells cover the whole
            # plot above them, so the pointer never reaches a line; building one per row
            # (1,560 at 100x) cost a tenth of the chart's drawing (#14)
        )
        .add_params(zoom(), pick)
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
                tooltip_time(grain, lang),
                alt.Tooltip("project:N", title=t("project", lang)),
                alt.Tooltip(f"{measure}:Q", title=t(measure, lang), format=value_format),
            ],
        )
        .add_params(nearest)
    )
    chart = lines + points
    chart = chart + target_rule(target, lang, value_format) if target is not None else chart
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
    data = with_period_dates(df, grain=grain)
    names = {flow: t(f"flow_{flow}", lang) for flow in FLOWS}
    data = data[data["flow"].isin(FLOWS)].assign(
        measure=lambda d: d["flow"].map(names),
        order=lambda d: d["flow"].map({f: i for i, f in enumerate(FLOWS)}),
        count=lambda d: d["customers"].abs(),
    )
    pick = legend_pick("measure")
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
            x=x_time(grain, lang, data),
            x2=period_end_x2(),
            y=alt.Y("stack_lo:Q", title=t("customers", lang), axis=count_axis(NUMBER)),
            y2="stack_hi:Q",
            color=alt.Color(
                "measure:N",
                title=None,
                scale=alt.Scale(domain=[names[f] for f in FLOWS], range=list(FLOW_COLOURS)),
                legend=alt.Legend(columns=4, labelLimit=200),
            ),
            opacity=alt.condition(pick, alt.value(1.0), alt.value(0.2)),
            tooltip=[
                tooltip_time(grain, lang),
                alt.Tooltip("measure:N", title=t("measure", lang)),
                alt.Tooltip("count:Q", title=t("customers", lang), format=NUMBER),
            ],
        )
        .add_params(zoom(), pick)
    )
    zero = alt.Chart(pd.DataFrame({"y": [0]})).mark_rule(color="#555").encode(y="y:Q")
    return style((bars + zero).properties(height=HEIGHT))


def category_trend(df: pd.DataFrame, lang: str, *, grain: str = "week") -> alt.TopLevelMixin:
    """Opened complaints per period, stacked by category."""
    data = label_unknown(with_period_dates(df, grain=grain), ["category"], lang)
    pick = legend_pick("category")
    base = alt.Chart(data).transform_aggregate(
        opened="sum(opened)", groupby=["period_start", "period_end", "category"]
    )
    chart = (
        stack_per_period(base, "opened", "category")
        .mark_bar()
        .encode(
            x=x_time(grain, lang, data),
            x2=period_end_x2(),
            y=alt.Y("stack_lo:Q", title=t("opened", lang), axis=count_axis(NUMBER)),
            y2="stack_hi:Q",
            color=alt.Color(
                "category:N",
                title=t("category", lang),
                legend=series_legend(data["category"].nunique()),
            ),
            opacity=alt.condition(pick, alt.value(1.0), alt.value(0.2)),
            tooltip=[
                tooltip_time(grain, lang),
                alt.Tooltip("category:N", title=t("category", lang)),
                alt.Tooltip("opened:Q", title=t("opened", lang), format=NUMBER),
            ],
        )
        .add_params(zoom(), pick)
    )
    return style(chart.properties(height=HEIGHT))


def csat_distribution(df: pd.DataFrame, lang: str, *, grain: str = "week") -> alt.TopLevelMixin:
    """Share of responses per CSAT score 1-5 per period (stacked to 100 %)."""
    data = with_period_dates(df, grain=grain)
    data["csat"] = data["csat"].astype(int)
    pick = legend_pick("csat")
    base = (
        alt.Chart(data)
        .transform_joinaggregate(total="sum(responses)", groupby=["period_start"])
        .transform_calculate(share="datum.total > 0 ? datum.responses / datum.total : 0")
    )
    chart = (
        stack_per_period(base, "responses", "csat", normalize=True)
        .mark_bar()
        .encode(
            x=x_time(grain, lang, data),
            x2=period_end_x2(),
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
                tooltip_time(grain, lang),
                alt.Tooltip("csat:O", title=t("csat", lang)),
                alt.Tooltip("responses:Q", title=t("responses", lang), format=NUMBER),
                alt.Tooltip("share:Q", title=t("share", lang), format=PERCENT),
            ],
        )
        .add_params(zoom(), pick)
    )
    return style(chart.properties(height=HEIGHT))
