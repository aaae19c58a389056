"""The KPI pages' words, in English and Chinese: the chart titles, hints and tables of Retention,
Complaints, Satisfaction, VIP revisit and Projects. Part of the one catalogue
(``dashboard.present.i18n``), under their bare keys."""

from __future__ import annotations

# key -> (English, 中文)
KPI_PAGES: dict[str, tuple[str, str]] = {
    # shared by the chart pages
    "chart_hint": (
        "Shift + mouse wheel zooms the time axis, dragging pans, a double-click resets.",
        "按住 Shift 滚动鼠标滚轮可缩放时间轴，拖动可平移，双击复原。",
    ),
    "chart_hint_drill": (
        "Click a period to see its complaints. Shift + mouse wheel zooms the time axis, "
        "dragging pans, a double-click resets.",
        "点击某一期可查看该期的投诉明细。按住 Shift 滚动鼠标滚轮可缩放时间轴，拖动可平移，双击复原。",
    ),
    "chart_no_data": (
        "No data for these filters in this chart (no case in any period shown).",
        "在当前筛选条件下，此图没有数据（所显示的各期均无案例）。",
    ),
    "table": ("Table", "数据表"),
    # retention page
    "leaky_bucket": ("Active and lost customers (the leaky bucket)", "活跃与流失客户（漏桶）"),
    "leaky_caption": (
        "Above the line, who is active: retained (also active the period before), returning "
        "(back after a gap) and new (first order ever) - together the active customers. Below "
        "it, the lost: active the period before, not now. A stable total can hide heavy churn.",
        "线上方为本期活跃客户：留存（上期也活跃）、回流（间隔后再次下单）与新增（首次下单），"
        "合计即活跃客户数；线下方为流失客户：上期活跃、本期未下单。总数稳定也可能掩盖大量流失。",
    ),
    "flow_retained": ("Retained", "留存"),
    "flow_returning": ("Returning", "回流"),
    "flow_new": ("New", "新增"),
    "flow_lost": ("Lost", "流失"),
    "other_projects": ("other projects", "其他项目"),
    "retention_trend": ("Retention and churn rate", "客户保留率与流失率"),
    "active_trend": ("Active customers", "活跃客户数"),
    "cohort_heatmap": ("Cohort retention by first-order month", "按首单月份的客户群保留率"),
    # complaints page
    "resolution_distribution": ("Resolution-time distribution", "处理时长分布"),
    "resolution_trend": (
        "Resolution time: median and first response",
        "处理时长：中位数与首次响应",
    ),
    "sla_trend": ("SLA attainment", "按时办结率"),
    "backlog_trend": ("Open backlog at period end", "期末未办结投诉"),
    "by_category": ("Complaints by category and channel", "按类别与渠道的投诉"),
    "category_trend": ("Complaints by category over time", "各类别投诉趋势"),
    "hours_axis": ("Hours", "小时"),
    "p90_trend": ("Slowest 10 %: P90 resolution time", "最慢的 10%：P90 处理时长"),
    "open_past_sla_table": ("Open complaints past their SLA", "超时未办结投诉"),
    # satisfaction page
    "csat_distribution": ("CSAT distribution (1-5)", "满意度评分分布(1-5)"),
    "csat_trend": ("CSAT and satisfied rate", "满意度均分与满意率"),
    "nps_trend": ("NPS", "净推荐值NPS"),
    # VIP page
    "vip_coverage_trend": ("VIP coverage vs 100 % monthly target", "VIP回访覆盖率（目标100%）"),
    "vip_contacts_trend": ("Contacts by method", "按方式的回访次数"),
    "method": ("Method", "回访方式"),
    "contacts": ("Contacts", "回访次数"),
    "overdue_table": ("Overdue VIPs", "逾期未回访VIP"),
    "overdue_caption": (
        "VIPs without a contact in the {days} days up to {as_of}.",
        "截至 {as_of}，{days} 天内未回访的VIP客户。",
    ),
    "no_overdue": ("Every VIP was contacted in time.", "所有VIP客户均已按时回访。"),
    "customer_id": ("Customer ID", "客户编号"),
    "customer_name": ("Customer", "客户名称"),
    "vip_since": ("VIP since", "VIP起始日期"),
    "last_contact_at": ("Last contact", "最近回访"),
    "days_since_contact": ("Days since contact", "距上次回访天数"),
    "days_overdue": ("Days overdue", "逾期天数"),
    "never": ("never", "从未"),
    # projects page
    "ranking": ("Project ranking", "项目排名"),
    "ranking_kpi": ("KPI", "指标"),
    "ranking_period": ("Period", "周期"),
    "rank": ("Rank", "排名"),
    "partial_suffix": (" (partial)", "（不完整）"),
    "previous_rank": ("Previous rank", "上期排名"),
    "rank_change": ("Rank change", "排名变化"),
    "previous_value": ("Previous value", "上期数值"),
    "ranking_caption": (
        "All projects in scope for {period}, best first; rank change against {previous}.",
        "{period} 范围内所有项目，从优到差排列；排名变化与 {previous} 相比。",
    ),
    "no_projects": (
        "No project has this KPI in the chosen period.",
        "所选周期内没有项目有此指标。",
    ),
    # a department head's ranks among all projects, the others unnamed (#15)
    "rank_of": ("rank {rank} of {total}", "第 {rank} 名 / 共 {total} 个"),
    "rank_column": ("Rank among all projects", "在全部项目中的排名"),
    "rank_anonymous_caption": (
        "Your projects' places among all {total} projects with a value in {period}; the other "
        "projects are not named.",
        "您的项目在 {period} 有数值的全部 {total} 个项目中的名次；其他项目不显示名称。",
    ),
    "company_value": ("Company-wide", "全公司"),
}
