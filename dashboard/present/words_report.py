"""The weekly report's words, in English and Chinese: part of the one catalogue
(``dashboard.present.i18n``), where they are ``report.<key>``. KPI names follow the
vocabulary of shared/spec/domain.md; where the dashboard has a word for the same thing the
report uses the dashboard's (``dashboard.report.labels``)."""

from __future__ import annotations

# key -> (English, 中文)
REPORT: dict[str, tuple[str, str]] = {
    # --- headline KPIs (keys = KPI column names) ---
    "active_customers": ("Active customers", "活跃客户数"),
    "retention_rate": ("Retention rate", "客户保留率"),
    "new_customers": ("New customers", "新增客户数"),
    "lost_customers": ("Lost customers", "流失客户数"),
    "opened": ("Complaints opened", "新增投诉数"),
    "median_resolution_hours": ("Median resolution time", "处理时长中位数"),
    "sla_met_rate": ("SLA attainment", "按时办结率"),
    "backlog_end": ("Complaint backlog", "未办结投诉"),
    "csat_avg": ("CSAT (1-5)", "满意度均分（1-5）"),
    "satisfied_rate": ("Satisfied rate", "满意率"),
    "nps": ("NPS", "净推荐值（NPS）"),
    "coverage_rate": ("VIP revisit coverage", "VIP客户回访覆盖率"),
    "overdue_vips": ("Overdue VIPs", "逾期未回访VIP"),
    "coverage_rate.mtd": ("VIP coverage (month to date)", "VIP回访覆盖率（本月至今）"),
    "month_running": ("month still running", "本月尚未结束"),
    "section.customers": ("Customers", "客户"),
    "section.complaints": ("Complaints", "投诉"),
    "section.satisfaction": ("Satisfaction", "满意度"),
    "section.vip": ("VIP revisit", "VIP回访"),
    "status_summary": ("Against target", "目标达成"),
    # --- KPI tables (kpi show ids) ---
    "kpi.retention": ("Retention", "客户保留"),
    "kpi.complaints": ("Complaints", "投诉处理"),
    "kpi.satisfaction": ("Satisfaction", "满意度"),
    "kpi.vip_coverage": ("VIP revisit", "VIP客户回访"),
    # --- columns of kpi show and of the lists ---
    "col.period_start": ("Week starting", "周起始日"),
    "col.previous_active": ("Active previous week", "上周活跃客户"),
    "col.retained_customers": ("Retained customers", "保留客户数"),
    "col.churn_rate": ("Churn rate", "客户流失率"),
    "col.resolved": ("Resolved", "已办结"),
    "col.p90_resolution_hours": ("P90 resolution hours", "处理时长P90（小时）"),
    "col.sla_met": ("Resolved within SLA", "按时办结数"),
    "col.median_first_response_hours": (
        "Median first response hours",
        "首次响应时长中位数（小时）",
    ),
    "col.responses": ("Responses", "问卷数"),
    "col.nps_responses": ("NPS responses", "NPS答卷数"),
    "col.vip_customers": ("VIP customers", "VIP客户数"),
    "col.vip_contacted": ("VIPs contacted", "已回访VIP"),
    "col.phone_contacts": ("Phone calls", "电话回访"),
    "col.visit_contacts": ("Visits", "上门拜访"),
    "col.complaint_id": ("Complaint", "投诉编号"),
    "col.project": ("Project", "项目"),
    "col.region": ("Region", "区域"),
    "col.category": ("Category", "投诉类别"),
    "col.severity": ("Severity", "紧急程度"),
    "col.opened_at": ("Opened", "投诉时间"),
    "col.hours_open": ("Hours open", "已开启（小时）"),
    "col.sla_hours": ("SLA (hours)", "时限（小时）"),
    "col.sla_clock": ("SLA clock", "计时方式"),
    "col.business_hours_open": ("Business hours open", "已开启（工作小时）"),
    "col.customer_id": ("Customer", "客户编号"),
    "col.customer_name": ("Name", "客户名称"),
    "col.vip_since": ("VIP since", "VIP起始日期"),
    "col.last_contact_at": ("Last contact", "最近回访"),
    "col.days_since_contact": ("Days since contact", "距上次回访（天）"),
    "col.days_overdue": ("Days overdue", "逾期天数"),
    "col.kind": ("Data", "数据"),
    "col.rows": ("Rows", "行数"),
    "col.first_event_at": ("First event", "最早记录"),
    "col.last_event_at": ("Last event", "最新记录"),
    "col.last_import_at": ("Last import", "最近导入"),
    "col.kpi": ("KPI", "指标"),
    "col.value": ("This week", "本周"),
    "col.previous": ("Previous week", "上周"),
    "col.change": ("Change", "变化"),
    "col.target": ("Target", "目标"),
    "col.status": ("Status", "状态"),
    "col.unit": ("Unit", "单位"),
    # --- data kinds ---
    "kind.customers": ("Customers", "客户"),
    "kind.orders": ("Orders", "订单"),
    "kind.complaints": ("Complaints", "投诉"),
    "kind.surveys": ("Surveys", "满意度调查"),
    "kind.vip_contacts": ("VIP contacts", "VIP回访记录"),
    # --- status ---
    "status.green": ("On target", "达标"),
    "status.amber": ("Near target", "接近目标"),
    "status.red": ("Off target", "未达标"),
    "status.none": ("No target", "未设目标"),
    "status.few": ("Too few cases", "样本过少"),
    "sample_size": ("n = {n}", "样本 {n}"),
    # --- report text ---
    "title": ("Weekly service-quality report", "服务质量周报"),
    "week": ("Week", "周次"),
    "scope": ("Scope", "范围"),
    "scope.all": ("All projects and regions", "全部项目与区域"),
    "scope.projects": ("Projects", "项目"),
    "scope.regions": ("Regions", "区域"),
    "vs_previous": ("vs previous week", "较上周"),
    "target": ("Target", "目标"),
    "trend_12w": ("12-week trend", "近12周趋势"),
    "headlines": ("Headline KPIs", "核心指标"),
    "movers": ("Projects that moved most", "变化最大的项目"),
    "movers.note": (
        "Change of each project's rates against the previous week, in percentage points "
        "(projects with at least 5 cases behind the rate in both weeks, as on the dashboard).",
        "各项目比率指标较上周的变化（百分点；仅含两周样本均不少于5个的项目，与看板一致）。",
    ),
    "improving": ("Improving", "改善"),
    "worsening": ("Worsening", "下滑"),
    "no_movers": ("No project changed between the two weeks.", "两周之间没有项目发生变化。"),
    "open_past_sla": ("Complaints past their SLA and still open", "超时未办结投诉"),
    "open_past_sla.note": (
        "Open at the end of the week and older than their SLA; oldest first.",
        "截至本周末仍未办结且已超过办结时限，按时长排序。",
    ),
    "overdue_list": ("Overdue VIPs", "逾期未回访VIP客户"),
    "overdue_list.note": (
        "VIPs with no contact in the {days} days up to the end of the week; longest first.",
        "截至本周末{days}天内未回访的VIP客户，按逾期天数排序。",
    ),
    "none_listed": ("None - nothing to follow up.", "无。"),
    "more_rows": ("… and {n} more (see the Excel report).", "……另有{n}条（见Excel报表）。"),
    "freshness": ("Data freshness", "数据更新情况"),
    "partial_week": (
        "Partial week: the data end on {last}, so this week is not complete.",
        "本周数据不完整：数据截至{last}。",
    ),
    "no_data_title": ("No data for this week", "本周无数据"),
    "no_data_text": (
        "There are no orders, complaints, survey responses or VIP contacts in {week} "
        "({start} - {end}) for this scope.",
        "{week}（{start} 至 {end}）在此范围内没有订单、投诉、满意度问卷或VIP回访记录。",
    ),
    "no_data_hint": (
        "The latest complete week with data is {week}.",
        "最近一个有数据的完整周为{week}。",
    ),
    "empty_db": (
        "The database holds no data yet: load exports with `kpi ingest`.",
        "数据库中还没有数据：请先用 kpi ingest 导入数据。",
    ),
    "thresholds": (
        "Status against the targets of kpi.toml: on track (green) = meets the target; at risk "
        "(amber) = misses it by at most 2 percentage points (rates), 5 points (NPS) or 5 % of "
        "the target (other KPIs); off track (red) = misses it by more. Changes of rates are in "
        "percentage points (pp). VIP coverage is month to date: the VIP programme calls every "
        "VIP monthly.",
        "状态依据 kpi.toml 中的目标：达标（绿）＝达到目标；预警（黄）＝差距不超过2个百分点"
        "（比率）、5分（NPS）或目标值的5%（其他指标）；未达标（红）＝差距更大。比率的变化以"
        "百分点表示。VIP回访覆盖率为本月至今（VIP客户每月回访一次）。",
    ),
    "generated": ("Generated {when} from data up to {last}.", "生成于{when}，数据截至{last}。"),
    "summary": ("Summary", "摘要"),
    "unit.rate": ("%", "%"),
    "unit.hours": ("hours", "小时"),
    "unit.count": ("count", "数量"),
    "unit.score": ("score 1-5", "分（1-5）"),
    "unit.nps": ("points", "分"),
    "pp": ("pp", "个百分点"),
    "h": ("h", "小时"),
    "na": ("n/a", "无"),
    "sheet.open_past_sla": ("Open past SLA", "超时未办结"),
    "sheet.overdue_vips": ("Overdue VIPs", "逾期VIP"),
    "sheet.freshness": ("Data freshness", "数据更新"),
}
