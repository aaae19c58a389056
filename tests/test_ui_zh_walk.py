"""Every page in Chinese (#12): no raw column ids, no 'None' or 'nan' in the text, chart
axes titled in words. Cell values are formatted by components.table (see test_ui_logic)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from tests_ui_support import build_tiny_db

APP = str(Path(__file__).resolve().parent.parent / "app.py")
PAGES = [
    "overview",
    "retention",
    "complaints",
    "satisfaction",
    "vip",
    "projects",
    "analyst",
    "data",
]
RAW_ID = re.compile(r"^[a-z]+(_[a-z0-9]+)+$")  # period_start, cumulative_share, ...
RAW_WORD = re.compile(r"^[a-z][a-z0-9_]*$")  # a column name as a chart title in zh: orders
NONE_WORD = re.compile(r"\b(None|nan|NaN)\b")


@pytest.fixture(scope="module")
def tiny_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny_db(tmp_path_factory.mktemp("zh") / "tiny.duckdb")


def _elements(node) -> list:
    found = []
    for child in getattr(node, "children", {}).values():
        found.append(child)
        found.extend(_elements(child))
    return found


@pytest.mark.parametrize("page", PAGES)
def test_a_page_in_chinese_has_no_raw_ids_or_missing_words(tiny_db, monkeypatch, page):
    monkeypatch.setenv("KPI_DB", str(tiny_db))
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    if page != "overview":
        at.switch_page(f"dashboard/ui/pages/{page}.py")
        at.run()
    at.session_state[f"{page}_tables"] = True  # the "Data table" section, drawn once opened
    at.run()
    assert not at.exception
    problems = []
    for frame in at.dataframe:
        problems += [f"column {c}" for c in frame.value.columns if RAW_ID.match(str(c))]
    for text in [*at.markdown, *at.caption, *at.info, *at.warning, *at.subheader, *at.metric]:
        value = getattr(text, "value", "") or ""
        if NONE_WORD.search(str(value)):
            problems.append(f"text {value[:60]!r}")
    for element in _elements(at.main):
        if getattr(element, "type", "") != "vega_lite_chart":
            continue
        spec = json.dumps(json.loads(element.proto.spec), ensure_ascii=False)
        problems += [
            f"chart title {m}" for m in re.findall(r'"title": "([^"]*)"', spec) if RAW_ID.match(m)
        ]
    assert problems == []
