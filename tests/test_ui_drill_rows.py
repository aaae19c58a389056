"""Drill-down from a chart point and a ranking row (#12): the click -> filters mapping (pure,
AppTest cannot click a chart) and the dialog's rows, counted by hand on tests/data/drilldown
(see its README: six complaints, 24 h SLA on the calendar clock)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.pipeline import import_files as ingest_paths
from dashboard.ui.drilldown import K_OPEN, Drill, drill_from_row, drill_from_selection

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
DATA = ROOT / "tests" / "data" / "drilldown"
W10, W11 = dt.date(2026, 3, 2), dt.date(2026, 3, 9)
PERIODS = [W10, W11]


def ms(moment: str) -> int:
    """Epoch milliseconds, as Vega hands a temporal field to Streamlit."""
    return int(pd.Timestamp(moment).value // 1_000_000)


@pytest.fixture(scope="module")
def drill_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("drill_rows") / "kpi.duckdb"
    results = ingest_paths([DATA], db=path)
    assert [r.status for r in results] == ["loaded"] * 4
    return path


# ------------------------------------------------------------- click -> filters (pure)


@pytest.mark.parametrize(
    "value",
    [
        ms("2026-03-09T00:00:00Z"),  # a browser on UTC
        ms("2026-03-08T16:00:00Z"),  # local midnight in Shanghai (UTC+8) is 16:00 the day before
        ms("2026-03-09T05:00:00Z"),  # local midnight in New York (UTC-5)
        "2026-03-09T00:00:00",
    ],
)
def test_a_clicked_period_becomes_that_period(value):
    event = {"selection": {"pick": [{"period_start": value}]}}
    drill = drill_from_selection(event, "complaint_details", "week", PERIODS)
    assert drill == Drill("complaint_details", "week", W11)


def test_a_click_on_a_project_bar_keeps_the_ranked_period():
    event = {"selection": {"pick": [{"project": "P2"}]}}
    drill = drill_from_selection(event, "lost_customers", "week", PERIODS, period_start=W11)
    assert drill == Drill("lost_customers", "week", W11, "P2")


@pytest.mark.parametrize(
    "event",
    [None, {}, {"selection": {}}, {"selection": {"pick": []}}, {"selection": {"hover": [{}]}}],
)
def test_no_click_or_an_emptied_selection_opens_nothing(event):
    assert drill_from_selection(event, "complaint_details", "week", PERIODS) is None


def test_a_point_far_from_every_period_opens_nothing():
    event = {"selection": {"pick": [{"period_start": ms("2026-03-05T00:00:00Z")}]}}
    assert drill_from_selection(event, "complaint_details", "week", PERIODS) is None


def test_a_kpi_without_a_detail_query_opens_nothing():
    event = {"selection": {"pick": [{"period_start": ms("2026-03-09T00:00:00Z")}]}}
    assert drill_from_selection(event, None, "week", PERIODS) is None


def test_a_selected_ranking_row_is_its_project():
    ranked = pd.DataFrame({"rank": [1, 2], "project": ["P1", "P2"]})
    event = {"selection": {"rows": [1], "columns": []}}
    assert drill_from_row(event, ranked, "complaint_details", "week", W10) == Drill(
        "complaint_details", "week", W10, "P2"
    )
    assert drill_from_row({"selection": {"rows": []}}, ranked, "x", "week", W10) is None
    assert drill_from_row({"selection": {"rows": [5]}}, ranked, "x", "week", W10) is None


# ------------------------------------------------------------- the dialog (AppTest)


def open_with(db: Path, monkeypatch, page: str, drill: Drill, **query: str) -> AppTest:
    monkeypatch.setenv("KPI_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(page)
    at.run()
    at.session_state[K_OPEN] = drill  # what a click on the chart or the row sets
    return at.run()


def detail(at: AppTest, column: str) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_a_clicked_week_on_the_complaints_page_lists_its_complaints(drill_db, monkeypatch):
    event = {"selection": {"pick": [{"period_start": ms("2026-03-08T16:00:00Z")}]}}
    drill = drill_from_selection(event, "complaint_details", "week", PERIODS)
    at = open_with(drill_db, monkeypatch, "dashboard/ui/pages/complaints.py", drill, lang="en")
    assert not at.exception, [e.value for e in at.exception]
    assert any("The rows behind: complaints opened" in m.value for m in at.markdown)
    rows = detail(at, "SLA status")
    # week 03-09: k5 (48 h > 24 h: missed) first, then the met ones by hours: k4 10 h, k6 4 h
    assert rows["Complaint"].tolist() == ["k5", "k4", "k6"]
    assert rows["SLA status"].tolist() == ["missed", "met", "met"]
    assert "Within SLA" not in rows.columns  # one status in words, not two booleans
    assert any(b.label == "Download CSV" for b in at.get("download_button"))


def test_a_ranking_row_lists_that_projects_complaints_in_chinese(drill_db, monkeypatch):
    ranked = pd.DataFrame({"project": ["P2", "P1"]})
    drill = drill_from_row({"selection": {"rows": [1]}}, ranked, "complaint_details", "week", W10)
    at = open_with(drill_db, monkeypatch, "dashboard/ui/pages/projects.py", drill, lang="zh")
    assert not at.exception, [e.value for e in at.exception]
    rows = detail(at, "时限状态")
    # week 03-02, P1: k2 (48 h, missed) before k1 (11 h, met); k3 is P2's
    assert rows["投诉编号"].tolist() == ["k2", "k1"]
    assert rows["时限状态"].tolist() == ["超时办结", "按时办结"]
    assert any("P1" in m.value for m in at.markdown)


def test_the_sidebar_filters_are_kept(drill_db, monkeypatch):
    drill = Drill("complaint_details", "week", W10)
    at = open_with(
        drill_db, monkeypatch, "dashboard/ui/pages/complaints.py", drill, lang="en", region="West"
    )
    rows = detail(at, "SLA status")
    assert rows["Complaint"].tolist() == ["k3"]  # West is P2: k3, still open
    assert rows["SLA status"].tolist() == ["still open"]


def test_lost_customers_of_a_project_bar(drill_db, monkeypatch):
    drill = Drill("lost_customers", "week", W11, "P2")
    at = open_with(drill_db, monkeypatch, "dashboard/ui/pages/projects.py", drill, lang="en")
    rows = detail(at, "Last order")
    # active 03-02: c1 c2 c3; 03-09: c1 c4 -> lost c2 (P1), c3 (P2); P2 only: c3
    assert rows["Customer ID"].tolist() == ["c3"]


def test_a_drill_with_no_rows_says_so(drill_db, monkeypatch):
    drill = Drill("survey_responses", "week", W10)  # the surveys are all in week 03-09
    at = open_with(drill_db, monkeypatch, "dashboard/ui/pages/projects.py", drill, lang="en")
    assert any("No rows behind this number" in i.value for i in at.info)


def test_a_rate_with_no_case_says_no_data_instead_of_empty_axes(drill_db, monkeypatch):
    # West in week 03-02 has only k3, still open: no resolution or first-response time, so
    # those two charts say so; SLA attainment is 0 of 1 (an open complaint never meets it)
    monkeypatch.setenv("KPI_DB", str(drill_db))
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in {
        "lang": "en",
        "region": "West",
        "from": "2026-03-02",
        "to": "2026-03-08",
    }.items():
        at.query_params[key] = value
    at.run()
    at.switch_page("dashboard/ui/pages/complaints.py")
    at.run()
    assert not at.exception
    empty = [i.value for i in at.info if "No data for these filters in this chart" in i.value]
    assert len(empty) == 2  # median resolution/first response, P90
    assert len(charts_on(at)) >= 1  # the SLA chart is drawn


def charts_on(at: AppTest) -> list:
    found = []

    def walk(node) -> None:
        for child in getattr(node, "children", {}).values():
            if getattr(child, "type", "") == "vega_lite_chart":
                found.append(child)
            walk(child)

    walk(at.main)
    return found
