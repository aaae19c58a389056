"""Pure UI logic: query parameters <-> filter state, tiles, ranking, translations."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest

from dashboard.present import i18n
from dashboard.present.formats import change_text
from dashboard.present.headlines import BY_KEY
from dashboard.present.periods import IsoWeek
from dashboard.settings import Target
from dashboard.ui.filters import (
    FilterState,
    clamp_range,
    from_query,
    narrow_projects,
    prune_choices,
    to_query,
)
from dashboard.ui.ranking import default_period, is_complete, period_last_day, rank_projects
from dashboard.ui.tiles import biggest_movers, build_tile, build_tiles

DIMS = [("East", "Alpha"), ("East", "Beta"), ("华南", "深圳湾")]


# --- filters ------------------------------------------------------------------------------


def test_query_round_trip_keeps_every_filter_including_chinese_names():
    state = FilterState(
        lang="en",
        grain="month",
        date_from=date(2026, 9, 1),
        date_to=date(2026, 10, 31),
        regions=("华南",),
        projects=("深圳湾", "Alpha"),
    )
    query = to_query(state, default_lang="zh")
    assert query == {
        "lang": ["en"],
        "grain": ["month"],
        "from": ["2026-09-01"],
        "to": ["2026-10-31"],
        "region": ["华南"],
        "project": ["深圳湾", "Alpha"],
    }
    assert from_query(query, default_lang="zh") == state


def test_defaults_are_left_out_of_the_url():
    assert to_query(FilterState(lang="zh"), default_lang="zh") == {}
    assert to_query(FilterState(lang="en"), default_lang="en") == {}


def test_bad_query_values_fall_back_to_defaults():
    state = from_query(
        {
            "grain": ["year"],
            "from": ["yesterday"],
            "lang": ["fr"],
            "region": ["", " East ", "East"],
        },
        default_lang="en",
    )
    assert state == FilterState(lang="en", grain="week", regions=("East",))


def test_swapped_dates_are_put_in_order():
    state = from_query({"from": ["2026-10-31"], "to": ["2026-09-01"]})
    assert (state.date_from, state.date_to) == (date(2026, 9, 1), date(2026, 10, 31))


def test_projects_are_narrowed_by_regions():
    assert narrow_projects(DIMS, []) == ["Alpha", "Beta", "深圳湾"]
    assert narrow_projects(DIMS, ["华南"]) == ["深圳湾"]
    state = prune_choices(
        FilterState(regions=("华南", "Nowhere"), projects=("Alpha", "深圳湾")), DIMS
    )
    assert state.regions == ("华南",) and state.projects == ("深圳湾",)


def test_range_ends_at_the_data_span_mean_no_limit():
    span = (date(2026, 10, 5), date(2026, 11, 11))
    full = clamp_range(FilterState(date_from=date(2026, 10, 5), date_to=date(2026, 11, 11)), span)
    assert (full.date_from, full.date_to) == (None, None)
    inner = clamp_range(FilterState(date_from=date(2026, 10, 12), date_to=date(2026, 11, 1)), span)
    assert (inner.date_from, inner.date_to) == (date(2026, 10, 12), date(2026, 11, 1))
    assert clamp_range(inner, None).date_from is None


# --- tiles --------------------------------------------------------------------------------

W4, W5 = date(2026, 10, 26), date(2026, 11, 2)
TARGETS = {
    "retention_rate": Target(0.8, "higher"),
    "median_resolution_hours": Target(24.0, "lower"),
    "coverage_rate": Target(1.0, "higher"),
}


def retention_weeks() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "period_start": [W4, W5],
            "active_customers": pd.array([4, 3], dtype="Int64"),
            "previous_active": pd.array([3, 4], dtype="Int64"),
            "retained_customers": pd.array([2, 2], dtype="Int64"),
            "new_customers": pd.array([1, 1], dtype="Int64"),
            "retention_rate": [2 / 3, 0.5],
            "churn_rate": [1 / 3, 0.5],
        }
    )


def test_rate_tile_shows_change_in_percentage_points_and_status():
    tile = build_tile(
        BY_KEY["retention_rate"], retention_weeks(), W5, W4, TARGETS, "en", min_cases=4
    )
    assert tile.value_text == "50.0%"
    assert (tile.n, tile.n_text, tile.too_few) == (4, "n = 4", False)  # 4 previously active
    # 0.5 - 2/3 = -0.1667 -> -16.7 percentage points (not -25 % relative)
    assert tile.delta_text == "-16.7 pp"
    assert tile.delta_color == "normal"
    # 0.5 misses 0.8 by 30 points > 2-point tolerance -> red
    assert tile.status == "red"
    assert "80.0%" in tile.target_text and "off track" in tile.target_text
    assert tile.spark == pytest.approx([2 / 3, 0.5])


def test_a_rate_on_too_few_cases_gets_no_verdict():
    # W5's retention rests on 4 previously active customers, under the default minimum of 5
    tile = build_tile(BY_KEY["retention_rate"], retention_weeks(), W5, W4, TARGETS, "zh")
    assert tile.too_few and tile.n == 4 and tile.n_text == "样本 4"
    assert tile.status is None  # not red, although 50 % misses 80 %
    assert tile.delta_color == "off"
    assert tile.status_text == "样本过少（不足 5）"
    assert tile.value_text == "50.0%"  # the number stays readable
    # counts have no sample size
    assert (
        build_tile(BY_KEY["active_customers"], retention_weeks(), W5, W4, TARGETS, "en").n is None
    )


def customer_flow_weeks() -> pd.DataFrame:
    # customer_flow's columns for the weeks of retention_weeks(): lost = previous - retained
    # (W4: 3 - 2 = 1, W5: 4 - 2 = 2), counted by the SQL
    return (
        retention_weeks()
        .drop(columns=["retention_rate", "churn_rate"])
        .assign(
            returning_customers=pd.array([1, 0], dtype="Int64"),
            lost_customers=pd.array([1, 2], dtype="Int64"),
        )
    )


def test_lost_customers_tile_reads_customer_flow_lower_is_better():
    assert BY_KEY["lost_customers"].kpi == "customer_flow"
    tile = build_tile(BY_KEY["lost_customers"], customer_flow_weeks(), W5, W4, TARGETS, "zh")
    # W5: 2 lost; W4: 1 lost -> +1, and more lost is bad
    assert tile.value == 2 and tile.delta == 1
    assert tile.delta_text == "+1"
    assert tile.delta_color == "inverse"
    assert tile.label == "流失客户数"
    assert tile.target_text == "未设定目标"


def test_hours_tile_is_inverse_and_complaints_opened_is_neutral():
    frame = pd.DataFrame(
        {"period_start": [W4, W5], "opened": [1, 3], "median_resolution_hours": [12.0, 29.0]}
    )
    hours = build_tile(BY_KEY["median_resolution_hours"], frame, W5, W4, TARGETS, "en")
    assert (hours.value_text, hours.delta_text, hours.delta_color) == (
        "29.0 h",
        "+17.0 h",
        "inverse",
    )
    # 29 h misses 24 h by 5 > 5 % of 24 (1.2) -> red
    assert hours.status == "red"
    opened = build_tile(BY_KEY["opened"], frame, W5, W4, TARGETS, "en")
    assert opened.delta_color == "off"


def test_missing_week_or_null_rate_shows_a_dash_and_no_delta():
    frame = pd.DataFrame({"period_start": [W5], "retention_rate": [None]})
    tile = build_tile(BY_KEY["retention_rate"], frame, W5, W4, TARGETS, "en")
    assert tile.value_text == "—" and tile.delta_text is None and tile.status is None


def test_vip_tile_is_month_to_date_and_not_compared_when_partial():
    month = pd.DataFrame(
        {"period_start": [date(2026, 10, 1), date(2026, 11, 1)], "coverage_rate": [0.5, 1.0]}
    )
    tiles = build_tiles(
        {"retention": retention_weeks()},
        IsoWeek(W5),
        TARGETS,
        "en",
        vip_month=month,
        month_start=date(2026, 11, 1),
        previous_month=None,
    )
    vip = tiles["coverage_rate"]
    assert vip.label == "VIP coverage (month to date)"
    assert vip.value_text == "100.0%" and vip.delta_text is None and vip.status == "green"
    assert len(tiles) == 13


def test_format_delta_units():
    assert change_text(0.021, "rate", "zh") == "+2.1 个百分点"
    assert change_text(-3.0, "nps", "en") == "-3.0"
    assert change_text(0.05, "score", "en") == "+0.05"
    assert change_text(None, "count", "en") is None


def test_biggest_movers_rank_by_absolute_change_and_skip_tiny_bases():
    frame = pd.DataFrame(
        {
            "period_start": [W4, W5] * 4,
            "project": ["A", "A", "B", "B", "C", "C", "D", "D"],
            "previous_active": [10, 10, 10, 10, 10, 10, 10, 2],
            "retention_rate": [0.5, 0.9, 0.8, 0.7, 0.6, 0.6, 1.0, 0.0],
        }
    )
    movers = biggest_movers({"retention": frame}, ["retention_rate"], W5, W4)
    # A: +0.4 (good), B: -0.1 (bad), C: unchanged (left out),
    # D: -1.0 but only 2 previously active customers in W5 (< 5): left out.
    assert [(m.project, round(m.change, 3), m.good) for m in movers] == [
        ("A", 0.4, True),
        ("B", -0.1, False),
    ]


def test_movers_ignore_rows_without_a_project_and_other_periods():
    w3 = W4 - timedelta(days=7)
    frame = pd.DataFrame(
        {
            "period_start": [w3, W4, W5, W4, W5, W4, W5],
            "project": ["A", "A", "A", None, None, "B", "B"],
            "previous_active": [10] * 7,
            # A: W3 0.0 is outside the two periods; W4 0.5 -> W5 0.6 (+0.1). The rows
            # without a project (a -0.9 swing) are no project; B: 0.2 -> 0.0 (-0.2)
            "retention_rate": [0.0, 0.5, 0.6, 0.9, 0.0, 0.2, 0.0],
        }
    )
    movers = biggest_movers({"retention": frame}, ["retention_rate"], W5, W4)
    assert [(m.project, round(m.change, 3)) for m in movers] == [("B", -0.2), ("A", 0.1)]


def test_no_change_is_neutral():
    frame = pd.DataFrame({"period_start": [W4, W5], "backlog_end": [43, 43]})
    tile = build_tile(BY_KEY["backlog_end"], frame, W5, W4, TARGETS, "en")
    assert tile.delta == 0 and tile.delta_color == "off"


# --- ranking ------------------------------------------------------------------------------


def test_rank_projects_with_ties_direction_and_rank_change():
    frame = pd.DataFrame(
        {
            "period_start": [W4, W4, W4, W5, W5, W5],
            "project": ["A", "B", "C", "A", "B", "C"],
            "median_resolution_hours": [10.0, 20.0, 30.0, 25.0, 5.0, 25.0],
        }
    )
    ranked = rank_projects(frame, "median_resolution_hours", W5, W4, "lower")
    # lower is better: B 5 h first; A and C tie on 25 h -> both 2nd (competition ranking).
    assert ranked["project"].tolist() == ["B", "A", "C"]
    assert ranked["rank"].tolist() == [1, 2, 2]
    # previous ranks A 1, B 2, C 3 -> changes B +1, A -1, C +1
    assert ranked["previous_rank"].tolist() == [2, 1, 3]
    assert ranked["rank_change"].tolist() == [1, -1, 1]


def test_rank_projects_without_previous_period():
    frame = pd.DataFrame({"period_start": [W5, W5], "project": ["A", "B"], "nps": [10.0, None]})
    ranked = rank_projects(frame, "nps", W5, None, "higher")
    assert ranked["project"].tolist() == ["A"]  # B has no value: not ranked
    assert ranked["previous_rank"].isna().all()


# --- i18n ---------------------------------------------------------------------------------


def test_every_label_has_both_languages_and_chinese_is_chinese():
    for key in i18n.all_keys():
        en, zh = i18n.t(key, "en"), i18n.t(key, "zh")
        assert en.strip() and zh.strip(), key
    # Most Chinese labels contain CJK characters (a few are names like NPS / CSV).
    cjk = [k for k in i18n.all_keys() if re.search(r"[\u4e00-\u9fff]", i18n.t(k, "zh"))]
    assert len(cjk) > 0.9 * len(i18n.all_keys())


def test_no_two_areas_define_the_same_word():
    # every area's words are in the catalogue: none was shadowed by another area's
    assert len(i18n.all_keys()) == sum(len(words) for _, words in i18n.AREAS)
    prefixes = {prefix for prefix, _ in i18n.AREAS}
    assert {"", "report.", "notify."} <= prefixes
    # and a clash is refused, not settled by whichever area came last
    one = {"period": ("Period", "周期")}
    other = {"period": ("Week", "周")}
    with pytest.raises(i18n.DuplicateWordError, match="'period'"):
        i18n.merge_areas([("", one), ("", other)])
    with pytest.raises(i18n.DuplicateWordError, match="'report.period'"):
        i18n.merge_areas([("report.", one), ("", {"report.period": ("x", "y")})])
    assert i18n.merge_areas([("", one), ("report.", other)]) == {
        "period": ("Period", "周期"),
        "report.period": ("Week", "周"),
    }


def test_every_label_used_by_the_ui_exists():
    ui = Path(__file__).resolve().parent.parent / "dashboard" / "ui"
    used = set()
    for path in ui.rglob("*.py"):
        used |= set(re.findall(r"""\bt\(\s*["']([a-z0-9_]+)["']""", path.read_text()))
    missing = sorted(k for k in used if not i18n.has(k))
    assert not missing, missing


def test_normalise_lang():
    assert i18n.normalise_lang("中文", "en") == "zh"
    assert i18n.normalise_lang("zh-CN", "en") == "zh"
    assert i18n.normalise_lang("English", "zh") == "en"
    assert i18n.normalise_lang("", "en") == "en"


def test_complete_periods_and_the_default_ranking_period():
    assert period_last_day(date(2026, 11, 2), "week") == date(2026, 11, 8)
    assert period_last_day(date(2026, 12, 1), "month") == date(2026, 12, 31)
    assert period_last_day(date(2026, 2, 1), "month") == date(2026, 2, 28)
    last = date(2026, 11, 11)  # a Wednesday
    assert not is_complete(date(2026, 11, 9), "week", last)
    assert is_complete(date(2026, 11, 2), "week", last)
    assert not is_complete(date(2026, 11, 1), "month", last)
    weeks = [date(2026, 11, 9), date(2026, 11, 2), date(2026, 10, 26)]
    assert default_period(weeks, "week", last) == 1
    assert default_period(weeks[:1], "week", last) == 0


def test_tables_show_missing_text_as_empty_not_none():
    from dashboard.ui.components import blank_missing_text

    frame = pd.DataFrame(
        {
            "sheet": pd.Series(["2026年", None], dtype="str"),  # pandas' text dtype
            "message": pd.Series([None, "already imported"], dtype=object),
            "rows_loaded": [3.0, None],
            "imported_on": [date(2026, 3, 2), None],
        }
    )
    shown = blank_missing_text(frame)
    assert shown["sheet"].tolist() == ["2026年", ""]
    assert shown["message"].tolist() == ["", "already imported"]
    # numbers and dates keep their missing values (Streamlit leaves those cells empty)
    assert pd.isna(shown["rows_loaded"][1]) and shown["imported_on"][1] is None


def test_tables_read_as_a_person_expects_in_both_languages():
    """Every table cell is formatted by the column's unit: no 'None', 'nan', '1.000000',
    'True' on screen (#12)."""
    from types import SimpleNamespace

    from dashboard.present.i18n import t
    from dashboard.ui.components import MISSING, _formatter

    frame = pd.DataFrame(
        {
            "sla_met_rate": [1 / 3, float("nan")],
            "median_resolution_hours": [15.616666, None],
            "opened": pd.array([1234, None], dtype="Int64"),
            "is_sla_met": [True, False],
            "rank": [1.0, 2.0],
            "category": ["维修", None],
        }
    )
    units = {"sla_met_rate": "rate", "median_resolution_hours": "hours"}
    for lang, yes, no in (("zh", "是", "否"), ("en", "yes", "no")):
        ctx = SimpleNamespace(lang=lang, t=lambda key, lang=lang, **kw: t(key, lang, **kw))
        shown = {c: [_formatter(frame[c], units.get(c), ctx)(v) for v in frame[c]] for c in frame}
        assert shown["sla_met_rate"] == ["33.3%", MISSING]
        assert shown["median_resolution_hours"] == ["15.6", MISSING]
        assert shown["opened"] == ["1,234", MISSING]
        assert shown["is_sla_met"] == [yes, no]
        assert shown["rank"] == ["1", "2"]  # a rank is a whole number
        assert shown["category"] == ["维修", ""]
