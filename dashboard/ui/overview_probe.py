"""What "building the Overview page's data" means for the benchmark, measured in a child
process that ``kpi bench`` starts (``python -m dashboard.ui.overview_probe``): the probe
uses the app's own cache layer, so it belongs to the UI; the benchmark below the UI only
reads the JSON it prints (no import of ``dashboard.ui`` or Streamlit there).

    python -m dashboard.ui.overview_probe overview DB REPEAT   -> cold/cached samples
    python -m dashboard.ui.overview_probe memory DB [PROJECT]  -> peak RSS of "the app"

Preferred: a loader in the app's data layer that returns everything the Overview shows
(``dashboard.ui.data_access.overview_data(state)``); the benchmark measures exactly that.
Until the app has one, ``replay_overview_calls`` makes the same ``data_access`` calls, in
the same order and with the same arguments, as ``dashboard/ui/main.py`` (filters: dimensions,
data span) and ``dashboard/ui/pages/overview.py`` do for a first visit with default filters -
through the app's own cache layer (``st.cache_data``), so "cached" is the app's real cache.

Streamlit's caches work outside ``streamlit run`` ("bare mode", in-memory storage), which
is how the benchmark can measure them; the app reads ``$KPI_DB``, so the benchmark points it
at the benchmark database.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

_LOADER_NAMES = ("overview_data", "load_overview")


def quiet_streamlit() -> None:
    """Bare-mode Streamlit warns on every cached call; the warnings say nothing here."""
    import streamlit.logger

    streamlit.logger.set_log_level("error")  # also the level of loggers created later
    for name in list(logging.root.manager.loggerDict):
        if name.startswith("streamlit"):
            logging.getLogger(name).setLevel(logging.ERROR)


def app_loader() -> Callable[..., object] | None:
    from dashboard.ui import data_access

    for name in _LOADER_NAMES:
        fn = getattr(data_access, name, None)
        if callable(fn):
            return fn
    return None


def describe_method() -> str:
    fn = app_loader()
    if fn is not None:
        return f"`dashboard.ui.data_access.{fn.__name__}()` (the app's own Overview loader)"
    return (
        "the `data_access` calls the app makes for a first visit of the Overview page with "
        "default filters (replayed by `dashboard/ui/overview_probe.py` from `ui/main.py` and "
        "`ui/pages/overview.py`: dimensions and data span for the filters, last event day, "
        "retention/complaints/satisfaction/VIP coverage by week over the latest 13 weeks, VIP "
        "coverage by month, the week-on-week rates by project for the movers, data freshness)"
    )


def replay_overview_calls() -> dict[str, object]:
    from dashboard.present.headlines import BY_KEY, HEADLINE_KPIS, MOVER_KEYS
    from dashboard.present.periods import latest_complete_week
    from dashboard.ui import data_access
    from dashboard.ui.filters import FilterState

    # As pages/overview.py (which renders on import, so it cannot be imported here).
    mover_keys = tuple(k for k in MOVER_KEYS if k != "coverage_rate")

    state = FilterState()
    begin_run = getattr(data_access, "begin_run", None)
    if callable(begin_run):  # main.py pins one database version per render first
        # no session state outside a script run: reads then use the newest version
        with contextlib.suppress(Exception):
            begin_run()
    data: dict[str, object] = {
        "dimensions": data_access.dimensions(),  # main.py: filter choices
        "data_span": data_access.data_span(),
    }
    last = data_access.last_event_day()
    if last is None:
        return data
    week = latest_complete_week(last)
    as_of = {"as_of": week.sunday}  # the week as of its Sunday
    for kpi in HEADLINE_KPIS:
        data[f"{kpi} week"] = data_access.compute(
            kpi,
            state,
            grain="week",
            date_from=week.shift(-12).monday,
            date_to=week.monday,
            params=as_of,
        )
    month_start = week.sunday.replace(day=1)
    previous_month = (month_start - timedelta(days=1)).replace(day=1)
    data["vip_coverage month"] = data_access.compute(
        "vip_coverage",
        state,
        grain="month",
        date_from=previous_month,
        date_to=month_start,
        params=as_of,
    )
    for key in mover_keys:
        kpi = BY_KEY[key].kpi
        data[f"{kpi} by project"] = data_access.compute(
            kpi,
            state,
            grain="week",
            date_from=week.shift(-1).monday,
            date_to=week.monday,
            by="project",
            params=as_of,
        )
    data["freshness"] = data_access.freshness()
    return data


class OverviewLoader:
    """The Overview's data as the app builds it: cold (new snapshot, empty caches) or cached."""

    def __init__(self, db: Path) -> None:
        quiet_streamlit()
        os.environ["KPI_DB"] = str(db)  # data_access.db_path() reads it
        self.db = db
        self.fn = app_loader() or replay_overview_calls

    def clear_cache(self) -> None:
        """Forget cached results *and* the snapshot, so the next call opens a new one."""
        import streamlit as st

        st.cache_data.clear()
        st.cache_resource.clear()

    def breakdown(self) -> list[dict[str, object]]:
        """One cold build with each query timed: which of the page's queries cost what."""
        import time

        from dashboard.ui import data_access

        original = data_access._compute
        calls: list[dict[str, object]] = []

        def timed(*args: object, **kwargs: object) -> object:
            start = time.perf_counter()
            result = original(*args, **kwargs)
            # _compute(path, version, fingerprint, _settings, call: data_access.KpiCall)
            call = args[4]
            kpi, grain, date_from, by = call.kpi, call.grain, call.date_from, call.by
            calls.append(
                {
                    "query": kpi,
                    "grain": grain,
                    "from": str(date_from) if date_from else "",
                    "by": by or "",
                    "seconds": time.perf_counter() - start,
                }
            )
            return result

        self.clear_cache()
        data_access._compute = timed  # the benchmark's own probe; restored below
        try:
            self.call()
        finally:
            data_access._compute = original
            self.clear_cache()
        return calls

    def call(self) -> object:
        if self.fn is replay_overview_calls:
            return self.fn()
        from dashboard.ui.filters import FilterState

        return self.fn(FilterState())


def measure_overview(db: Path, repeat: int) -> dict[str, object]:
    """Cold: a new snapshot connection and an empty cache. Cached: the same call again."""
    import time

    from dashboard import kpis

    loader = OverviewLoader(db)
    kpis.list_queries()  # the query catalogue is read once per process, not per page view
    cold, cached = [], []
    for _ in range(max(1, repeat)):
        loader.clear_cache()
        start = time.perf_counter()
        loader.call()
        cold.append(time.perf_counter() - start)
        start = time.perf_counter()
        loader.call()
        cached.append(time.perf_counter() - start)
    loader.clear_cache()
    try:
        calls = loader.breakdown()
    except Exception as exc:  # the probe depends on data_access internals: never fatal
        calls = [{"query": f"(breakdown unavailable: {exc})", "seconds": 0.0}]
    return {"cold": cold, "cached": cached, "cold_breakdown": calls, "method": describe_method()}


def measure_memory(db: Path, project: str | None) -> dict[str, object]:
    """Peak memory of "the app": what a dashboard process does with the data - open a
    read-only snapshot, build the Overview data, then every KPI at every grain with and
    without a project filter - as its own RSS high-water mark (getrusage). Streamlit's web
    server itself (about 150-250 MB, independent of the data) is not included."""
    from dashboard import kpis
    from dashboard.bench.machine import peak_rss_mb
    from dashboard.pipeline import connect_readonly

    baseline = peak_rss_mb()  # after imports, before any data
    con = connect_readonly(db)
    loader = OverviewLoader(db)
    loader.call()
    loader.call()
    for kpi in kpis.KPI_NAMES:
        for grain in ("month",) if kpi == "cohorts" else ("week", "month"):
            kpis.compute(con, kpi, grain=grain)
            if project:
                kpis.compute(con, kpi, grain=grain, projects=[project])
    return {"peak_rss_mb": peak_rss_mb(), "imports_rss_mb": baseline}


def main(argv: list[str]) -> int:
    import json

    what, db = argv[0], Path(argv[1])
    if what == "overview":
        result = measure_overview(db, int(argv[2]) if len(argv) > 2 else 1)
    else:
        result = measure_memory(db, argv[2] if len(argv) > 2 else None)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(main(sys.argv[1:]))
