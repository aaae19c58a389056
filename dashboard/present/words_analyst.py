"""The Analyst queries page's words, in English and Chinese (#5): every query file that is not
a headline KPI, its filters and grouping. Part of the one catalogue (``dashboard.present.i18n``),
under their bare keys."""

from __future__ import annotations

# key -> (English, 中文)
ANALYST: dict[str, tuple[str, str]] = {
    # analyst queries page (#5)
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
    "analyst_pick": ("Query", "查询"),
    "analyst_pick_help": (
        "{count} query files; only the one picked runs. The link keeps the pick.",
        "共 {count} 个查询文件，只运行所选的一个。链接会保留所选查询。",
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
}
