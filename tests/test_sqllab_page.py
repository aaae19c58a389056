"""The SQL lab page with the #19 limits: cut cells and the busy message are shown in the
user's language, and the page never shows a traceback."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from tests_ui_support import build_tiny_db

from dashboard.sqllab import DEFAULT_LIMITS
from dashboard.sqllab.sandbox import CUT_MARK, LAB_GATE

APP = str(Path(__file__).resolve().parent.parent / "app.py")
SQLLAB = "dashboard/ui/pages/sqllab.py"


@pytest.fixture(scope="module")
def tiny_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny_db(tmp_path_factory.mktemp("sqllab_page") / "tiny.duckdb")


def open_lab(db: Path, monkeypatch, lang: str) -> AppTest:
    monkeypatch.setenv("KPI_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["lang"] = lang
    at.run()
    at.switch_page(SQLLAB)
    return at.run()


def run_sql(at: AppTest, sql: str) -> AppTest:
    at.text_area(key="sqllab_sql").input(sql)
    at.button[0].click()
    return at.run()


@pytest.mark.parametrize(("lang", "words"), [("en", "are cut"), ("zh", "已截断")])
def test_the_issues_1_gb_query_shows_cut_cells(tiny_db, monkeypatch, lang, words):
    at = open_lab(tiny_db, monkeypatch, lang)
    at = run_sql(at, "select repeat('x', 10000000) as big from range(100)")
    assert not at.exception and not at.error, [e.value for e in at.error]
    frame = at.dataframe[0].value
    assert len(frame) == 100
    assert frame["big"].str.len().max() == DEFAULT_LIMITS.max_cell_chars + len(CUT_MARK)
    assert any(words in i.value for i in at.info)
    assert at.get("download_button")  # the CSV is offered (and built only on click)


@pytest.mark.parametrize(("lang", "words"), [("en", "Busy"), ("zh", "系统繁忙")])
def test_a_query_over_the_concurrency_limit_shows_busy(tiny_db, monkeypatch, lang, words):
    at = open_lab(tiny_db, monkeypatch, lang)
    with contextlib.ExitStack() as held:  # every slot taken, as by other users' queries
        for _ in range(DEFAULT_LIMITS.max_concurrent):
            held.enter_context(LAB_GATE.enter(DEFAULT_LIMITS.max_concurrent))
        at = run_sql(at, "select 1 as one")
    assert not at.exception
    assert len(at.error) == 1 and words in at.error[0].value
    at = run_sql(at, "select 2 as two")  # the slots are free again: it runs
    assert not at.error and at.dataframe[0].value["two"].tolist() == [2]


def lab_charts(at: AppTest) -> list:
    found = []

    def walk(node) -> None:
        for child in getattr(node, "children", {}).values():
            if getattr(child, "type", "") == "vega_lite_chart":
                found.append(child)
            walk(child)

    walk(at.main)
    return found


@pytest.mark.parametrize(
    ("lang", "one_row", "many_rows", "syntax"),
    [
        ("en", "1 row in", "10 rows in", "could not be parsed"),
        ("zh", "1 行，用时", "10 行，用时", "无法解析"),
    ],
)
def test_row_counts_range_charts_and_typos(tiny_db, monkeypatch, lang, one_row, many_rows, syntax):
    at = open_lab(tiny_db, monkeypatch, lang)
    at = run_sql(at, "select 1 as one")
    captions = [c.value for c in at.caption]
    assert any(c.startswith(one_row) for c in captions), captions
    assert not any("1 rows" in c for c in captions)
    # a result of numbers only charts against the row number (it said "nothing to chart")
    at = run_sql(at, "select * from range(10)")
    assert not at.exception and not at.error
    assert any(c.value.startswith(many_rows) for c in at.caption)
    assert len(lab_charts(at)) == 1
    assert at.selectbox(key="sqllab_y").value == "range"
    at = run_sql(at, "selec * form orders")
    assert len(at.error) == 1 and syntax in at.error[0].value
    assert 'syntax error at or near "selec"' in at.error[0].value
