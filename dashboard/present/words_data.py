"""The Data page's words, in English and Chinese: uploads and what an import did, the import
history, rejected rows and data quality. Part of the one catalogue (``dashboard.present.i18n``),
under their bare keys."""

from __future__ import annotations

# key -> (English, 中文)
DATA: dict[str, tuple[str, str]] = {
    # uploads
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
    # import history, rejected rows, data quality
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
}
