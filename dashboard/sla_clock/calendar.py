"""The working calendar: is a date a working day, and says who.

Precedence (shared/spec/kpis.md "The SLA clock"): a date is a working day when it is listed
in ``extra_workdays``; else not when listed in ``extra_holidays``; else when it is a make-up
working day (调休) of the country's calendar; else not when it is a public holiday there
(including the days off moved for it); else when its weekday is in ``workdays``.

The country calendar is the ``holidays`` package's ``China`` (pinned in pyproject.toml):
refreshed every year after the State Council's announcement, it lists the days off and the
make-up working days. A year it has no announcement for is *not covered*: the calendar
would only guess, so the SQL refuses to run a business clock over it (naming the year and
the override keys) until the settings list that year's days in ``extra_holidays`` /
``extra_workdays``; listing any day of a year there covers that year.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

from dashboard.sla_clock.config import WEEKDAYS, CalendarSettings

PACKAGE = "holidays"

# kinds of day, for `kpi calendar` and the docs
WORKDAY = "workday"
REST_DAY = "rest day"
PUBLIC_HOLIDAY = "public holiday"
MAKE_UP_DAY = "make-up working day"
EXTRA_HOLIDAY = "extra holiday"
EXTRA_WORKDAY = "extra workday"


class CalendarNotCovered(ValueError):
    """A business clock needs a year the working calendar does not know."""


def not_covered_message(year: int) -> str:
    # The SQL builds the same sentence (queries/int_complaints_sla.sql); keep them alike.
    return (
        f'the working calendar (holidays = "CN") does not cover {year}: the holidays package '
        f"has no State Council schedule for it; list that year's days off in [calendar] "
        f"extra_holidays and its make-up working days in extra_workdays"
    )


@dataclass(frozen=True)
class DayStatus:
    day: dt.date
    working: bool
    kind: str  # one of the kinds above
    name: str  # the holiday's name, when it has one
    source: str  # "holidays 0.109 (CN)", "[calendar] extra_workdays", "workdays"


@dataclass(frozen=True)
class CountryCalendar:
    """What the package knows: the announced years, days off, make-up working days."""

    source: str
    years: frozenset[int]
    days_off: dict  # date -> name (English)
    days_off_zh: dict  # date -> name (Chinese)
    make_up_days: frozenset[dt.date]


@lru_cache(maxsize=1)
def china() -> CountryCalendar:
    import holidays
    from holidays.countries.china import ChinaStaticHolidays

    # The years with a State Council schedule in this release: the package's own table of
    # moved days. Other years would be estimates (lunar dates without the 调休 moves).
    years = frozenset(ChinaStaticHolidays.special_public_holidays)
    span = range(min(years), max(years) + 1)
    english = holidays.China(years=span, language="en_US")
    chinese = holidays.China(years=span, language="zh_CN")
    make_up = frozenset(d for d in english.weekend_workdays if d.year in years)
    return CountryCalendar(
        source=f"{PACKAGE} {holidays.__version__} (CN)",
        years=years,
        days_off={d: n for d, n in english.items() if d.year in years},
        days_off_zh={d: n for d, n in chinese.items() if d.year in years},
        make_up_days=make_up,
    )


class WorkingCalendar:
    """The calendar of one ``CalendarSettings``; build it with ``working_calendar``."""

    def __init__(self, settings: CalendarSettings) -> None:
        self.settings = settings
        self.country = china() if settings.holidays == "CN" else None
        self._extra_workdays = frozenset(settings.extra_workdays)
        self._extra_holidays = frozenset(settings.extra_holidays)

    @property
    def covered_years(self) -> frozenset[int] | None:
        """The years a business clock may run over; None: every year (weekdays alone)."""
        if self.country is None:
            return None
        overridden = {d.year for d in self._extra_workdays | self._extra_holidays}
        return self.country.years | overridden

    def covers(self, year: int) -> bool:
        years = self.covered_years
        return years is None or year in years

    def weekday_rule(self, day: dt.date) -> bool:
        return day.isoweekday() in self.settings.workdays

    def status(self, day: dt.date) -> DayStatus:
        """The day's status by the precedence above (a year the package does not know has
        only the overrides and the weekdays: check ``covers`` first where that matters)."""
        if day in self._extra_workdays:
            return DayStatus(day, True, EXTRA_WORKDAY, "", "[calendar] extra_workdays")
        if day in self._extra_holidays:
            return DayStatus(day, False, EXTRA_HOLIDAY, "", "[calendar] extra_holidays")
        country = self.country
        if country is not None and day.year in country.years:
            if day in country.make_up_days:
                return DayStatus(day, True, MAKE_UP_DAY, "调休", country.source)
            if day in country.days_off:
                name = f"{country.days_off_zh.get(day, '')} {country.days_off[day]}".strip()
                return DayStatus(day, False, PUBLIC_HOLIDAY, name, country.source)
        working = self.weekday_rule(day)
        return DayStatus(day, working, WORKDAY if working else REST_DAY, "", "workdays")

    def special_days(self) -> list[dt.date]:
        """Every date the overrides or the country calendar speak about, sorted."""
        days = set(self._extra_workdays | self._extra_holidays)
        if self.country is not None:
            days |= set(self.country.days_off) | set(self.country.make_up_days)
        return sorted(days)

    def exceptions(self) -> list[tuple[dt.date, bool]]:
        """(date, working) for every date whose status differs from the weekday rule: the
        whole calendar is the weekday rule plus these (what the SQL is given)."""
        out = []
        for day in self.special_days():
            working = self.status(day).working
            if working != self.weekday_rule(day):
                out.append((day, working))
        return out

    def year(self, year: int) -> list[DayStatus]:
        """Every day of ``year``; raises ``CalendarNotCovered`` for a year it does not know."""
        if not self.covers(year):
            raise CalendarNotCovered(not_covered_message(year))
        first = dt.date(year, 1, 1)
        days = (dt.date(year + 1, 1, 1) - first).days
        return [self.status(first + dt.timedelta(days=i)) for i in range(days)]

    def describe_week(self) -> str:
        return ", ".join(WEEKDAYS[d - 1] for d in self.settings.workdays)


@lru_cache(maxsize=16)
def working_calendar(settings: CalendarSettings) -> WorkingCalendar:
    return WorkingCalendar(settings)
