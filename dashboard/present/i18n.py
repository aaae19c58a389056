"""Every user-facing string of the dashboard pages, in English and Chinese.

In the presentation layer (``dashboard.present``), below the UI, the report, the SQL lab,
notifications and the CLI, so any of them may use it without importing Streamlit.

``t(key, lang, **fmt)`` looks a label up; an unknown key raises (a test walks every page in
both languages, so a missing translation is caught there, not by a user).
"""

from __future__ import annotations

from typing import Literal

from dashboard.events.words import TEXT as EVENT_TEXT
from dashboard.present.words_notify import NOTIFY, NOTIFY_LOG
from dashboard.present.words_report import REPORT

Lang = Literal["en", "zh"]
LANGS: tuple[Lang, ...] = ("zh", "en")
LANG_NAMES: dict[str, str] = {"zh": "中文", "en": "English"}

# key -> (English, 中文)
_TEXT: dict[str, tuple[str, str]] = {
    # app / navigation
    "app_title": ("Service-quality KPI dashboard", "服务质量KPI看板"),
    "page_overview": ("Overview", "总览"),
    "page_retention": ("Retention", "客户保留"),
    "page_complaints": ("Complaints", "投诉处理"),
    "page_satisfaction": ("Satisfaction", "满意度"),
    "page_vip": ("VIP revisit", "VIP客户回访"),
    "page_projects": ("Projects", "项目对比"),
    "page_data": ("Data", "数据管理"),
    # filters
    "filters": ("Filters", "筛选"),
    "language": ("Language / 语言", "语言 / Language"),
    "date_range": ("Date range", "日期范围"),
    "date_range_help": (
        "Every page shows the periods (weeks or months, see Grain) whose first day lies in "
        "this range, each with all of its events; lists, distributions and rankings cover "
        "the events of those same periods. Retention still compares the first period with "
        "the one before it.",
        "各页面显示起始日在此范围内的周期（周或月，见“粒度”），每个周期包含其全部事件；"
        "列表、分布与排名统计的也是这些周期内的事件。保留率仍会与第一个周期的上一周期比较。",
    ),
    # --- #11: filters that follow the data, unknown filter values
    "newer_data": (
        "Newer data exists (up to {last}): widen the range to see it.",
        "已有更新的数据（截至 {last}）：扩大日期范围即可查看。",
    ),
    "unknown_projects": (
        "No project called {names} in the data: not filtered by it.",
        "数据中没有名为 {names} 的项目：未按其筛选。",
    ),
    "unknown_regions": (
        "No region called {names} in the data: not filtered by it.",
        "数据中没有名为 {names} 的区域：未按其筛选。",
    ),
    "grain": ("Grain", "统计周期"),
    "grain_week": ("Week", "周"),
    "grain_month": ("Month", "月"),
    "regions": ("Regions", "区域"),
    "projects": ("Projects", "项目"),
    "all": ("All", "全部"),
    "reset_filters": ("Reset filters", "重置筛选"),
    "engine_caption": (
        ":material/memory: Computed by {engine}",
        ":material/memory: 计算引擎：{engine}",
    ),
    "share_hint": (
        "The filters are in the page address: bookmark or share it to keep this view.",
        "筛选条件保存在网址中：收藏或分享网址即可保留当前视图。",
    ),
    # generic states
    "empty_db": (
        "The database has no data yet. Load exports on the Data page or with `kpi ingest PATH`.",
        "数据库中还没有数据。请在“数据管理”页上传导出文件，或使用 `kpi ingest PATH` 导入。",
    ),
    "no_match": (
        "No data matches the current filters. Widen the date range or clear the region / "
        "project filters.",
        "当前筛选条件下没有数据。请扩大日期范围，或清除区域/项目筛选。",
    ),
    "no_data_kind": ("No {what} in the selected scope.", "所选范围内没有{what}。"),
    "error": (
        "Something went wrong while loading this page: {message}",
        "加载本页时出错：{message}",
    ),
    "download_csv": ("Download CSV", "下载CSV"),
    "report_html": ("Weekly report (HTML)", "周报（HTML）"),
    "report_xlsx": ("Weekly report (Excel)", "周报（Excel）"),
    "report_help": (
        "The week on a page for these filters, to mail or archive: the same numbers as here.",
        "按当前筛选生成的一页周报，可邮件发送或归档：数字与看板一致。",
    ),
    "period": ("Period", "周期"),
    "period_start": ("Period start", "周期起始日"),
    "week_of": ("Week of {start}", "{start} 当周"),
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
    # tiles
    "vs_prev_week": ("vs previous week", "较上周"),
    "vs_prev_month": ("vs previous month", "较上月"),
    "status_green": ("on track", "达标"),
    "status_amber": ("at risk", "预警"),
    "status_red": ("off track", "未达标"),
    "target_line": ("Target {target} · {status}", "目标 {target} · {status}"),
    "no_target": ("No target set", "未设定目标"),
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
    "pp": ("pp", "个百分点"),
    "hours_unit": ("h", "小时"),
    "section_customers": ("Customers", "客户"),
    "section_complaints": ("Complaints", "投诉"),
    "section_satisfaction": ("Satisfaction", "满意度"),
    "section_vip": ("VIP revisit", "VIP回访"),
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
    # retention page
    "leaky_bucket": ("Active and lost customers (the leaky bucket)", "活跃与流失客户（漏桶）"),
    "other_projects": ("other projects", "其他项目"),
    "yes": ("yes", "是"),
    # columns of analyst and drill-down queries: labelled in their own files ([labels])
    "bucket_order": ("Order", "顺序"),
    "complaints": ("Complaints", "投诉数"),
    "orders": ("Orders", "订单数"),
    "flow": ("Flow", "流动"),
    "no": ("no", "否"),
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
    "chart_no_data": (
        "No data for these filters in this chart (no case in any period shown).",
        "在当前筛选条件下，此图没有数据（所显示的各期均无案例）。",
    ),
    "drill_none": (
        "No rows behind this number for these filters.",
        "在当前筛选条件下，这个数字背后没有明细。",
    ),
    "drill_row_hint": (
        "Click a row (or a bar above) to see the rows behind that project's number.",
        "点击表格中的一行（或上方的条形）即可查看该项目数字背后的明细。",
    ),
    "chart_hint_drill": (
        "Click a period to see its complaints. Shift + mouse wheel zooms the time axis, "
        "dragging pans, a double-click resets.",
        "点击某一期可查看该期的投诉明细。按住 Shift 滚动鼠标滚轮可缩放时间轴，拖动可平移，双击复原。",
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
    "sample_size": ("n = {n}", "样本 {n}"),
    "too_few_cases": ("too few cases (under {min})", "样本过少（不足 {min}）"),
    "chart_hint": (
        "Shift + mouse wheel zooms the time axis, dragging pans, a double-click resets.",
        "按住 Shift 滚动鼠标滚轮可缩放时间轴，拖动可平移，双击复原。",
    ),
    "hours_axis": ("Hours", "小时"),
    "p90_trend": ("Slowest 10 %: P90 resolution time", "最慢的 10%：P90 处理时长"),
    "flow_retained": ("Retained", "留存"),
    "flow_returning": ("Returning", "回流"),
    "flow_new": ("New", "新增"),
    "flow_lost": ("Lost", "流失"),
    "leaky_caption": (
        "Above the line, who is active: retained (also active the period before), returning "
        "(back after a gap) and new (first order ever) - together the active customers. Below "
        "it, the lost: active the period before, not now. A stable total can hide heavy churn.",
        "线上方为本期活跃客户：留存（上期也活跃）、回流（间隔后再次下单）与新增（首次下单），"
        "合计即活跃客户数；线下方为流失客户：上期活跃、本期未下单。总数稳定也可能掩盖大量流失。",
    ),
    "retention_trend": ("Retention and churn rate", "客户保留率与流失率"),
    "active_trend": ("Active customers", "活跃客户数"),
    "cohort_heatmap": ("Cohort retention by first-order month", "按首单月份的客户群保留率"),
    "table": ("Table", "数据表"),
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
    # the SLA clock note (dashboard/present/sla_note.py) and drill-down (#17)
    "open_past_sla_table": ("Open complaints past their SLA", "超时未办结投诉"),
    "hours_open": ("Hours open (calendar)", "已开启（自然小时）"),
    "business_hours_open": ("Hours open (business)", "已开启（工作小时）"),
    "sla_clock": ("SLA clock", "计时方式"),
    "sla_hours": ("SLA (hours)", "时限（小时）"),
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
    "unknown": ("(unknown)", "(未知)"),
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
    # data page
    "upload": ("Upload exports", "上传导出文件"),
    "upload_help": (
        "CSV, XLSX or Parquet exports (customers, orders, complaints, surveys, VIP contacts). "
        "They go through the same import as `kpi ingest`.",
        "CSV、XLSX或Parquet导出文件（客户、订单、投诉、满意度调查、VIP回访）。导入方式与 "
        "`kpi ingest` 相同。",
    ),
    "import_button": ("Import", "导入"),
    "import_done": ("Import finished.", "导入完成。"),
    "import_failed": ("Import failed: {message}", "导入失败：{message}"),
    "file_rejected": ("{file}: rejected - {message}", "{file}：整个文件被拒绝 - {message}"),
    "import_summary": ("Import summary", "导入结果"),
    "upload_limits": (
        "Up to {limit} MB per file; larger exports: `kpi ingest` on the server.",
        "每个文件最大 {limit} MB；更大的导出文件请在服务器上用 `kpi ingest` 导入。",
    ),
    "upload_too_big": (
        "{file}: {size} MB is more than the upload limit of {limit} MB. Import it with "
        "`kpi ingest` on the server, or raise server.maxUploadSize in .streamlit/config.toml.",
        "{file}：{size} MB 超过上传上限 {limit} MB。请在服务器上用 `kpi ingest` 导入，"
        "或在 .streamlit/config.toml 中调大 server.maxUploadSize。",
    ),
    "upload_bad_type": (
        "{file}: .{ext} files are not imported; upload CSV, TXT, TSV, XLSX, XLSM or Parquet.",
        "{file}：不支持 .{ext} 文件；请上传 CSV、TXT、TSV、XLSX、XLSM 或 Parquet。",
    ),
    "upload_empty": ("{file}: the file is empty.", "{file}：文件为空。"),
    "upload_not_xlsx": (
        "{file}: not an Excel workbook (the content is {found}). Open it in Excel and save "
        "it as .xlsx, or export CSV instead.",
        "{file}：不是 Excel 工作簿（内容为{found}）。请在 Excel 中另存为 .xlsx，或改为导出 CSV。",
    ),
    "upload_not_parquet": (
        "{file}: not a Parquet file (no PAR1 marker; the content is {found}). Export it again "
        "as Parquet or CSV.",
        "{file}：不是 Parquet 文件（缺少 PAR1 标记；内容为{found}）。请重新导出为 Parquet 或 CSV。",
    ),
    "upload_binary": (
        "{file}: the content is {found}, not a text export. Export it again as CSV (UTF-8).",
        "{file}：内容为{found}，不是文本导出文件。请重新导出为 CSV（UTF-8）。",
    ),
    "upload_truncated_parquet": (
        "{file}: a damaged Parquet file - it starts like one but is cut short (an interrupted "
        "download or copy?). Export it again.",
        "{file}：Parquet 文件已损坏——开头正常但内容不完整（下载或复制中断？）。请重新导出。",
    ),
    # --- #12: imports people can trust at a glance
    "import_kind": ("Kind of the files", "文件类型"),
    "import_kind_auto": ("tell from the name and headers", "按文件名与表头识别"),
    "import_kind_help": (
        "Like `kpi ingest --kind`: every file of this upload is read as this kind.",
        "与 `kpi ingest --kind` 相同：本次上传的每个文件都按此类型读取。",
    ),
    "import_file_loaded": ("{file}: {loaded} rows loaded.", "{file}：已导入 {loaded} 行。"),
    "import_file_partial": (
        "{file}: {loaded} rows loaded, {errors} rejected with errors - see 'Rejected rows' "
        "below for each row's line and reason.",
        "{file}：已导入 {loaded} 行，{errors} 行因错误被拒绝——每行的行号与原因见下方“被拒绝的行”。",
    ),
    "import_file_superseded": (
        "{n} earlier rows were replaced by later rows with the same id (normal for snapshots).",
        "{n} 行被同一编号的后续行取代（快照导出的正常情况）。",
    ),
    "import_file_note": ("{file}: {message}", "{file}：{message}"),
    "import_file_skipped": (
        "{file}: already imported (same content) - nothing changed.",
        "{file}：已导入过（内容相同），未作更改。",
    ),
    "import_errors": ("Rejected (errors)", "拒绝（错误）"),
    "import_status_loaded": ("loaded", "已导入"),
    "import_status_rejected": ("rejected whole", "整个文件被拒绝"),
    "import_status_skipped": ("already imported", "已导入过"),
    "import_superseded": ("Superseded by later rows", "被后续行取代"),
    "upload_found_zip": ("a ZIP archive", "ZIP 压缩包"),
    "upload_found_xls": ("an old Excel .xls / Office file", "旧版 Excel .xls / Office 文件"),
    "upload_found_parquet": ("a Parquet file", "Parquet 文件"),
    "upload_found_pdf": ("a PDF document", "PDF 文档"),
    "upload_found_program": ("a program", "可执行程序"),
    "upload_found_gzip": ("a gzip archive", "gzip 压缩包"),
    "upload_found_image": ("an image", "图片"),
    "upload_found_database": ("a database file", "数据库文件"),
    "upload_found_text": ("text", "文本"),
    "upload_found_binary": ("binary data", "二进制数据"),
    "upload_found_other": ("another format", "其他格式"),
    "import_history": ("Import history", "导入记录"),
    "rejected_rows": ("Rejected rows", "被拒绝的行"),
    "rejected_filter": ("File", "文件"),
    "data_quality": ("Data quality", "数据质量"),
    "no_imports": ("Nothing imported yet.", "尚未导入任何文件。"),
    "no_rejects": ("No rejected rows.", "没有被拒绝的行。"),
    "file_name": ("File", "文件"),
    "sheet": ("Sheet", "工作表"),
    "imported_at": ("Imported at", "导入时间"),
    "rows_in_file": ("Rows in file", "文件行数"),
    "rows_loaded": ("Loaded", "已导入"),
    "rows_rejected": ("Rejected", "已拒绝"),
    "rows_duplicate": ("Duplicates", "重复"),
    "loaded": ("Loaded", "已导入"),
    "rejected": ("Rejected", "已拒绝"),
    "duplicates": ("Duplicates", "重复"),
    "content_hash": ("Content hash", "文件哈希"),
    "file_path": ("Path", "路径"),
    "status": ("Status", "状态"),
    "message": ("Message", "说明"),
    "line_number": ("Line", "行号"),
    "reason": ("Reason", "原因"),
    "raw_row": ("Raw row", "原始数据"),
    "import_id": ("Import #", "导入编号"),
    "file": ("File", "文件"),
    "dimensions": ("Projects and regions", "项目与区域"),
    # analyst queries page (#5)
    "page_analyst": ("Analyst queries", "分析查询"),
    "analyst_intro": (
        "Every query file in queries/ that is not a headline KPI appears here with no code "
        "change: add a .sql file with its metadata, run `kpi check`, reload. The sidebar "
        "filters apply where a query accepts them. See docs/ANALYSTS.md.",
        "queries/ 目录中除核心KPI以外的每个查询文件都会自动显示在这里，无需改代码：添加带元数据的 "
        ".sql 文件，运行 `kpi check`，刷新页面即可。侧栏筛选条件对支持它们的查询生效。详见 "
        "docs/ANALYSTS.md。",
    ),
    "analyst_none": (
        "No analyst query files yet. Add one to queries/ (see docs/ANALYSTS.md).",
        "还没有分析查询文件。请在 queries/ 中添加（见 docs/ANALYSTS.md）。",
    ),
    "analyst_filters": ("Filters it accepts: {filters}", "支持的筛选：{filters}"),
    "analyst_no_filters": ("none", "无"),
    "analyst_param_grain": ("grain", "统计周期"),
    "analyst_param_date_from": ("from", "开始日期"),
    "analyst_param_date_to": ("to", "结束日期"),
    "analyst_param_projects": ("projects", "项目"),
    "analyst_param_regions": ("regions", "区域"),
    "analyst_param_by": ("group by", "分组"),
    "analyst_param_as_of": ("as-of day", "截至日期"),
    "analyst_by": ("Group by", "分组方式"),
    "analyst_by_none": ("No grouping", "不分组"),
    "analyst_by_project": ("Project", "项目"),
    "analyst_by_region": ("Region", "区域"),
    "analyst_sql": ("SQL ({file})", "SQL 语句（{file}）"),
    "analyst_failed": (
        "This query could not run: {message}",
        "该查询无法运行：{message}",
    ),
    "analyst_broken": (
        "{file} could not be loaded: {message}",
        "无法加载 {file}：{message}",
    ),
    "analyst_broken_hint": (
        "Fix the file and run `kpi check`; the other queries and pages are not affected.",
        "请修正该文件并运行 `kpi check`；其他查询和页面不受影响。",
    ),
    # SQL lab page (#5)
    "page_sqllab": ("SQL lab", "SQL 实验室"),
    "sqllab_intro": (
        "Run one read-only query (SELECT / WITH ... SELECT) against the database. Nothing can "
        "be changed; files and the network are out of reach. At most {rows} rows are shown, a "
        "query is stopped after {seconds} s, and the text may have up to {chars} characters.",
        "对数据库运行一条只读查询（SELECT / WITH ... SELECT）。无法修改任何数据，也无法访问文件或网络。"
        "最多显示 {rows} 行，查询超过 {seconds} 秒会被停止，SQL 文本最长 {chars} 个字符。",
    ),
    "sqllab_sql": ("SQL", "SQL 语句"),
    "sqllab_run": ("Run", "运行"),
    "sqllab_running": ("Running the query...", "正在运行查询……"),
    "sqllab_stale": (
        "The result below is from the previous text; press Run to run the edited query.",
        "下方结果来自修改前的查询；请点击“运行”执行修改后的查询。",
    ),
    "sqllab_rows": ("{rows} rows in {seconds} s", "{rows} 行，用时 {seconds} 秒"),
    "sqllab_rows_one": ("1 row in {seconds} s", "1 行，用时 {seconds} 秒"),
    "sqllab_row_number": ("Row number", "行号"),
    "sqllab_truncated": (
        "Only the first {rows} rows are shown: the query returned more. Aggregate, filter or "
        "add a LIMIT to see what matters.",
        "只显示前 {rows} 行：查询返回的行数更多。请汇总、筛选或加上 LIMIT。",
    ),
    "sqllab_quick_chart": ("Quick chart", "快速图表"),
    "sqllab_chart_mark": ("Chart type", "图表类型"),
    "sqllab_chart_x": ("X axis", "X 轴"),
    "sqllab_chart_y": ("Y axis (a number)", "Y 轴（数值）"),
    "sqllab_chart_color": ("Colour", "颜色"),
    "sqllab_chart_none": ("(none)", "（无）"),
    "sqllab_no_chart": (
        "Nothing to chart: the result needs at least one numeric column and one row.",
        "无法绘图：结果至少需要一个数值列和一行数据。",
    ),
    "sqllab_tables": ("Tables, views and columns", "表、视图与字段"),
    "sqllab_tables_hint": (
        "stg_* views are the cleaned tables the KPIs use; import_log and rejected_rows record "
        "every import. Column reference: docs/ANALYSTS.md.",
        "stg_* 视图是KPI使用的清洗后数据；import_log 与 rejected_rows 记录每次导入。字段说明见 "
        "docs/ANALYSTS.md。",
    ),
    "sqllab_refused_empty": (
        "Not run: there is no SQL. Type a SELECT query.",
        "未运行：没有 SQL 语句。请输入一条 SELECT 查询。",
    ),
    "sqllab_refused_too_long": (
        "Not run: the query is too long ({detail} characters).",
        "未运行：查询过长（{detail} 个字符）。",
    ),
    "sqllab_refused_parse_error": (
        "Not run: the SQL could not be parsed: {detail}",
        "未运行：无法解析该 SQL：{detail}",
    ),
    "sqllab_refused_multiple": (
        "Not run: found {detail} statements. Run one query at a time (no ';' between queries).",
        "未运行：发现 {detail} 条语句。每次只能运行一条查询（查询之间不能用 ';'）。",
    ),
    "sqllab_refused_not_read": (
        "Not run: only read queries (SELECT, WITH ... SELECT) are allowed here; {detail} is not.",
        "未运行：这里只允许只读查询（SELECT、WITH ... SELECT），不允许 {detail}。",
    ),
    "sqllab_refused_file_access": (
        "Not run: {detail} reads files or runs SQL text. Query the database tables instead.",
        "未运行：{detail} 会读取文件或执行 SQL 文本。请改为查询数据库中的表。",
    ),
    "sqllab_stopped_timeout": (
        "Stopped after the time limit of {detail} s. Narrow the query (a filter, an aggregate).",
        "已在 {detail} 秒时限到达时停止。请缩小查询范围（加筛选或汇总）。",
    ),
    "sqllab_stopped_out_of_memory": (
        "Stopped: the query needs more than the memory limit of {detail}.",
        "已停止：查询所需内存超过上限 {detail}。",
    ),
    "sqllab_stopped_denied": (
        "Not allowed in the SQL lab: {detail}",
        "SQL 实验室不允许此操作：{detail}",
    ),
    "sqllab_stopped_error": ("The query failed: {detail}", "查询失败：{detail}"),
    # SQL lab hardening (#19): budgets, busy, mapped errors, refused query files
    "sqllab_limits": (
        "Results stop at {mb} MB; text cells longer than {cells} characters are cut (…); at "
        "most {concurrent} SQL-lab queries run at once.",
        "结果最多 {mb} MB；超过 {cells} 个字符的文本单元格会被截断（…）；同时最多运行 {concurrent} "
        "条 SQL 实验室查询。",
    ),
    "sqllab_over_budget": (
        "Only the first {rows} rows are shown: the result passed the size limit of {mb} MB. "
        "Select fewer or shorter columns, aggregate or add a LIMIT.",
        "只显示前 {rows} 行：结果超过了 {mb} MB 的大小上限。请减少或缩短列、汇总或加上 LIMIT。",
    ),
    "sqllab_cells_cut": (
        "Some text cells were longer than {cells} characters and are cut (marked …).",
        "部分文本单元格超过 {cells} 个字符，已截断（以 … 标记）。",
    ),
    "sqllab_csv_hint": (
        "The CSV holds the rows shown above and is built when you click.",
        "CSV 包含上方显示的行，点击时生成。",
    ),
    "sqllab_refused_too_deep": (
        "Not run: the query is nested too deeply (more than {detail} levels of brackets). "
        "Simplify it, e.g. with a WITH clause.",
        "未运行：查询嵌套过深（括号超过 {detail} 层）。请简化，例如改用 WITH 子句。",
    ),
    "sqllab_refused_server_info": (
        "Not run: {detail} shows the server's settings or paths. Query the database tables "
        "instead.",
        "未运行：{detail} 会显示服务器的设置或路径。请改为查询数据库中的表。",
    ),
    "sqllab_stopped_busy": (
        "Busy: {detail} SQL-lab queries are already running. Try again in a moment.",
        "系统繁忙：已有 {detail} 条 SQL 实验室查询在运行。请稍后再试。",
    ),
    "sqllab_stopped_too_deep": (
        "Stopped: the query is nested too deeply ({detail}). Simplify it.",
        "已停止：查询嵌套过深（{detail}）。请简化查询。",
    ),
    "sqllab_stopped_syntax": (
        "Not run: syntax error: {detail}",
        "未运行：语法错误：{detail}",
    ),
    "sqllab_stopped_unavailable": (
        "The database cannot be opened right now. Try again later or ask the operator.",
        "暂时无法打开数据库。请稍后再试或联系管理员。",
    ),
    "sqllab_file_refused": (
        "{file} is not served (rule: {rule}). {reason}",
        "{file} 不予运行（规则：{rule}）。{reason}",
    ),
    # end SQL lab hardening (#19)
    # --- access: sign-in, roles, scopes, audit (#15) -------------------------------------
    "signin_title": ("Sign in", "登录"),
    "signin_intro": (
        "This dashboard is for signed-in users. Ask an administrator for an account.",
        "本看板仅供登录用户使用。如需账号，请联系管理员。",
    ),
    "signin_name": ("User name", "用户名"),
    "signin_password": ("Password", "密码"),
    "signin_submit": ("Sign in", "登录"),
    "signin_wrong": ("Wrong user name or password.", "用户名或密码错误。"),
    "signin_locked": (
        "Too many failed sign-ins for this name. Try again in {minutes} minutes.",
        "该用户名登录失败次数过多，请 {minutes} 分钟后再试。",
    ),
    "signin_expired": ("Your session expired. Please sign in again.", "会话已过期，请重新登录。"),
    "signin_oidc_title": ("Sign in with your company account", "使用公司账号登录"),
    "signin_oidc_button": ("Sign in", "登录"),
    "signin_oidc_unknown": (
        "{identity} is signed in with the company account but is not a user of this "
        "dashboard. Ask an administrator to add you (kpi users add ... --email).",
        "{identity} 已通过公司账号登录，但不是本看板的用户。请联系管理员添加（kpi users add ... --email）。",
    ),
    "signin_oidc_missing": (
        "Single sign-on is not configured: add an [auth] section to .streamlit/secrets.toml "
        "(see docs/OPERATIONS.md).",
        "单点登录尚未配置：请在 .streamlit/secrets.toml 中添加 [auth] 部分（见 docs/OPERATIONS.md）。",
    ),
    "signin_no_users": (
        "No user can sign in yet: add one on the server with `kpi users add NAME --role admin "
        "--password-stdin`.",
        "尚无可登录的用户：请在服务器上运行 `kpi users add NAME --role admin --password-stdin` 添加。",
    ),
    "users_file_error": ("The users file cannot be read: {message}", "无法读取用户文件：{message}"),
    "signed_in_as": ("Signed in as **{name}** ({role})", "已登录：**{name}**（{role}）"),
    "sign_out": ("Sign out", "退出登录"),
    "role_executive": ("executive", "管理层"),
    "role_department_head": ("department head", "部门负责人"),
    "role_analyst": ("analyst", "分析师"),
    "role_admin": ("administrator", "管理员"),
    "scope_caption": ("You see: {scope}", "可见范围：{scope}"),
    "local_mode": (
        "Single-user local mode: no sign-in, everyone who reaches this address sees everything.",
        "单用户本地模式：无需登录，能访问此地址的人都能看到全部数据。",
    ),
    "local_mode_exposed": (
        'This dashboard is reachable at {host} without sign-in ([access] mode = "none"). '
        "Set mode to password or oidc before sharing it (docs/OPERATIONS.md).",
        '本看板可通过 {host} 访问且无需登录（[access] mode = "none"）。共享前请将 mode 设为 '
        "password 或 oidc（见 docs/OPERATIONS.md）。",
    ),
    "local_mode_every_interface": (
        "every network interface of this computer (add --server.address 127.0.0.1 to keep it local)",
        "本机的所有网络接口（加上 --server.address 127.0.0.1 可仅限本机访问）",
    ),
    "page_refused": (
        "This page is not available to your role ({role}).",
        "您的角色（{role}）无权访问此页面。",
    ),
    "scope_refused": (
        "Not shown: {kind} '{value}' is outside your scope ({scope}).",
        "未显示：{kind}“{value}”不在您的可见范围内（{scope}）。",
    ),
    "scope_kind_project": ("project", "项目"),
    "scope_kind_region": ("region", "区域"),
    "rank_of": ("rank {rank} of {total}", "第 {rank} 名 / 共 {total} 个"),
    "rank_column": ("Rank among all projects", "在全部项目中的排名"),
    "rank_anonymous_caption": (
        "Your projects' places among all {total} projects with a value in {period}; the other "
        "projects are not named.",
        "您的项目在 {period} 有数值的全部 {total} 个项目中的名次；其他项目不显示名称。",
    ),
    "company_value": ("Company-wide", "全公司"),
    "page_audit": ("Audit log", "审计日志"),
    "audit_intro": (
        "Sign-ins and failures, uploads, SQL lab statements and report downloads, newest first.",
        "登录与登录失败、上传、SQL 实验室语句和报告下载记录，按时间倒序。",
    ),
    "audit_empty": ("Nothing recorded yet.", "暂无记录。"),
    "audit_event": ("Event", "事件"),
    "audit_user": ("User", "用户"),
    "audit_at": ("When (UTC)", "时间（UTC）"),
    "audit_detail": ("Detail", "详情"),
    "audit_source": ("Source", "来源"),
    "audit_all": ("All", "全部"),
    # --- end access (#15) ------------------------------------------------------------------
}
_TEXT.update(EVENT_TEXT)  # events on the timeline (#12) keep their words beside their code


# The one catalogue: the pages' words, then each other area's under its prefix.
_AREAS: dict[str, dict[str, tuple[str, str]]] = {
    "report.": REPORT,
    "notify.": NOTIFY,
    "notify_log.": NOTIFY_LOG,
}
_CATALOGUE: dict[str, tuple[str, str]] = {
    **_TEXT,
    **{prefix + key: pair for prefix, words in _AREAS.items() for key, pair in words.items()},
}


def t(key: str, lang: str, **fmt: object) -> str:
    """The label ``key`` in ``lang`` ('en' or 'zh'), formatted with ``fmt``."""
    en, zh = _CATALOGUE[key]
    text = zh if lang == "zh" else en
    return text.format(**fmt) if fmt else text


def has(key: str) -> bool:
    return key in _CATALOGUE


def all_keys() -> list[str]:
    return list(_CATALOGUE)


def normalise_lang(value: object, default: Lang = "zh") -> Lang:
    """'zh'/'en' (also '中文', 'English', 'zh-CN') -> 'zh' | 'en'; anything else -> default."""
    text = str(value or "").strip().lower()
    if text.startswith("zh") or text == "中文":
        return "zh"
    if text.startswith("en"):
        return "en"
    return default
