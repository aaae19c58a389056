"""Complaints: resolution time, the service promise (SLA), backlog, categories, channels."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.present.chart_style import DECIMAL, PERCENT
from dashboard.present.sla_note import clock_note
from dashboard.ui import context, data_access, drilldown
from dashboard.ui.chart_cache import recipe
from dashboard.ui.charts import breakdowns, over_time
from dashboard.ui.components import chart, has_rows, nonzero, table, tables_expander
from dashboard.ui.context import Context


def render(ctx: Context) -> None:
    st.title(ctx.t("page_complaints"))
    st.caption(clock_note(ctx.settings, ctx.lang))  # which clock each SLA rule runs on (#17)
    frame = data_access.compute("complaints", ctx.state)
    if not has_rows(frame if nonzero(frame, ["opened", "backlog_end"]) else None, ctx):
        return
    grain, lang = ctx.state.grain, ctx.lang
    periods = sorted(pd.to_datetime(frame["period_start"]).dt.date.unique())

    def rows_behind(key: str, event) -> None:  # a click on a period: its complaints
        drill = drilldown.drill_from_selection(event, "complaint_details", grain, periods)
        drilldown.offer(drill, key)

    left, right = st.columns(2)
    with left:
        st.markdown(f"##### {ctx.t('resolution_trend')}")
        # the typical complaint (median, first response) on its own axis: the P90 reaches
        # hundreds of hours and would flatten these lines onto the floor
        picked = chart(
            recipe(
                over_time.trend,
                frame,
                ["median_resolution_hours", "median_first_response_hours"],
                lang,
                grain=grain,
                value_format=DECIMAL,
                target=ctx.target_value("median_resolution_hours"),
                y_title=ctx.t("hours_axis"),
                drill=True,
            ),
            key="resolution_trend",
            hint=ctx.t("chart_hint_drill"),
            drill=True,
            values=frame[["median_resolution_hours", "median_first_response_hours"]],
            empty=ctx.t("chart_no_data"),
        )
        rows_behind("resolution_trend", picked)
        st.markdown(f"##### {ctx.t('p90_trend')}")
        picked = chart(
            recipe(
                over_time.trend,
                frame,
                ["p90_resolution_hours"],
                lang,
                grain=grain,
                value_format=DECIMAL,
                target=ctx.target_value("p90_resolution_hours"),
                y_title=ctx.t("hours_axis"),
                drill=True,
            ),
            key="p90_trend",
            drill=True,
            values=frame[["p90_resolution_hours"]],
            empty=ctx.t("chart_no_data"),
        )
        rows_behind("p90_trend", picked)
    with right:
        st.markdown(f"##### {ctx.t('resolution_distribution')}")
        dist = data_access.compute("resolution_distribution", ctx.state)
        if has_rows(dist if nonzero(dist, ["complaints"]) else None, ctx):
            chart(recipe(breakdowns.resolution_distribution, dist, lang), key="resolution_dist")

    left, right = st.columns(2)
    with left:
        st.markdown(f"##### {ctx.t('sla_trend')}")
        picked = chart(
            recipe(
                over_time.trend,
                frame,
                ["sla_met_rate"],
                lang,
                grain=grain,
                value_format=PERCENT,
                target=ctx.target_value("sla_met_rate"),
                y_domain=(0, 1),
                drill=True,
            ),
            key="sla_trend",
            drill=True,
            values=frame[["sla_met_rate"]],
            empty=ctx.t("chart_no_data"),
        )
        rows_behind("sla_trend", picked)
    with right:
        st.markdown(f"##### {ctx.t('backlog_trend')}")
        chart(
            recipe(
                over_time.trend,
                frame,
                ["backlog_end"],
                lang,
                grain=grain,
                target=ctx.target_value("backlog_end"),
            ),
            key="backlog",
        )

    breakdown = data_access.compute("complaint_breakdown", ctx.state)
    if has_rows(breakdown if nonzero(breakdown, ["opened"]) else None, ctx):
        left, right = st.columns(2)
        with left:
            st.markdown(f"##### {ctx.t('by_category')}")
            chart(
                recipe(breakdowns.complaints_by_category_channel, breakdown, lang),
                key="by_category",
            )
        with right:
            st.markdown(f"##### {ctx.t('category_trend')}")
            chart(
                recipe(over_time.category_trend, breakdown, lang, grain=grain), key="category_trend"
            )

    with tables_expander(ctx, "complaints_tables") as shown:
        if shown:
            table(frame, ctx, "complaints")
            if not breakdown.empty:
                table(breakdown, ctx, "complaint_breakdown")
            # the drill-down: each late open complaint with its hours on both clocks (#17)
            late = data_access.compute("open_complaints_past_sla", ctx.state)
            if not late.empty:
                st.markdown(f"##### {ctx.t('open_past_sla_table')}")
                table(late, ctx, "open_complaints_past_sla")
    drilldown.render_dialog(ctx)


render(context.get())
