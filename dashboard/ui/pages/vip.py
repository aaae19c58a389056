"""VIP revisit: coverage against the 100 % monthly target, contacts by method, overdue VIPs."""

from __future__ import annotations

import streamlit as st

from dashboard.present.chart_style import PERCENT
from dashboard.ui import context, data_access
from dashboard.ui.chart_cache import recipe
from dashboard.ui.charts import over_time
from dashboard.ui.components import chart, has_rows, nonzero, table, tables_expander
from dashboard.ui.context import Context


def render(ctx: Context) -> None:
    st.title(ctx.t("page_vip"))
    frame = data_access.compute("vip_coverage", ctx.state)
    if not has_rows(frame if nonzero(frame, ["vip_customers", "vip_contacted"]) else None, ctx):
        return
    grain, lang = ctx.state.grain, ctx.lang
    coverage_target = ctx.target_value("coverage_rate")

    # The programme calls every VIP monthly: coverage is always shown per month.
    monthly = (
        frame if grain == "month" else data_access.compute("vip_coverage", ctx.state, grain="month")
    )
    left, right = st.columns(2)
    with left:
        st.markdown(f"##### {ctx.t('vip_coverage_trend')}")
        chart(
            recipe(
                over_time.trend,
                monthly,
                ["coverage_rate"],
                lang,
                grain="month",
                mark="bar",
                value_format=PERCENT,
                target=1.0 if coverage_target is None else coverage_target,
                y_domain=(0, 1),
            ),
            key="coverage",
            hint=ctx.t("chart_hint"),
            # no month starts inside a short date range: say so, not an empty plot
            values=monthly[["coverage_rate"]],
            empty=ctx.t("chart_no_data"),
        )
    with right:
        st.markdown(f"##### {ctx.t('vip_contacts_trend')}")
        chart(
            recipe(
                over_time.trend,
                frame,
                ["phone_contacts", "visit_contacts"],
                lang,
                grain=grain,
                mark="bar",
                y_title=ctx.t("contacts"),
            ),
            key="contacts",
        )

    st.markdown(f"##### {ctx.t('overdue_vips')}")
    chart(recipe(over_time.trend, frame, ["overdue_vips"], lang, grain=grain), key="overdue_trend")

    last = data_access.last_event_day()
    as_of = min(last, ctx.state.date_to) if ctx.state.date_to and last else last
    st.markdown(f"##### {ctx.t('overdue_table')}")
    st.caption(
        ctx.t("overdue_caption", days=ctx.settings.vip_interval_days, as_of=as_of.isoformat())
    )
    overdue = data_access.compute("overdue_vips", ctx.state, params={"as_of": as_of})
    if overdue.empty:
        st.success(ctx.t("no_overdue"))
    else:
        overdue = overdue.sort_values(["days_overdue", "customer_id"], ascending=[False, True])
        table(overdue, ctx, "overdue_vips")

    with tables_expander(ctx, "vip_tables") as shown:
        if shown:
            table(frame, ctx, "vip_coverage")


render(context.get())
