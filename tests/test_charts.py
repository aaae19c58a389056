"""Chart builders are pure: tested on their Vega-Lite spec (no browser, no Streamlit)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from dashboard.present import chart_style
from dashboard.ui.charts import breakdowns, over_time

WEEKS = [date(2026, 10, 26), date(2026, 11, 2)]


def _layers(spec: dict) -> list[dict]:
    return spec.get("layer", [spec])


def _params(spec: dict) -> list[dict]:
    return [p for layer in _layers(spec) for p in layer.get("params", [])] + spec.get("params", [])


def _has_zoom(spec: dict) -> bool:
    return any(p.get("bind") == "scales" for p in _params(spec))


def _has_legend_pick(spec: dict) -> bool:
    return any(p.get("bind") == "legend" for p in _params(spec))


def _tooltip_titles(layer: dict) -> list[str]:
    tooltip = layer["encoding"]["tooltip"]
    return [t["title"] for t in (tooltip if isinstance(tooltip, list) else [tooltip])]


def retention_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "period_start": WEEKS,
            "active_customers": [4, 3],
            "previous_active": [3, 4],
            "retained_customers": [2, 2],
            "new_customers": [1, 1],
            "retention_rate": [2 / 3, 0.5],
            "churn_rate": [1 / 3, 0.5],
        }
    )


def test_trend_has_line_tooltips_zoom_legend_and_target_rule():
    spec = over_time.trend(
        retention_frame(),
        ["retention_rate", "churn_rate"],
        "en",
        value_format=chart_style.PERCENT,
        target=0.8,
    ).to_dict()
    line, hover, rule = spec["layer"]
    assert line["mark"]["type"] == "line"
    # the nearest period's values for every measure, on a vertical rule
    assert hover["mark"]["type"] == "rule"
    assert _tooltip_titles(hover) == ["Period", "Retention rate", "Churn rate"]
    nearest = next(p for p in _params(spec) if p["name"] == "hover")
    assert nearest["select"]["nearest"] is True and nearest["select"]["on"] == "pointermove"
    assert line["encoding"]["x"]["field"] == "period_start"
    assert line["encoding"]["x"]["type"] == "temporal"
    # the rule's hover cells cover the lines, so the lines carry no tooltip of their own
    assert "tooltip" not in line["encoding"]
    assert _has_zoom(spec) and _has_legend_pick(spec)
    assert rule["mark"]["type"] == "rule"
    # The target is a rule at 0.8, in its own small data set.
    assert rule["encoding"]["y"]["field"] == "target"
    datasets = spec["datasets"]
    assert any(rows == [{"target": 0.8}] for rows in datasets.values())
    # Series are translated measure names, not column names.
    assert line["encoding"]["color"]["scale"]["domain"] == ["Retention rate", "Churn rate"]


def test_trend_in_chinese_uses_chinese_titles_and_a_cjk_font():
    spec = over_time.trend(retention_frame(), ["retention_rate"], "zh").to_dict()
    layer = _layers(spec)[0]
    assert layer["encoding"]["x"]["title"] == "周期"
    assert layer["encoding"]["y"]["title"] == "客户保留率"
    assert "Noto Sans CJK SC" in spec["config"]["font"]
    assert "Noto Sans CJK SC" in spec["config"]["axis"]["labelFont"]


def test_month_grain_formats_the_time_axis_as_months():
    spec = over_time.trend(retention_frame(), ["active_customers"], "en", grain="month").to_dict()
    assert _layers(spec)[0]["encoding"]["x"]["axis"]["format"] == "%Y-%m"


def test_leaky_bucket_stacks_the_active_customers_and_draws_lost_downwards():
    # the leaky_bucket query's rows: per period retained, new, returning, lost (negative)
    flows = ["retained", "new", "returning", "lost"]
    frame = pd.DataFrame(
        {
            "period_start": [w for w in WEEKS for _ in flows],
            "flow": flows * 2,
            "customers": [0, 3, 0, 0, 2, 1, 1, -2],
        }
    )
    spec = over_time.leaky_bucket(frame, "en").to_dict()
    bars = spec["layer"][0]
    assert bars["mark"]["type"] == "bar"
    rows = next(v for v in spec["datasets"].values() if v and "flow" in v[0])
    week2 = {
        r["flow"]: (r["customers"], r["count"])
        for r in rows
        if r["period_start"] == rows[-1]["period_start"]
    }
    # week 2: 2 retained + 1 new + 1 returning = 4 active above the line; 2 lost below,
    # drawn as -2 with the tooltip count 2
    assert week2 == {"retained": (2, 2), "new": (1, 1), "returning": (1, 1), "lost": (-2, 2)}
    steps = ["stack" if "stack" in tr else next(iter(tr)) for tr in bars["transform"]]
    assert steps.index("calculate") < steps.index("stack")  # "up" exists before stacking
    stack = next(tr for tr in bars["transform"] if "stack" in tr)
    assert stack["stack"] == "customers" and "up" in stack["groupby"]  # up and down apart
    scale = bars["encoding"]["color"]["scale"]
    assert scale["range"][-1] == chart_style.BAD and scale["range"][2] == chart_style.GOOD
    assert scale["domain"] == ["Retained", "Returning", "New", "Lost"]
    assert _has_zoom(spec) and _has_legend_pick(spec)
    assert _tooltip_titles(bars) == ["Period", "Measure", "Customers"]


def test_by_project_trend_colours_projects_from_the_full_project_list():
    frame = pd.DataFrame(
        {
            "period_start": WEEKS * 2,
            "project": ["Beta", "Beta", "Alpha", "Alpha"],
            "active_customers": [1, 2, 3, 4],
        }
    )
    every_project = ["深圳湾", "Alpha", "Beta", "Gamma"]
    spec = over_time.by_project_trend(frame, "active_customers", "en", every_project).to_dict()
    scale = _layers(spec)[0]["encoding"]["color"]["scale"]
    # Colours come from the whole sorted list (Alpha, Beta, Gamma, 深圳湾), so Beta has the
    # same colour on a page without Alpha; the legend lists only the projects shown.
    assert scale["domain"] == ["Alpha", "Beta"]
    assert scale["range"] == [chart_style.PALETTE[0], chart_style.PALETTE[1]]
    assert _has_zoom(spec) and _has_legend_pick(spec)


def test_by_project_trend_colours_the_top_projects_and_greys_the_rest():
    projects = [f"P{i:02d}" for i in range(8)]
    frame = pd.DataFrame(
        {
            "period_start": [WEEKS[0]] * 8 + [WEEKS[1]] * 8,
            "project": projects * 2,
            "active_customers": list(range(8)) * 2,  # P07 largest, P00 smallest
        }
    )
    spec = over_time.by_project_trend(frame, "active_customers", "en", projects).to_dict()
    scale = _layers(spec)[0]["encoding"]["color"]["scale"]
    # the 5 largest by mean (P03..P07) in colour, the other three as one grey legend entry
    assert scale["domain"] == ["P03", "P04", "P05", "P06", "P07", "other projects"]
    assert scale["range"][-1] == over_time.OTHER_COLOUR
    assert scale["range"][0] == chart_style.PALETTE[3]  # P03 keeps its own colour
    rows = next(v for v in spec["datasets"].values() if v and "series" in v[0])
    assert {r["series"] for r in rows if r["project"] == "P00"} == {"other projects"}
    # the projects the user chose are the coloured ones, whatever their size
    chosen = over_time.by_project_trend(
        frame, "active_customers", "zh", projects, chosen=["P00", "P01"]
    ).to_dict()
    assert _layers(chosen)[0]["encoding"]["color"]["scale"]["domain"] == ["P00", "P01", "其他项目"]
    # a nearest-point layer carries the tooltip (its hover cells cover the lines: theirs
    # could never show, so they have none)
    points = _layers(spec)[1]
    assert points["mark"]["type"] == "point"
    assert [t["title"] for t in points["encoding"]["tooltip"]] == [
        "Period",
        "Project",
        "Active customers",
    ]
    assert "tooltip" not in _layers(spec)[0]["encoding"]
    assert next(p for p in _params(spec) if p["name"] == "hover")["select"]["nearest"] is True


def test_time_charts_zoom_only_with_shift_so_the_wheel_scrolls_the_page():
    for spec in (
        over_time.trend(retention_frame(), ["active_customers"], "en").to_dict(),
        over_time.trend(retention_frame(), ["active_customers"], "en", mark="bar").to_dict(),
    ):
        zoom = next(p for p in _params(spec) if p.get("bind") == "scales")
        assert zoom["select"]["zoom"] == "wheel![event.shiftKey]"


def test_project_scale_is_stable_and_cycles_the_palette():
    scale = chart_style.project_scale([f"p{i:02d}" for i in range(25)]).to_dict()
    assert len(scale["range"]) == 25
    assert scale["range"][20] == scale["range"][0]  # 20 colours, then repeated
    assert (
        chart_style.project_scale(["b", "a"]).to_dict()
        == chart_style.project_scale(["a", "b"]).to_dict()
    )


def test_cohort_heatmap_is_rects_with_percentage_colour_and_tooltips():
    frame = pd.DataFrame(
        {
            "cohort_month": [date(2026, 9, 1), date(2026, 9, 1), date(2026, 10, 1)],
            "months_since_first": [0, 1, 0],
            "cohort_size": [4, 4, 2],
            "active_customers": [4, 3, 2],
            "retention_rate": [1.0, 0.75, 1.0],
        }
    )
    spec = breakdowns.cohort_heatmap(frame, "zh").to_dict()
    rect, text = spec["layer"]
    assert rect["mark"]["type"] == "rect"
    assert text["mark"]["type"] == "text"
    assert rect["encoding"]["color"]["field"] == "retention_rate"
    assert rect["encoding"]["color"]["scale"]["domain"] == [0, 1]
    assert "首单月份" in _tooltip_titles(rect)
    rows = next(iter(spec["datasets"].values()))
    assert sorted({r["cohort"] for r in rows}) == ["2026-09", "2026-10"]


def test_resolution_distribution_keeps_bucket_order():
    frame = pd.DataFrame(
        {
            "bucket": ["> 72 h", "< 4 h", "4-24 h"],
            "bucket_order": [3, 1, 2],
            "complaints": [1, 5, 2],
        }
    )
    spec = breakdowns.resolution_distribution(frame, "en").to_dict()
    assert spec["mark"]["type"] == "bar"
    assert spec["encoding"]["x"]["sort"] == ["< 4 h", "4-24 h", "> 72 h"]
    assert _tooltip_titles(spec) == ["Resolution time", "Complaints"]


def breakdown_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "period_start": WEEKS + WEEKS,
            "category": ["维修", "维修", None, "噪音"],
            "channel": ["hotline", "online", "hotline", None],
            "opened": [2, 1, 1, 3],
            "resolved": [2, 1, 0, 1],
            "sla_met": [1, 1, 0, 1],
        }
    )


def test_category_channel_chart_sums_in_vega_and_labels_missing_values():
    spec = breakdowns.complaints_by_category_channel(breakdown_frame(), "en").to_dict()
    assert spec["mark"]["type"] == "bar"
    assert spec["encoding"]["x"]["aggregate"] == "sum"
    rows = next(iter(spec["datasets"].values()))
    assert {r["category"] for r in rows} == {"维修", "噪音", "(unknown)"}
    assert _has_legend_pick(spec)


def test_category_trend_zooms_on_time():
    spec = over_time.category_trend(breakdown_frame(), "zh").to_dict()
    assert spec["encoding"]["color"]["title"] == "投诉类别"
    # Channels are summed per period and category in Vega, then stacked.
    assert spec["transform"][0]["aggregate"] == [{"op": "sum", "field": "opened", "as": "opened"}]
    assert spec["encoding"]["x2"]["field"] == "period_end"
    assert _has_zoom(spec)


def test_csat_distribution_is_stacked_to_100_percent_with_red_to_green_scores():
    frame = pd.DataFrame(
        {"period_start": [WEEKS[1]] * 3, "csat": [3, 4, 5], "responses": [1, 1, 1]}
    )
    spec = over_time.csat_distribution(frame, "en").to_dict()
    assert spec["mark"]["type"] == "bar"
    # Stacked in Vega (bars span each period on a zoomable time axis), to 100 %.
    stack = next(tr for tr in spec["transform"] if "stack" in tr)
    assert stack["stack"] == "responses" and stack["offset"] == "normalize"
    assert stack["sort"] == [{"field": "csat", "order": "ascending"}]
    assert spec["encoding"]["y"]["field"] == "stack_lo"
    assert spec["encoding"]["y2"]["field"] == "stack_hi"
    assert spec["encoding"]["color"]["scale"]["domain"] == [1, 2, 3, 4, 5]
    assert spec["encoding"]["color"]["scale"]["range"][0] == chart_style.CSAT_COLOURS[0]
    assert "Share" in _tooltip_titles(spec)
    assert _has_zoom(spec)


def test_ranking_sorts_best_first_and_marks_the_target():
    frame = pd.DataFrame({"project": ["A", "B", "C"], "sla_met_rate": [0.5, 0.9, 0.7]})
    spec = breakdowns.ranking(frame, "sla_met_rate", "en", ["A", "B", "C"], target=0.8).to_dict()
    bars = spec["layer"][0]
    assert bars["encoding"]["y"]["sort"] == ["B", "C", "A"]
    assert spec["layer"][-1]["mark"]["type"] == "rule"
    lower_first = breakdowns.ranking(
        frame, "sla_met_rate", "en", ["A", "B", "C"], ascending=True
    ).to_dict()
    assert lower_first["layer"][0]["encoding"]["y"]["sort"] == ["A", "C", "B"]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_charts_serialise_nullable_integers_and_missing_rates(lang):
    frame = pd.DataFrame(
        {
            "period_start": WEEKS,
            "responses": pd.array([0, 3], dtype="Int64"),
            "nps": [None, 33.3],
        }
    )
    spec = over_time.trend(frame, ["nps"], lang, target=30).to_dict()
    rows = next(v for v in spec["datasets"].values() if v and "value" in v[0])
    assert rows[0]["value"] is None and rows[1]["value"] == pytest.approx(33.3)


def test_by_project_chart_grows_with_its_legend_and_colours_are_distinct():
    import pandas as pd

    projects = [f"P{i:02d}" for i in range(15)]
    frame = pd.DataFrame(
        {"period_start": pd.to_datetime(["2026-11-02"] * 15), "project": projects,
         "active_customers": range(15)}
    )  # fmt: skip
    spec = over_time.by_project_trend(frame, "active_customers", "en", projects).to_dict()
    # 5 coloured projects + "other projects" in 3 legend columns = 2 rows of 18 px
    assert spec["height"] == chart_style.HEIGHT + 2 * 18
    colours = chart_style.project_scale(projects).to_dict()["range"]
    assert len(set(colours)) == 15  # no two projects share a colour


def test_a_result_of_numbers_only_gets_quick_chart_axes():
    from dashboard.sqllab.chart import ROW_NUMBER, build_chart, default_axes, with_row_number

    single = pd.DataFrame({"range": list(range(10))})  # select * from range(10)
    assert default_axes(single) == (ROW_NUMBER, "range")
    numbered = with_row_number(single)
    assert list(numbered[ROW_NUMBER]) == list(range(1, 11))
    spec = build_chart(numbered, mark="bar", x=ROW_NUMBER, y="range").to_dict()
    assert spec["encoding"]["x"]["field"] == ROW_NUMBER
    assert len(spec["datasets"][next(iter(spec["datasets"]))]) == 10
    pair = pd.DataFrame({"a": [1, 2], "b": [3.0, 4.0]})
    assert default_axes(pair) == ("a", "b")
    assert default_axes(pd.DataFrame({"p": ["x"], "n": [1]})) == ("p", "n")


def test_analyst_x_labels_are_level_when_short_and_slanted_when_long():
    from dashboard.sqllab.chart import category_angle

    assert category_angle(pd.Series(["维修", "停车", "保洁"])) == 0
    # eight Chinese categories side by side do not fit level: slanted, never vertical
    eight = pd.Series(["维修", "停车", "保洁", "收费", "安保", "噪音", "服务态度", "绿化"])
    assert category_angle(eight) == -35
    assert category_angle(pd.Series(["a category name that is long"])) == -35


def test_an_analyst_project_legend_lists_only_the_projects_in_the_result():
    from dashboard.sqllab.chart import build_chart

    every = [f"P{i:02d}" for i in range(15)]
    frame = pd.DataFrame(
        {"quarter": ["Q1", "Q1", "Q2", "Q2"], "csat": [4.0, 3.5, 4.2, 3.9],
         "project": ["P03", "P11", "P03", "P11"]}
    )  # fmt: skip
    spec = build_chart(frame, mark="line", x="quarter", y="csat", color="project", projects=every)
    color = spec.to_dict()["encoding"]["color"]
    assert color["scale"]["domain"] == ["P03", "P11"]
    # the same colours as on every page (positions 3 and 11 of the full list)
    full = chart_style.project_scale(every)
    assert color["scale"]["range"] == [full.range[3], full.range[11]]
    assert color["legend"]["symbolLimit"] == 0  # no entry dropped


def test_a_few_periods_get_a_wider_time_axis_so_one_bar_does_not_fill_it():
    one = pd.DataFrame({"period_start": [date(2026, 11, 2)], "category": ["维修"], "opened": [1]})
    spec = over_time.category_trend(one, "zh").to_dict()
    domain = spec["encoding"]["x"]["scale"]["domain"]
    # a week before and two after the only week (its bar spans 11-02 .. 11-08)
    assert domain[0].startswith("2026-10-26") and domain[1].startswith("2026-11-16")
    many = pd.DataFrame(
        {"period_start": [date(2026, 10, 5) + pd.Timedelta(days=7 * i) for i in range(6)],
         "category": ["维修"] * 6, "opened": [1] * 6}
    )  # fmt: skip
    assert "scale" not in over_time.category_trend(many, "zh").to_dict()["encoding"]["x"]


def test_table_values_with_their_own_word_read_in_the_language():
    from dashboard.ui.components import _formatter
    from dashboard.ui.context import Context
    from dashboard.ui.filters import FilterState

    zh = Context(state=FilterState(lang="zh"), settings=None, dimensions=(), span=None)
    kinds = _formatter(pd.Series(["customers", "orders"], name="kind"), None, zh)
    assert [kinds(v) for v in ["customers", "orders", None]] == ["客户", "订单", ""]
    flows = _formatter(pd.Series(["retained", "lost"], name="flow"), None, zh)
    assert [flows("retained"), flows("lost")] == ["留存", "流失"]
    names = _formatter(pd.Series(["Ann", "orders"], name="customer_name"), None, zh)
    assert names("orders") == "orders"  # no word for customer_name 'orders': as it is


def test_many_analyst_bar_categories_run_across_one_row_each():
    from dashboard.sqllab.chart import build_chart

    staff = pd.DataFrame({"staff": [f"员工{i}" for i in range(20)], "visits": range(20, 0, -1)})
    spec = build_chart(staff, mark="bar", x="staff", y="visits").to_dict()
    assert spec["encoding"]["y"]["field"] == "staff" and spec["encoding"]["x"]["field"] == "visits"
    assert spec["height"] == {"step": 20}
    few = build_chart(staff.head(5), mark="bar", x="staff", y="visits").to_dict()
    assert few["encoding"]["x"]["field"] == "staff"  # a few stay upright
