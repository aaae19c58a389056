"""Properties of the business clock, against an independent minute-by-minute count.

The reference below shares no code with the SQL or with dashboard/sla_clock: it decides each
date's status from the `holidays` package and the precedence of shared/spec/kpis.md itself,
then walks the interval minute by minute (every time here is on a whole minute, and work
hours start and end on whole minutes, so counting minutes is exact).
"""

from __future__ import annotations

import datetime as dt

import duckdb
import holidays
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.kpis import compute
from dashboard.schema import create_schema
from dashboard.settings import Settings
from dashboard.sla_clock.config import CalendarSettings, WorkSpan

CHINA = holidays.China(years=range(2025, 2027))
START = dt.datetime(2025, 1, 1)
MINUTES = 2 * 365 * 24 * 60 - 20 * 24 * 60  # up to mid-December 2026


def reference_working_day(day: dt.date, cal: CalendarSettings) -> bool:
    if day in cal.extra_workdays:
        return True
    if day in cal.extra_holidays:
        return False
    if cal.holidays == "CN":
        if day in CHINA.weekend_workdays:
            return True
        if day in CHINA:
            return False
    return day.isoweekday() in cal.workdays


def reference_business_hours(a: dt.datetime, b: dt.datetime, cal: CalendarSettings) -> float:
    minutes = 0
    t = a
    while t < b:
        minute_of_day = t.hour * 60 + t.minute
        if reference_working_day(t.date(), cal) and any(
            s.start <= minute_of_day * 60 < s.end for s in cal.work_hours
        ):
            minutes += 1
        t += dt.timedelta(minutes=1)
    return minutes / 60


def sql_business_hours(intervals, cal: CalendarSettings) -> list[float]:
    con = duckdb.connect()
    create_schema(con)
    con.executemany(
        "insert into complaints (complaint_id, project, region, opened_at, resolved_at)"
        " values (?, 'A', 'R', ?, ?)",
        [(f"k{i:04d}", a, b) for i, (a, b) in enumerate(intervals)],
    )
    frame = compute(
        con, "int_complaints_sla", settings=Settings(sla_clock="business", calendar=cal)
    )
    con.close()
    return frame.sort_values("complaint_id")["business_hours"].tolist()


instants = st.integers(0, MINUTES).map(lambda m: START + dt.timedelta(minutes=m))
lengths = st.integers(0, 12 * 24 * 60).map(lambda m: dt.timedelta(minutes=m))


@st.composite
def spans(draw):
    cuts = sorted(draw(st.sets(st.integers(0, 48), min_size=2, max_size=6)))
    pairs = list(zip(cuts[::2], cuts[1::2], strict=False))
    return tuple(WorkSpan(lo * 1800, hi * 1800) for lo, hi in pairs) or (WorkSpan(0, 1800),)


special_days = st.dates(dt.date(2025, 1, 1), dt.date(2026, 12, 31))


@st.composite
def calendars(draw):
    return CalendarSettings(
        work_hours=draw(spans()),
        workdays=tuple(sorted(draw(st.sets(st.integers(1, 7), min_size=1)))),
        holidays=draw(st.sampled_from(["CN", "none"])),
        extra_holidays=tuple(sorted(draw(st.sets(special_days, max_size=3)))),
        extra_workdays=tuple(sorted(draw(st.sets(special_days, max_size=3)))),
    )


SLOW = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SLOW
@given(cal=calendars(), starts=st.lists(instants, min_size=1, max_size=4), data=st.data())
def test_sql_equals_a_minute_by_minute_count(cal, starts, data):
    intervals = [(a, a + data.draw(lengths)) for a in starts]
    expected = [reference_business_hours(a, b, cal) for a, b in intervals]
    assert sql_business_hours(intervals, cal) == pytest.approx(expected)


@SLOW
@given(cal=calendars(), a=instants, first=lengths, second=lengths)
def test_splitting_an_interval_adds_up_and_never_exceeds_calendar_hours(cal, a, first, second):
    b, c = a + first, a + first + second
    whole, left, right = sql_business_hours([(a, c), (a, b), (b, c)], cal)
    assert whole == pytest.approx(left + right)
    assert whole <= (c - a).total_seconds() / 3600 + 1e-9


@settings(max_examples=15, deadline=None)
@given(a=instants, length=lengths)
def test_a_calendar_where_every_hour_works_is_the_calendar_clock(a, length):
    always = CalendarSettings(
        work_hours=(WorkSpan(0, 24 * 3600),), workdays=tuple(range(1, 8)), holidays="none"
    )
    (hours,) = sql_business_hours([(a, a + length)], always)
    assert hours == pytest.approx(length.total_seconds() / 3600)
