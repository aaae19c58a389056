"""Retention: new vs lost customers (the leaky bucket), retention/churn, cohorts."""

from __future__ import annotations

import streamlit as st

from dashboard.present.chart_style import PERCENT
from dashboard.ui import context, data_access
from dashboard.ui.chart_cache import recipe
from dashboard.ui.charts import breakdowns, over_time
from dashboard.ui.components import chart, has_rows, nonzero, table, tables_expander
from dashboard.ui.context import Context


def render(ctx: Context) -> None:
    st.title(ctx.t("page_retention"))
    frame = data_access.compute("retention", ctx.state)
    if not has_rows(
        frame if nonzero(frame, ["active_customers", "previous_active"]) else None, ctx
    ):
        return
    grain, lang = ctx.state.grain, ctx.lang

    st.markdown(f"##### {ctx.t('leaky_bucket')}")
    st.caption(ctx.t("leaky_caption"))
    bucket = data_access.compute("leaky_bucket", ctx.state)  # the flows, computed in SQL
    chart(
        recipe(over_time.leaky_bucket, bucket, lang, grain=grain),
        key="leaky",
        hint=ctx.t("chart_hint"),
    )

    left, right = st.columns(2)
    with left:
        st.markdown(f"##### {ctx.t('retention_trend')}")
        chart(
            recipe(
                over_time.trend,
                frame,
                ["retention_rate", "churn_rate"],
                lang,
                grain=grain,
                value_format=PERCENT,
                target=ctx.target_value("retention_rate"),
                y_title=ctx.t("retention_rate"),
                y_domain=(0, 1),
            ),
            key="retention_rate",
        )
    with right:
        st.markdown(f"##### {ctx.t('active_trend')}")
        by_project = data_access.compute("retention", ctx.state, by="project")
        if not by_project.empty:
            chart(
                recipe(
                    over_time.by_project_trend,
                    by_project,
                    "active_customers",
                    lang,
                    ctx.all_projects,
                    grain=grain,
                    chosen=ctx.state.projects,
                ),
                key="active_by_project",
            )

    st.markdown(f"##### {ctx.t('cohort_heatmap')}")
    cohorts = data_access.compute("cohorts", ctx.state, grain="month")
    if has_rows(cohorts, ctx):
        chart(recipe(breakdowns.cohort_heatmap, cohorts, lang), key="cohorts")

    with tables_expander(ctx, "retention_tables") as shown:
        if shown:
            table(frame, ctx, "retention")
            flows = bucket.assign(flow=[ctx.t(f"flow_{f}") for f in bucket["flow"]])
            table(flows, ctx, "leaky_bucket")
            if not cohorts.empty:
                table(cohorts, ctx, "cohorts")


render(context.get())
