"""What "building the Overview page's data" means for the benchmark.

When the app's data layer (``dashboard.ui.data_access``) has a function that loads everything
the Overview page shows, the benchmark measures exactly that function. Until then it measures
a stand-in: the five KPIs at week grain over the latest 13 weeks, plus the data-freshness and
dimension queries when ``queries/`` has them.
"""

from __future__ import annotations

import importlib
import inspect
import logging
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import duckdb

from dashboard.paths import QUERIES_DIR

OVERVIEW_WEEKS = 13
_CANDIDATES = ("overview_data", "load_overview", "overview")


def quiet_streamlit() -> None:
    """st.cache_data works outside `streamlit run` ("bare mode") but warns on every call."""
    for name in ("streamlit", "streamlit.runtime", "streamlit.runtime.scriptrunner_utils"):
        logging.getLogger(name).setLevel(logging.ERROR)
    for name in list(logging.root.manager.loggerDict):
        if name.startswith("streamlit"):
            logging.getLogger(name).setLevel(logging.ERROR)


def app_overview_function() -> Callable[..., object] | None:
    try:
        module = importlib.import_module("dashboard.ui.data_access")
    except ModuleNotFoundError:
        return None
    for name in _CANDIDATES:
        fn = getattr(module, name, None)
        if callable(fn):
            return fn
    return None


def describe_method() -> str:
    fn = app_overview_function()
    if fn is not None:
        return f"`dashboard.ui.data_access.{fn.__name__}` (the app's own Overview loader)"
    extras = ", ".join(extra_queries()) or "none yet"
    return (
        f"stand-in (the app has no Overview loader yet): the five KPIs at week grain over the "
        f"latest {OVERVIEW_WEEKS} weeks, plus the queries {extras}"
    )


def extra_queries() -> list[str]:
    return [n for n in ("data_freshness", "dimensions") if (QUERIES_DIR / f"{n}.sql").exists()]


def latest_event_day(con: duckdb.DuckDBPyConnection) -> date | None:
    row = con.execute(
        """
        select max(d) from (
            select max(ordered_at)::date as d from orders
            union all select max(opened_at)::date from complaints
            union all select max(submitted_at)::date from surveys
            union all select max(contacted_at)::date from vip_contacts
        )
        """
    ).fetchone()
    return row[0] if row else None


def stand_in_overview(con: duckdb.DuckDBPyConnection) -> dict[str, object]:
    from dashboard import kpis

    latest = latest_event_day(con)
    date_from = None
    if latest is not None:
        monday = latest - timedelta(days=latest.weekday())
        date_from = monday - timedelta(weeks=OVERVIEW_WEEKS - 1)
    data: dict[str, object] = {}
    for kpi in kpis.KPI_NAMES:
        grain = "month" if kpi == "cohorts" else "week"
        data[kpi] = kpis.compute(con, kpi, grain=grain, date_from=date_from)
    for name in extra_queries():
        data[name] = _run_query_file(con, QUERIES_DIR / f"{name}.sql")
    return data


def _run_query_file(con: duckdb.DuckDBPyConnection, path: Path) -> object:
    from dashboard import kpis

    try:
        return kpis.compute(con, path.stem)
    except Exception:  # a plain query file that compute() does not know: run it as is
        return con.execute(path.read_text(encoding="utf-8")).df()


class OverviewLoader:
    """Calls the Overview loader in the way the app does, with cold and cached variants."""

    def __init__(self, db: Path) -> None:
        quiet_streamlit()
        self.db = db
        self.app_fn = app_overview_function()
        self._cache: dict[object, object] = {}

    def clear_cache(self) -> None:
        self._cache.clear()
        clear = getattr(self.app_fn, "clear", None)
        if callable(clear):
            clear()  # st.cache_data-decorated function
        try:
            import streamlit as st

            st.cache_data.clear()
        except Exception:  # streamlit missing or not usable here: nothing cached by it
            pass

    def call(self, con: duckdb.DuckDBPyConnection) -> object:
        if self.app_fn is not None:
            return _call_app_fn(self.app_fn, con, self.db)
        # Stand-in cache: a copy per caller, as st.cache_data pickles one.
        import pickle

        key = ("overview", str(self.db))
        if key not in self._cache:
            self._cache[key] = pickle.dumps(stand_in_overview(con))
        return pickle.loads(self._cache[key])


def _call_app_fn(fn: Callable[..., object], con: duckdb.DuckDBPyConnection, db: Path) -> object:
    """Pass what the loader asks for, by parameter name (its signature is the app's choice)."""
    params = inspect.signature(fn).parameters
    kwargs: dict[str, object] = {}
    for name in params:
        if name in ("_con", "con", "cursor", "_cursor"):
            kwargs[name] = con
        elif name in ("db", "db_path", "path"):
            kwargs[name] = db
    return fn(**kwargs)
