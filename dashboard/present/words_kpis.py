"""The names of the KPIs and of the columns queries return, in English and Chinese: axis titles,
tooltips and table headers on every page, and the names the report and the query labels
(``dashboard.present.query_labels``) fall back on. Part of the one catalogue
(``dashboard.present.i18n``), under their bare keys (the column names)."""

from __future__ import annotations

# key -> (English, 中文)
KPIS: dict[str, tuple[str, str]] = {
    # KPI names (also used as axis titles and tooltips)
    "active_customers": ("Active customers", "活跃客户数"),
    "previous_active": ("Active in previous period", "上期活跃客户数"),
    "retained_customers": ("Retained customers", "保留客户数"),
    "new_customers": ("New customers", "新增客户数"),
    "lost_customers": ("Lost customers", "流失客户数"),
    "retention_rate": ("Retention rate", "客户保留率"),
    "churn_rate": ("Churn rate", "客户流失率"),
    "cohort_month": ("Cohort (first order month)", "首单月份"),
    "months_since_first": ("Months since first order", "首单后月数"),
    "cohort_size": ("Cohort size", "客户群规模"),
    "opened": ("Complaints opened", "新增投诉"),
    "resolved": ("Resolved", "已办结"),
    "median_resolution_hours": ("Median resolution (h)", "处理时长中位数(小时)"),
    "p90_resolution_hours": ("P90 resolution (h)", "处理时长P90(小时)"),
    "sla_met": ("Resolved within SLA", "按时办结数"),
    "sla_met_rate": ("SLA attainment", "按时办结率"),
    "median_first_response_hours": ("Median first response (h)", "首次响应中位数(小时)"),
    "backlog_end": ("Open backlog", "未办结投诉"),
    "responses": ("Survey responses", "问卷数"),
    "csat_avg": ("CSAT (1-5)", "满意度均分(1-5)"),
    "satisfied_rate": ("Satisfied rate (4-5)", "满意率(4-5分)"),
    "nps_responses": ("NPS responses", "NPS问卷数"),
    "nps": ("NPS", "净推荐值NPS"),
    "csat": ("CSAT score", "满意度评分"),
    "vip_customers": ("VIP customers", "VIP客户数"),
    "vip_contacted": ("VIPs contacted", "已回访VIP数"),
    "coverage_rate": ("VIP coverage", "VIP回访覆盖率"),
    "coverage_rate_mtd": ("VIP coverage (month to date)", "VIP回访覆盖率(本月至今)"),
    "phone_contacts": ("Phone calls", "电话回访"),
    "visit_contacts": ("Visits", "上门拜访"),
    "overdue_vips": ("Overdue VIPs", "逾期未回访VIP"),
    # dimensions, counts and the parts of a chart
    "project": ("Project", "项目"),
    "region": ("Region", "区域"),
    "category": ("Category", "投诉类别"),
    "channel": ("Channel", "投诉渠道"),
    "bucket": ("Resolution time", "处理时长"),
    "complaints_count": ("Complaints", "投诉数"),
    "share": ("Share", "占比"),
    "value": ("Value", "数值"),
    "target": ("Target", "目标"),
    "measure": ("Measure", "指标"),
    "customers": ("Customers", "客户数"),
    # columns of analyst and drill-down queries: labelled in their own files ([labels])
    "bucket_order": ("Order", "顺序"),
    "complaints": ("Complaints", "投诉数"),
    "orders": ("Orders", "订单数"),
    "flow": ("Flow", "流动"),
}
