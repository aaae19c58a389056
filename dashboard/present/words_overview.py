"""The Overview page's words, in English and Chinese: the KPI tiles, the heading of the week or
month shown, the biggest movers and the data freshness. Part of the one catalogue
(``dashboard.present.i18n``), under their bare keys."""

from __future__ import annotations

# key -> (English, 中文)
OVERVIEW: dict[str, tuple[str, str]] = {
    # tiles
    "vs_prev_week": ("vs previous week", "较上周"),
    "vs_prev_month": ("vs previous month", "较上月"),
    "sparkline_name": ("{label}, the last 12 periods", "{label}，最近 12 期"),
    "status_green": ("on track", "达标"),
    "status_amber": ("at risk", "预警"),
    "status_red": ("off track", "未达标"),
    "target_line": ("Target {target} · {status}", "目标 {target} · {status}"),
    "no_target": ("No target set", "未设定目标"),
    "sample_size": ("n = {n}", "样本 {n}"),
    "too_few_cases": ("too few cases (under {min})", "样本过少（不足 {min}）"),
    "pp": ("pp", "个百分点"),
    "hours_unit": ("h", "小时"),
    "section_customers": ("Customers", "客户"),
    "section_complaints": ("Complaints", "投诉"),
    "section_satisfaction": ("Satisfaction", "满意度"),
    "section_vip": ("VIP revisit", "VIP回访"),
    # the heading: the latest complete week or month, partial periods
    "overview_heading_week": ("Week {label} ({start} – {end})", "{label}周（{start} 至 {end}）"),
    "overview_heading_month": ("Month {label} ({start} – {end})", "{label}月（{start} 至 {end}）"),
    "overview_caption_week": (
        "Latest complete week in the data, as of its Sunday; changes are against the week before.",
        "数据中最近一个完整周（截至该周周日）；变化均与前一周相比。",
    ),
    "overview_caption_week_to": (
        "The last complete week ending on or before {to} (the end of the chosen date range), "
        "as of its Sunday; changes are against the week before.",
        "截至 {to}（所选日期范围的结束日）的最后一个完整周（截至该周周日）；变化均与前一周相比。",
    ),
    "overview_caption_month": (
        "Latest complete month in the data, as of its last day; changes are against the "
        "month before.",
        "数据中最近一个完整月（截至该月最后一天）；变化均与前一个月相比。",
    ),
    "overview_caption_month_to": (
        "The last complete month ending on or before {to} (the end of the chosen date "
        "range); changes are against the month before.",
        "截至 {to}（所选日期范围的结束日）的最后一个完整月；变化均与前一个月相比。",
    ),
    "partial_week": (
        "The week of {start} is partial (data up to {last}); it is not compared with a full week.",
        "{start} 当周数据不完整（截至 {last}），不与完整周比较。",
    ),
    "partial_month": (
        "The month of {start} is partial (data up to {last}); it is not compared with a full "
        "month.",
        "{start} 当月数据不完整（截至 {last}），不与完整月份比较。",
    ),
    "no_complete_week": (
        "The data do not cover a complete week yet (last event {last}).",
        "数据尚未覆盖一个完整周（最后事件日期 {last}）。",
    ),
    "no_complete_month": (
        "The data do not cover a complete month yet (up to {last}).",
        "数据尚未覆盖一个完整月（截至 {last}）。",
    ),
    "mtd_partial": (
        "Month to date (through {last}); not compared with a full month.",
        "本月至今（截至 {last}），不与完整月份比较。",
    ),
    # biggest movers
    "movers": ("Biggest movers among projects", "项目变化最大"),
    "movers_caption_week": (
        "Largest week-on-week changes of rates, in percentage points (projects with at "
        "least 5 cases behind the rate in both weeks).",
        "各项比率周环比变化最大的项目（百分点；仅含两周样本均不少于5个的项目）。",
    ),
    "movers_caption_month": (
        "Largest month-on-month changes of rates, in percentage points (projects with at "
        "least 5 cases behind the rate in both months).",
        "各项比率月环比变化最大的项目（百分点；仅含两个月样本均不少于5个的项目）。",
    ),
    "no_movers": ("No project changed in the compared weeks.", "对比周内各项目无变化。"),
    "measure_col": ("KPI", "指标"),
    "this_week": ("This week", "本周"),
    "last_week": ("Previous week", "上周"),
    "this_month": ("This month", "本月"),
    "last_month": ("Previous month", "上月"),
    "change": ("Change", "变化"),
    # data freshness
    "freshness": ("Data freshness", "数据新鲜度"),
    "kind": ("Data", "数据类型"),
    "rows": ("Rows", "行数"),
    "first_event_at": ("First event", "最早事件"),
    "last_event_at": ("Last event", "最近事件"),
    "last_import_at": ("Last import", "最近导入"),
    "kind_customers": ("Customers", "客户"),
    "kind_orders": ("Orders", "订单"),
    "kind_complaints": ("Complaints", "投诉"),
    "kind_surveys": ("Surveys", "满意度调查"),
    "kind_vip_contacts": ("VIP contacts", "VIP回访记录"),
}
