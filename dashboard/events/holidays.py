"""Public holidays of the configured working calendar as bands for the charts (#12).

Shown when the working calendar of the SLA clock (``[calendar]``, dashboard/sla_clock) has
public holidays: ``holidays = "CN"`` (the default) or days in ``extra_holidays``; the same
days off the business clock skips. ``holidays = "none"`` without extra days shows none. A band is a run of consecutive days off that holds at least one public holiday (or
an ``extra_holidays`` day), weekends inside the run included - "国庆节 10-01 to 10-07" as
people say it - named after its holidays (the substituted days off add no name).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from dashboard.settings import Settings
from dashboard.sla_clock.calendar import EXTRA_HOLIDAY, PUBLIC_HOLIDAY, working_calendar
from dashboard.sla_clock.config import CalendarSettings

# "Labor Day (observed)" / "劳动节（补假）" are the same holiday for a reader
_QUALIFIER = re.compile(r"\s*[(（][^)）]*[)）]\s*$")
_SUBSTITUTE = ("Day off", "休息日")


@dataclass(frozen=True)
class HolidayBand:
    first_day: dt.date
    last_day: dt.date
    name: str  # in the chart's language


def configured(settings: Settings) -> bool:
    return settings.calendar.holidays == "CN" or bool(settings.calendar.extra_holidays)


def holiday_bands(
    settings: Settings, first: dt.date, last: dt.date, lang: str
) -> list[HolidayBand]:
    """The holiday runs overlapping ``first``..``last`` (none when not configured)."""
    if not configured(settings) or last < first:
        return []
    return list(_bands(settings.calendar, first, last, lang))


@lru_cache(maxsize=256)
def _bands(
    settings: CalendarSettings, first: dt.date, last: dt.date, lang: str
) -> tuple[HolidayBand, ...]:
    calendar = working_calendar(settings)
    country = calendar.country
    bands: list[HolidayBand] = []
    run: list[dt.date] = []
    names: list[str] = []
    holiday_in_run = False

    def close() -> None:
        nonlocal run, names, holiday_in_run
        if run and holiday_in_run:
            name = "、".join(names) if lang == "zh" else ", ".join(names)
            bands.append(HolidayBand(run[0], run[-1], name or _fallback(lang)))
        run, names, holiday_in_run = [], [], False

    # a run may start before the range (a holiday week cut by the axis): look a week around
    day = first - dt.timedelta(days=7)
    while day <= last + dt.timedelta(days=7):
        status = calendar.status(day)
        if status.working:
            close()
        else:
            run.append(day)
            if status.kind in (PUBLIC_HOLIDAY, EXTRA_HOLIDAY):
                holiday_in_run = True
                name = _name(day, lang, country) if status.kind == PUBLIC_HOLIDAY else ""
                if name and name not in names:
                    names.append(name)
        day += dt.timedelta(days=1)
    close()
    return tuple(b for b in bands if b.last_day >= first and b.first_day <= last)


def _name(day: dt.date, lang: str, country) -> str:
    source = country.days_off_zh if lang == "zh" else country.days_off
    name = str(source.get(day, ""))
    if name.startswith(_SUBSTITUTE):
        return ""
    return _QUALIFIER.sub("", name).strip()


def _fallback(lang: str) -> str:
    return "节假日" if lang == "zh" else "Holiday"
