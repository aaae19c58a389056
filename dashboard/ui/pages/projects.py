"""Projects: every project side by side for one period and KPI, ranked, with rank change."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.present.chart_style import DECIMAL, NUMBER, PERCENT, SCORE
from dashboard.present.formats import value_text
from dashboard.present.headlines import BY_KEY
from dashboard.ui import context, data_access, drilldown
from dashboard.ui.chart_cache import recipe
from dashboard.ui.charts import breakdowns
from dashboard.ui.components import chart, has_rows, period_label, table
from dashboard.ui.context import Context
from dashboard.ui.ranking import RANKABLE, default_period, is_complete, rank_projects

FORMATS = {"rate": PERCENT, "hours": DECIMAL, "score": SCORE,
           "nps": DECIMAL, "count": NUMBER}  # fmt: skip


def render(ctx: Context) -> None:
    st.title(ctx.t("page_projects"))
    if not has_rows(None if ctx.is_empty else pd.DataFrame({"x": [1]}), ctx):
        return
    key = st.selectbox(ctx.t("ranking_kpi"), RANKABLE, format_func=ctx.t, key="rank_kpi")
    headline = BY_KEY[key]
    frame = data_access.compute(headline.kpi, ctx.state, by="project")
    if frame.empty or frame[headline.column].notna().sum() == 0:
        st.info(ctx.t("no_match"), icon=":material/filter_alt_off:")
        return
    periods = sorted(pd.to_datetime(frame["period_start"]).dt.date.unique(), reverse=True)
    grain, last = ctx.state.grain, data_access.last_event_day()

    def label(p) -> str:
        partial = "" if is_complete(p, grain, last) else ctx.t("partial_suffix")
        return period_label(ctx, p) + partial

    period = st.selectbox(
        ctx.t("ranking_period"),
        periods,
        index=default_period(periods, grain, last),
        format_func=label,
        key=f"rank_period_{grain}",
    )
    previous = next((p for p in periods if p < period), None)
    limited = data_access.current_scope() is not None
    if limited:  # a department head: their projects' places among all, others unnamed (#15)
        ranked = data_access.ranks_among_all(
            headline.kpi, headline.column, headline.direction, ctx.state, period, previous
        )
    else:
        ranked = rank_projects(frame, headline.column, period, previous, headline.direction)
    if ranked.empty:
        st.info(ctx.t("no_projects"))
        return
    if limited:
        _own_ranks(ctx, ranked, headline, key, period)
    st.caption(
        ctx.t(
            "ranking_caption",
            period=period_label(ctx, period),
            previous=period_label(ctx, previous) if previous else "—",
        )
    )
    fmt = FORMATS[headline.unit]
    detail = drilldown.DETAIL_OF.get(key)  # the rows behind a project's number, if any
    picked = chart(
        recipe(
            breakdowns.ranking,
            ranked.rename(columns={"value": key}),
            key,
            ctx.lang,
            ctx.all_projects,
            value_format=fmt,
            target=ctx.target_value(key),
            ascending=headline.direction == "lower",
            drill=detail is not None,
        ),
        key="ranking",
        drill=detail is not None,
    )
    drilldown.offer(
        drilldown.drill_from_selection(picked, detail, grain, periods, period_start=period),
        "ranking_chart",
    )
    if limited:
        ranked = ranked.assign(
            rank=[
                ctx.t("rank_of", rank=r, total=n)
                for r, n in zip(ranked["rank"], ranked["total"], strict=True)
            ],
            previous_rank=[
                "—" if pd.isna(r) else ctx.t("rank_of", rank=r, total=n)
                for r, n in zip(ranked["previous_rank"], ranked["previous_total"], strict=True)
            ],
        ).drop(columns=["total", "previous_total"])
    shown = ranked.assign(
        value=[value_text(v, headline.unit, ctx.lang) for v in ranked["value"]],
        previous_value=[value_text(v, headline.unit, ctx.lang) for v in ranked["previous_value"]],
        rank_change=[_arrow(c) for c in ranked["rank_change"]],
    ).rename(columns={"value": key})
    if detail:
        st.caption(ctx.t("drill_row_hint"))
    selected = table(
        shown,
        ctx,
        f"ranking_{key}",
        height=36 * (len(shown) + 1) + 4,  # every project visible, no inner scrolling
        colour={
            "rank_change": [None if pd.isna(c) or c == 0 else c > 0 for c in ranked["rank_change"]]
        },
        select_row=detail is not None,
    )
    drilldown.offer(
        drilldown.drill_from_row(selected, ranked, detail, grain, period), "ranking_table"
    )
    drilldown.render_dialog(ctx)


def _own_ranks(ctx: Context, ranked: pd.DataFrame, headline, key: str, period) -> None:
    """ "Rank 5 of 15" per own project; the company-wide value if the settings allow it."""
    total = int(ranked["total"].iloc[0])
    st.caption(ctx.t("rank_anonymous_caption", total=total, period=period_label(ctx, period)))
    columns = st.columns(min(len(ranked), 4) + (1 if ctx.settings.access.company_averages else 0))
    for column, row in zip(columns, ranked.itertuples(), strict=False):
        with column:
            st.metric(
                str(row.project),
                ctx.t("rank_of", rank=row.rank, total=total),
                help=value_text(row.value, headline.unit, ctx.lang),
            )
    if ctx.settings.access.company_averages:
        value = data_access.company_value(headline.kpi, headline.column, ctx.state, period)
        with columns[-1]:
            st.metric(ctx.t("company_value"), value_text(value, headline.unit, ctx.lang))


def _arrow(change) -> str:
    if pd.isna(change):
        return "—"
    return f"▲ {change}" if change > 0 else f"▼ {-change}" if change < 0 else "="


render(context.get())
