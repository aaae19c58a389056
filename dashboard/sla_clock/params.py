"""The working calendar as bound SQL parameters (used by queries/int_complaints_sla.sql).

Why the weekday rule plus exceptions, not a table of every working interval: the SQL then
works for any date range without knowing the data's years in Python, and the parameters stay
small (about 430 exception dates for 2001-2026; binding a list of 10,000 structs cost ~60 ms
per query here, two plain lists of 400 values ~0.5 ms).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from dashboard.sla_clock.calendar import working_calendar
from dashboard.sla_clock.config import CalendarSettings

CALENDAR_PARAMS = (
    "calendar_workdays",
    "calendar_work_hours",
    "calendar_exception_days",
    "calendar_exception_working",
    "calendar_years",
)


def calendar_params(settings: CalendarSettings) -> dict[str, Any]:
    """``$calendar_*`` values (fresh lists: callers may keep them)."""
    frozen = _frozen(settings)
    return {name: (list(v) if isinstance(v, tuple) else v) for name, v in frozen.items()}


@lru_cache(maxsize=16)
def _frozen(settings: CalendarSettings) -> dict[str, Any]:
    calendar = working_calendar(settings)
    exceptions = calendar.exceptions()
    years = calendar.covered_years
    return {
        # ISO weekdays (mon = 1) that are working days by the weekday rule
        "calendar_workdays": tuple(settings.workdays),
        # the working spans of a working day, seconds after midnight, end exclusive
        "calendar_work_hours": tuple(
            {"start_second": s.start, "end_second": s.end} for s in settings.work_hours
        ),
        # dates whose working status differs from the weekday rule, and that status
        "calendar_exception_days": tuple(day for day, _ in exceptions),
        "calendar_exception_working": tuple(working for _, working in exceptions),
        # the years the calendar covers; NULL: every year (holidays = "none")
        "calendar_years": None if years is None else tuple(sorted(years)),
    }
