"""Uploads (#7 item 5): size limit, type by extension and by content, one clear message per
file, the user's own file name recorded, nothing ever executed."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from streamlit import config as st_config
from streamlit.testing.v1 import AppTest
from tests_ui_support import build_tiny_db

from dashboard.db import connect_readonly
from dashboard.ui.uploads import check_upload, display_name

APP = str(Path(__file__).resolve().parent.parent / "app.py")
ORDERS_CSV = (
    b"order_id,customer_id,project,region,ordered_at,amount\n"
    b"u1,c1,Alpha,East,2026-11-10 09:00,10\n"
    b"u2,c1,Alpha,East,not a date,10\n"
)


def xlsx_bytes(rows: list[list[object]], macro: bool = False) -> bytes:
    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    if not macro:
        return buffer.getvalue()
    # An .xlsm: the same package plus a VBA project part (never run: we only parse XML).
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item))
        dst.writestr("xl/vbaProject.bin", b'\xd0\xcf\x11\xe0 Sub AutoOpen(): Shell "calc"')
    return out.getvalue()


PARQUET_MAGIC_ONLY = b"PAR1" + b"\x00" * 16 + b"PAR1"


@pytest.mark.parametrize(
    ("name", "data", "code", "found"),
    [
        ("orders.exe", b"MZ\x90\x00", "bad_type", None),
        ("orders", ORDERS_CSV, "bad_type", None),
        ("orders.csv", b"", "empty", None),
        ("orders.xlsx", ORDERS_CSV, "not_xlsx", "text"),  # a CSV renamed to .xlsx
        ("orders.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "not_xlsx", "xls"),
        ("orders.xlsx", b"PK\x03\x04 broken zip", "not_xlsx", "zip"),
        ("orders.parquet", ORDERS_CSV, "not_parquet", "other"),
        ("orders.parquet", b"PAR1 truncated", "truncated_parquet", None),  # cut short
        ("orders.csv", b"\x7fELF\x02\x01\x01" + b"\x00" * 100, "binary", "program"),
        ("orders.csv", b"%PDF-1.7\n...", "binary", "pdf"),
        ("orders.csv", bytes(range(256)) * 20, "binary", "binary"),
        ("orders.csv", xlsx_bytes([["a"]]), "binary", "zip"),  # an .xlsx renamed to .csv
    ],
)
def test_check_upload_refuses_with_a_reason(name, data, code, found):
    problem = check_upload(name, data)
    assert problem is not None and problem.code == code
    assert problem.values.get("found") == found


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("orders.csv", ORDERS_CSV),
        ("orders.TSV", ORDERS_CSV.replace(b",", b"\t")),
        ("orders.csv", "\ufefforder_id,客户\n1,张三\n".encode("utf-16")),  # UTF-16 with BOM
        (
            "orders.csv",
            ORDERS_CSV.replace(b"u1,", b"u\x001,"),
        ),  # one stray NUL: the import rejects the row
        ("orders.xlsx", xlsx_bytes([["order_id"], ["o1"]])),
        ("orders.xlsm", xlsx_bytes([["order_id"], ["o1"]], macro=True)),
        ("orders.parquet", PARQUET_MAGIC_ONLY),
    ],
)
def test_check_upload_accepts_real_exports(name, data):
    assert check_upload(name, data) is None


def test_the_size_limit_is_in_megabytes():
    data = b"a,b\n" + b"1,2\n" * 300_000  # 1.2 MB
    problem = check_upload("big.csv", data, limit_mb=1)
    assert problem is not None and problem.code == "too_big"
    assert problem.values == {"file": "big.csv", "size": "1.1", "limit": "1"}  # 1,200,004 B
    assert check_upload("big.csv", data, limit_mb=2) is None


def test_display_name_is_the_base_name_without_control_characters():
    assert display_name("../../etc/订单 明细.csv") == "订单 明细.csv"
    assert display_name("C:\\Users\\ann\\orders.csv") == "orders.csv"
    assert display_name("or\x00ders\n.csv") == "orders.csv"
    assert display_name("") == "upload"


# ------------------------------------------------------------------- in the app


def data_page(db: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("KPI_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["lang"] = "en"
    at.run()
    at.switch_page("dashboard/ui/pages/data.py")
    return at.run()


def upload(at: AppTest, files: list[tuple[str, bytes, str]]) -> AppTest:
    at.file_uploader[0].set_value(files).run()
    next(b for b in at.button if b.label == "Import").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_bad_files_get_one_message_each_and_good_ones_load_under_the_users_name(
    tmp_path, monkeypatch
):
    db = build_tiny_db(tmp_path / "kpi.duckdb")
    at = upload(
        data_page(db, monkeypatch),
        [
            ("fake.xlsx", ORDERS_CSV, "application/octet-stream"),
            ("程序.csv", b"\x7fELF\x02\x01\x01" + b"\x00" * 100, "text/csv"),
            ("订单 orders 11月.csv", ORDERS_CSV, "text/csv"),
        ],
    )
    errors = [e.value for e in at.error]
    assert len(errors) == 2
    assert errors[0].startswith("fake.xlsx: not an Excel workbook (the content is text)")
    assert errors[1].startswith("程序.csv: the content is a program, not a text export")
    summary = next(d.value for d in at.dataframe if "Rejected (errors)" in d.value.columns)
    assert summary["File"].tolist() == ["订单 orders 11月.csv"]
    assert summary["Loaded"].tolist() == [1] and summary["Rejected (errors)"].tolist() == [1]

    con = connect_readonly(db)
    log = con.execute(
        "select file_name, file_path from import_log where file_name <> 'orders.csv'"
    ).fetchall()
    assert log == [("订单 orders 11月.csv", "订单 orders 11月.csv")]  # not a temp path
    assert con.execute("select distinct file from rejected_rows where line_number = 3"
                       ).fetchall() == [("订单 orders 11月.csv",)]  # fmt: skip
    assert con.execute("select _source_file from orders where order_id = 'u1'").fetchall() == [
        ("订单 orders 11月.csv",)
    ]
    assert "kpi-upload-" not in str(con.execute("select * from import_log").fetchall())


def test_an_upload_over_the_limit_is_refused_with_the_limit(tmp_path, monkeypatch):
    db = build_tiny_db(tmp_path / "kpi.duckdb")
    before = db.read_bytes()
    old = st_config.get_option("server.maxUploadSize")
    st_config.set_option("server.maxUploadSize", 1)
    try:
        at = data_page(db, monkeypatch)
        at = upload(at, [("big orders.csv", ORDERS_CSV + b"\n" * (1_100_000), "text/csv")])
    finally:
        st_config.set_option("server.maxUploadSize", old)
    assert [e.value for e in at.error] == [
        "big orders.csv: 1.0 MB is more than the upload limit of 1 MB. Import it with "
        "`kpi ingest` on the server, or raise server.maxUploadSize in .streamlit/config.toml."
    ]
    assert db.read_bytes() == before  # nothing imported


def test_formulas_and_macros_in_uploaded_workbooks_are_data_only(tmp_path, monkeypatch):
    db = build_tiny_db(tmp_path / "kpi.duckdb")
    marker = tmp_path / "pwned"
    rows = [
        ["order_id", "customer_id", "project", "region", "ordered_at", "amount"],
        ["x1", "c1", "Alpha", "East", "2026-11-10 09:00", 5],
    ]
    book = xlsx_bytes(rows, macro=True)
    # A formula cell in the name column: stored by openpyxl as a formula, no cached value.
    wb = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(rows)))
    wb.active["A2"] = "x2"
    wb.active["C2"] = f'=HYPERLINK("file://{marker}","x")'
    formula = io.BytesIO()
    wb.save(formula)
    at = upload(
        data_page(db, monkeypatch),
        [
            ("orders macro.xlsm", book, "application/vnd.ms-excel.sheet.macroEnabled.12"),
            ("orders formula.xlsx", formula.getvalue(), "application/vnd.openxmlformats"),
        ],  # fmt: skip
    )
    assert not [e.value for e in at.error if "not an Excel" in e.value]
    con = connect_readonly(db)
    names = dict(con.execute(
        "select file_name, status from import_log where file_name like 'orders %'"
    ).fetchall())  # fmt: skip
    assert names["orders macro.xlsm"] == "loaded"
    assert "orders formula.xlsx" in names  # loaded or rejected, but read as data
    assert con.execute("select project from orders where order_id = 'x1'").fetchone() == ("Alpha",)
    # The formula is never evaluated: openpyxl saved no cached result, so the cell reads as
    # empty (the project becomes "(unassigned)") - or as its text, never as "x".
    project = con.execute("select project from orders where order_id = 'x2'").fetchone()
    assert project in (("(unassigned)",), (f'=HYPERLINK("file://{marker}","x")',), None)
    assert not marker.exists()  # nothing was run
