"""The working calendar as bound SQL parameters (turned into rows by queries/int_work_calendar.sql
and queries/int_work_hours.sql, read by int_complaints_sla.sql).

The SQL counts working days with the weekday rule (``$calendar_weekday_mask``) corrected by a
month table: for each month, bitmasks of the days the calendar adds to or removes from the
weekday rule (make-up working days, public holidays, overrides) and whether the month's year
is covered. Why this shape, not a table of every working interval: the SQL reads it with one
equi-join per end of a complaint (no per-complaint interval join, no date spine, nothing
derived from the data), the same SQL can run on Spark, and the parameters stay small: 312
months for 2001-2026 (binding a list of 10,000 structs cost ~60 ms per query here, a few
plain lists of 300 values well under 1 ms).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any

from dashboard.sla_clock.calendar import working_calendar
from dashboard.sla_clock.config import CalendarSettings

CALENDAR_PARAMS = (
    "calendar_weekday_mask",
    "calendar_work_hours",
    "calendar_months",
    "calendar_months_added",
    "calendar_months_removed",
    "calendar_months_covered",
    "calendar_covers_every_year",
)


def unused_calendar_params() -> dict[str, Any]:
    """``$calendar_*`` when no complaint is on the business clock: the SQL reads the calendar
    only for business-clock complaints, so the country calendar (the holidays package,
    0.1-0.5 s to import) is not built for a `kpi show` that cannot use it."""
    return {
        "calendar_weekday_mask": 0,
        "calendar_work_hours": [],
        "calendar_months": [],
        "calendar_months_added": [],
        "calendar_months_removed": [],
        "calendar_months_covered": [],
        "calendar_covers_every_year": True,
    }


def calendar_params(settings: CalendarSettings) -> dict[str, Any]:
    """``$calendar_*`` values (fresh lists: callers may keep them)."""
    frozen = _frozen(settings)
    return {name: (list(v) if isinstance(v, tuple) else v) for name, v in frozen.items()}


def _month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _next_month(month: dt.date) -> dt.date:
    return dt.date(month.year + (month.month == 12), month.month % 12 + 1, 1)


@lru_cache(maxsize=16)
def _frozen(settings: CalendarSettings) -> dict[str, Any]:
    calendar = working_calendar(settings)
    exceptions = calendar.exceptions()
    years = calendar.covered_years
    bounds = [_month(day) for day, _ in exceptions]
    if years:
        bounds += [dt.date(min(years), 1, 1), dt.date(max(years), 12, 1)]
    added: dict[dt.date, int] = {}
    removed: dict[dt.date, int] = {}
    for day, working in exceptions:
        target = added if working else removed
        target[_month(day)] = target.get(_month(day), 0) | 1 << (day.day - 1)
    months = []
    if bounds:  # contiguous, so the SQL finds every month in range by equality
        month, last = min(bounds), max(bounds)
        while month <= last:
            months.append(month)
            month = _next_month(month)
    return {
        # bit i set: ISO weekday i + 1 (mon = 1) is a working day by the weekday rule
        "calendar_weekday_mask": sum(1 << (d - 1) for d in settings.workdays),
        # the working spans of a working day, seconds after midnight, end exclusive
        "calendar_work_hours": tuple(
            {"start_second": s.start, "end_second": s.end} for s in settings.work_hours
        ),
        "calendar_months": tuple(months),
        # bit d - 1 set: day d of the month is working / off against the weekday rule
        "calendar_months_added": tuple(added.get(m, 0) for m in months),
        "calendar_months_removed": tuple(removed.get(m, 0) for m in months),
        "calendar_months_covered": tuple(calendar.covers(m.year) for m in months),
        # months outside the table: covered only without a country calendar
        "calendar_covers_every_year": years is None,
    }
