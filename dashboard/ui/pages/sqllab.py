"""SQL lab: analysts type one read-only query against the database and get a table, a quick
chart and a CSV download. Every query goes through ``dashboard.sqllab`` (statement check,
sandboxed read-only connection, time limit, row cap, byte budget, concurrency limit - the
``[sqllab]`` settings); refusals are shown with the reason in the user's language.

The result is kept once, in session state, as the bounded frame; the CSV is built only
when the download button is clicked (a callable), not on every rerun (#19)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.access import audit
from dashboard.safe_export import csv_bytes
from dashboard.sqllab import LabResult, Limits, QueryStopped, Refused, run_query
from dashboard.sqllab.chart import (
    MARKS,
    ROW_NUMBER,
    build_chart,
    default_axes,
    numeric_columns,
    with_row_number,
)
from dashboard.ui import auth, context, data_access
from dashboard.ui.components import chart
from dashboard.ui.context import Context

K_SQL = "sqllab_sql"
K_RESULT = "_sqllab_result"  # (sql, LabResult | Refused | QueryStopped)
EXAMPLE = """-- complaints per project and category (stg_* views add labels and hours)
select project, category_label as category, count(*) as complaints
from stg_complaints
group by all
order by complaints desc"""

TABLES_SQL = """select table_name, string_agg(column_name || ' ' || lower(data_type), ', '
    order by ordinal_position) as columns
from information_schema.columns
where table_catalog = 'kpi' and table_schema = 'main'
group by all
order by table_name"""


@st.cache_data(show_spinner=False, max_entries=8)
def _tables(path: str, version: str) -> pd.DataFrame:
    return run_query(TABLES_SQL, path).frame


def _limits() -> Limits:
    return Limits.from_settings(data_access.settings().sqllab)


def _message(problem: Refused | QueryStopped, ctx: Context) -> str:
    from dashboard.present.i18n import has

    prefix = "sqllab_refused" if isinstance(problem, Refused) else "sqllab_stopped"
    key = f"{prefix}_{problem.code}"
    if not has(key):  # a code without its own label: the generic one, never a traceback
        key = "sqllab_stopped_error"
    return ctx.t(key, detail=problem.detail)


def _run(sql: str) -> None:
    path = data_access.snapshot().path
    try:
        outcome: LabResult | Refused | QueryStopped = run_query(sql, path, _limits())
    except (Refused, QueryStopped) as problem:
        outcome = problem
    verdict = "ran" if isinstance(outcome, LabResult) else type(outcome).__name__
    audit.record(  # who ran what (#15); the statement is the analyst's own text
        "sql_lab", auth.current_user_name(), f"{verdict}: {sql}", path=auth.audit_file()
    )
    st.session_state[K_RESULT] = (sql, outcome)


def _quick_chart(frame: pd.DataFrame, ctx: Context) -> None:
    if frame.empty or not numeric_columns(frame):
        st.caption(ctx.t("sqllab_no_chart"))
        return
    default_x, default_y = default_axes(frame)
    frame = with_row_number(frame)
    columns = list(frame.columns)
    numbers = [c for c in numeric_columns(frame) if c != ROW_NUMBER]
    label = {ROW_NUMBER: ctx.t("sqllab_row_number")}
    left, mid, right, last = st.columns(4)
    mark = left.selectbox(ctx.t("sqllab_chart_mark"), MARKS, index=1, key="sqllab_mark")
    x = mid.selectbox(
        ctx.t("sqllab_chart_x"),
        columns,
        index=columns.index(default_x) if default_x in columns else 0,
        format_func=lambda c: label.get(c, c),
        key="sqllab_x",
    )
    y = right.selectbox(
        ctx.t("sqllab_chart_y"),
        numbers,
        index=numbers.index(default_y) if default_y in numbers else 0,
        key="sqllab_y",
    )
    color = last.selectbox(
        ctx.t("sqllab_chart_color"),
        [None, *(c for c in columns if c != ROW_NUMBER)],
        format_func=lambda c: ctx.t("sqllab_chart_none") if c is None else c,
        key="sqllab_color",
    )
    spec = build_chart(
        frame,
        mark=mark,
        x=x,
        y=y,
        color=color,
        projects=ctx.all_projects,
        labels=label,
        lang=ctx.lang,
    )
    if spec is None:
        st.caption(ctx.t("sqllab_no_chart"))
    else:
        chart(spec, key="sqllab_chart")


def _show(result: LabResult, ctx: Context) -> None:
    rows = len(result.frame)
    seconds = f"{result.seconds:.2f}"
    if rows == 1:
        st.caption(ctx.t("sqllab_rows_one", seconds=seconds))
    else:
        st.caption(ctx.t("sqllab_rows", rows=f"{rows:,}", seconds=seconds))
    if result.over_budget:
        mb = f"{result.max_result_bytes / 2**20:g}"
        st.warning(ctx.t("sqllab_over_budget", rows=f"{rows:,}", mb=mb), icon=":material/cut:")
    elif result.truncated:
        st.warning(ctx.t("sqllab_truncated", rows=f"{result.max_rows:,}"), icon=":material/cut:")
    if result.cells_cut:
        st.info(
            ctx.t("sqllab_cells_cut", cells=f"{result.max_cell_chars:,}"), icon=":material/cut:"
        )
    st.dataframe(result.frame, hide_index=True)
    frame = result.frame
    st.download_button(
        ctx.t("download_csv"),
        lambda: csv_bytes(frame),  # built on click; formula injection neutralised for Excel
        file_name="sql_lab.csv",
        mime="text/csv",
        key="sqllab_download",
        icon=":material/download:",
        # a download changes nothing on the page: no rerun, which could also replace the
        # deferred data before the browser has fetched it
        on_click="ignore",
        help=ctx.t("sqllab_csv_hint"),
    )
    st.markdown(f"##### {ctx.t('sqllab_quick_chart')}")
    _quick_chart(result.frame, ctx)


def render(ctx: Context) -> None:
    st.title(ctx.t("page_sqllab"))
    limits = _limits()
    st.caption(
        ctx.t(
            "sqllab_intro",
            rows=f"{limits.max_rows:,}",
            seconds=f"{limits.timeout_seconds:g}",
            chars=f"{limits.max_chars:,}",
        )
        + " "
        + ctx.t(
            "sqllab_limits",
            mb=limits.max_result_mb,
            cells=f"{limits.max_cell_chars:,}",
            concurrent=limits.max_concurrent,
        )
    )
    sql = st.text_area(ctx.t("sqllab_sql"), value=EXAMPLE, height=180, key=K_SQL)
    if st.button(ctx.t("sqllab_run"), type="primary", icon=":material/play_arrow:"):
        with st.spinner(ctx.t("sqllab_running")):
            _run(sql)
    last = st.session_state.get(K_RESULT)
    if last is not None:
        ran_sql, outcome = last
        if ran_sql != sql:
            st.caption(ctx.t("sqllab_stale"))
        if isinstance(outcome, LabResult):
            _show(outcome, ctx)
        else:
            st.error(_message(outcome, ctx), icon=":material/block:")

    with st.expander(ctx.t("sqllab_tables")):
        snap = data_access.snapshot()
        try:
            st.dataframe(_tables(str(snap.path), snap.version), hide_index=True)
        except (Refused, QueryStopped) as problem:
            st.error(_message(problem, ctx))
        st.caption(ctx.t("sqllab_tables_hint"))


render(context.get())
