"""The SQL lab's words, in English and Chinese (#5, #19): the page, the quick chart, and why a
statement was refused or stopped (``dashboard.sqllab``). Part of the one catalogue
(``dashboard.present.i18n``), under their bare keys."""

from __future__ import annotations

# key -> (English, 中文)
SQLLAB: dict[str, tuple[str, str]] = {
    # SQL lab page (#5)
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
}
