"""The weekly report as an Excel workbook (openpyxl).

Sheets: a Summary of the headline KPIs, one sheet per weekly KPI holding exactly the
`kpi show` table for the last 12 weeks (row 1: labels in the report language, row 2: the
`kpi show` column names, both frozen), then the follow-up lists and the data freshness.
Numbers are written as numbers with formats (percent, hours), never as text.
"""

from __future__ import annotations

import io
from datetime import date, datetime
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from dashboard.present.formats import cell_text, unit_of
from dashboard.present.headlines import WEEKLY_KPIS, number
from dashboard.report.labels import column_label, label
from dashboard.report.model import WeeklyReport
from dashboard.safe_export import excel_text, neutralise_workbook

FORMATS: dict[str, str] = {
    "rate": "0.0%",
    "hours": "0.0",
    "days": "0",
    "count": "#,##0",
    "score": "0.00",
    "nps": "0.0",
}
CHANGE_FORMATS: dict[str, str] = {
    "rate": '+0.0" pp";-0.0" pp";0.0" pp"',  # stored in percentage points
    "hours": "+0.0;-0.0;0.0",
    "count": "+#,##0;-#,##0;0",
    "score": "+0.00;-0.00;0.00",
    "nps": "+0.0;-0.0;0.0",
}
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
STATUS_FILLS = {"green": "E6F4EA", "amber": "FEF3E0", "red": "FCE8E6"}
HEADER_FILL = PatternFill("solid", fgColor="EEF1F5")
ID_FONT = Font(color="5F6B7A", italic=True, size=9)
BOLD = Font(bold=True)


def render_xlsx(report: WeeklyReport, lang: str = "zh") -> bytes:
    wb = Workbook()
    summary = wb.active
    summary.title = _sheet_name(label("summary", lang))
    _summary_sheet(summary, report, lang)
    for kpi in WEEKLY_KPIS:
        ws = wb.create_sheet(_sheet_name(label(f"kpi.{kpi}", lang)))
        _table_sheet(ws, report.tables.get(kpi), _units(kpi), lang)
    for key, df, query in (
        ("sheet.open_past_sla", report.open_past_sla, "open_complaints_past_sla"),
        ("sheet.overdue_vips", report.overdue_vips, "overdue_vips"),
        ("sheet.freshness", report.freshness, "data_freshness"),
    ):
        ws = wb.create_sheet(_sheet_name(label(key, lang)))
        _table_sheet(ws, df, _units(query), lang)
    neutralise_workbook(wb)  # data text like '=HYPERLINK(...)' must not become a formula
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _summary_sheet(ws: Worksheet, report: WeeklyReport, lang: str) -> None:
    week = report.week
    scope = ", ".join((*report.regions, *report.projects)) or label("scope.all", lang)
    ws["A1"] = label("title", lang)
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = f"{label('week', lang)}: {week.label} ({week.monday} – {week.sunday})"
    ws["A3"] = f"{label('scope', lang)}: {scope}"
    if not report.has_data:
        ws["A4"] = label("no_data_title", lang)
        ws["A4"].font = Font(bold=True, color="B26A00")
    header_row = 6
    columns = ("kpi", "value", "previous", "change", "target", "status")
    for i, col in enumerate(columns, start=1):
        cell = ws.cell(header_row, i, column_label(col, lang))
        cell.font, cell.fill = BOLD, HEADER_FILL
    ws.cell(header_row, len(columns) + 1, "id").font = ID_FONT
    for r, h in enumerate(report.headlines, start=header_row + 1):
        name_key = "coverage_rate.mtd" if h.period == "month_to_date" else h.key
        ws.cell(r, 1, label(name_key, lang))
        for c, value in ((2, h.value), (3, h.previous), (5, h.target)):
            cell = ws.cell(r, c, value)
            cell.number_format = FORMATS[h.unit]
        change = None if h.change is None else (h.change * 100 if h.unit == "rate" else h.change)
        ws.cell(r, 4, change).number_format = CHANGE_FORMATS[h.unit]
        status = ws.cell(r, 6, label(f"status.{h.status or 'none'}", lang))
        if h.status:
            status.fill = PatternFill("solid", fgColor=STATUS_FILLS[h.status])
        ws.cell(r, 7, h.key).font = ID_FONT
    note_row = header_row + len(report.headlines) + 2
    ws.cell(note_row, 1, label("thresholds", lang)).alignment = Alignment(wrap_text=False)
    ws.freeze_panes = ws.cell(header_row + 1, 1)
    for col, width in zip("ABCDEFG", (26, 14, 14, 14, 12, 12, 24), strict=True):
        ws.column_dimensions[col].width = width


def _table_sheet(ws: Worksheet, df: pd.DataFrame | None, units: dict[str, str], lang: str) -> None:
    """Row 1: labels; row 2: the `kpi show` column names; then the rows, typed."""
    if df is None:
        df = pd.DataFrame()
    columns = list(df.columns)
    for i, col in enumerate(columns, start=1):
        top = ws.cell(1, i, column_label(col, lang))
        top.font, top.fill = BOLD, HEADER_FILL
        ws.cell(2, i, col).font = ID_FONT
    for r, record in enumerate(df.itertuples(index=False, name=None), start=3):
        for c, (col, value) in enumerate(zip(columns, record, strict=True), start=1):
            cell = ws.cell(r, c, _excel_value(value))
            cell.number_format = _number_format(col, cell.value, units)
    ws.freeze_panes = "A3"
    for i, col in enumerate(columns, start=1):
        texts = [column_label(col, lang), col] + [
            cell_text(v, unit_of(col, units), lang) for v in df[col].head(200)
        ]
        width = max(_display_width(t) for t in texts) + 2
        ws.column_dimensions[get_column_letter(i)].width = min(max(width, 8), 40)


def _excel_value(value: Any) -> Any:
    if value is None or value is pd.NaT or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return excel_text(value)


def _number_format(column: str, value: Any, units: dict[str, str]) -> str:
    if isinstance(value, datetime):
        return (
            DATE_FORMAT
            if value == datetime.combine(value.date(), datetime.min.time())
            else DATETIME_FORMAT
        )
    if isinstance(value, date):
        return DATE_FORMAT
    if isinstance(value, bool) or number(value) is None:
        return "General"
    return FORMATS.get(unit_of(column, units) or "count", "General")


def _units(query_id: str) -> dict[str, str]:
    """Column units declared in the query file's front matter (queries/README.md)."""
    try:
        from dashboard.catalog import load_queries

        query = load_queries().get(query_id)
    except Exception:  # a broken query file is reported by `kpi list`, not by the report
        return {}
    return dict(query.units) if query is not None else {}


def _display_width(text: str) -> int:
    # CJK characters are about two Latin characters wide in Excel's default font.
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _sheet_name(name: str) -> str:
    for ch in "[]:*?/\\":
        name = name.replace(ch, " ")
    return name[:31]
