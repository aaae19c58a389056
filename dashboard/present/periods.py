"""ISO weeks as the report names them (``2026-W47``) and the default report week."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

_WEEK_RE = re.compile(r"^\s*(\d{4})-?[Ww](\d{1,2})\s*$")


class BadWeek(ValueError):
    """A --week value that is not an ISO week such as 2026-W47."""


@dataclass(frozen=True, order=True)
class IsoWeek:
    """One ISO week, Monday to Sunday."""

    monday: date

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)

    @property
    def end(self) -> date:
        """The exclusive end: the Monday after (a period's end in kpis.md)."""
        return self.monday + timedelta(days=7)

    @property
    def label(self) -> str:
        year, week, _ = self.monday.isocalendar()
        return f"{year}-W{week:02d}"

    def shift(self, weeks: int) -> IsoWeek:
        return IsoWeek(self.monday + timedelta(weeks=weeks))

    # the names a period of either grain shares with CalendarMonth
    @property
    def start(self) -> date:
        return self.monday

    @property
    def last_day(self) -> date:
        return self.sunday

    grain = "week"


@dataclass(frozen=True, order=True)
class CalendarMonth:
    """One calendar month (the Overview at month grain)."""

    start: date  # the first day

    @property
    def end(self) -> date:
        """The exclusive end: the first day of the next month."""
        return self.shift(1).start

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)

    @property
    def label(self) -> str:
        return f"{self.start.year}-{self.start.month:02d}"

    def shift(self, months: int) -> CalendarMonth:
        index = self.start.year * 12 + self.start.month - 1 + months
        return CalendarMonth(date(index // 12, index % 12 + 1, 1))

    grain = "month"


def month_of(day: date) -> CalendarMonth:
    return CalendarMonth(day.replace(day=1))


def period_of(grain: str, day: date) -> IsoWeek | CalendarMonth:
    return month_of(day) if grain == "month" else week_of(day)


def latest_complete_period(grain: str, last_day: date) -> IsoWeek | CalendarMonth:
    """The latest week or month that ends on or before ``last_day`` (the data's last day,
    or the end of the range the user chose)."""
    period = period_of(grain, last_day)
    return period if last_day >= period.last_day else period.shift(-1)


def parse_week(text: str) -> IsoWeek:
    """``2026-W47`` (or ``2026W47``) -> the week starting Monday 2026-11-16."""
    match = _WEEK_RE.match(text or "")
    if not match:
        raise BadWeek(f"--week must look like 2026-W47 (ISO year, 'W', week number), got {text!r}")
    year, week = int(match.group(1)), int(match.group(2))
    try:
        monday = date.fromisocalendar(year, week, 1)
    except ValueError:
        raise BadWeek(f"{text!r} is not a week: {year} has no ISO week {week}") from None
    return IsoWeek(monday)


def week_of(day: date) -> IsoWeek:
    return IsoWeek(day - timedelta(days=day.weekday()))


def latest_complete_week(last_event_day: date) -> IsoWeek:
    """The latest ISO week that ends on or before the last day with data.

    A week is complete when the data reach its Sunday; if the last event falls mid-week,
    that week is partial and the report shows the one before it.
    """
    week = week_of(last_event_day)
    return week if last_event_day >= week.sunday else week.shift(-1)
