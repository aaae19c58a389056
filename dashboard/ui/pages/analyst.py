"""Analyst queries: every query file of queries/ that is not a headline KPI or a staging
view (those have their own pages) is offered in a picker; the picked one shows its result
for the sidebar filters, the chart its [chart] metadata describes, a CSV download and the
SQL itself. Only the picked query runs (#14: running all of them made every visit wait for
the slowest); the pick is kept in the URL (``?query=<id>``, a link opens that query) and in
the session (coming back to the page shows the same query).

A broken file (bad front matter, duplicate id) shows an error card of its own, whichever
query is picked; a query whose SQL fails shows its error in its section; every other query
and page keeps working."""

from __future__ import annotations

import logging
from datetime import date

import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner_utils.exceptions import ScriptControlException

from dashboard import kpis
from dashboard.access.scope import Scope
from dashboard.catalog import QueryFile
from dashboard.present.query_labels import column_label, column_labels
from dashboard.sqllab.chart import chart_from_metadata
from dashboard.ui import context, data_access
from dashboard.ui.components import chart, table
from dashboard.ui.context import Context

log = logging.getLogger(__name__)
BY_CHOICES = (None, "project", "region")
URL_KEY = "query"  # ?query=<id>: the picked query, so a link opens it
PICK_KEY = "analyst_pick"  # the picker widget
MEMORY_KEY = "_analyst_query"  # the last pick, kept while the user visits other pages
WRITTEN_KEY = "_analyst_query_written"  # the ?query= this page last wrote


@st.cache_data(show_spinner=False, max_entries=256)
def _run(
    path: str,
    version: str,
    query_id: str,
    sql: str,  # part of the cache key: an edited file gives new results at once
    grain: str | None,
    date_from: date | None,
    date_to: date | None,
    projects: tuple[str, ...],
    regions: tuple[str, ...],
    by: str | None,
    scope: Scope | None = None,  # the session's scope (#15): part of the cache key
) -> pd.DataFrame:
    cur = data_access.snapshot().cursor(version)
    try:
        return kpis.compute(
            cur,
            query_id,
            grain=grain,
            date_from=date_from,
            date_to=date_to,
            projects=projects,
            regions=regions,
            by=by,
            settings=data_access.settings(),
            scope=scope,
        )
    finally:
        cur.close()


def analyst_queries() -> tuple[list[QueryFile], dict[str, str]]:
    """The queries this page shows and the broken files (id -> error), both by id."""
    queries = [q for q in kpis.list_queries() if q.kind == "query"]
    return sorted(queries, key=lambda q: q.id), kpis.broken_queries()


def _grain(query: QueryFile, ctx: Context) -> str | None:
    if "grain" not in query.params:
        return None
    return ctx.state.grain if ctx.state.grain in query.grains else query.default_grain


def _filters_text(query: QueryFile, ctx: Context) -> str:
    shown = [p for p in query.params if p in ("grain", "date_from", "date_to", "projects",
                                               "regions", "by", "as_of")]  # fmt: skip
    names = ", ".join(ctx.t(f"analyst_param_{p}") for p in shown) or ctx.t("analyst_no_filters")
    return ctx.t("analyst_filters", filters=names)


def _column_config(query: QueryFile, frame: pd.DataFrame, ctx: Context) -> dict:
    config = {}
    for column, unit in query.units.items():
        if column not in frame.columns:
            continue
        label = column_label(query, column, ctx.lang)
        if unit == "rate":
            config[label] = st.column_config.NumberColumn(format="percent")
        elif unit in ("hours", "days", "score", "nps"):
            config[label] = st.column_config.NumberColumn(format="%.2f")
    return config


def _section(query: QueryFile, ctx: Context) -> None:
    title = query.display_title(ctx.lang)
    st.subheader(title, anchor=query.id)
    description = query.description_zh if ctx.lang == "zh" else query.description
    st.caption(f"`{query.id}` · {description}")
    st.caption(_filters_text(query, ctx))
    by = None
    if "by" in query.params:
        by = st.selectbox(
            ctx.t("analyst_by"),
            BY_CHOICES,
            format_func=lambda b: ctx.t("analyst_by_none" if b is None else f"analyst_by_{b}"),
            key=f"analyst_by_{query.id}",
        )
    state = ctx.state
    snap = data_access.snapshot()
    try:
        frame = _run(
            str(snap.path),
            data_access.version(),
            query.id,
            kpis.sql_for(query.id),
            _grain(query, ctx),
            state.date_from,
            state.date_to,
            state.projects,
            state.regions,
            by,
            data_access.current_scope(),
        )
    except Exception as exc:  # the file's own problem: an error card, the page goes on
        log.exception("analyst query %s failed", query.id)
        st.error(ctx.t("analyst_failed", message=_first_line(exc)), icon=":material/error:")
        _sql_expander(query, ctx)
        return
    if ctx.is_empty:
        st.info(ctx.t("empty_db"), icon=":material/info:")
    elif frame.empty:
        st.info(ctx.t("no_match"), icon=":material/filter_alt_off:")
    else:
        labels = column_labels(query, frame.columns, ctx.lang)
        spec = chart_from_metadata(
            frame,
            query.chart,
            query.units,
            lang=ctx.lang,
            by=by,
            projects=ctx.all_projects,
            labels=labels,
        )
        if spec is not None:
            chart(spec, key=f"analyst_chart_{query.id}")
    table(
        frame,
        ctx,
        query.id,
        column_config=_column_config(query, frame, ctx),
        key=f"analyst_dl_{query.id}",
    )
    _sql_expander(query, ctx)


def _sql_expander(query: QueryFile, ctx: Context) -> None:
    with st.expander(ctx.t("analyst_sql", file=f"queries/{query.path.name}")):
        st.code(query.sql, language="sql")


def _broken_section(query_id: str, message: str, ctx: Context) -> None:
    st.subheader(query_id, anchor=query_id)
    from dashboard.sqllab.served import localized  # a refused file's rule, translated (#19)

    st.error(ctx.t("analyst_broken", file=f"{query_id}.sql", message=localized(message, ctx.lang)),
             icon=":material/error:")  # fmt: skip
    st.caption(ctx.t("analyst_broken_hint"))


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0]


def chosen_query(ids: list[str], url_value: str | None, remembered: str | None) -> str:
    """The query to show: the URL's, else the one picked last in this session, else the
    first. An id that is not (or no longer) a query is ignored."""
    for candidate in (url_value, remembered):
        if candidate in ids:
            return candidate
    return ids[0]


def _pick(queries: list[QueryFile], ctx: Context) -> QueryFile:
    by_id = {q.id: q for q in queries}
    ids = list(by_id)
    in_url = st.query_params.get(URL_KEY)
    linked = in_url in ids and in_url != st.session_state.get(WRITTEN_KEY)
    if linked or st.session_state.get(PICK_KEY) not in ids:  # a new link, or no pick yet
        st.session_state[PICK_KEY] = chosen_query(ids, in_url, st.session_state.get(MEMORY_KEY))
    picked = st.selectbox(
        ctx.t("analyst_pick"),
        ids,
        format_func=lambda i: by_id[i].display_title(ctx.lang),
        key=PICK_KEY,
        help=ctx.t("analyst_pick_help", count=len(ids)),
    )
    st.session_state[MEMORY_KEY] = st.session_state[WRITTEN_KEY] = picked
    if in_url != picked:
        st.query_params[URL_KEY] = picked
    return by_id[picked]


def render(ctx: Context) -> None:
    st.title(ctx.t("page_analyst"))
    st.caption(ctx.t("analyst_intro"))
    try:
        queries, broken = analyst_queries()
    except Exception as exc:  # e.g. the queries folder is missing
        st.error(ctx.t("analyst_failed", message=_first_line(exc)))
        return
    if not queries and not broken:
        st.info(ctx.t("analyst_none"))
        return
    if queries:
        query = _pick(queries, ctx)
        with st.container(border=True):
            try:
                _section(query, ctx)
            except ScriptControlException:
                raise  # st.rerun / st.stop
            except Exception as exc:  # never let one query take the page down
                log.exception("analyst section %s failed", query.id)
                st.error(ctx.t("analyst_failed", message=_first_line(exc)))
    for query_id in sorted(broken):  # cheap (nothing runs), and an analyst must see them
        with st.container(border=True):
            _broken_section(query_id, broken[query_id], ctx)


render(context.get())
