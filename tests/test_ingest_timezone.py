"""Time zones (data contract "Values", #11): a Parquet timestamp that carries a zone is an
instant and becomes the company's local time (``timezone``, default Asia/Shanghai)."""

from __future__ import annotations

import datetime as dt

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from dashboard.pipeline import import_files as ingest_paths
from dashboard.settings import SettingsError, parse_settings

UTC = dt.UTC
TOKYO = dt.timezone(dt.timedelta(hours=9))


def write_complaints(path, opened: pa.Array) -> None:
    n = len(opened)
    table = pa.table(
        {
            "complaint_id": [f"{path.stem}-{i}" for i in range(n)],
            "project": ["A"] * n,
            "region": ["East"] * n,
            "opened_at": opened,
        }
    )
    pq.write_table(table, path)


def opened_times(db) -> list[tuple[str, dt.datetime]]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(
            "select complaint_id, opened_at from complaints order by complaint_id"
        ).fetchall()


def test_the_same_instant_lands_on_the_same_local_time(tmp_path, monkeypatch):
    monkeypatch.delenv("KPI_SETTINGS", raising=False)
    instant = dt.datetime(2026, 3, 1, 16, 30, tzinfo=UTC)  # Sunday 16:30 UTC
    files = tmp_path / "exports"
    files.mkdir()
    write_complaints(
        files / "complaints_utc.parquet", pa.array([instant], pa.timestamp("us", tz="UTC"))
    )
    write_complaints(
        files / "complaints_tokyo.parquet",
        pa.array([instant.astimezone(TOKYO)], pa.timestamp("ms", tz="Asia/Tokyo")),
    )
    # a naive timestamp is the exporting system's wall-clock time: kept as written
    write_complaints(
        files / "complaints_naive.parquet",
        pa.array([dt.datetime(2026, 3, 1, 16, 30)], pa.timestamp("s")),
    )
    db = tmp_path / "kpi.duckdb"
    results = ingest_paths([files], db=db)
    assert [r.status for r in results] == ["loaded"] * 3
    # 16:30 UTC + 8 h = 00:30 on Monday 03-02 in Shanghai, from both zone-aware files;
    # so the complaint belongs to the week of 03-02, not to the week ending on Sunday 03-01
    assert opened_times(db) == [
        ("complaints_naive-0", dt.datetime(2026, 3, 1, 16, 30)),
        ("complaints_tokyo-0", dt.datetime(2026, 3, 2, 0, 30)),
        ("complaints_utc-0", dt.datetime(2026, 3, 2, 0, 30)),
    ]


def test_the_timezone_is_a_setting(tmp_path, monkeypatch):
    settings = tmp_path / "kpi.toml"
    settings.write_text('timezone = "Europe/London"\n', encoding="utf-8")
    monkeypatch.setenv("KPI_SETTINGS", str(settings))
    path = tmp_path / "complaints.parquet"
    # 2026-07-01 12:00 UTC is 13:00 in London (summer time, UTC+1)
    write_complaints(
        path, pa.array([dt.datetime(2026, 7, 1, 12, 0, tzinfo=UTC)], pa.timestamp("us", tz="UTC"))
    )
    db = tmp_path / "kpi.duckdb"
    ingest_paths([path], db=db)
    assert opened_times(db) == [("complaints-0", dt.datetime(2026, 7, 1, 13, 0))]


def test_an_unknown_timezone_names_the_key():
    with pytest.raises(SettingsError, match="'timezone' must be an IANA time zone"):
        parse_settings({"timezone": "Mars/Olympus"})
    assert parse_settings({}).timezone == "Asia/Shanghai"
