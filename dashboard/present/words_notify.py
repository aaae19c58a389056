"""Notifications' words, in English and Chinese: part of the one catalogue
(``dashboard.present.i18n``), where they are ``notify.<key>`` (the messages) and
``notify_log.<key>`` (the Data page's delivery log)."""

from __future__ import annotations

# key -> (English, 中文)
NOTIFY: dict[str, tuple[str, str]] = {
    "weekly_title": ("Weekly KPI report {week}", "每周KPI周报 {week}"),
    "week_line": ("Week {week} ({first} – {last})", "周次 {week}（{first} 至 {last}）"),
    "month_line": ("Month {month} ({first} – {last})", "月份 {month}（{first} 至 {last}）"),
    "scope_projects": ("Projects: {names}", "项目：{names}"),
    "scope_regions": ("Regions: {names}", "区域：{names}"),
    "no_data": (
        "No data for this week yet (latest data: {last}). Check that the exports were loaded.",
        "本周暂无数据（最新数据：{last}）。请检查导出文件是否已导入。",
    ),
    "no_data_at_all": ("The database has no data yet.", "数据库中还没有数据。"),
    "vs_previous_week": ("{change} vs previous week", "较上周 {change}"),
    "vs_previous_month": ("{change} vs previous month", "较上月 {change}"),
    "vs_previous": ("{change} vs previous period", "较上期 {change}"),
    "target": ("target {target}", "目标 {target}"),
    "status_target": ("{status} (target {target})", "{status}（目标 {target}）"),
    "status_green": ("✅ on target", "✅ 达标"),
    "status_amber": ("⚠️ near target", "⚠️ 接近目标"),
    "status_red": ("❌ off target", "❌ 未达标"),
    "too_few": ("too few cases (n = {n})", "样本过少（n = {n}）"),
    "summary": (
        "Against target: {green} on target, {amber} near, {red} off",
        "目标达成：{green} 项达标，{amber} 项接近，{red} 项未达标",
    ),
    "open_past_sla_count": (
        "Open complaints past their SLA at week end: {n}",
        "周末超时未办结投诉：{n} 件",
    ),
    "overdue_vips_count": ("Overdue VIPs at week end: {n}", "周末逾期未回访VIP：{n} 位"),
    "mtd": ("month to date", "本月至今"),
    "open_dashboard": ("Open the dashboard", "打开看板"),
    "more_items": ("… and {n} more: see the dashboard", "……另有 {n} 条，请查看看板"),
    "attached": (
        "The full report is attached (HTML and Excel).",
        "完整周报见附件（HTML 和 Excel）。",
    ),
    # threshold alerts
    "alert_title": (
        "Alert: {metric} {condition} in {period}",
        "预警：{period} {metric}{condition}",
    ),
    "cond_below": ("below {limit}", "低于 {limit}"),
    "cond_above": ("above {limit}", "高于 {limit}"),
    "cond_change_below": ("fell by more than {limit}", "下降超过 {limit}"),
    "cond_change_above": ("rose by more than {limit}", "上升超过 {limit}"),
    "cond_change_below_pos": ("changed by less than {limit}", "变化小于 {limit}"),
    "cond_change_above_neg": ("changed by more than {limit}", "变化大于 {limit}"),
    "value_line": ("{metric}: {value}", "{metric}：{value}"),
    "previous_line": ("Previous period: {value}", "上期：{value}"),
    "cases_line": ("Based on {n} cases ({column})", "基于 {n} 个样本（{column}）"),
    # lists
    "sla_title": ("Open complaints past their SLA: {n}", "超时未办结投诉：{n} 件"),
    "sla_none": ("No open complaint is past its SLA.", "目前没有超时未办结的投诉。"),
    "as_of_line": ("As of {moment} ({zone})", "截至 {moment}（{zone}）"),
    "sla_item": (
        "{id} · {project} · {category} · opened {opened} · {overdue} {clock} past the {sla} {clock} SLA",
        "{id} · {project} · {category} · {opened} 开启 · 超时 {overdue} {clock}（时限 {sla} {clock}）",
    ),
    "hours": ("h", "小时"),
    "working_hours": ("working h", "工作小时"),
    "vip_title": ("Overdue VIPs to call: {n}", "待回访逾期VIP：{n} 位"),
    "vip_none": ("No VIP is overdue.", "目前没有逾期未回访的VIP。"),
    "vip_interval": (
        "Overdue: no contact in the {days} days up to {day}",
        "逾期：截至 {day} 的 {days} 天内未回访",
    ),
    "vip_item": (
        "{id} {name} · {project} · last contact {last} ({days} days ago)",
        "{id} {name} · {project} · 最近回访 {last}（{days} 天前）",
    ),
    "vip_item_never": (
        "{id} {name} · {project} · never contacted",
        "{id} {name} · {project} · 从未回访",
    ),
}


# The Data page's delivery log (dashboard/ui/pages/notify_log.py).
NOTIFY_LOG: dict[str, tuple[str, str]] = {
    "deliveries": ("Notification deliveries", "通知发送记录"),
    "no_deliveries": (
        "No notification has been sent yet (see `kpi notify` in docs/OPERATIONS.md).",
        "尚未发送任何通知（见 docs/OPERATIONS.md 中的 `kpi notify`）。",
    ),
    "needs_operator": (
        "{failed} failed and {unknown} unknown deliveries. Failed ones are retried by the next "
        "`kpi notify`; an unknown one (a run stopped while sending) is not: check the chat, then "
        "run `kpi notify --mark-sent KEY` or `--resend KEY`.",
        "{failed} 条发送失败，{unknown} 条状态未知。失败的会在下次 `kpi notify` 时重试；状态未知的"
        "（发送中途运行中断）不会自动重发：请先在群里确认，再运行 `kpi notify --mark-sent KEY` 或 `--resend KEY`。",
    ),
    "failed_attempts": ("Failed attempts and the channels' answers", "失败的发送及渠道返回"),
    "status_sent": ("sent", "已发送"),
    "status_failed": ("failed", "失败"),
    "status_sending": ("unknown (sending interrupted)", "未知（发送中断）"),
    "col_last_attempt_at": ("Last attempt", "最近尝试"),
    "col_rule": ("Rule", "规则"),
    "col_period": ("Period", "周期"),
    "col_channel": ("Channel", "渠道"),
    "col_status": ("Status", "状态"),
    "col_attempts": ("Attempts", "尝试次数"),
    "col_sent_at": ("Sent at", "发送时间"),
    "col_answer": ("Channel's answer", "渠道返回"),
    "col_attempted_at": ("Attempted at", "尝试时间"),
    "col_attempt": ("Attempt", "第几次"),
}
