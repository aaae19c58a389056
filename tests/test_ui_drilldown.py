"""Drill-down (#12): from a tile to the rows behind its number, with the filters kept.
Numbers from tests_ui_support's tiny database (week 2026-11-02 .. 11-08)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from tests_ui_support import build_tiny_db

APP = str(Path(__file__).resolve().parent.parent / "app.py")


@pytest.fixture(scope="module")
def tiny_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny_db(tmp_path_factory.mktemp("drill") / "tiny.duckdb")


def app(db: Path, monkeypatch: pytest.MonkeyPatch, **query: str) -> AppTest:
    monkeypatch.setenv("KPI_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=90)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def detail(at: AppTest, column: str):
    """The drill-down table: the one with ``column`` (freshness is a table too)."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_the_sla_tile_opens_the_complaints_behind_it(tiny_db, monkeypatch):
    at = app(tiny_db, monkeypatch, lang="en")
    at.button(key="drill_sla_met_rate").click().run()
    assert not at.exception
    assert any("The rows behind: complaints opened" in m.value for m in at.markdown)
    rows = detail(at, "Complaint")
    # opened in the week of 11-02: k1 (11-03), k2 (11-04), k4 (11-05); k3 was 10-27.
    # Open and late first: k4 (open), k2 (48 h, late), k1 (10 h, met)
    assert rows["Complaint"].tolist() == ["k4", "k2", "k1"]
    assert rows["SLA status"].tolist() == ["still open", "missed", "met"]
    at.run()  # the dialog is gone on the next run (its own close button is the browser's)
    assert not any("The rows behind" in m.value for m in at.markdown)


def test_the_drill_down_keeps_the_filters(tiny_db, monkeypatch):
    at = app(tiny_db, monkeypatch, region="华南")
    at.button(key="drill_sla_met_rate").click().run()
    rows = detail(at, "投诉编号")
    assert rows["投诉编号"].tolist() == ["k2"]  # 华南 is c4's region: only k2


def test_lost_customers_behind_the_tile(tiny_db, monkeypatch):
    at = app(tiny_db, monkeypatch, lang="en")
    at.button(key="drill_lost_customers").click().run()
    rows = detail(at, "Last order")
    # week 10-26: c1 c2 c4 c5; week 11-02: c1 c4 c6 -> c2 and c5 lost
    assert sorted(rows["Customer ID"].tolist()) == ["c2", "c5"]
