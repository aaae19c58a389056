"""The SLA clock's words, in English and Chinese (#17): the note under the complaint charts
(``dashboard.present.sla_note``) and the columns of open-past-SLA lists (the Complaints page,
the report, notifications). Part of the one catalogue (``dashboard.present.i18n``), under
their bare keys."""

from __future__ import annotations

# key -> (English, 中文)
SLA: dict[str, tuple[str, str]] = {
    # columns of open-past-SLA lists
    "hours_open": ("Hours open (calendar)", "已开启（自然小时）"),
    "business_hours_open": ("Hours open (business)", "已开启（工作小时）"),
    "sla_clock": ("SLA clock", "计时方式"),
    "sla_hours": ("SLA (hours)", "时限（小时）"),
    # the SLA clock note (dashboard/present/sla_note.py)
    "sla_note": ("SLA clock: {rules}.", "办结时限计时：{rules}。"),
    "sla_note_default": ("default {hours} h, {clock}", "默认 {hours} 小时，{clock}"),
    "sla_note_rule": ("{match}: {hours} h, {clock}", "{match}：{hours} 小时，{clock}"),
    "sla_note_severity": ("severity {value}", "紧急程度 {value}"),
    "sla_note_category": ("category {value}", "类别 {value}"),
    "sla_clock_calendar": ("calendar hours (every hour counts)", "自然小时（每小时都计）"),
    "sla_clock_business": (
        "business hours ({hours} on working days)",
        "工作小时（工作日 {hours}）",
    ),
    "sla_calendar_days": (
        "Working days: {workdays}, {holidays}; see `kpi calendar`. "
        "Resolution-time charts stay in calendar hours.",
        "工作日：{workdays}，{holidays}；详见 `kpi calendar`。处理时长图表仍按自然小时。",
    ),
    "sla_holidays_cn": (
        "minus China's public holidays, plus its make-up working days (调休)",
        "扣除中国法定节假日，加上调休上班日",
    ),
    "sla_holidays_none": ("no public holidays", "不扣除节假日"),
}
