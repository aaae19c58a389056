"""The app follows what changed under it (#11): settings and query-file edits reach the next
render, an open session's implicit date range follows new data, and a filter value the data
does not have is named, not silently dropped. Numbers from tests_ui_support's tiny database.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from tests_ui_support import build_tiny_db

from dashboard import catalog, paths
from dashboard.ui.filters import follow_span

APP = str(Path(__file__).resolve().parent.parent / "app.py")


@pytest.fixture(scope="module")
def tiny_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny_db(tmp_path_factory.mktemp("follows") / "tiny.duckdb")


def app(db: Path, monkeypatch: pytest.MonkeyPatch, **query: str | list[str]) -> AppTest:
    monkeypatch.setenv("KPI_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=90)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def tile(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def test_a_settings_edit_reaches_the_open_app(tiny_db, monkeypatch, tmp_path):
    settings = tmp_path / "kpi.toml"
    settings.write_text("[sla]\ndefault_hours = 24\n", encoding="utf-8")
    monkeypatch.setenv("KPI_SETTINGS", str(settings))
    at = app(tiny_db, monkeypatch, lang="en")
    # week 2026-11-02: k1 10 h, k2 48 h, k4 open; within 24 h only k1 -> 1/3
    assert tile(at, "SLA attainment") == "33.3%"
    settings.write_text("[sla]\ndefault_hours = 100\n", encoding="utf-8")
    at.run()
    # within 100 h: k1 and k2 -> 2/3 (k4 is still open)
    assert tile(at, "SLA attainment") == "66.7%"


def test_a_query_file_edit_reaches_the_open_app(tiny_db, monkeypatch, tmp_path):
    queries = tmp_path / "queries"
    shutil.copytree(paths.QUERIES_DIR, queries)
    monkeypatch.setattr(paths, "QUERIES_DIR", queries)
    monkeypatch.setattr(catalog, "QUERIES_DIR", queries)
    at = app(tiny_db, monkeypatch, lang="en")
    assert tile(at, "Active customers") == "3"  # c1, c4, c6
    retention = queries / "retention.sql"
    text = retention.read_text(encoding="utf-8")
    edited = text.replace(
        "        by_value,\n        active_customers,\n",
        "        by_value,\n        10 * active_customers as active_customers,\n",
    )
    assert edited != text
    retention.write_text(edited, encoding="utf-8")
    at.run()
    assert tile(at, "Active customers") == "30"


def test_an_unknown_project_in_a_link_is_named(tiny_db, monkeypatch):
    at = app(tiny_db, monkeypatch, lang="en", project=["Nope", "Alpha"], region="Nowhere")
    warnings = " ".join(w.value for w in at.warning)
    assert "No project called Nope" in warnings
    assert "No region called Nowhere" in warnings
    # what is shown: Alpha alone (c1 in week 2026-11-02), not the company-wide 3
    assert at.sidebar.multiselect(key="f_projects").value == ["Alpha"]
    assert tile(at, "Active customers") == "1"


def test_an_unknown_project_in_zh(tiny_db, monkeypatch):
    at = app(tiny_db, monkeypatch, project="不存在")
    assert any("数据中没有名为 不存在 的项目" in w.value for w in at.warning)


D = date


def test_follow_span_moves_the_ends_nobody_chose():
    old, new = (D(2026, 1, 5), D(2026, 2, 28)), (D(2026, 1, 5), D(2026, 6, 30))
    # the range was the whole span: it becomes the new whole span
    assert follow_span(old, old, new) == new
    # a chosen end stays; the implicit start follows (here it did not move)
    assert follow_span((D(2026, 1, 5), D(2026, 2, 1)), old, new) == (D(2026, 1, 5), D(2026, 2, 1))
    # a chosen start stays, the implicit end follows
    assert follow_span((D(2026, 2, 1), D(2026, 2, 28)), old, new) == (D(2026, 2, 1), D(2026, 6, 30))
    # without a remembered span (first run) the value is only kept inside the span
    assert follow_span((D(2025, 1, 1), D(2027, 1, 1)), None, new) == new
    # a single picked day (mid-selection) is a range of that day
    assert follow_span((D(2026, 3, 1),), old, new) == (D(2026, 3, 1), D(2026, 3, 1))


def test_kpi_show_names_an_unknown_project(tiny_db, capsys):
    from dashboard.cli import main

    code = main(["show", "retention", "--db", str(tiny_db), "--project", "Nope", "--format", "csv"])
    captured = capsys.readouterr()
    assert code == 0
    assert "no project called 'Nope'" in captured.err
    assert captured.out.splitlines() == [
        "period_start,active_customers,previous_active,retained_customers,new_customers,"
        "retention_rate,churn_rate"
    ]
    code = main(["show", "retention", "--db", str(tiny_db), "--project", "Alpha"])
    assert code == 0 and capsys.readouterr().err == ""


def test_the_overview_follows_the_month_grain(tiny_db, monkeypatch):
    at = app(tiny_db, monkeypatch, lang="en", grain="month")
    # the data end on Wednesday 11-11: the latest complete month is October
    assert at.subheader[0].value == "Month 2026-10 (2026-10-01 – 2026-10-31)"
    # October's orders: c1 c2 c3 / c1 c2 c4 / c1 c3 c4 c5 / c1 c2 c4 c5 -> 5 distinct
    assert tile(at, "Active customers") == "5"
    captions = " ".join(c.value for c in at.caption)
    assert "The month of 2026-11-01 is partial (data up to 2026-11-11)" in captions


def test_the_overview_follows_the_chosen_end_date(tiny_db, monkeypatch):
    at = app(tiny_db, monkeypatch, lang="en", to="2026-11-01")
    # the last complete week ending on or before Sunday 11-01 is 10-26 .. 11-01 (W44)
    assert at.subheader[0].value.startswith("Week 2026-W44 (2026-10-26")
    assert tile(at, "Active customers") == "4"  # c1 c2 c4 c5
    captions = " ".join(c.value for c in at.caption)
    assert "ending on or before 2026-11-01" in captions
