"""The drill-down's words, in English and Chinese (#12): the rows behind a number, a chart point
or a ranking row (``dashboard.ui.drilldown``), and their columns. Part of the one catalogue
(``dashboard.present.i18n``), under their bare keys."""

from __future__ import annotations

# key -> (English, 中文)
DRILLDOWN: dict[str, tuple[str, str]] = {
    # --- #12: drill-down to the rows behind a number
    "rows_behind": ("Rows", "明细"),
    "rows_behind_help": ("The rows behind this number", "查看这个数字背后的明细"),
    "drill_heading": ("The rows behind: {what}", "数字背后的明细：{what}"),
    "drill_caption": (
        "{period}, with the filters of the sidebar; the same rows the number counts.",
        "{period}，按侧栏筛选条件；即该数字所统计的记录。",
    ),
    "drill_lost_customers": ("customers lost", "流失客户"),
    "drill_complaint_details": (
        "complaints opened, with their SLA status",
        "受理的投诉及其办结状态",
    ),
    "drill_survey_responses": ("survey answers", "满意度问卷"),
    "drill_overdue_vips": ("overdue VIPs at the period's end", "期末逾期未回访 VIP"),
    # drill-down from a chart point or a ranking row (#12)
    "drill_none": (
        "No rows behind this number for these filters.",
        "在当前筛选条件下，这个数字背后没有明细。",
    ),
    "drill_row_hint": (
        "Click a row (or a bar above) to see the rows behind that project's number.",
        "点击表格中的一行（或上方的条形）即可查看该项目数字背后的明细。",
    ),
    "sla_status": ("SLA status", "时限状态"),
    "sla_status_met": ("met", "按时办结"),
    "sla_status_missed": ("missed", "超时办结"),
    "sla_status_open": ("still open", "未办结"),
    "response_id": ("Response", "问卷编号"),
    "submitted_at": ("Submitted", "提交时间"),
    "complaint_id": ("Complaint", "投诉编号"),
    "severity": ("Severity", "紧急程度"),
    "opened_at": ("Opened", "受理时间"),
    "is_sla_met": ("Within SLA", "按时办结"),
}
