"""Events and holidays on the time charts (#12), read from the Vega-Lite specs: the layer is
there with the right rows and tooltip, clipped to the chart's dates, absent without events,
on every time chart and on none other."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from dashboard.events.holidays import HolidayBand, holiday_bands
from dashboard.settings import Settings, load_settings
from dashboard.sla_clock.config import CalendarSettings
from dashboard.ui import timeline
from dashboard.ui.charts import breakdowns, over_time

WEEKS = pd.date_range("2026-09-07", periods=8, freq="7D").date  # 2026-09-07 .. 2026-10-26
WEEKLY = pd.DataFrame({"period_start": WEEKS, "opened": [3, 4, 2, 5, 6, 1, 2, 3],
                       "backlog_end": [1, 2, 2, 3, 1, 0, 2, 1]})  # fmt: skip


def events(*rows: tuple) -> pd.DataFrame:
    """Rows as queries/events.sql returns them: starts_on, ends_on, title, title_zh, projects."""
    return pd.DataFrame(
        [
            {"event_id": i, "starts_on": s, "ends_on": e, "title": t, "title_zh": z,
             "projects": p, "regions": ""}
            for i, (s, e, t, z, p) in enumerate(rows, start=1)
        ]
    )  # fmt: skip


HOTLINE = (dt.date(2026, 9, 16), None, "New hotline opened", "新热线开通", "Alpha")
TYPHOON = (dt.date(2026, 10, 5), dt.date(2026, 10, 7), "Typhoon", None, "")
LONG_AGO = (dt.date(2025, 1, 6), None, "Before the chart", None, "")


def layer(spec: dict, name: str) -> dict | None:
    return next((lyr for lyr in spec.get("layer", []) if lyr.get("name") == name), None)


def rows(spec: dict, lyr: dict) -> list[dict]:
    return spec["datasets"][lyr["data"]["name"]]


def test_a_one_day_event_is_a_rule_with_its_tooltip():
    chart = over_time.trend(WEEKLY, ["opened"], "en")
    spec = timeline.annotate(chart, events(HOTLINE), [], "en").to_dict()
    rule = layer(spec, timeline.EVENT_LAYER)
    assert rule is not None and rule["mark"]["type"] == "rule"
    assert rule["encoding"]["x"]["field"] == "start"
    tooltip = rule["encoding"]["tooltip"]
    assert [t["title"] for t in tooltip] == ["Event", "Dates", "Applies to"]
    (row,) = rows(spec, rule)
    assert (row["event"], row["dates"], row["applies"]) == (
        "New hotline opened",
        "2026-09-16",
        "Alpha",
    )
    assert row["start"].startswith("2026-09-16")
    # the marker at the top carries the same tooltip
    marker = layer(spec, f"{timeline.EVENT_LAYER}_marker")
    assert marker["mark"]["shape"] == "triangle-down"
    # the chart's own axis title is kept
    assert "Period" in str(spec)


def test_a_range_is_a_band_and_chinese_reads_chinese():
    chart = over_time.trend(WEEKLY, ["opened"], "zh", mark="bar")
    spec = timeline.annotate(chart, events(HOTLINE, TYPHOON), [], "zh").to_dict()
    band = layer(spec, timeline.RANGE_LAYER)
    assert band["mark"]["type"] == "rect" and band["encoding"]["x2"]["field"] == "end"
    (row,) = rows(spec, band)
    assert row["event"] == "Typhoon"  # no Chinese title: the title in both languages
    assert row["dates"] == "2026-10-05 至 2026-10-07（3 天）"
    assert row["applies"] == "全部项目"
    assert row["end"].startswith("2026-10-08")  # to the end of the last day
    (day,) = rows(spec, layer(spec, timeline.EVENT_LAYER))
    assert day["event"] == "新热线开通"
    assert [t["title"] for t in band["encoding"]["tooltip"]] == ["事件", "日期", "适用范围"]
    # the band sits below the bars (pointing at a bar still reads the bar), the rule above
    names = [lyr.get("name") for lyr in spec["layer"]]
    assert names.index(timeline.RANGE_LAYER) == 0
    assert names[-2:] == [timeline.EVENT_LAYER, f"{timeline.EVENT_LAYER}_marker"]


def test_no_events_leaves_the_chart_as_it_was():
    chart = over_time.trend(WEEKLY, ["opened"], "en")
    assert timeline.annotate(chart, events(), [], "en") is chart
    assert timeline.annotate(chart, None, [], "en") is chart
    # an event outside the chart's dates would stretch its axis: left out
    assert timeline.annotate(chart, events(LONG_AGO), [], "en") is chart


def test_a_range_reaching_past_the_chart_is_clipped():
    chart = over_time.trend(WEEKLY, ["opened"], "en")  # last period 2026-10-26
    late = (dt.date(2026, 10, 20), dt.date(2026, 12, 31), "Renovation", None, "")
    spec = timeline.annotate(chart, events(late), [], "en").to_dict()
    (row,) = rows(spec, layer(spec, timeline.RANGE_LAYER))
    # clipped to the last point's week: 2026-10-26 + 6 days
    assert row["start"].startswith("2026-10-20") and row["end"].startswith("2026-11-01")
    assert row["dates"] == "2026-10-20 to 2026-12-31 (73 days)"  # 12 + 30 + 31 days


def test_an_event_late_in_the_last_week_of_a_line_chart_is_shown():
    chart = over_time.trend(WEEKLY, ["opened"], "en")  # last point: the week of 2026-10-26
    thursday = (dt.date(2026, 10, 29), None, "Thursday", None, "")
    after = (dt.date(2026, 11, 2), None, "Next week", None, "")
    spec = timeline.annotate(chart, events(thursday, after), [], "en").to_dict()
    assert [r["event"] for r in rows(spec, layer(spec, timeline.EVENT_LAYER))] == ["Thursday"]


def test_holidays_are_grey_bands_named_in_the_tooltip():
    configured = load_settings()  # the project's kpi.toml: [calendar] holidays = "CN"
    bands = holiday_bands(configured, dt.date(2026, 9, 7), dt.date(2026, 11, 1), "zh")
    # 2026: 中秋节 Fri 25 September (with the weekend), 国庆节 1-7 October
    assert [(b.first_day, b.last_day, b.name) for b in bands] == [
        (dt.date(2026, 9, 25), dt.date(2026, 9, 27), "中秋节"),
        (dt.date(2026, 10, 1), dt.date(2026, 10, 7), "国庆节"),
    ]
    spec = timeline.annotate(over_time.trend(WEEKLY, ["opened"], "zh"), None, bands, "zh").to_dict()
    grey = layer(spec, timeline.HOLIDAY_LAYER)
    assert grey["mark"]["color"] == timeline.HOLIDAY_COLOUR
    assert [r["holiday"] for r in rows(spec, grey)] == ["中秋节", "国庆节"]
    assert rows(spec, grey)[1]["dates"] == "2026-10-01 至 2026-10-07（7 天）"
    assert [t["title"] for t in grey["encoding"]["tooltip"]] == ["法定节假日", "日期"]


def test_no_holidays_with_holidays_none_and_extra_days_alone_otherwise():
    plain = Settings(calendar=CalendarSettings(holidays="none"))
    assert holiday_bands(plain, dt.date(2026, 9, 1), dt.date(2026, 10, 31), "zh") == []
    # a company day off listed in extra_holidays (Friday 2026-03-06) is a band of its own,
    # with the weekend after it; it has no name
    extra = Settings(calendar=CalendarSettings(holidays="none",
                                               extra_holidays=(dt.date(2026, 3, 6),)))  # fmt: skip
    (band,) = holiday_bands(extra, dt.date(2026, 3, 1), dt.date(2026, 3, 31), "en")
    assert (band.first_day, band.last_day, band.name) == (
        dt.date(2026, 3, 6),
        dt.date(2026, 3, 8),
        "Holiday",
    )


CATEGORY = pd.DataFrame({"period_start": list(WEEKS[:3]) * 2, "category": ["a"] * 3 + ["b"] * 3,
                         "channel": ["x"] * 6, "opened": [1, 2, 3, 4, 5, 6]})  # fmt: skip
CSAT = pd.DataFrame({"period_start": list(WEEKS[:2]) * 5,
                     "csat": [1, 1, 2, 2, 3, 3, 4, 4, 5, 5], "responses": [1] * 10})  # fmt: skip
BUCKET = pd.DataFrame({"period_start": list(WEEKS[:2]) * 4,
                       "flow": ["retained"] * 2 + ["returning"] * 2 + ["new"] * 2 + ["lost"] * 2,
                       "customers": [5, 6, 1, 1, 2, 2, -3, -1]})  # fmt: skip
BY_PROJECT = pd.DataFrame({"period_start": list(WEEKS[:2]) * 2, "project": ["Alpha"] * 2 + ["Beta"] * 2,
                           "retention_rate": [0.5, 0.6, 0.4, 0.3]})  # fmt: skip

TIME_CHARTS = {
    "trend": lambda: over_time.trend(WEEKLY, ["opened", "backlog_end"], "en"),
    "by_project_trend": lambda: over_time.by_project_trend(BY_PROJECT, "retention_rate", "en", ["Alpha", "Beta"]),
    "leaky_bucket": lambda: over_time.leaky_bucket(BUCKET, "en"),
    "category_trend": lambda: over_time.category_trend(CATEGORY, "en"),
    "csat_distribution": lambda: over_time.csat_distribution(CSAT, "en"),
}  # fmt: skip


@pytest.mark.parametrize("name", TIME_CHARTS)
def test_every_time_chart_gets_the_layer(name):
    chart = TIME_CHARTS[name]()
    inside = (dt.date(2026, 9, 9), None, "Inside", None, "")
    spec = timeline.annotate(chart, events(inside), [], "en").to_dict()
    (row,) = rows(spec, layer(spec, timeline.EVENT_LAYER))
    assert row["event"] == "Inside"
    assert "config" in spec  # still styled (fonts): the layer went in below the config


def test_charts_without_a_time_axis_are_not_annotated():
    ranked = pd.DataFrame({"project": ["Alpha", "Beta"], "sla_met_rate": [0.9, 0.8]})
    chart = breakdowns.ranking(ranked, "sla_met_rate", "en", ["Alpha", "Beta"])
    assert timeline.time_extent(chart) is None
    assert timeline.annotate(chart, events(HOTLINE), [HolidayBand(dt.date(2026, 10, 1),
                             dt.date(2026, 10, 7), "x")], "en") is chart  # fmt: skip
    cohorts = pd.DataFrame({"cohort_month": [dt.date(2026, 9, 1)], "months_since_first": [0],
                            "cohort_size": [3], "active_customers": [3], "retention_rate": [1.0]})  # fmt: skip
    heat = breakdowns.cohort_heatmap(cohorts, "en")
    assert timeline.annotate(heat, events(HOTLINE), [], "en") is heat
