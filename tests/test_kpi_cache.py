"""The import-time copies of retention/cohorts (dashboard/kpi_cache.py): used only when they
are the exact answer, and then the same rows as the live query.

Orders (ISO weeks start Monday; 2026-03-02 and 03-09 are Mondays):
  c1 A  2026-03-03 (week 03-02)   2026-03-10 (week 03-09)
  c2 B  2026-03-11 (week 03-09)
Weekly retention by hand:
  03-02: active {c1} = 1, previous 0, retained 0, new 1 (c1), rate NULL
  03-09: active {c1, c2} = 2, previous 1, retained 1 (c1): 1/1 = 1.0, churn 0.0, new 1 (c2)
"""

from __future__ import annotations

import datetime as dt
import math
import shutil

import pytest

from dashboard import db
from dashboard.kpis import compute
from dashboard.paths import QUERIES_DIR

W = dt.date
ORDERS = [
    ("o1", "c1", "A", "East", "2026-03-03 10:00:00"),
    ("o2", "c1", "A", "East", "2026-03-10 10:00:00"),
    ("o3", "c2", "B", "West", "2026-03-11 10:00:00"),
]
WEEKLY = [
    (W(2026, 3, 2), 1, 0, 0, 1, None, None),
    (W(2026, 3, 9), 2, 1, 1, 1, 1.0, 0.0),
]


def rows(frame):
    return [
        tuple(None if isinstance(v, float) and math.isnan(v) else v for v in rec)
        for rec in frame.itertuples(index=False)
    ]


def insert_orders(con, orders):
    con.executemany(
        "insert into orders (order_id, customer_id, project, region, ordered_at) "
        "values (?, ?, ?, ?, ?)",
        orders,
    )


@pytest.fixture
def published(tmp_path):
    """A database file written through db.writer, so the publish hooks ran."""
    path = tmp_path / "kpi.duckdb"
    with db.writer(path) as con:
        insert_orders(con, ORDERS)
    return path


def test_publish_stores_the_unfiltered_results(published):
    with db.connect_readonly(published) as con:
        stored = con.execute(
            "select kpi, grain, by_kind from kpi_cache._meta order by all"
        ).fetchall()
        assert ("retention", "week", None) in stored
        assert ("cohorts", "month", None) in stored
        assert rows(compute(con, "retention", grain="week")) == WEEKLY


def test_the_stored_copy_is_what_is_read(published):
    # Overwrite the stored copy behind the query's back: compute() now returns it, which
    # shows the unfiltered call does not run the live query.
    with db.writer(published) as con:
        con.execute(
            "update kpi_cache.retention set active_customers = 99 "
            "where grain = 'week' and by_kind is null"
        )
        # the hook keeps the (fresh) copy as it is: nothing it depends on changed
    with db.connect_readonly(published) as con:
        assert compute(con, "retention", grain="week")["active_customers"].tolist() == [99, 99]
        # a project filter is never served from the copy: live (c1 only, in A): 1, 1
        live = compute(con, "retention", grain="week", projects=["A"])
        assert live["active_customers"].tolist() == [1, 1]


def test_date_range_on_the_copy_keeps_the_printed_periods(published):
    with db.connect_readonly(published) as con:
        assert rows(compute(con, "retention", grain="week", date_from=W(2026, 3, 9))) == [WEEKLY[1]]
        # by project: A has c1 in both weeks (retained 1/1), B has c2 in 03-09 only
        frame = compute(con, "retention", grain="week", by="project", date_to=W(2026, 3, 8))
        assert list(frame.columns)[:2] == ["period_start", "project"]
        assert rows(frame) == [
            (W(2026, 3, 2), "A", 1, 0, 0, 1, None, None),
            (W(2026, 3, 2), "B", 0, 0, 0, 0, None, None),
        ]


def test_changed_orders_bypass_a_stale_copy(published):
    # Rows added without the publish hook (not through db.writer): the copy is out of date.
    import duckdb

    raw = duckdb.connect(str(published))
    insert_orders(raw, [("o4", "c3", "A", "East", "2026-03-12 09:00:00")])
    raw.close()
    with db.connect_readonly(published) as con:
        # 03-09 now has c1, c2, c3 active: 3; new c2 and c3: 2
        assert rows(compute(con, "retention", grain="week"))[1] == (
            W(2026, 3, 9),
            3,
            1,
            1,
            2,
            1.0,
            0.0,
        )


def test_edited_query_file_bypasses_the_copy(published, tmp_path):
    edited = tmp_path / "queries"
    shutil.copytree(QUERIES_DIR, edited)
    path = edited / "retention.sql"
    # same logic, different text: the copy was made by other SQL, so it is not used
    path.write_text(path.read_text(encoding="utf-8") + "\n-- edited\n", encoding="utf-8")
    with db.writer(published) as con:
        con.execute("update kpi_cache.retention set active_customers = 99")
    with db.connect_readonly(published) as con:
        frame = compute(con, "retention", grain="week", queries_dir=edited)
        assert rows(frame) == WEEKLY


def test_cohorts_from_the_copy(published):
    # Month 2026-03: cohort {c1, c2} = 2, both active in month 0 -> 2/2 = 1.0
    with db.connect_readonly(published) as con:
        assert rows(compute(con, "cohorts")) == [(W(2026, 3, 1), 0, 2, 2, 1.0)]


def _stored_version(path):
    with db.connect_readonly(path) as con:
        return con.execute(
            "select distinct data_version from kpi_cache._meta where kpi = 'retention'"
        ).fetchall()


def _current_version(path):
    from dashboard.kpi_cache import _DATA_VERSION_SQL

    with db.connect_readonly(path) as con:
        return [con.execute(_DATA_VERSION_SQL).fetchone()]


def _order_csv(path, lines):
    path.write_text("order_id,customer_id,project,region,ordered_at\n" + lines, encoding="utf-8")
    return path


def test_a_deferred_slow_hook_does_not_run(tmp_path):
    path = tmp_path / "kpi.duckdb"
    with db.writer(path, defer_slow_hooks=True) as con:
        insert_orders(con, ORDERS)
    with db.connect_readonly(path) as con:
        # the views hook ran (fast), the stored KPI results did not
        assert con.execute("select count(*) from stg_orders").fetchone()[0] == 3
        assert not con.execute(
            "select count(*) from information_schema.tables where table_schema = 'kpi_cache'"
        ).fetchone()[0]
        # and the live query answers instead
        assert rows(compute(con, "retention", grain="week")) == WEEKLY


def test_an_import_of_several_files_leaves_the_copy_current(tmp_path):
    from dashboard.ingest import ingest_paths

    path = tmp_path / "kpi.duckdb"
    first = _order_csv(tmp_path / "a.csv", "o1,c1,A,East,2026-03-03 10:00:00\n")
    second = _order_csv(
        tmp_path / "b.csv", "o2,c1,A,East,2026-03-10 10:00:00\no3,c2,B,West,2026-03-11 10:00:00\n"
    )
    ingest_paths([first, second], db=path)
    assert _stored_version(path) == _current_version(path)
    with db.connect_readonly(path) as con:
        assert rows(compute(con, "retention", grain="week")) == WEEKLY


def test_the_copy_is_stored_even_when_the_last_file_is_skipped(tmp_path):
    from dashboard.ingest import ingest_paths

    path = tmp_path / "kpi.duckdb"
    first = _order_csv(tmp_path / "a.csv", "o1,c1,A,East,2026-03-03 10:00:00\n")
    second = _order_csv(
        tmp_path / "b.csv", "o2,c1,A,East,2026-03-10 10:00:00\no3,c2,B,West,2026-03-11 10:00:00\n"
    )
    ingest_paths([first], db=path)
    # b.csv is new (published with the slow hook deferred), a.csv is skipped (same content)
    results = ingest_paths([second, first], db=path)
    assert [r.status for r in results][-1] == "skipped"
    assert _stored_version(path) == _current_version(path)
    with db.connect_readonly(path) as con:
        assert rows(compute(con, "retention", grain="week")) == WEEKLY
