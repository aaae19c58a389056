"""Schedules of notify rules: ``"mon 09:00"`` (weekly), ``"daily 08:30"``, ``"1 09:00"``
(day of month), read as wall-clock times in ``[notify] timezone``.

A rule is due once its scheduled time in the *current* period (the day, ISO week or month
containing the moment) has passed; a period whose time was missed entirely (no run in it)
is not sent later - the next period's message supersedes it.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_FULL_WEEKDAYS = {d: i for i, d in enumerate(("monday", "tuesday", "wednesday", "thursday",
                                                "friday", "saturday", "sunday"))}  # fmt: skip
_RE = re.compile(r"^\s*(\S+)\s+(\d{1,2}):(\d{2})\s*$")


class ScheduleError(ValueError):
    """A schedule that is not "mon 09:00", "daily 08:30" or "1 09:00"."""


@dataclass(frozen=True)
class Schedule:
    every: str  # "day" | "week" | "month"
    at: time
    weekday: int = 0  # 0 = Monday (weekly)
    day: int = 1  # day of month (monthly); a shorter month uses its last day

    @property
    def text(self) -> str:
        clock = self.at.strftime("%H:%M")
        if self.every == "day":
            return f"daily {clock}"
        if self.every == "week":
            return f"{WEEKDAYS[self.weekday]} {clock}"
        return f"{self.day} {clock}"

    def period_start(self, moment: datetime) -> date:
        return period_start(self.every, moment.date())

    def occurrence(self, start: date) -> datetime:
        """The scheduled moment within the period starting ``start``."""
        if self.every == "day":
            day = start
        elif self.every == "week":
            day = start + timedelta(days=self.weekday)
        else:
            last = calendar.monthrange(start.year, start.month)[1]
            day = start.replace(day=min(self.day, last))
        return datetime.combine(day, self.at)

    def due(self, moment: datetime) -> datetime | None:
        """The occurrence of the current period once it has passed at ``moment``, else None."""
        occurrence = self.occurrence(self.period_start(moment))
        return occurrence if moment >= occurrence else None


def parse_schedule(text: object) -> Schedule:
    if not isinstance(text, str):
        raise ScheduleError(f'must be text such as "mon 09:00", got {text!r}')
    match = _RE.match(text.lower())
    if not match:
        raise ScheduleError(
            f'must be "<weekday> HH:MM" (e.g. "mon 09:00"), "daily HH:MM" or '
            f'"<day of month> HH:MM" (e.g. "1 09:00"), got {text!r}'
        )
    when, hour, minute = match.group(1), int(match.group(2)), int(match.group(3))
    if hour > 23 or minute > 59:
        raise ScheduleError(f"has no such time of day: {hour:02d}:{minute:02d} in {text!r}")
    at = time(hour, minute)
    if when == "daily":
        return Schedule("day", at)
    if when in WEEKDAYS or when in _FULL_WEEKDAYS:
        weekday = WEEKDAYS.index(when) if when in WEEKDAYS else _FULL_WEEKDAYS[when]
        return Schedule("week", at, weekday=weekday)
    if when.isdigit():
        day = int(when)
        if not 1 <= day <= 31:
            raise ScheduleError(f"day of month must be 1-31, got {day} in {text!r}")
        return Schedule("month", at, day=day)
    raise ScheduleError(
        f"{when!r} is not a weekday (mon..sun), 'daily' or a day of month (1-31) in {text!r}"
    )


def period_start(grain: str, day: date) -> date:
    """First day of the day / ISO week / month containing ``day``."""
    if grain == "day":
        return day
    if grain == "week":
        return day - timedelta(days=day.weekday())
    if grain == "month":
        return day.replace(day=1)
    raise ValueError(f"unknown period {grain!r}")


def previous_period_start(grain: str, day: date) -> date:
    """First day of the last *complete* period before the one containing ``day``."""
    start = period_start(grain, day)
    return period_start(grain, start - timedelta(days=1))


def period_end(grain: str, start: date) -> date:
    """The exclusive end (the next period's first day)."""
    if grain == "day":
        return start + timedelta(days=1)
    if grain == "week":
        return start + timedelta(days=7)
    return (start.replace(day=28) + timedelta(days=4)).replace(day=1)


def period_label(grain: str, start: date) -> str:
    """``2026-06-29`` (day), ``2026-W26`` (ISO week), ``2026-06`` (month)."""
    if grain == "week":
        year, week, _ = start.isocalendar()
        return f"{year}-W{week:02d}"
    if grain == "month":
        return f"{start.year:04d}-{start.month:02d}"
    return start.isoformat()
