"""Every word of the events feature in English and Chinese (#12).

``TEXT`` is merged into the app's label table (``dashboard.present.i18n``); the problems are also
worded here for the CLI and the import (``problem_text``), which run without the app.
"""

from __future__ import annotations

# key -> (English, 中文)
TEXT: dict[str, tuple[str, str]] = {
    # problems (dashboard.events.model.EventProblem codes)
    "event_problem_empty_title": ("The event needs a title.", "事件需要标题。"),
    "event_problem_long_title": (
        "The title is too long (at most {limit} characters).",
        "标题过长（最多 {limit} 个字符）。",
    ),
    "event_problem_no_start": ("The event needs a start date.", "事件需要开始日期。"),
    "event_problem_end_before_start": (
        "The end date {end} is before the start date {start}.",
        "结束日期 {end} 早于开始日期 {start}。",
    ),
    "event_problem_bad_date": (
        "{column}: '{value}' is not a date (expected e.g. {example}).",
        "{column}：“{value}”不是日期（应类似 {example}）。",
    ),
    "event_problem_unknown_project": (
        "Unknown project '{name}' (the data has: {known}).",
        "未知项目“{name}”（数据中的项目：{known}）。",
    ),
    "event_problem_unknown_region": (
        "Unknown region '{name}' (the data has: {known}).",
        "未知区域“{name}”（数据中的区域：{known}）。",
    ),
    "event_problem_refused": (
        "Only admins and analysts may edit events (your role: {role}).",
        "只有管理员和分析师可以编辑事件（您的角色：{role}）。",
    ),
    "event_problem_not_found": (
        "There is no event {event_id}.",
        "不存在编号为 {event_id} 的事件。",
    ),
    "event_problem_no_title_column": (
        "no title column (a column named title / 标题 / 事件); headers found: {headers}",
        "缺少标题列（列名 title / 标题 / 事件）；找到的列：{headers}",
    ),
    "event_problem_no_date_column": (
        "no date column (a column named date / start / 日期 / 开始日期); headers found: {headers}",
        "缺少日期列（列名 date / start / 日期 / 开始日期）；找到的列：{headers}",
    ),
    "event_problem_too_many_rows": (
        "the file has {rows} event rows; at most {limit} are supported",
        "文件有 {rows} 行事件；最多支持 {limit} 行",
    ),
    # the chart layer
    "event": ("Event", "事件"),
    "event_dates": ("Dates", "日期"),
    "event_applies_to": ("Applies to", "适用范围"),
    "event_everywhere": ("every project", "全部项目"),
    "event_range": ("{start} to {end} ({days} days)", "{start} 至 {end}（{days} 天）"),
    "holiday": ("Public holiday", "法定节假日"),
    "show_events": ("Show events on charts", "在图表上显示事件"),
    "show_events_help": (
        "Events of the Data page (and public holidays, when the working calendar is set in "
        "kpi.toml) as lines and bands on every time chart; point at one to read it.",
        "在每张时间图上以竖线和色带显示数据管理页中的事件（若 kpi.toml 配置了工作日历，还显示"
        "法定节假日）；鼠标指向即可查看。",
    ),
    # the Data page section
    "events_section": ("Events on the timeline", "时间线事件"),
    "events_intro": (
        'Things that explain a change in the numbers ("new hotline opened", "typhoon"): '
        "one day or a range, for every project or only some. They are drawn on every time "
        'chart. Add them here or import a CSV with the kind "Events" (columns date or '
        "start, end, title, title_zh, projects, regions).",
        "能解释数据变化的事情（如“新热线开通”“台风”）：某一天或一段时间，适用于全部或部分项目。"
        "它们会显示在每张时间图上。可在此添加，或以“事件”类型导入 CSV（列：日期或开始日期、"
        "结束日期、标题、中文标题、项目、区域）。",
    ),
    "events_none": ("No events yet.", "暂无事件。"),
    "events_read_only": (
        "Only admins and analysts may add or change events.",
        "只有管理员和分析师可以添加或修改事件。",
    ),
    "event_add": ("Add an event", "添加事件"),
    "event_edit": ("Change or delete an event", "修改或删除事件"),
    "event_pick": ("Event", "事件"),
    "event_starts_on": ("Date (or first day)", "日期（或开始日期）"),
    "event_ends_on": ("Last day (optional, for a range)", "结束日期（可选，用于时间段）"),
    "event_is_range": ("A range of days", "持续多天"),
    "event_title": ("Title", "标题"),
    "event_title_zh": ("Chinese title (optional)", "中文标题（可选）"),
    "event_projects": ("Projects (empty: every project)", "项目（留空：全部项目）"),
    "event_regions": ("Regions (empty: every region)", "区域（留空：全部区域）"),
    "event_save_new": ("Add event", "添加"),
    "event_save": ("Save changes", "保存修改"),
    "event_delete": ("Delete event", "删除事件"),
    "event_added": ("Event added: {title}.", "已添加事件：{title}。"),
    "event_saved": ("Event saved: {title}.", "已保存事件：{title}。"),
    "event_deleted": ("Event deleted: {title}.", "已删除事件：{title}。"),
    "event_failed": ("The event was not saved: {message}", "事件未保存：{message}"),
    "kind_events": ("Events", "事件"),
}


def problem_text(code: str, lang: str, **values: object) -> str:
    en, zh = TEXT[f"event_problem_{code}"]
    return (zh if lang == "zh" else en).format(**values)
