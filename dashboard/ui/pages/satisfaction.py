"""Satisfaction: CSAT distribution (1-5), CSAT / satisfied rate, NPS."""

from __future__ import annotations

import streamlit as st

from dashboard.present.chart_style import DECIMAL, PERCENT, SCORE
from dashboard.ui import context, data_access
from dashboard.ui.chart_cache import recipe
from dashboard.ui.charts import over_time
from dashboard.ui.components import chart, has_rows, nonzero, table, tables_expander
from dashboard.ui.context import Context


def render(ctx: Context) -> None:
    st.title(ctx.t("page_satisfaction"))
    frame = data_access.compute("satisfaction", ctx.state)
    if not has_rows(frame if nonzero(frame, ["responses"]) else None, ctx):
        return
    grain, lang = ctx.state.grain, ctx.lang

    st.markdown(f"##### {ctx.t('csat_distribution')}")
    dist = data_access.compute("csat_distribution", ctx.state)
    if has_rows(dist if nonzero(dist, ["responses"]) else None, ctx):
        chart(
            recipe(over_time.csat_distribution, dist, lang, grain=grain),
            key="csat_dist",
            hint=ctx.t("chart_hint"),
        )

    left, mid, right = st.columns(3)
    with left:
        st.markdown(f"##### {ctx.t('csat_avg')}")
        chart(
            recipe(
                over_time.trend,
                frame,
                ["csat_avg"],
                lang,
                grain=grain,
                value_format=SCORE,
                target=ctx.target_value("csat_avg"),
                y_domain=(1, 5),
            ),
            key="csat_avg",
        )
    with mid:
        st.markdown(f"##### {ctx.t('satisfied_rate')}")
        chart(
            recipe(
                over_time.trend,
                frame,
                ["satisfied_rate"],
                lang,
                grain=grain,
                value_format=PERCENT,
                target=ctx.target_value("satisfied_rate"),
                y_domain=(0, 1),
            ),
            key="satisfied_rate",
        )
    with right:
        st.markdown(f"##### {ctx.t('nps_trend')}")
        chart(
            recipe(
                over_time.trend,
                frame,
                ["nps"],
                lang,
                grain=grain,
                value_format=DECIMAL,
                target=ctx.target_value("nps"),
                y_domain=(-100, 100),
            ),
            key="nps",
            values=frame[["nps"]],  # NPS is optional in surveys: maybe none at all
            empty=ctx.t("chart_no_data"),
        )

    with tables_expander(ctx, "satisfaction_tables") as shown:
        if shown:
            table(frame, ctx, "satisfaction")


render(context.get())
