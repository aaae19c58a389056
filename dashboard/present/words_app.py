"""The app's shell words, in English and Chinese: title, navigation, the sidebar (filters,
engine, sharing), the states every page can show, downloads and period words. Part of the one
catalogue (``dashboard.present.i18n``), under their bare keys."""

from __future__ import annotations

# key -> (English, 中文)
APP: dict[str, tuple[str, str]] = {
    # app / navigation
    "app_title": ("Service-quality KPI dashboard", "服务质量KPI看板"),
    "page_overview": ("Overview", "总览"),
    "page_retention": ("Retention", "客户保留"),
    "page_complaints": ("Complaints", "投诉处理"),
    "page_satisfaction": ("Satisfaction", "满意度"),
    "page_vip": ("VIP revisit", "VIP客户回访"),
    "page_projects": ("Projects", "项目对比"),
    "page_data": ("Data", "数据管理"),
    "page_analyst": ("Analyst queries", "分析查询"),
    "page_sqllab": ("SQL lab", "SQL 实验室"),
    "page_audit": ("Audit log", "审计日志"),
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
    # values any table may show: booleans, a missing category
    "yes": ("yes", "是"),
    "no": ("no", "否"),
    "unknown": ("(unknown)", "(未知)"),
    # downloads
    "download_csv": ("Download CSV", "下载CSV"),
    # a long list shows its first rows on screen; the CSV has every row (#14)
    "table_first_rows": (
        "Showing the first {shown} of {total} rows; the CSV download has all of them.",
        "显示前 {shown} 行，共 {total} 行；下载 CSV 可得全部行。",
    ),
    "report_html": ("Weekly report (HTML)", "周报（HTML）"),
    "report_xlsx": ("Weekly report (Excel)", "周报（Excel）"),
    "report_help": (
        "The week on a page for these filters, to mail or archive: the same numbers as here.",
        "按当前筛选生成的一页周报，可邮件发送或归档：数字与看板一致。",
    ),
    # periods
    "period": ("Period", "周期"),
    "period_start": ("Period start", "周期起始日"),
    "week_of": ("Week of {start}", "{start} 当周"),
}
