"""The only place where the app reads the database.

* One ``Snapshot`` per database file and process (``st.cache_resource``); every query gets
  its own cursor (a DuckDB connection object must not be shared between threads).
* Results are cached per query and filter set (``st.cache_data``) and keyed by the
  snapshot's ``version``, so an import (a new file version) invalidates them by itself;
  the Data page also clears the cache after an upload.
* One page render reads one version: ``begin_run()`` (called by ``main.run`` first thing)
  pins the newest version in the session, and every query of that run uses it, both as the
  cache key and for the cursor. An import published half-way through a render shows up on
  the next run, never as a mix of old and new numbers on one page (#7).
* Every KPI comes from ``dashboard.kpis.compute`` - the app never recomputes one.
* Access (#15): every call runs with the signed-in user's scope (``set_scope`` by
  ``main.run``), which is part of the cache key, so one user's cached rows are never
  served to another scope. Only the dimension list and the data's date span are read
  company-wide (a scope cannot limit them); ``dimensions()`` returns the scope's pairs.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import NamedTuple

import pandas as pd
import streamlit as st

from dashboard import engines, kpis
from dashboard.access.scope import Scope, restrict
from dashboard.db import Snapshot
from dashboard.paths import DEFAULT_DB, resolve_db_path
from dashboard.pipeline import open_snapshot, refresh
from dashboard.settings import Settings, load_settings
from dashboard.ui.filters import FilterState

log = logging.getLogger(__name__)


class DataError(Exception):
    """A query could not run; the message is shown to the user (no traceback)."""


def db_path() -> Path:
    """The database the app shows: ``$KPI_DB`` or the embedded default."""
    return resolve_db_path(None)


@st.cache_resource(show_spinner=False)
def _snapshot(path: str) -> Snapshot:
    # First run in the browser (#12): a $KPI_DB that does not exist yet becomes an empty
    # database, so the pages explain how to start and the Data page can take the first
    # upload. (The command line keeps refusing a missing --db: a typo must not create one.)
    if not Path(path).exists() and Path(path).resolve() != DEFAULT_DB.resolve():
        refresh(path)
    return open_snapshot(path)


def snapshot() -> Snapshot:
    return _snapshot(str(db_path()))


def settings() -> Settings:
    """The settings as the file says now: an edit reaches the next render, no restart.

    Cheap on every call: ``load_settings`` reads the file's bytes and parses a given content
    once (``settings._parse_file``)."""
    return load_settings()


def _fingerprint(settings: Settings, kpi: str) -> str:
    """What a cached result depends on besides the data and the filters: the settings'
    content and the query's rendered SQL (an edited query file changes it)."""
    try:
        sql = kpis.sql_for(kpi)
    except ValueError:  # unknown or broken query: compute() below says so
        sql = ""
    # Spark answers (#18) also depend on the lake export, which the DuckDB version misses
    lake = engines.data_version(settings.engine)
    return hashlib.sha256(f"{settings!r}\0{sql}\0{lake}".encode()).hexdigest()


_PINNED = "_kpi_snapshot_version"


def begin_run() -> str:
    """Pin the newest database version for this script run (see module docstring)."""
    pinned = snapshot().version
    st.session_state[_PINNED] = pinned
    return pinned


def version() -> str:
    """The version this run reads: the pinned one, or the newest outside a script run."""
    try:
        pinned = st.session_state.get(_PINNED)
    except Exception:  # no session (a plain Python caller)
        pinned = None
    return pinned or snapshot().version


def cursor():
    """A cursor of the version this run reads (close it when done)."""
    return snapshot().cursor(version())


_SCOPE = "_access_scope"


def set_scope(scope: Scope | None) -> None:
    """The scope every query of this session runs with (``main.run``, after sign-in)."""
    st.session_state[_SCOPE] = scope


def current_scope() -> Scope | None:
    try:
        return st.session_state.get(_SCOPE)
    except Exception:  # no session (a plain Python caller)
        return None


def scoped_filters(state: FilterState) -> tuple[list[str], list[str]]:
    """The state's projects/regions intersected with the session's scope (downloads that
    call the report builder directly use it). Raises ``ScopeError`` outside the scope."""
    return restrict(current_scope(), state.projects, state.regions, pairs=all_dimensions)


class KpiCall(NamedTuple):
    """One ``kpis.compute`` call of the app, as the cache key sees it. One argument instead
    of nine: Streamlit's cache looks up the name of every argument it hashes (an
    ``inspect.signature`` each), which cost the Overview's cold build ~40 ms (#14)."""

    kpi: str
    grain: str | None
    date_from: date | None
    date_to: date | None
    projects: tuple[str, ...]
    regions: tuple[str, ...]
    by: str | None
    params: tuple[tuple[str, object], ...]
    scope: Scope | None


@st.cache_data(show_spinner=False, max_entries=512)
def _compute(
    path: str,
    version: str,
    fingerprint: str,  # settings + SQL (see _fingerprint); _settings is not hashed
    _settings: Settings,
    call: KpiCall,
) -> pd.DataFrame:
    cur = _snapshot(path).cursor(version)
    try:
        return kpis.compute(
            cur,
            call.kpi,
            grain=call.grain,
            date_from=call.date_from,
            date_to=call.date_to,
            projects=call.projects,
            regions=call.regions,
            by=call.by,
            settings=_settings,
            params=dict(call.params) or None,
            scope=call.scope,
        )
    finally:
        cur.close()


def compute(
    kpi: str,
    state: FilterState | None = None,
    *,
    grain: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    use_dates: bool = True,
    by: str | None = None,
    params: dict[str, object] | None = None,
    company_wide: bool = False,
) -> pd.DataFrame:
    """``kpis.compute`` for the filter state; explicit dates/grain override the state's.

    ``use_dates=False`` ignores the state's date range (e.g. the Overview picks its weeks).
    ``company_wide=True`` ignores the session's scope: only for ``dimensions``, the data's
    span and the anonymised ranks of ``dashboard.access.ranks`` - never shown as rows.
    """
    state = state or FilterState()
    scope = None if company_wide else current_scope()
    snap = snapshot()
    try:
        current = settings()
        with engine_spinner(current):
            call = KpiCall(
                kpi,
                grain or state.grain,
                date_from or (state.date_from if use_dates else None),
                date_to or (state.date_to if use_dates else None),
                tuple(state.projects),
                tuple(state.regions),
                by,
                tuple(sorted((params or {}).items())),
                scope,
            )
            return _compute(str(snap.path), version(), _fingerprint(current, kpi), current, call)
    except Exception as exc:  # any failure becomes a message on the page
        log.exception("query %s failed", kpi)
        raise DataError(f"{kpi}: {exc}") from exc


def engine_label(current: Settings) -> str:
    """Which engine answers the app's queries, for the sidebar caption (#18)."""
    engine = current.engine
    if engine.name == "spark":
        where = f"Spark Connect {engine.spark_remote}" if engine.spark_remote else "Spark (local)"
        return f"{where} · lake {engine.lake}"
    return "DuckDB"


def engine_spinner(current: Settings):
    """While Spark computes (seconds, not milliseconds) the page says so; cached answers
    return at once. DuckDB answers need no spinner."""
    import contextlib

    if current.engine.name != "spark":
        return contextlib.nullcontext()
    return st.spinner("Spark 计算中… / Spark is computing…", show_time=True)


def all_dimensions() -> list[tuple[str, str]]:
    """(region, project) pairs present in the data, company-wide (for scope checks)."""
    frame = compute("dimensions", company_wide=True)
    if frame.empty:
        return []
    return sorted(
        {(str(r), str(p)) for r, p in zip(frame["region"], frame["project"], strict=True)}
    )


def dimensions() -> list[tuple[str, str]]:
    """(region, project) pairs the session may see, for the filters and project colours."""
    pairs = all_dimensions()
    scope = current_scope()
    return pairs if scope is None else scope.pairs(pairs)


def ranks_among_all(
    kpi: str,
    column: str,
    direction: str | None,
    state: FilterState,
    period: date,
    previous: date | None,
) -> pd.DataFrame:
    """The session's projects ranked among every project (``access.ranks.anonymise``): the
    company-wide ranking is computed here, below the page, and only the own rows leave."""
    from dataclasses import replace

    from dashboard.access.ranks import anonymise
    from dashboard.ui.ranking import rank_projects

    company = replace(state, projects=(), regions=())
    everything = compute(kpi, company, by="project", company_wide=True)
    ranked = rank_projects(everything, column, period, previous, direction)
    own = {p for _, p in dimensions()}
    if state.projects:
        own &= set(state.projects)
    return anonymise(ranked, own)


def company_value(kpi: str, column: str, state: FilterState, period: date) -> float | None:
    """The company-wide value of ``column`` in ``period`` (shown to a department head only
    when ``[access] company_averages`` allows it)."""
    from dataclasses import replace

    frame = compute(kpi, replace(state, projects=(), regions=()), company_wide=True)
    rows = frame[pd.to_datetime(frame["period_start"]).dt.date == period]
    if rows.empty or pd.isna(rows[column].iloc[0]):
        return None
    return float(rows[column].iloc[0])


def freshness() -> pd.DataFrame:
    # First/last event and import times per kind, read company-wide (the query has no scope
    # filter); a scoped session does not get the company-wide row counts.
    frame = compute("data_freshness", company_wide=True)
    if current_scope() is not None:
        frame = frame.drop(columns=["rows"], errors="ignore")
    return frame


def _event_freshness() -> pd.DataFrame:
    # Customers carry join dates, not events: the period span comes from the four event kinds.
    frame = freshness()
    return frame[frame["kind"] != "customers"] if not frame.empty else frame


def last_event_day() -> date | None:
    """The last day with any event (orders, complaints, surveys, VIP contacts)."""
    frame = _event_freshness()
    if frame.empty:
        return None
    last = pd.to_datetime(frame["last_event_at"]).dropna()
    return None if last.empty else last.max().date()


def data_span() -> tuple[date, date] | None:
    """(first, last) event day over all kinds: the bounds of the date filter."""
    frame = _event_freshness()
    if frame.empty:
        return None
    first = pd.to_datetime(frame["first_event_at"]).dropna()
    last = pd.to_datetime(frame["last_event_at"]).dropna()
    if first.empty or last.empty:
        return None
    return first.min().date(), last.max().date()


@dataclass(frozen=True)
class Page:
    """One page of rows from a bookkeeping table (import_log, rejected_rows)."""

    rows: pd.DataFrame
    total: int


@st.cache_data(show_spinner=False, max_entries=64)
def _bookkeeping(path: str, version: str, table: str, file: str | None, limit: int) -> Page:
    # Bookkeeping tables, not KPIs: plain reads with bound values only.
    sql = {
        "import_log": "select * from import_log order by import_id desc",
        "rejected_rows": (
            "select * from rejected_rows where ($file is null or file = $file) "
            "order by import_id desc, file, sheet, line_number"
        ),
    }[table]
    count_sql = f"select count(*) from ({sql})"
    params = {"file": file} if table == "rejected_rows" else {}
    cur = _snapshot(path).cursor(version)
    try:
        total = cur.execute(count_sql, params).fetchone()[0]
        rows = cur.execute(f"{sql} limit {int(limit)}", params).df()
    finally:
        cur.close()
    return Page(rows, int(total))


def import_log(limit: int = 1000) -> Page:
    snap = snapshot()
    try:
        return _bookkeeping(str(snap.path), version(), "import_log", None, limit)
    except Exception as exc:
        raise DataError(f"import_log: {exc}") from exc


def rejected_rows(file: str | None = None, limit: int = 5000) -> Page:
    snap = snapshot()
    try:
        return _bookkeeping(str(snap.path), version(), "rejected_rows", file, limit)
    except Exception as exc:
        raise DataError(f"rejected_rows: {exc}") from exc


def clear_caches() -> None:
    """After an import: drop cached results (the snapshot reattaches by itself)."""
    st.cache_data.clear()
