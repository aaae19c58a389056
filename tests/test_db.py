"""The single-writer / snapshot-reader hand-off of dashboard.db."""

from __future__ import annotations

import pytest

from dashboard import db, pipeline


def test_writer_publishes_on_success_and_readers_see_snapshots(tmp_path):
    path = tmp_path / "k.duckdb"
    with db.writer(path) as con:
        con.execute(
            "insert into customers (customer_id, project, region, is_vip) values ('c1','P','R',false)"
        )
    old = db.connect_readonly(path)
    assert old.execute("select count(*) from customers").fetchone() == (1,)
    with db.writer(path) as con:
        con.execute(
            "insert into customers (customer_id, project, region, is_vip) values ('c2','P','R',true)"
        )
    new = db.connect_readonly(path)
    assert new.execute("select count(*) from customers").fetchone() == (2,)
    # the old reader keeps its consistent snapshot
    assert old.execute("select count(*) from customers").fetchone() == (1,)


def test_writer_failure_leaves_live_file_untouched(tmp_path):
    path = tmp_path / "k.duckdb"
    with db.writer(path):
        pass
    before = path.read_bytes()
    with pytest.raises(RuntimeError), db.writer(path) as con:
        con.execute(
            "insert into customers (customer_id, project, region, is_vip) values ('c1','P','R',false)"
        )
        raise RuntimeError("boom")
    assert path.read_bytes() == before
    assert db.connect_readonly(path).execute("select count(*) from customers").fetchone() == (0,)
    assert not list(tmp_path.glob(".*.tmp"))


def test_snapshot_switches_to_new_version(tmp_path):
    path = tmp_path / "k.duckdb"
    with db.writer(path):
        pass
    snap = db.Snapshot(path)
    v1 = snap.version
    assert snap.cursor().execute("select count(*) from customers").fetchone() == (0,)
    with db.writer(path) as con:
        con.execute(
            "insert into customers (customer_id, project, region, is_vip) values ('c1','P','R',false)"
        )
    assert snap.version != v1
    assert snap.cursor().execute("select count(*) from customers").fetchone() == (1,)


def test_explicit_missing_database_is_a_clear_error(tmp_path):
    with pytest.raises(db.DatabaseMissing, match="kpi ingest"):
        pipeline.ensure_database(tmp_path / "nope.duckdb")


def test_default_database_is_built_and_follows_data_dir(tmp_path, monkeypatch):
    data = tmp_path / "data"
    data.mkdir()
    (data / "customers.csv").write_text("customer_id,project,region,is_vip\nc1,P,R,否\n", "utf-8")
    default = tmp_path / "var" / "kpi.duckdb"
    monkeypatch.setattr(pipeline, "DEFAULT_DB", default)
    monkeypatch.setattr("dashboard.paths.DATA_DIR", data)
    monkeypatch.delenv("KPI_DB", raising=False)

    assert pipeline.ensure_database(default) == default
    con = db.connect_readonly(default)
    assert con.execute("select count(*) from customers").fetchone() == (1,)

    # a changed data/ (e.g. after a pull) is imported on the next start, incrementally
    (data / "orders.csv").write_text(
        "order_id,customer_id,project,region,ordered_at\no1,c1,P,R,2026-03-05\n", "utf-8"
    )
    pipeline.ensure_database(default)
    con = db.connect_readonly(default)
    assert con.execute("select count(*) from orders").fetchone() == (1,)
    assert con.execute("select count(*) from customers").fetchone() == (1,)
    # unchanged data/: nothing is imported again (one import_log row per file: the two of
    # data/ and the demo's events on the timeline, dashboard/demo/events.csv, #12)
    pipeline.ensure_database(default)
    con = db.connect_readonly(default)
    assert con.execute("select count(*) from import_log").fetchone() == (3,)


def test_kpi_db_pointing_at_missing_file_is_not_filled_with_demo_data(tmp_path, monkeypatch):
    monkeypatch.setenv("KPI_DB", str(tmp_path / "mine.duckdb"))
    with pytest.raises(db.DatabaseMissing):
        pipeline.ensure_database(None)
    assert not (tmp_path / "mine.duckdb").exists()


def test_the_writer_shows_no_duckdb_progress_bar(tmp_path):
    # #14: DuckDB draws its bar on stdout for statements over 2 s, so a `kpi ingest` into a
    # log or a pipe filled it with ~2,000 bar updates at 2M orders
    with db.writer(tmp_path / "kpi.duckdb") as con:
        assert con.execute("select current_setting('enable_progress_bar')").fetchone() == (False,)
