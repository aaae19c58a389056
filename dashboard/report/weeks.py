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
