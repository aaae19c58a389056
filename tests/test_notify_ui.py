"""The delivery log on the Data page: deliveries, statuses in both languages, failures."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb
import pytest
from notify_fixture import make_db
from streamlit.testing.v1 import AppTest

from dashboard.notify.log import Attempt, Delivery, save
from dashboard.ui.pages.notify_log import delivery_tables

APP = str(Path(__file__).resolve().parent.parent / "app.py")
T = datetime(2026, 11, 23, 9, 30)


@pytest.fixture(scope="module")
def logged_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = make_db(tmp_path_factory.mktemp("notify-ui"))
    save(db, Delivery("weekly", "2026-W47", "ding", "sent", 1, "t", T, T, T, "HTTP 200: ok"),
         [Attempt(1, T, True, "HTTP 200: ok")])  # fmt: skip
    save(db, Delivery("weekly", "2026-W47", "mail", "failed", 3, "t", T, T, None, "SMTP: 451 try later"),
         [Attempt(i, T, False, "SMTP: 451 try later") for i in (1, 2, 3)])  # fmt: skip
    save(db, Delivery("desk", "2026-11-23", "ding", "sending", 1, "t", T, T, None, "sending"))
    return db


def test_tables_in_both_languages(logged_db: Path) -> None:
    con = duckdb.connect(str(logged_db), read_only=True)
    try:
        zh, zh_failures = delivery_tables(con, "zh")
        en, _ = delivery_tables(con, "en")
    finally:
        con.close()
    assert sorted(zh["状态"]) == sorted(["已发送", "失败", "未知（发送中断）"])
    assert sorted(en["Status"]) == sorted(["sent", "failed", "unknown (sending interrupted)"])
    assert len(zh_failures) == 3 and set(zh_failures["渠道返回"]) == {"SMTP: 451 try later"}


def test_data_page_shows_the_log_and_asks_an_operator(
    logged_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KPI_DB", str(logged_db))
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["lang"] = "en"
    at.run()
    at.switch_page("dashboard/ui/pages/data.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    frames = [d.value for d in at.dataframe]
    log = next(f for f in frames if "Channel's answer" in f.columns and "Status" in f.columns)
    assert sorted(log["Channel"]) == ["ding", "ding", "mail"]
    assert any("1 failed and 1 unknown deliveries" in w.value for w in at.warning)
