"""The date spine (dashboard/spine.py, #13): every week and month as a row, written with the
schema and widened to the data whenever a database is published."""

from __future__ import annotations

import datetime as dt

import duckdb

from dashboard import pipeline
from dashboard.db import connect_readonly
from dashboard.kpis import compute
from dashboard.schema import create_schema
from dashboard.spine import BASE_FIRST, BASE_LAST

D = dt.date


def _rows(con, grain):
    return con.execute(
        "select period_start, period_end, last_day, period_no from date_spine "
        "where grain = $g order by period_start",
        {"g": grain},
    ).fetchall()


def test_the_base_spine_is_contiguous_weeks_and_months():
    con = duckdb.connect()
    create_schema(con)
    create_schema(con)  # idempotent: no second copy
    weeks, months = _rows(con, "week"), _rows(con, "month")
    # 2000-01-01 is a Saturday: its ISO week starts Monday 1999-12-27
    assert weeks[0][0] == D(1999, 12, 27) and weeks[0][0].weekday() == 0
    assert months[0][0] == BASE_FIRST and months[-1][2] == BASE_LAST
    assert len(months) == 40 * 12
    for rows, n in ((weeks, len(weeks)), (months, len(months))):
        for (_start, end, last, no), (next_start, _, _, next_no) in zip(
            rows, rows[1:], strict=False
        ):
            assert end == next_start and last == end - dt.timedelta(days=1)
            assert next_no == no + 1  # "periods since" is a subtraction
        assert len({r[0] for r in rows}) == n
    assert all(start.weekday() == 0 and (end - start).days == 7 for start, end, _, _ in weeks)
    # February 2024 (leap year): 29 days
    feb = next(r for r in months if r[0] == D(2024, 2, 1))
    assert feb[1:3] == (D(2024, 3, 1), D(2024, 2, 29))


def test_publishing_data_past_the_base_range_widens_the_spine(tmp_path):
    path = tmp_path / "kpi.duckdb"
    with pipeline.publishing_writer(path) as con:
        con.execute(
            "insert into orders (order_id, customer_id, project, region, ordered_at) values "
            "('o1', 'c1', 'A', 'East', '2026-03-03 10:00')"
        )
    with connect_readonly(path) as con:
        assert con.execute("select max(last_day) from date_spine").fetchone()[0] <= D(2040, 1, 1)
    # an UPDATE of the source table, published: the spine follows it
    with pipeline.publishing_writer(path) as con:
        con.execute("update orders set ordered_at = timestamp '2041-02-03 10:00'")
        con.execute(
            "insert into orders (order_id, customer_id, project, region, ordered_at) values "
            "('o2', 'c1', 'A', 'East', '2040-12-10 10:00')"
        )
    with connect_readonly(path) as con:
        assert con.execute(
            "select count(*) from date_spine where grain = 'month' and period_start = '2041-02-01'"
        ).fetchone() == (1,)
        frame = compute(con, "retention", grain="month")
    # c1 active in 2040-12 and 2041-02, not in 2041-01: three contiguous months
    assert list(frame["period_start"]) == [D(2040, 12, 1), D(2041, 1, 1), D(2041, 2, 1)]
    assert list(frame["active_customers"]) == [1, 0, 1]
    assert list(frame["previous_active"]) == [0, 1, 0]


def test_a_database_from_before_the_spine_gets_it_when_opened(tmp_path):
    """A file published by an older release (contract tables, no date_spine, no layer
    version) is published once more with the derived layer, its data untouched."""
    path = tmp_path / "old.duckdb"
    old = duckdb.connect(str(path))
    old.execute(
        "create table orders (order_id varchar, customer_id varchar, project varchar, "
        "region varchar, ordered_at timestamp, amount double)"
    )
    old.execute("insert into orders values ('o1', 'c1', 'A', 'East', '2026-03-03 10:00', 1.0)")
    old.close()
    with pipeline.connect_readonly(path) as con:
        assert con.execute("select count(*) from orders").fetchone() == (1,)
        assert con.execute("select count(*) from date_spine").fetchone()[0] > 2000
        frame = compute(con, "retention", grain="week")
    assert list(frame["period_start"]) == [D(2026, 3, 2)]
    assert list(frame["active_customers"]) == [1]
