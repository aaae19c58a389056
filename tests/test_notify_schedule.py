"""Schedules and due periods across week, month and year boundaries in Asia/Shanghai."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from dashboard.notify.config import NotifyConfig, Rule
from dashboard.notify.rules import due_period
from dashboard.notify.run import parse_moment
from dashboard.notify.schedule import ScheduleError, parse_schedule


def rule(
    kind: str = "weekly_report", schedule: str | None = "mon 09:00", grain: str = "week"
) -> Rule:
    return Rule(
        name="r", type=kind, channels=("c",), lang="en", grain=grain,
        schedule=parse_schedule(schedule) if schedule else None,
    )  # fmt: skip


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def test_weekly_schedule_is_due_from_its_time_in_the_current_week_only() -> None:
    weekly = rule()
    assert due_period(weekly, at("2026-06-29 08:59")) is None  # Monday, before 09:00
    due = due_period(weekly, at("2026-06-29 09:00"))
    # 2026-06-29 is the Monday of ISO week 27: the last complete week is W26 (Jun 22-28).
    assert due is not None and due.period == "2026-W26" and due.subject_start == date(2026, 6, 22)
    # Later in the same week: still the same period (so the log's key stops a second send).
    assert due_period(weekly, at("2026-07-05 23:59")).period == "2026-W26"
    # Next Monday before 09:00: the new week's time has not come yet.
    assert due_period(weekly, at("2026-07-06 08:00")) is None
    assert due_period(weekly, at("2026-07-06 09:00")).period == "2026-W27"


def test_week_across_the_year_boundary() -> None:
    # 2026-12-31 is a Thursday, so 2026 has an ISO week 53 (Dec 28 - Jan 3).
    due = due_period(rule(), at("2027-01-04 09:00"))
    assert due.period == "2026-W53" and due.subject_start == date(2026, 12, 28)
    # Friday 2027-01-01 is still in 2026-W53: the report then is about W52.
    assert due_period(rule(), at("2027-01-01 10:00")).period == "2026-W52"


def test_weekday_other_than_monday() -> None:
    friday = rule(schedule="fri 17:30")
    assert due_period(friday, at("2026-07-02 17:30")) is None  # Thursday
    due = due_period(friday, at("2026-07-03 17:30"))
    assert due.period == "2026-W26"  # the week before the one containing Friday Jul 3


def test_daily_list_rules_are_keyed_by_day() -> None:
    daily = rule("open_sla_breaches", "daily 08:30")
    assert due_period(daily, at("2026-06-30 08:29")) is None
    assert due_period(daily, at("2026-06-30 08:30")).period == "2026-06-30"
    assert due_period(daily, at("2026-07-01 00:00")) is None  # new day, not yet 08:30


def test_monthly_schedule_and_short_months() -> None:
    first = rule("overdue_vips", "1 09:00")
    assert due_period(first, at("2026-07-01 08:59")) is None
    assert due_period(first, at("2026-07-01 09:00")).period == "2026-07"
    assert due_period(first, at("2026-07-31 23:00")).period == "2026-07"
    last = rule("overdue_vips", "31 09:00")  # February has no 31st: its last day is used
    assert due_period(last, at("2026-02-27 12:00")) is None
    assert due_period(last, at("2026-02-28 09:00")).period == "2026-02"


def test_threshold_without_schedule_checks_each_complete_period() -> None:
    weekly = rule("threshold", None, "week")
    # Sunday 23:59 in W26: the last complete week is W25; from Monday 00:00 on it is W26.
    assert due_period(weekly, at("2026-06-28 23:59")).period == "2026-W25"
    assert due_period(weekly, at("2026-06-29 00:00")).period == "2026-W26"
    monthly = rule("threshold", None, "month")
    assert due_period(monthly, at("2026-06-30 23:59")).period == "2026-05"
    assert due_period(monthly, at("2026-07-01 00:00")).period == "2026-06"
    assert due_period(monthly, at("2027-01-01 00:00")).period == "2026-12"


def test_threshold_with_a_schedule_waits_for_its_time() -> None:
    monthly = rule("threshold", "2 10:00", "month")
    assert due_period(monthly, at("2026-07-02 09:59")) is None
    assert due_period(monthly, at("2026-07-02 10:00")).period == "2026-06"


def test_now_is_read_in_asia_shanghai() -> None:
    config = NotifyConfig(timezone="Asia/Shanghai")
    # Sunday 2026-06-28 16:30 UTC is Monday 2026-06-29 00:30 in Shanghai (UTC+8): a new week.
    moment = parse_moment(None, config, now=datetime(2026, 6, 28, 16, 30, tzinfo=UTC))
    assert moment == datetime(2026, 6, 29, 0, 30)
    assert due_period(rule("threshold", None), moment).period == "2026-W26"
    # 00:59 UTC on Jul 1 is 08:59 in Shanghai: a "1 09:00" rule is not due yet; 01:00 UTC is.
    first = rule("overdue_vips", "1 09:00")
    early = parse_moment(None, config, now=datetime(2026, 7, 1, 0, 59, tzinfo=UTC))
    assert due_period(first, early) is None
    on_time = parse_moment(None, config, now=datetime(2026, 7, 1, 1, 0, tzinfo=UTC))
    assert due_period(first, on_time).period == "2026-07"
    # The same instant is still June 30 in UTC: the zone decides the period, not the host.
    assert (
        parse_moment(
            None, NotifyConfig(timezone="UTC"), now=datetime(2026, 7, 1, 1, 0, tzinfo=UTC)
        ).day
        == 1
    )


def test_at_option_is_wall_clock_time_in_the_zone() -> None:
    config = NotifyConfig(timezone="Asia/Shanghai")
    assert parse_moment("2026-06-29 09:00", config) == datetime(2026, 6, 29, 9, 0)
    assert parse_moment("2026-06-29T09:00:30", config) == datetime(2026, 6, 29, 9, 0)
    assert parse_moment("2026-06-29", config) == datetime(2026, 6, 29, 0, 0)
    # With an offset: the same instant, in the zone (01:00 UTC = 09:00 in Shanghai).
    assert parse_moment("2026-06-29 01:00+00:00", config) == datetime(2026, 6, 29, 9, 0)
    with pytest.raises(ValueError, match="--at must look like"):
        parse_moment("29/06/2026", config)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("monday", "must be"),
        ("mon 25:00", "no such time"),
        ("mon 9", "must be"),
        ("32 09:00", "1-31"),
        ("someday 09:00", "not a weekday"),
        ("0 09:00", "1-31"),
    ],
)
def test_bad_schedules_are_refused(text: str, message: str) -> None:
    with pytest.raises(ScheduleError, match=message):
        parse_schedule(text)


def test_schedule_forms() -> None:
    assert parse_schedule("Mon 09:00").text == "mon 09:00"
    assert parse_schedule("daily 8:30").text == "daily 08:30"
    assert parse_schedule("1 09:00").text == "1 09:00"
    assert parse_schedule("friday 17:00").weekday == 4
