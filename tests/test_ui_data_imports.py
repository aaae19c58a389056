"""The Data page's imports at a glance (#12): a banner per file naming it and the reason in
full, superseded rows told apart from errors, a kind selector, honest file messages."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from tests_ui_support import build_tiny_db

from dashboard.ui.uploads import check_upload

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def data_page(db: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("KPI_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["lang"] = "en"
    at.run()
    at.switch_page("dashboard/ui/pages/data.py")
    return at.run()


def upload(at: AppTest, name: str, data: bytes) -> AppTest:
    at.file_uploader[0].upload(name, data, "text/csv").run()
    next(b for b in at.button if b.label == "Import").click().run()
    assert not at.exception
    return at


def test_a_file_refused_whole_gets_a_red_banner_with_the_reason(tmp_path, monkeypatch):
    at = data_page(build_tiny_db(tmp_path / "kpi.duckdb"), monkeypatch)
    # an orders file without its required ordered_at column
    upload(at, "orders_week48.csv", b"order_id,customer_id,project,region\no1,c1,A,East\n")
    errors = " ".join(e.value for e in at.error)
    assert "orders_week48.csv: rejected" in errors and "ordered_at" in errors
    assert not at.success


def test_superseded_rows_are_not_errors(tmp_path, monkeypatch):
    at = data_page(build_tiny_db(tmp_path / "kpi.duckdb"), monkeypatch)
    csv = (
        "order_id,customer_id,project,region,ordered_at\n"
        "n1,c1,Alpha,East,2026-11-10 09:00\n"
        "n1,c1,Alpha,East,2026-11-10 10:00\n"  # the same id again: the first is superseded
    )
    upload(at, "orders.csv", csv.encode())
    success = " ".join(s.value for s in at.success)
    # no errors: a green banner, the superseded row explained
    assert "orders.csv: 1 rows loaded." in success
    assert "1 earlier rows were replaced by later rows with the same id" in success
    summary = next(d.value for d in at.dataframe if "Superseded by later rows" in d.value.columns)
    assert summary["Rejected (errors)"].tolist() == [0]
    assert summary["Superseded by later rows"].tolist() == [1]


def test_the_kind_selector_reads_every_file_as_that_kind(tmp_path, monkeypatch):
    at = data_page(build_tiny_db(tmp_path / "kpi.duckdb"), monkeypatch)
    # "export.csv" names no kind; the user says what it is (as `kpi ingest --kind orders`)
    at.selectbox(key="import_kind").set_value("orders").run()
    csv = "order_id,customer_id,project,region,ordered_at\nz1,c1,Alpha,East,2026-11-10 09:00\n"
    upload(at, "export.csv", csv.encode())
    summary = next(d.value for d in at.dataframe if "Rejected (errors)" in d.value.columns)
    assert summary["Data"].tolist() == ["Orders"]
    assert summary["Loaded"].tolist() == [1]


def test_a_truncated_parquet_is_called_damaged():
    problem = check_upload("orders.parquet", b"PAR1" + b"\0" * 100)
    assert problem is not None and problem.code == "truncated_parquet"
    other = check_upload("orders.parquet", b"order_id,customer_id\n")
    assert other is not None and other.code == "not_parquet" and other.values["found"] == "other"


def test_first_run_from_a_new_database_path(tmp_path, monkeypatch):
    """KPI_DB names a file that does not exist yet: the app opens with its sidebar and menu,
    says how to start in the user's language, and the Data page takes the first upload."""
    db = tmp_path / "new" / "company.duckdb"
    monkeypatch.setenv("KPI_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()  # the default language: Chinese
    assert not at.error and not at.exception
    assert any("数据管理" in i.value or "kpi ingest" in i.value for i in at.info)
    assert at.sidebar.radio(key="f_lang").value == "zh"  # the sidebar is there
    at.switch_page("dashboard/ui/pages/data.py")
    at.run()
    assert len(at.file_uploader) == 1
    csv = "order_id,customer_id,project,region,ordered_at\nf1,c1,Alpha,East,2026-11-10 09:00\n"
    at.file_uploader[0].upload("orders.csv", csv.encode(), "text/csv").run()
    next(b for b in at.button if b.label == "导入").click().run()
    assert not at.exception
    assert any("orders.csv：已导入 1 行。" in s.value for s in at.success)
    assert "Alpha" in at.sidebar.multiselect(key="f_projects").options
