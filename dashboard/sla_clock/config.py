"""The ``[calendar]`` settings of the business clock and the names of the clocks.

Parsed here (not in dashboard/settings.py) so the SLA clock stays one small package;
``dashboard.settings`` calls ``parse_calendar``/``parse_clock`` with its own error factory,
so every message names the settings file and the key like the other settings do.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

CLOCKS = ("calendar", "business")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")  # ISO order: mon = 1
HOLIDAY_CALENDARS = ("CN", "none")
CALENDAR_KEYS = ("work_hours", "workdays", "holidays", "extra_holidays", "extra_workdays")

_SPAN = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")

Fail = Callable[[str, str], Exception]  # (key, message) -> the error to raise


@dataclass(frozen=True)
class WorkSpan:
    """One block of working time within a day, in seconds after midnight (end exclusive)."""

    start: int
    end: int

    @property
    def label(self) -> str:
        return f"{_clock_time(self.start)}-{_clock_time(self.end)}"


def _clock_time(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}"


@dataclass(frozen=True)
class CalendarSettings:
    """``[calendar]``: when the business clock runs. Defaults: the spec's example."""

    work_hours: tuple[WorkSpan, ...] = (WorkSpan(9 * 3600, 12 * 3600), WorkSpan(48600, 18 * 3600))
    workdays: tuple[int, ...] = (1, 2, 3, 4, 5)  # ISO weekdays, mon = 1
    holidays: str = "CN"
    extra_holidays: tuple[dt.date, ...] = ()
    extra_workdays: tuple[dt.date, ...] = ()

    @property
    def seconds_per_working_day(self) -> int:
        return sum(span.end - span.start for span in self.work_hours)


def parse_clock(key: str, value: Any, fail: Fail) -> str:
    if value not in CLOCKS:
        raise fail(key, f"must be one of {', '.join(CLOCKS)}, got {value!r}")
    return value


def parse_calendar(raw: Any, fail: Fail) -> CalendarSettings:
    """``[calendar]`` as a ``CalendarSettings``; a bad value raises ``fail(key, why)``."""
    if not isinstance(raw, dict):
        raise fail("calendar", "must be a table")
    unknown = sorted(set(raw) - set(CALENDAR_KEYS))
    if unknown:
        raise fail(f"calendar.{unknown[0]}", "is not a known setting")
    default = CalendarSettings()
    work_hours = _work_hours(raw["work_hours"], fail) if "work_hours" in raw else default.work_hours
    workdays = _workdays(raw["workdays"], fail) if "workdays" in raw else default.workdays
    holidays = raw.get("holidays", default.holidays)
    if not isinstance(holidays, str) or holidays.lower() not in ("cn", "none"):
        raise fail(
            "calendar.holidays",
            f'must be "CN" (mainland China) or "none" (the weekdays alone), got {holidays!r}',
        )
    return CalendarSettings(
        work_hours=work_hours,
        workdays=workdays,
        holidays="CN" if holidays.lower() == "cn" else "none",
        extra_holidays=_dates("calendar.extra_holidays", raw.get("extra_holidays", []), fail),
        extra_workdays=_dates("calendar.extra_workdays", raw.get("extra_workdays", []), fail),
    )


def _work_hours(value: Any, fail: Fail) -> tuple[WorkSpan, ...]:
    key = "calendar.work_hours"
    example = '["09:00-12:00", "13:30-18:00"]'
    if not isinstance(value, list) or not value:
        raise fail(key, f"must be a non-empty list of times like {example}")
    spans = []
    for item in value:
        match = _SPAN.match(item) if isinstance(item, str) else None
        if not match:
            raise fail(key, f"entries must look like '09:00-12:00', got {item!r}")
        h1, m1, h2, m2 = map(int, match.groups())
        start, end = h1 * 3600 + m1 * 60, h2 * 3600 + m2 * 60
        if m1 > 59 or m2 > 59 or start >= 24 * 3600 or end > 24 * 3600:
            raise fail(key, f"{item!r} is not a time span within one day (00:00-24:00)")
        if start >= end:
            raise fail(key, f"{item!r} ends before it starts (a span cannot cross midnight)")
        spans.append(WorkSpan(start, end))
    spans.sort(key=lambda s: s.start)
    for before, after in zip(spans, spans[1:], strict=False):
        if after.start < before.end:
            raise fail(key, f"{before.label} and {after.label} overlap")
    return tuple(spans)


def _workdays(value: Any, fail: Fail) -> tuple[int, ...]:
    key = "calendar.workdays"
    if not isinstance(value, list) or not value:
        raise fail(key, f"must be a non-empty list drawn from {', '.join(WEEKDAYS)}")
    days = set()
    for item in value:
        name = item.strip().lower()[:3] if isinstance(item, str) else None
        if name not in WEEKDAYS:
            raise fail(key, f"entries must be one of {', '.join(WEEKDAYS)}, got {item!r}")
        days.add(WEEKDAYS.index(name) + 1)
    return tuple(sorted(days))


def _dates(key: str, value: Any, fail: Fail) -> tuple[dt.date, ...]:
    if not isinstance(value, list):
        raise fail(key, 'must be a list of dates like ["2026-03-06"]')
    out = set()
    for item in value:
        if isinstance(item, dt.datetime):
            raise fail(key, f"entries must be dates without a time, got {item!r}")
        if isinstance(item, dt.date):
            out.add(item)
            continue
        try:
            out.add(dt.date.fromisoformat(item.strip()))
        except (AttributeError, ValueError):
            raise fail(key, f"entries must be dates YYYY-MM-DD, got {item!r}") from None
    return tuple(sorted(out))
