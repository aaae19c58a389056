"""The app's side of events on the timeline (#12): which events a chart shows, and the
sidebar switch that hides them.

``on_chart(spec)`` is called by ``components.chart`` for every chart of every page: a chart
with a time axis gets the events of ``queries/events.sql`` for the page's filters (and the
session's scope) plus, when the settings file configures ``[calendar]``, the public
holidays of its dates (``dashboard.ui.timeline`` draws them). A failure to read the events
never costs the chart: it is drawn without them (and logged).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date

import altair as alt
import pandas as pd
import streamlit as st

from dashboard import kpis
from dashboard.access.scope import Scope
from dashboard.events.holidays import holiday_bands
from dashboard.events.store import has_events_table
from dashboard.present.i18n import t
from dashboard.settings import Settings
from dashboard.ui import data_access, timeline

log = logging.getLogger(__name__)
SHOW_KEY = "show_events"


def sidebar_toggle(lang: str) -> None:
    with st.sidebar:
        st.toggle(
            t("show_events", lang), value=True, key=SHOW_KEY, help=t("show_events_help", lang)
        )


def shown() -> bool:
    return bool(st.session_state.get(SHOW_KEY, True))


@st.cache_data(show_spinner=False, max_entries=256)
def _events(
    path: str,
    version: str,
    sql: str,  # part of the key: an edited queries/events.sql applies at once
    date_from: date | None,
    date_to: date | None,
    projects: tuple[str, ...],
    regions: tuple[str, ...],
    scope: Scope | None,
) -> pd.DataFrame:
    cur = data_access.snapshot().cursor(version)
    try:
        if not has_events_table(cur):  # a file published before events existed
            return pd.DataFrame()
        return kpis.compute(
            cur,
            "events",
            date_from=date_from,
            date_to=date_to,
            projects=projects,
            regions=regions,
            settings=data_access.settings(),
            scope=scope,
            engine="duckdb",  # the events live in the DuckDB file, whatever engine answers KPIs
        )
    finally:
        cur.close()


def current_events() -> pd.DataFrame:
    """The events for this run's filters and scope (every date range: charts clip them)."""
    from dashboard.ui import context

    state = context.get().state
    snap = data_access.snapshot()
    return _events(
        str(snap.path),
        data_access.version(),
        kpis.sql_for("events"),
        state.date_from,
        state.date_to,
        tuple(state.projects),
        tuple(state.regions),
        data_access.current_scope(),
    )


def _annotate(
    spec: alt.TopLevelMixin, events: pd.DataFrame, settings: Settings, lang: str
) -> alt.TopLevelMixin:
    extent = timeline.time_extent(spec)
    if extent is None:
        return spec
    try:
        _, first, last = extent
        holidays = holiday_bands(settings, first.date(), last.date(), lang)
        return timeline.annotate(spec, events, holidays, lang)
    except Exception:  # noqa: BLE001 - the chart matters more than its notes
        log.exception("events could not be drawn")
        return spec


def on_chart(spec: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """``spec`` with its events and holidays, or unchanged (switch off, no time axis)."""
    if not shown() or timeline.time_extent(spec) is None:
        return spec
    try:
        from dashboard.ui import context

        ctx = context.get()
        events = current_events()
    except Exception:  # noqa: BLE001 - the chart matters more than its notes
        log.exception("events could not be drawn")
        return spec
    return _annotate(spec, events, ctx.settings, ctx.lang)


def notes() -> tuple[
    tuple[object, ...] | None, Callable[[alt.TopLevelMixin], alt.TopLevelMixin] | None
]:
    """For a cached chart (``chart_cache``): what its events and holidays depend on (part
    of the cache key) and the function that draws them; (None, None) when none are shown."""
    if not shown():
        return None, None
    try:
        from dashboard.ui import context

        ctx = context.get()
        events = current_events()
    except Exception:  # noqa: BLE001 - the chart matters more than its notes
        log.exception("events could not be drawn")
        return None, None
    settings, lang = ctx.settings, ctx.lang
    return (events, repr(settings.calendar), lang), lambda spec: _annotate(
        spec, events, settings, lang
    )
