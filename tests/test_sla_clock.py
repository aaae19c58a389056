"""The SLA clock (#17): business hours on a Chinese working calendar, hand-computed.

Work hours in these tests are the spec's example unless a test says otherwise:
09:00-12:00 and 13:30-18:00 = 3 + 4.5 = 7.5 working hours a working day.

Spring Festival 2026 (State Council notice, as the holidays package lists it): days off
Sun 02-15 .. Mon 02-23; Sat 02-14 and Sat 02-28 are make-up working days (调休).
"""

from __future__ import annotations

import datetime as dt
import math

import pytest

from dashboard.cli import main
from dashboard.kpis import compute
from dashboard.settings import Settings, SettingsError, SlaRule, load_settings, parse_settings
from dashboard.sla_clock.calendar import (
    EXTRA_HOLIDAY,
    EXTRA_WORKDAY,
    MAKE_UP_DAY,
    PUBLIC_HOLIDAY,
    WorkingCalendar,
)
from dashboard.sla_clock.config import CalendarSettings, WorkSpan

D = dt.date
BUSINESS = Settings(sla_clock="business")
HOUR = 3600


def add(con, complaint_id, opened, resolved=None, category=None, severity=None, project="A"):
    con.execute(
        "insert into complaints (complaint_id, project, region, category, severity, opened_at,"
        " resolved_at) values (?, ?, 'R', ?, ?, ?, ?)",
        [complaint_id, project, category, severity, opened, resolved],
    )


def sla_rows(con, settings, **kwargs):
    frame = compute(con, "int_complaints_sla", settings=settings, **kwargs)
    return {r.complaint_id: r for r in frame.sort_values("complaint_id").itertuples(index=False)}


def business_hours(con, settings=BUSINESS, **kwargs):
    return {k: r.business_hours for k, r in sla_rows(con, settings, **kwargs).items()}


# --- hand-computed intervals -------------------------------------------------------------


def test_spring_festival_2026(con):
    # Fri 02-13 17:00 -> Mon 02-23 10:00: Friday 17:00-18:00 = 1 h; Sat 02-14 is a make-up
    # working day = 7.5 h; Sun 02-15 .. Mon 02-23 are off (02-23 moved from 02-28) -> 8.5 h.
    add(con, "sf", "2026-02-13 17:00", "2026-02-23 10:00")
    (row,) = sla_rows(con, BUSINESS).values()
    assert row.business_hours == pytest.approx(8.5)
    assert row.calendar_hours == pytest.approx(233.0)  # 10 days - 7 h
    assert (row.sla_clock, row.clock_hours, row.is_sla_met) == ("business", 8.5, True)  # <= 24


def test_lunch_break_and_hours_outside_work(con):
    add(con, "lunch", "2026-03-02 11:00", "2026-03-02 14:00")  # 11-12 = 1 h, 13:30-14 = 0.5 h
    add(con, "in_lunch", "2026-03-04 12:15", "2026-03-04 13:15")  # inside the break: 0
    add(con, "night", "2026-03-03 19:00", "2026-03-04 08:00")  # after hours to before: 0
    add(con, "weekend", "2026-03-07 08:00", "2026-03-08 20:00")  # Sat-Sun: 0
    add(con, "to_midnight", "2026-03-05 17:30", "2026-03-06 00:00")  # 17:30-18:00 = 0.5 h
    assert business_hours(con) == {
        "in_lunch": 0.0,
        "lunch": 1.5,
        "night": 0.0,
        "to_midnight": 0.5,
        "weekend": 0.0,
    }


def test_an_override_day_each_way(con):
    # Fri 03-06 declared a holiday and Sat 03-07 a working day (the spec's example)
    settings = Settings(
        sla_clock="business",
        calendar=CalendarSettings(extra_holidays=(D(2026, 3, 6),), extra_workdays=(D(2026, 3, 7),)),
    )
    add(con, "fri", "2026-03-06 09:00", "2026-03-06 18:00")  # 7.5 h, now 0
    add(con, "sat", "2026-03-07 09:00", "2026-03-07 18:00")  # 0 h, now 7.5
    # Thu 17:00 -> Mon 10:00: Thu 1 + Fri 0 + Sat 7.5 + Sun 0 + Mon 1 = 9.5
    add(con, "span", "2026-03-05 17:00", "2026-03-09 10:00")
    assert business_hours(con, settings) == {"fri": 0.0, "sat": 7.5, "span": 9.5}
    # without the overrides: Thu 1 + Fri 7.5 + Mon 1 = 9.5 for the span, 7.5 / 0 the days
    assert business_hours(con) == {"fri": 7.5, "sat": 0.0, "span": 9.5}


def test_an_override_beats_the_country_calendar(con):
    # extra_workdays wins over a public holiday, extra_holidays over a make-up day
    settings = Settings(
        sla_clock="business",
        calendar=CalendarSettings(
            extra_workdays=(D(2026, 2, 17),), extra_holidays=(D(2026, 2, 14),)
        ),
    )
    add(con, "festival", "2026-02-17 00:00", "2026-02-18 00:00")  # 7.5 h (was 0)
    add(con, "makeup", "2026-02-14 00:00", "2026-02-15 00:00")  # 0 h (was 7.5)
    assert business_hours(con, settings) == {"festival": 7.5, "makeup": 0.0}
    assert business_hours(con) == {"festival": 0.0, "makeup": 7.5}


def test_a_six_day_week(con):
    settings = Settings(
        sla_clock="business",
        calendar=CalendarSettings(
            workdays=(1, 2, 3, 4, 5, 6), work_hours=(WorkSpan(8 * HOUR, 17 * HOUR),)
        ),
    )
    # Fri 03-06 16:00 -> Mon 03-09 09:00 on 08:00-17:00: Fri 1 + Sat 9 + Sun 0 + Mon 1 = 11
    add(con, "x", "2026-03-06 16:00", "2026-03-09 09:00")
    assert business_hours(con, settings) == {"x": 11.0}
    # the default five-day week on 09:00-12:00/13:30-18:00: Fri 16:00-18:00 = 2 h, the
    # weekend 0, Mon up to 09:00 = 0 -> 2 h
    assert business_hours(con) == {"x": 2.0}


def test_holidays_none_uses_the_weekdays_alone(con):
    settings = Settings(sla_clock="business", calendar=CalendarSettings(holidays="none"))
    # Spring Festival is an ordinary week then: Fri 17-18 = 1, Sat/Sun 0,
    # Mon 02-16 .. Fri 02-20 = 5 x 7.5 = 37.5, Sat/Sun 0, Mon 02-23 09-10 = 1 -> 39.5
    add(con, "sf", "2026-02-13 17:00", "2026-02-23 10:00")
    assert business_hours(con, settings) == {"sf": 39.5}


def test_a_rule_with_its_own_clock_beside_a_calendar_default(con):
    settings = Settings(
        sla_default_hours=24,
        sla_rules=(SlaRule(hours=9, category="收费", clock="business"),),
    )
    # 收费, Fri 03-06 17:00 -> Mon 03-09 14:00: business 1 + 3 + 0.5 = 4.5 <= 9 -> met
    # (calendar 69 h would be late)
    add(con, "fee_met", "2026-03-06 17:00", "2026-03-09 14:00", category="收费")
    # 收费, Mon 03-09 09:00 -> Tue 03-10 11:00: business 7.5 + 2 = 9.5 > 9 -> late
    add(con, "fee_late", "2026-03-09 09:00", "2026-03-10 11:00", category="收费")
    # other, Fri 03-06 17:00 -> Sat 03-07 10:00: calendar 17 h <= 24 -> met
    add(con, "other", "2026-03-06 17:00", "2026-03-07 10:00", category="维修")
    rows = sla_rows(con, settings)
    assert {
        k: (r.sla_clock, r.sla_hours, r.clock_hours, r.is_sla_met) for k, r in rows.items()
    } == {
        "fee_late": ("business", 9.0, 9.5, False),
        "fee_met": ("business", 9.0, 4.5, True),
        "other": ("calendar", 24.0, 17.0, True),
    }
    # a calendar-clock complaint has no business hours; the business ones have both
    assert math.isnan(rows["other"].business_hours)
    assert rows["fee_met"].calendar_hours == 69.0
    # the KPI: 3 opened in week 03-02 (fee_met, other) and 03-09 (fee_late)
    frame = compute(con, "complaints", settings=settings)
    assert frame["sla_met"].tolist() == [2, 0]
    # all on the business clock by default: 'other' is 1 h business -> met too
    everything = Settings(sla_clock="business", sla_rules=(SlaRule(hours=9, category="收费"),))
    assert compute(con, "complaints", settings=everything)["sla_met"].tolist() == [2, 0]
    # and all on the calendar: 69 h and 26 h late, 17 h met
    assert compute(con, "complaints", settings=Settings())["sla_met"].tolist() == [1, 0]


def test_the_clock_changes_breakdown_and_open_past_sla(con):
    # open since Fri 03-06 17:00; the as-of day is Mon 03-09 (cut 03-10 00:00):
    # calendar 79 h; business Fri 1 + Mon 7.5 = 8.5 h
    add(con, "open", "2026-03-06 17:00", category="收费")
    rules = (SlaRule(hours=8, category="收费", clock="business"),)
    late = compute(
        con, "open_complaints_past_sla", as_of=D(2026, 3, 9), settings=Settings(sla_rules=rules)
    )
    assert late[["complaint_id", "hours_open", "sla_hours", "sla_clock"]].values.tolist() == [
        ["open", 79.0, 8.0, "business"]
    ]
    assert late["business_hours_open"].tolist() == [8.5]
    # with 9 business hours it is not late yet (8.5 <= 9), though 79 calendar hours are
    relaxed = Settings(sla_rules=(SlaRule(hours=9, category="收费", clock="business"),))
    assert compute(con, "open_complaints_past_sla", as_of=D(2026, 3, 9), settings=relaxed).empty
    # the breakdown counts met complaints by the same clock: resolve it at Mon 03-09 09:30 ->
    # business 1 + 0.5 = 1.5 h <= 8 -> met, though 64.5 calendar hours
    con.execute("update complaints set resolved_at = '2026-03-09 09:30'")
    frame = compute(con, "complaint_breakdown", settings=Settings(sla_rules=rules))
    assert frame[["category", "opened", "resolved", "sla_met"]].values.tolist() == [
        ["收费", 1, 1, 1]
    ]


def test_as_of_reads_the_business_clock_at_the_end_of_that_day(con):
    # resolved Tue 02-24 10:00, after the as-of day Fri 02-13: as of 02-13 it is open, and
    # has been open 17:00-18:00 = 1 business hour by the cut (02-14 00:00)
    add(con, "x", "2026-02-13 17:00", "2026-02-24 10:00")
    (row,) = sla_rows(con, BUSINESS, as_of=D(2026, 2, 13)).values()
    assert (row.is_resolved, row.business_hours, row.calendar_hours, row.is_sla_met) == (
        False,
        1.0,
        7.0,
        False,
    )


# --- a year the calendar does not cover -------------------------------------------------


def test_a_year_the_calendar_does_not_know_is_an_error_naming_year_and_keys(con):
    add(con, "y2027", "2027-02-08 10:00", "2027-02-09 10:00")
    with pytest.raises(RuntimeError) as caught:
        compute(con, "complaints", settings=BUSINESS)
    message = str(caught.value)
    assert "2027" in message and "extra_holidays" in message and "extra_workdays" in message
    # the calendar clock needs no calendar: no error, and no business hours to show
    assert compute(con, "complaints", settings=Settings())["opened"].tolist() == [1]
    assert math.isnan(sla_rows(con, Settings())["y2027"].business_hours)
    # listing any day of 2027 in the overrides covers it: Mon 10:00 -> Tue 10:00 = 7.5 h
    # (2027-02-08/09 are ordinary days once the weekdays rule); the holiday listed is not
    # between them
    covered = Settings(
        sla_clock="business", calendar=CalendarSettings(extra_holidays=(D(2027, 2, 11),))
    )
    assert business_hours(con, covered) == {"y2027": 7.5}
    # holidays = "none": every year is the weekdays alone
    weekdays = Settings(sla_clock="business", calendar=CalendarSettings(holidays="none"))
    assert business_hours(con, weekdays) == {"y2027": 7.5}


def test_an_interval_ending_at_new_year_midnight_does_not_touch_the_new_year(con):
    # Thu 2026-12-31 17:00 -> Fri 2027-01-01 00:00: 1 h, read on 2026 only
    add(con, "eve", "2026-12-31 17:00", "2027-01-01 00:00")
    assert business_hours(con) == {"eve": 1.0}


def test_an_open_interval_across_an_unknown_year_is_an_error(con):
    # 2026-12-30 open, as of 2027-01-04: the clock would run over 2027
    add(con, "open", "2026-12-30 10:00")
    with pytest.raises(RuntimeError, match="does not cover 2027"):
        compute(con, "complaints", settings=BUSINESS, as_of=D(2027, 1, 4))


def test_kpi_show_reports_the_uncovered_year_without_a_traceback(tmp_path, capsys):
    from dashboard import pipeline

    path = tmp_path / "kpi.duckdb"
    with pipeline.publishing_writer(path) as w:
        add(w, "y2027", "2027-02-08 10:00", "2027-02-09 10:00")
    settings = tmp_path / "kpi.toml"
    settings.write_text('[sla]\nclock = "business"\n', encoding="utf-8")
    code = main(["show", "complaints", "--db", str(path), "--settings", str(settings)])
    err = capsys.readouterr().err
    assert code == 1
    assert "does not cover 2027" in err and "extra_holidays" in err
    assert "Traceback" not in err


# --- settings -----------------------------------------------------------------------------


def test_calendar_settings_are_parsed(tmp_path):
    path = tmp_path / "kpi.toml"
    path.write_text(
        """
[sla]
default_hours = 24
clock = "business"
[[sla.rules]]
category = "收费"
hours = 9
clock = "calendar"
[calendar]
work_hours = ["13:30-18:00", "09:00-12:00"]
workdays = ["mon", "tue", "wed", "thu", "fri", "sat"]
holidays = "CN"
extra_holidays = [2026-03-06]
extra_workdays = ["2026-03-07"]
""",
        encoding="utf-8",
    )
    settings = load_settings(path)
    assert settings.sla_clock == "business"
    assert settings.sla_rules == (SlaRule(9.0, category="收费", clock="calendar"),)
    assert settings.calendar == CalendarSettings(
        work_hours=(WorkSpan(9 * HOUR, 12 * HOUR), WorkSpan(13 * HOUR + 1800, 18 * HOUR)),
        workdays=(1, 2, 3, 4, 5, 6),
        holidays="CN",
        extra_holidays=(D(2026, 3, 6),),
        extra_workdays=(D(2026, 3, 7),),
    )
    assert settings.sql_params()["sla_rules"][0]["clock"] == "calendar"
    assert settings.sql_params()["sla_clock"] == "business"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[sla]\nclock = "work"', "'sla.clock' must be one of calendar, business"),
        ('[[sla.rules]]\nseverity = "high"\nhours = 4\nclock = 1', "'sla.rules[0].clock' must"),
        ('[calendar]\nwork_hours = ["9-12"]', "'calendar.work_hours' entries must look like"),
        ('[calendar]\nwork_hours = ["12:00-09:00"]', "'calendar.work_hours' '12:00-09:00' ends"),
        ('[calendar]\nwork_hours = ["09:00-12:00", "11:00-13:00"]', "overlap"),
        ("[calendar]\nwork_hours = []", "'calendar.work_hours' must be a non-empty list"),
        ('[calendar]\nworkdays = ["mon", "funday"]', "'calendar.workdays' entries must be one"),
        ('[calendar]\nholidays = "US"', "'calendar.holidays' must be \"CN\""),
        ('[calendar]\nextra_holidays = ["2026-02-30"]', "'calendar.extra_holidays' entries"),
        ('[calendar]\nextra_workdays = "2026-03-07"', "'calendar.extra_workdays' must be a list"),
        ('[calendar]\nlunch = "12:00"', "'calendar.lunch' is not a known setting"),
    ],
)
def test_bad_calendar_settings_name_the_key(text, message):
    import tomllib

    with pytest.raises(SettingsError, match=None) as caught:
        parse_settings(tomllib.loads(text))
    assert message in str(caught.value)


# --- the calendar itself (what `kpi calendar` prints) ------------------------------------


def test_working_day_precedence_and_sources():
    calendar = WorkingCalendar(
        CalendarSettings(extra_holidays=(D(2026, 2, 14),), extra_workdays=(D(2026, 2, 17),))
    )
    makeup = WorkingCalendar(CalendarSettings()).status(D(2026, 2, 28))
    assert (makeup.working, makeup.kind) == (True, MAKE_UP_DAY)
    assert makeup.source.startswith("holidays 0.109")
    festival = WorkingCalendar(CalendarSettings()).status(D(2026, 2, 17))
    assert (festival.working, festival.kind) == (False, PUBLIC_HOLIDAY)
    assert "Spring Festival" in festival.name
    assert calendar.status(D(2026, 2, 14)).kind == EXTRA_HOLIDAY  # beats the make-up day
    assert calendar.status(D(2026, 2, 17)).kind == EXTRA_WORKDAY  # beats the holiday
    year = calendar.year(2026)
    assert len(year) == 365
    assert calendar.covers(2026) and not calendar.covers(2027)


# --- kpi calendar -------------------------------------------------------------------------


def test_kpi_calendar_prints_holidays_and_make_up_days_with_their_source(tmp_path, capsys):
    settings = tmp_path / "kpi.toml"
    settings.write_text('[calendar]\nextra_workdays = ["2026-03-07"]\n', encoding="utf-8")
    assert main(["calendar", "--year", "2026", "--settings", str(settings)]) == 0
    out = capsys.readouterr().out
    lines = {line.split()[0]: line for line in out.splitlines() if line[:4] == "2026"}
    assert "make-up working day" in lines["2026-02-14"] and "holidays 0.109" in lines["2026-02-14"]
    assert "public holiday" in lines["2026-02-17"] and "春节" in lines["2026-02-17"]
    assert "extra workday" in lines["2026-03-07"] and "[calendar] extra_workdays" in out
    # 261 weekdays in 2026 (52 weeks and a Thursday) - 19 weekday days off + 6 make-up
    # days = 248, and the override Saturday 03-07 -> 249
    assert "249 working days, 116 days off" in out
    assert main(["calendar", "--year", "2026", "--format", "csv", "--settings", str(settings)]) == 0
    rows = capsys.readouterr().out.splitlines()
    assert rows[0] == "date,weekday,working,kind,name,source"
    assert len(rows) == 366 and sum(",yes," in r for r in rows) == 249


def test_kpi_calendar_for_a_year_the_package_does_not_know(capsys):
    assert main(["calendar", "--year", "2027"]) == 2
    err = capsys.readouterr().err
    assert "2027" in err and "extra_holidays" in err and "extra_workdays" in err


# --- stored results (dashboard/kpi_cache.py) follow the clock and the calendar -----------


def test_a_stored_complaints_copy_is_bypassed_when_clock_or_calendar_change(tmp_path, monkeypatch):
    from dashboard import db, pipeline

    toml = tmp_path / "kpi.toml"
    toml.write_text('[sla]\nclock = "business"\n', encoding="utf-8")
    monkeypatch.setenv("KPI_SETTINGS", str(toml))
    path = tmp_path / "kpi.duckdb"
    with pipeline.publishing_writer(path) as w:  # the import stores complaints with these settings
        # Fri 03-06 17:00 -> Mon 03-09 10:00: 65 calendar hours, 1 + 1 = 2 business hours
        add(w, "x", "2026-03-06 17:00", "2026-03-09 10:00")
    with pipeline.publishing_writer(path) as w:  # behind the query's back: the copy now says 99
        w.execute("update kpi_cache.complaints set sla_met = 99")
    business = load_settings(toml)
    with db.connect_readonly(path) as con:
        assert compute(con, "complaints", settings=business)["sla_met"].tolist() == [99]
        # another clock: live, 65 h > 24 h -> 0
        assert compute(con, "complaints", settings=Settings())["sla_met"].tolist() == [0]
        # the same clock on another calendar: live, Friday off -> Mon 1 h -> met = 1
        other = Settings(
            sla_clock="business", calendar=CalendarSettings(extra_holidays=(D(2026, 3, 6),))
        )
        assert compute(con, "complaints", settings=other)["sla_met"].tolist() == [1]
        six_days = Settings(
            sla_clock="business", calendar=CalendarSettings(workdays=(1, 2, 3, 4, 5, 6))
        )
        assert compute(con, "complaints", settings=six_days)["sla_met"].tolist() == [1]


# --- where users see it -------------------------------------------------------------------


def test_the_complaints_page_note_says_which_clock_each_rule_uses():
    from dashboard.present.sla_note import clock_note

    settings = Settings(sla_rules=(SlaRule(9, category="收费", clock="business"),))
    en = clock_note(settings, "en")
    assert "default 24 h, calendar hours" in en
    assert "category 收费: 9 h, business hours (09:00-12:00, 13:30-18:00 on working days)" in en
    assert "make-up working days" in en and "kpi calendar" in en
    zh = clock_note(settings, "zh")
    assert "类别 收费：9 小时，工作小时" in zh and "调休" in zh
    # calendar clocks only: no working-day sentence
    assert "Working days" not in clock_note(Settings(), "en")


def test_the_complaints_page_shows_the_clock_note(tmp_path, monkeypatch):
    from pathlib import Path

    from streamlit.testing.v1 import AppTest
    from tests_ui_support import build_tiny_db

    toml = tmp_path / "kpi.toml"
    toml.write_text(
        'language = "en"\n[[sla.rules]]\ncategory = "收费"\nhours = 9\nclock = "business"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("KPI_SETTINGS", str(toml))
    monkeypatch.setenv("KPI_DB", str(build_tiny_db(tmp_path / "tiny.duckdb")))
    app = Path(__file__).resolve().parent.parent / "app.py"
    at = AppTest.from_file(str(app), default_timeout=90)
    at.query_params["lang"] = "en"
    at.run()
    at.switch_page("dashboard/ui/pages/complaints.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    captions = " ".join(c.value for c in at.caption)
    assert "category 收费: 9 h, business hours" in captions


def test_kpi_show_complaints_with_a_settings_file_and_as_of(tmp_path, capsys):
    from dashboard import pipeline

    path = tmp_path / "kpi.duckdb"
    with pipeline.publishing_writer(path) as w:
        # Fri 03-06 16:00 -> Mon 03-09 09:00; Sat 03-07 09:00 -> Sat 17:00; Tue 03-10 08:00,
        # resolved Thu 03-12 (after the as-of day Wed 03-11)
        add(w, "a", "2026-03-06 16:00", "2026-03-09 09:00")
        add(w, "b", "2026-03-07 09:00", "2026-03-07 17:00")
        add(w, "c", "2026-03-10 08:00", "2026-03-12 08:00")
    toml = tmp_path / "six-day.toml"
    toml.write_text(
        '[sla]\ndefault_hours = 8\nclock = "business"\n'
        '[calendar]\nwork_hours = ["08:00-17:00"]\n'
        'workdays = ["mon", "tue", "wed", "thu", "fri", "sat"]\n'
        'extra_holidays = ["2026-03-07"]\n',
        encoding="utf-8",
    )
    args = ["show", "complaints", "--db", str(path), "--settings", str(toml), "--format", "csv"]
    assert main([*args, "--as-of", "2026-03-11"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split(",")[:7] == [
        "period_start", "opened", "resolved", "median_resolution_hours",
        "p90_resolution_hours", "sla_met", "sla_met_rate",
    ]  # fmt: skip
    # week 03-02: a: Fri 16-17 = 1 h + Sat 03-07 off (override) + Sun off + Mon 08-09 = 1 h
    # -> 2 <= 8, met; b: on the day off, 0 business hours -> met: 2 of 2. Calendar hours
    # a 65, b 8: median (8 + 65) / 2 = 36.5, p90 8 + 0.9 * 57 = 59.3.
    # week 03-09 as of 03-11: c open (resolved 03-12) -> 1 opened, 0 resolved, 0 met
    assert [line.split(",")[:7] for line in lines[1:]] == [
        ["2026-03-02", "2", "2", "36.5", "59.3", "2", "1.0"],
        ["2026-03-09", "1", "0", "", "", "0", "0.0"],
    ]
    # without --as-of c is resolved: Tue 08:00 -> Thu 08:00 = 9 + 9 = 18 business h > 8
    assert main(args) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[2].split(",")[:7] == ["2026-03-09", "1", "1", "48.0", "48.0", "0", "0.0"]
