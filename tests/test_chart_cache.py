"""The cached chart specs (#14): the spec ``chart_cache.vega_lite`` sends is the one
Streamlit's own ``st.altair_chart`` conversion makes (same marks, encodings, parameters,
config and rows), and a recipe is built once per input."""

from __future__ import annotations

import json

import pandas as pd
from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df

from dashboard.present.chart_style import PERCENT
from dashboard.ui import chart_cache
from dashboard.ui.charts import breakdowns, over_time


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "period_start": pd.to_datetime(["2026-10-05", "2026-10-12", "2026-10-19"]),
            "retention_rate": [0.5, 0.75, None],
            "churn_rate": [0.5, 0.25, None],
        }
    )


def _with_rows(spec: dict) -> str:
    """The spec with each named dataset replaced by its rows, as canonical JSON."""
    rows = {
        name: convert_arrow_bytes_to_pandas_df(data).astype(str).to_dict("records")
        for name, data in spec.get("datasets", {}).items()
    }

    def swap(node):
        if isinstance(node, dict):
            if set(node) == {"name"} and node["name"] in rows:
                return {"rows": rows[node["name"]]}
            return {k: swap(v) for k, v in node.items() if k not in ("datasets", "$schema")}
        if isinstance(node, list):
            return [swap(v) for v in node]
        return node

    return json.dumps(swap(spec), sort_keys=True, default=str)


def _streamlits(chart) -> dict:
    from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec

    return _convert_altair_to_vega_lite_spec(chart)


def test_the_spec_is_the_one_streamlit_makes_of_the_altair_chart():
    charts = [
        lambda: over_time.trend(
            _frame(), ["retention_rate", "churn_rate"], "en", value_format=PERCENT, target=0.8
        ),
        lambda: breakdowns.resolution_distribution(
            pd.DataFrame(
                {"bucket": ["<4h", "4-24h"], "bucket_order": [1, 2], "complaints": [3, 1]}
            ),
            "zh",
        ),
    ]
    for build in charts:
        ours = chart_cache.vega_lite(build())
        assert "$schema" not in ours
        assert all(isinstance(v, bytes) for v in ours["datasets"].values())
        # no fixed 300 px view of Altair's default theme (Streamlit drops it too)
        assert "continuousWidth" not in json.dumps(ours.get("config", {}))
        # drawn on a canvas, without per-item ARIA descriptions; otherwise Streamlit's spec
        assert ours["usermeta"] == {"embedOptions": {"renderer": "canvas"}}
        assert ours["config"]["aria"] is False
        theirs = chart_cache.drawn_on_canvas(_streamlits(build()))
        assert _with_rows(ours) == _with_rows(theirs)


def test_a_frame_shared_by_layers_is_sent_once():
    spec = chart_cache.vega_lite(
        over_time.trend(_frame(), ["retention_rate"], "en", value_format=PERCENT)
    )
    names = [layer["data"]["name"] for layer in spec["layer"] if "data" in layer]
    # the line and the hover rule plot different frames (long and wide): two datasets
    assert len(set(names)) == len(spec["datasets"]) == 2


def test_drawing_on_canvas_keeps_the_charts_own_options():
    spec = {"usermeta": {"embedOptions": {"padding": 4}, "note": "x"}, "config": {"font": "f"}}
    drawn = chart_cache.drawn_on_canvas(spec)
    assert drawn["usermeta"] == {"embedOptions": {"padding": 4, "renderer": "canvas"}, "note": "x"}
    assert drawn["config"] == {"font": "f", "aria": False}


CALLS: list[str] = []


def counted_trend(frame: pd.DataFrame, lang: str):
    CALLS.append(lang)
    return over_time.trend(frame, ["retention_rate"], lang)


def test_a_recipe_is_built_once_per_input():
    chart_cache._built.clear()
    CALLS.clear()
    first = chart_cache.spec_of(chart_cache.recipe(counted_trend, _frame(), "en"), None, None)
    again = chart_cache.spec_of(chart_cache.recipe(counted_trend, _frame(), "en"), None, None)
    assert CALLS == ["en"] and first == again
    changed = _frame().assign(retention_rate=[0.1, 0.2, 0.3])  # new rows: built again
    chart_cache.spec_of(chart_cache.recipe(counted_trend, changed, "en"), None, None)
    chart_cache.spec_of(chart_cache.recipe(counted_trend, _frame(), lang="zh"), None, None)
    assert CALLS == ["en", "en", "zh"]
    # the timeline's notes are part of the key and drawn by the function handed over
    notes = (pd.DataFrame({"event": ["x"]}), "calendar", "en")
    drawn = chart_cache.spec_of(
        chart_cache.recipe(counted_trend, _frame(), "en"), notes, lambda c: c.properties(title="N")
    )
    assert drawn["title"] == "N" and CALLS == ["en", "en", "zh", "en"]
