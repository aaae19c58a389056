"""Overview: the executive view - the latest complete week (or month, at month grain) vs
the one before, or the last complete one up to the end of the chosen date range."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import streamlit as st

from dashboard.access import audit
from dashboard.present.formats import change_text, value_text
from dashboard.present.headlines import BY_KEY, HEADLINE_KPIS, HEADLINES, MOVER_KEYS
from dashboard.present.periods import latest_complete_period, latest_complete_week, period_of
from dashboard.report import MIME_TYPES, build_report_bytes
from dashboard.ui import auth, context, data_access, drilldown
from dashboard.ui.components import has_rows, kind_label, nonzero, table
from dashboard.ui.context import Context
from dashboard.ui.drilldown import DETAIL_OF, K_OPEN, Drill
from dashboard.ui.sparkline import line_colour, sparkline_svg
from dashboard.ui.tiles import (
    SECTIONS,
    Tile,
    biggest_movers,
    build_tiles,
)

# Which rows stand behind a tile: dashboard.ui.drilldown.DETAIL_OF (a query file each)
DRILL_DOWN = {key: DETAIL_OF[key] for key in (h.key for h in HEADLINES) if key in DETAIL_OF}

STATUS_MARK = {
    "green": ("green", ":material/check_circle:"),
    "amber": ("orange", ":material/warning:"),
    "red": ("red", ":material/error:"),
}


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _previous_month(start: date) -> date:
    return (start - timedelta(days=1)).replace(day=1)


def _show_tile(tile: Tile, period, ctx: Context) -> None:
    with st.container(border=True):  # the tile: the metric and its sparkline (#14)
        st.metric(
            tile.label,
            tile.value_text,
            tile.delta_text,
            delta_color=tile.delta_color,
            delta_arrow="off" if tile.delta == 0 else "auto",
            help=tile.help or None,
            delta_description=ctx.t(
                "vs_prev_month"
                if tile.key == "coverage_rate" or ctx.state.grain == "month"
                else "vs_prev_week"
            )
            if tile.delta_text
            else None,
        )
        line = sparkline_svg(
            tile.spark,
            tile.spark_labels,
            line_colour(tile.delta_text, tile.delta_color),
            ctx.t("sparkline_name", label=tile.label),
        )
        if line:
            st.markdown(line, unsafe_allow_html=True)
    n = f" · {tile.n_text}" if tile.n_text else ""
    if tile.target_value_text is None:
        st.caption(tile.target_text + n)
        _drill_button(tile.key, period, ctx)
        return
    status = ""
    if tile.status:
        colour, icon = STATUS_MARK[tile.status]
        status = f" · :{colour}[{icon} {tile.status_text}]"
    elif tile.too_few:
        status = f" · :gray[:material/do_not_disturb_on: {tile.status_text}]"
    st.caption(f"{ctx.t('target')} {tile.target_value_text}{status}{n}")
    _drill_button(tile.key, period, ctx)


def _drill_button(key: str, period, ctx: Context) -> None:
    """The rows behind the tile, in a dialog: the detail query for the shown period and the
    sidebar's filters, as of the period's last day (as the tile is)."""
    detail = DRILL_DOWN.get(key)
    if detail:
        drill = Drill(detail, period.grain, period.start, as_of=period.last_day)
        st.button(
            ctx.t("rows_behind"),
            key=f"drill_{key}",
            help=ctx.t("rows_behind_help"),
            icon=":material/table_rows:",
            type="tertiary",
            on_click=lambda: st.session_state.__setitem__(K_OPEN, drill),
        )


def _report_buttons(ctx: Context, week_label: str) -> None:
    """Download the weekly report (issue #8) for the current filters.

    The bytes are built only when clicked (deferred ``data``): the callable runs outside the
    script thread, so it captures plain values and takes its own cursor of the snapshot.
    """
    snap = data_access.snapshot()
    projects, regions = data_access.scoped_filters(ctx.state)  # the user's scope (#15)
    scoped = data_access.current_scope() is not None
    settings, lang = ctx.settings, ctx.lang
    user = auth.current_user_name()
    audit_file = auth.audit_file()

    def build(fmt: str):
        def report() -> bytes:
            detail = f"{fmt} {week_label} projects={list(projects)} regions={list(regions)}"
            audit.record("report_download", user, detail, path=audit_file)
            return build_report_bytes(
                snap.cursor(), week=week_label, projects=projects, regions=regions,
                lang=lang, fmt=fmt, settings=settings, scoped=scoped,
            )  # fmt: skip

        return report

    for column, fmt in zip(st.columns([1, 1, 3]), ("html", "xlsx"), strict=False):
        with column:
            st.download_button(
                ctx.t(f"report_{fmt}"),
                data=build(fmt),
                file_name=f"kpi-report-{week_label}.{fmt}",
                mime=MIME_TYPES[fmt],
                help=ctx.t("report_help"),
                icon=":material/download:",
                on_click="ignore",
                key=f"report_{fmt}",
            )


def render(ctx: Context) -> None:
    st.title(ctx.t("page_overview"))
    if not has_rows(None if ctx.is_empty else pd.DataFrame({"x": [1]}), ctx):
        return
    grain = ctx.state.grain
    last = data_access.last_event_day()
    # the shown day: the data's last day, or the end of the range the user chose
    chosen_end = ctx.state.date_to is not None and ctx.state.date_to < last
    as_of = ctx.state.date_to if chosen_end else last
    period = latest_complete_period(grain, as_of)
    if period.last_day < ctx.span[0]:
        st.info(ctx.t(f"no_complete_{grain}", last=as_of.isoformat()))
        return

    st.subheader(
        ctx.t(
            f"overview_heading_{grain}",
            label=period.label,
            start=period.start.isoformat(),
            end=period.last_day.isoformat(),
        )
    )
    caption = f"overview_caption_{grain}_to" if chosen_end else f"overview_caption_{grain}"
    st.caption(ctx.t(caption, to=as_of.isoformat()))
    # the weekly report: of the shown week, or of the month's last complete week
    report_week = period if grain == "week" else latest_complete_week(period.last_day)
    _report_buttons(ctx, report_week.label)
    partial = period_of(grain, as_of)
    if partial != period:
        st.caption(
            ":material/schedule: "
            + ctx.t(f"partial_{grain}", start=partial.start.isoformat(), last=as_of.isoformat())
        )

    # The period is shown as of its last day (as the weekly report is): what happened later,
    # e.g. a complaint resolved this Tuesday, does not rewrite last week's numbers.
    as_of_period = {"as_of": period.last_day}
    weekly = {
        kpi: data_access.compute(
            kpi,
            ctx.state,
            grain=grain,
            date_from=period.shift(-12).start,
            date_to=period.start,
            params=as_of_period,
        )
        for kpi in HEADLINE_KPIS
    }
    activity = {"retention": ["active_customers", "previous_active"], "complaints": ["opened", "backlog_end"],
                "satisfaction": ["responses"], "vip_coverage": ["vip_customers"]}  # fmt: skip
    if not any(nonzero(weekly[k], cols) for k, cols in activity.items()):
        st.info(ctx.t("no_match"), icon=":material/filter_alt_off:")
        return

    # VIP coverage is monthly: the month containing the period's last day, cut at that day
    # (month to date, as in the weekly report; at month grain the shown month itself)
    month_start = _month_start(period.last_day)
    month_complete = (period.last_day + timedelta(days=1)).month != period.last_day.month
    vip_month = data_access.compute(
        "vip_coverage",
        ctx.state,
        grain="month",
        date_from=(month_start - timedelta(days=330)).replace(day=1),  # 12 months of sparkline
        date_to=month_start,
        params=as_of_period,
    )
    tiles = build_tiles(
        weekly,
        period,
        ctx.settings.targets,
        ctx.lang,
        vip_month=vip_month,
        month_start=month_start,
        previous_month=_previous_month(month_start) if month_complete else None,
        mtd_help=None if month_complete else ctx.t("mtd_partial", last=period.last_day.isoformat()),
        min_cases=ctx.settings.min_cases,
    )
    for section, keys in SECTIONS.items():
        st.markdown(f"##### {ctx.t(section)}")
        columns = st.columns(4)
        for column, key in zip(columns, keys, strict=False):
            with column:
                _show_tile(tiles[key], period, ctx)
    drilldown.render_dialog(ctx)

    left, right = st.columns([1, 1])
    with left:
        st.markdown(f"##### {ctx.t('movers')}")
        st.caption(ctx.t(f"movers_caption_{grain}"))
        by_project = {
            BY_KEY[k].kpi: data_access.compute(
                BY_KEY[k].kpi,
                ctx.state,
                grain=grain,
                date_from=period.shift(-1).start,
                date_to=period.start,
                by="project",
                params=as_of_period,
            )
            for k in MOVER_KEYS
        }
        movers = biggest_movers(
            by_project,
            MOVER_KEYS,
            period.start,
            period.shift(-1).start,
            min_base=ctx.settings.min_cases,
        )
        if movers:
            rows = pd.DataFrame(
                [
                    {
                        "project": m.project,
                        "measure_col": ctx.t(m.key),
                        f"this_{grain}": value_text(m.current, "rate", ctx.lang),
                        f"last_{grain}": value_text(m.previous, "rate", ctx.lang),
                        "change": ("▲ " if m.change > 0 else "▼ ")
                        + change_text(m.change, "rate", ctx.lang),
                    }
                    for m in movers
                ]
            )
            table(rows, ctx, "movers", colour={"change": [m.good for m in movers]})
        else:
            st.info(ctx.t("no_movers"))
    with right:
        st.markdown(f"##### {ctx.t('freshness')}")
        fresh = data_access.freshness()
        if not fresh.empty:
            fresh = fresh.assign(kind=[kind_label(ctx, k) for k in fresh["kind"]])
            table(fresh.drop(columns=["first_event_at"], errors="ignore"), ctx, "data_freshness")


render(context.get())
