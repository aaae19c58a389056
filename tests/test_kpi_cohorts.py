"""cohorts (客户留存队列) on a hand-computed fixture, month grain.

  a (A): 2026-01-31 23:59:59, 2026-02-01 00:00:00, 2026-04-10
  b (A): 2026-01-05, 2026-03-05
  c (B): 2026-02-03, 2026-02-20, 2026-03-01
  d (B): 2026-04-02
Cohorts: Jan {a, b}, Feb {c}, Apr {d}; no first order in March -> no March cohort.
The last month with data is April.
"""

from __future__ import annotations

import datetime as dt

import pytest

from dashboard.kpis import compute

COLUMNS = [
    "cohort_month",
    "months_since_first",
    "cohort_size",
    "active_customers",
    "retention_rate",
]
ORDERS = [
    ("o1", "a", "A", "2026-01-31 23:59:59"),
    ("o2", "a", "A", "2026-02-01 00:00:00"),
    ("o3", "a", "A", "2026-04-10 10:00:00"),
    ("o4", "b", "A", "2026-01-05 10:00:00"),
    ("o5", "b", "A", "2026-03-05 10:00:00"),
    ("o6", "c", "B", "2026-02-03 10:00:00"),
    ("o7", "c", "B", "2026-02-20 10:00:00"),
    ("o8", "c", "B", "2026-03-01 10:00:00"),
    ("o9", "d", "B", "2026-04-02 10:00:00"),
]
M = dt.date


@pytest.fixture
def orders(con):
    con.executemany(
        "insert into orders (order_id, customer_id, project, region, ordered_at) "
        "values (?, ?, ?, 'R', ?)",
        ORDERS,
    )
    return con


def rows(frame):
    return [tuple(rec) for rec in frame.itertuples(index=False)]


def test_cohorts(orders):
    frame = compute(orders, "cohorts")
    assert list(frame.columns) == COLUMNS
    assert rows(frame) == [
        (M(2026, 1, 1), 0, 2, 2, 1.0),  # a, b
        (M(2026, 1, 1), 1, 2, 1, 0.5),  # Feb: a (its 02-01 00:00 order) -> 1/2
        (M(2026, 1, 1), 2, 2, 1, 0.5),  # Mar: b
        (M(2026, 1, 1), 3, 2, 1, 0.5),  # Apr: a
        (M(2026, 2, 1), 0, 1, 1, 1.0),  # c (two Feb orders count once)
        (M(2026, 2, 1), 1, 1, 1, 1.0),  # Mar: c
        (M(2026, 2, 1), 2, 1, 0, 0.0),  # Apr: nobody, still printed up to the last month
        (M(2026, 4, 1), 0, 1, 1, 1.0),  # d
    ]


def test_from_selects_cohorts_not_data(orders):
    frame = compute(orders, "cohorts", date_from=M(2026, 2, 1), date_to=M(2026, 3, 31))
    # only the Feb cohort; its curve still runs to April
    assert rows(frame) == [
        (M(2026, 2, 1), 0, 1, 1, 1.0),
        (M(2026, 2, 1), 1, 1, 1, 1.0),
        (M(2026, 2, 1), 2, 1, 0, 0.0),
    ]


def test_project_filter_and_by(orders):
    b_only = rows(compute(orders, "cohorts", projects=["B"]))
    assert b_only == [
        (M(2026, 2, 1), 0, 1, 1, 1.0),
        (M(2026, 2, 1), 1, 1, 1, 1.0),
        (M(2026, 2, 1), 2, 1, 0, 0.0),
        (M(2026, 4, 1), 0, 1, 1, 1.0),
    ]
    grouped = compute(orders, "cohorts", by="project")
    assert list(grouped.columns) == ["cohort_month", "project", *COLUMNS[1:]]
    assert rows(grouped[grouped["project"] == "B"].drop(columns="project")) == b_only


def test_week_grain_is_refused(orders):
    with pytest.raises(ValueError, match="grain 'week' is not available for 'cohorts'; use month"):
        compute(orders, "cohorts", grain="week")
