"""kpi ingest, XLSX and Parquet: typed cells, every sheet, row numbers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq

from dashboard.ingest import ingest_into


def rows(con, sql: str) -> list[tuple]:
    return con.execute(sql).fetchall()


def make_workbook(path: Path) -> Path:
    wb = openpyxl.Workbook()
    orders = wb.active
    orders.title = "订单"
    orders.append(["2026年3月订单"])  # row 1 title
    orders.append([])  # row 2 blank
    orders.append(["订单号", "客户编号", "项目", "区域", "下单时间", "金额"])  # row 3
    orders.append(["O1", "C1", "P", "R", dt.datetime(2026, 3, 5, 14, 30), 1234.5])  # row 4
    orders.append([1002, "C2", "P", "R", dt.date(2026, 3, 6), "¥1,000"])  # row 5
    orders.append(["O3", "C2", "P", "R", 46086.5, 3])  # row 6: serial = 2026-03-05 12:00
    orders.append(["O4", "C2", "P", "R", "2026/3/7 9:05", 4])  # row 7: text date
    orders.append(["O5", "C2", "P", "R", "not a date", 5])  # row 8: rejected
    customers = wb.create_sheet("客户")
    customers.append(["客户编号", "项目", "区域", "是否VIP", "入伙日期"])
    customers.append(["C1", "P", "R", True, dt.date(2024, 1, 2)])
    customers.append(["C2", "P", "R", "否", dt.datetime(2024, 2, 3, 0, 0)])
    wb.create_sheet("Sheet3")  # empty
    wb.save(path)
    return path


def test_every_sheet_loads_with_excel_dates_and_sheet_row_numbers(con, tmp_path):
    results = ingest_into(con, make_workbook(tmp_path / "export.xlsx"))
    by_sheet = {r.sheet: r for r in results}
    assert set(by_sheet) == {"订单", "客户", "Sheet3"}
    assert (by_sheet["订单"].kind, by_sheet["订单"].loaded, by_sheet["订单"].rejected) == (
        "orders",
        4,
        1,
    )
    assert (by_sheet["客户"].kind, by_sheet["客户"].loaded) == ("customers", 2)
    assert by_sheet["Sheet3"].status == "skipped"
    assert rows(
        con,
        "select order_id, ordered_at, amount, _source_sheet, _source_line from orders order by 1",
    ) == [
        ("1002", dt.datetime(2026, 3, 6), 1000.0, "订单", 5),
        ("O1", dt.datetime(2026, 3, 5, 14, 30), 1234.5, "订单", 4),
        ("O3", dt.datetime(2026, 3, 5, 12, 0), 3.0, "订单", 6),
        ("O4", dt.datetime(2026, 3, 7, 9, 5), 4.0, "订单", 7),
    ]
    assert rows(con, "select sheet, line_number from rejected_rows") == [("订单", 8)]
    assert rows(con, "select customer_id, is_vip, joined_on from customers order by 1") == [
        ("C1", True, dt.date(2024, 1, 2)),
        ("C2", False, dt.date(2024, 2, 3)),
    ]
    # one import_log row per loaded sheet (the empty sheet is not an export)
    assert rows(con, "select sheet, status from import_log order by sheet") == [
        ("客户", "loaded"),
        ("订单", "loaded"),
    ]


def test_reimporting_a_workbook_skips_every_sheet(con, tmp_path):
    path = make_workbook(tmp_path / "export.xlsx")
    ingest_into(con, path)
    again = ingest_into(con, path)
    assert {r.status for r in again} == {"skipped"}
    assert rows(con, "select count(*) from import_log") == [(2,)]


def test_sheet_name_tells_the_kind(con, tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "投诉"
    # headers naming the required columns of complaints AND surveys: only the name decides
    ws.append(
        ["complaint_id", "response_id", "project", "region", "opened_at", "submitted_at", "csat"]
    )
    ws.append(["K1", "S1", "P", "R", "2026-01-01", "2026-01-01", 5])
    wb.save(tmp_path / "book.xlsx")
    (result,) = ingest_into(con, tmp_path / "book.xlsx")
    assert (result.kind, result.loaded) == ("complaints", 1)


def test_parquet_with_timestamp_and_date_columns(con, tmp_path):
    table = pa.table(
        {
            "问卷编号": ["S1", "S2", "S3"],
            "项目": ["P", None, "P"],
            "区域": ["R", "R", "R"],
            "提交时间": pa.array(
                [dt.datetime(2026, 3, 5, 14, 30), dt.datetime(2026, 3, 6), None],
                pa.timestamp("us"),
            ),
            "满意度": pa.array([5, 3, 4], pa.int64()),
            "推荐度": pa.array([10.0, None, 7.0], pa.float64()),
        }
    )
    pq.write_table(table, tmp_path / "surveys.parquet")
    (result,) = ingest_into(con, tmp_path / "surveys.parquet")
    assert (result.kind, result.loaded, result.rejected) == ("surveys", 2, 1)
    assert rows(
        con, "select response_id, project, submitted_at, csat, nps from surveys order by 1"
    ) == [
        ("S1", "P", dt.datetime(2026, 3, 5, 14, 30), 5, 10),
        ("S2", "(unassigned)", dt.datetime(2026, 3, 6), 3, None),
    ]
    # row numbers count data rows from 1
    assert rows(con, "select line_number, reason from rejected_rows") == [
        (3, "submitted_at is empty")
    ]


def test_parquet_date32_column(con, tmp_path):
    table = pa.table(
        {
            "customer_id": ["C1"],
            "project": ["P"],
            "region": ["R"],
            "is_vip": [True],
            "vip_since": pa.array([dt.date(2025, 7, 1)], pa.date32()),
        }
    )
    pq.write_table(table, tmp_path / "customers.parquet")
    ingest_into(con, tmp_path / "customers.parquet")
    assert rows(con, "select is_vip, vip_since from customers") == [(True, dt.date(2025, 7, 1))]


def test_a_sheet_of_unknown_kind_is_rejected_and_the_others_load(con, tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "说明"
    ws.append(["本文件由系统导出"])
    ws.append(["字段", "含义"])
    orders = wb.create_sheet("订单")
    orders.append(["订单号", "客户编号", "项目", "区域", "下单时间"])
    orders.append(["O1", "C1", "P", "R", dt.datetime(2026, 1, 1)])
    wb.save(tmp_path / "book.xlsx")
    results = {r.sheet: r for r in ingest_into(con, tmp_path / "book.xlsx")}
    assert results["说明"].status == "rejected"
    assert (
        "found: 本文件由系统导出" in results["说明"].message
        or "found: 字段, 含义" in results["说明"].message
    )
    assert (results["订单"].status, results["订单"].loaded) == ("loaded", 1)
