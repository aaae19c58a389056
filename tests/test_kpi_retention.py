"""retention (客户保留率) on a hand-computed fixture.

Orders (ISO weeks start Monday; 2026-03-01 is a Sunday, 2026-03-02 a Monday):
  c1 A/East          2026-03-01 23:59 (week 02-23, month 03)   2026-03-02 00:00 (week 03-02)
  c2 A/East          2026-03-03 10:00 (week 03-02)             2026-03-17 09:00 (week 03-16)
  c3 B/West          2026-02-24 08:00 (week 02-23, month 02)   2026-03-18 12:00 (week 03-16)
  c4 (unassigned)    2026-03-16 00:00 (week 03-16)
Week 03-09 has no order: it must still be printed, with zeros.
"""

from __future__ import annotations

import datetime as dt
import math

import pytest

from dashboard.kpis import compute

U = "(unassigned)"
ORDERS = [
    ("o1", "c1", "A", "East", "2026-03-01 23:59:00"),
    ("o2", "c1", "A", "East", "2026-03-02 00:00:00"),
    ("o3", "c2", "A", "East", "2026-03-03 10:00:00"),
    ("o4", "c2", "A", "East", "2026-03-17 09:00:00"),
    ("o5", "c3", "B", "West", "2026-02-24 08:00:00"),
    ("o6", "c3", "B", "West", "2026-03-18 12:00:00"),
    ("o7", "c4", U, U, "2026-03-16 00:00:00"),
]
COLUMNS = [
    "period_start",
    "active_customers",
    "previous_active",
    "retained_customers",
    "new_customers",
    "retention_rate",
    "churn_rate",
]
W = dt.date


@pytest.fixture
def orders(con):
    con.executemany(
        "insert into orders (order_id, customer_id, project, region, ordered_at) "
        "values (?, ?, ?, ?, ?)",
        ORDERS,
    )
    return con


def rows(frame):
    """Rows as tuples with NULL rates as None (NaN != NaN would hide mismatches)."""
    out = []
    for rec in frame.itertuples(index=False):
        out.append(tuple(None if isinstance(v, float) and math.isnan(v) else v for v in rec))
    return out


def test_columns_in_contract_order(orders):
    assert list(compute(orders, "retention").columns) == COLUMNS


def test_weekly_retention(orders):
    assert rows(compute(orders, "retention", grain="week")) == [
        # 02-23: active {c1 (Sun 23:59), c3}; nothing before -> rate NULL; new c1, c3
        (W(2026, 2, 23), 2, 0, 0, 2, None, None),
        # 03-02: active {c1 (Mon 00:00), c2}; prev {c1, c3}; retained {c1}: 1/2 = 0.5
        (W(2026, 3, 2), 2, 2, 1, 1, 0.5, 0.5),
        # 03-09: no orders, printed with zeros; prev 2, retained 0: 0/2 = 0.0, churn 1.0
        (W(2026, 3, 9), 0, 2, 0, 0, 0.0, 1.0),
        # 03-16: active {c2, c3, c4}; prev 0 -> NULL; new only c4 (c2, c3 ordered before)
        (W(2026, 3, 16), 3, 0, 0, 1, None, None),
    ]


def test_monthly_retention_month_boundary(orders):
    assert rows(compute(orders, "retention", grain="month")) == [
        # Feb: only c3 (c1's 2026-03-01 23:59 is March)
        (W(2026, 2, 1), 1, 0, 0, 1, None, None),
        # Mar: {c1, c2, c3, c4} = 4; prev {c3}; retained {c3}: 1/1 = 1.0; new c1, c2, c4 = 3
        (W(2026, 3, 1), 4, 1, 1, 3, 1.0, 0.0),
    ]


def test_from_keeps_the_previous_period_and_new_over_all_history(orders):
    result = rows(compute(orders, "retention", date_from=W(2026, 3, 2), date_to=W(2026, 3, 2)))
    # the week before (02-23: c1, c3) still counts as previous_active although not printed
    assert result == [(W(2026, 3, 2), 2, 2, 1, 1, 0.5, 0.5)]
    last = rows(compute(orders, "retention", date_from=W(2026, 3, 16)))
    # c3 ordered in February, outside the printed range: still not new -> only c4
    assert last == [(W(2026, 3, 16), 3, 0, 0, 1, None, None)]


def test_one_project(orders):
    assert rows(compute(orders, "retention", projects=["A"])) == [
        (W(2026, 2, 23), 1, 0, 0, 1, None, None),  # {c1}
        (W(2026, 3, 2), 2, 1, 1, 1, 1.0, 0.0),  # {c1, c2}; prev {c1}: 1/1
        (W(2026, 3, 9), 0, 2, 0, 0, 0.0, 1.0),  # 0/2
        (W(2026, 3, 16), 1, 0, 0, 0, None, None),  # {c2}, not new
    ]


def test_several_projects_including_unassigned(orders):
    assert rows(compute(orders, "retention", projects=["B", U])) == [
        (W(2026, 2, 23), 1, 0, 0, 1, None, None),  # {c3}
        (W(2026, 3, 2), 0, 1, 0, 0, 0.0, 1.0),  # nobody; prev {c3}: 0/1
        (W(2026, 3, 9), 0, 0, 0, 0, None, None),  # 0/0 -> NULL, never 0 or an error
        (W(2026, 3, 16), 2, 0, 0, 1, None, None),  # {c3, c4}; new c4
    ]


def test_region_filter_and_project_and_region_together(orders):
    west = rows(compute(orders, "retention", regions=["West"], grain="month"))
    assert west == [
        (W(2026, 2, 1), 1, 0, 0, 1, None, None),  # c3
        (W(2026, 3, 1), 1, 1, 1, 0, 1.0, 0.0),  # c3 again: 1/1
    ]
    # project A and region West exclude each other: no periods at all
    assert compute(orders, "retention", projects=["A"], regions=["West"]).empty


def test_by_project_same_periods_for_every_group(orders):
    frame = compute(orders, "retention", by="project")
    assert list(frame.columns) == ["period_start", "project", *COLUMNS[1:]]
    assert set(frame["project"]) == {"A", "B", U}
    assert len(frame) == 12  # 4 weeks x 3 projects
    # each group's rows equal filtering to that project alone
    for project in ("A", "B", U):
        alone = rows(compute(orders, "retention", projects=[project]))
        group = rows(frame[frame["project"] == project].drop(columns="project"))
        if project == U:  # (unassigned) alone only spans week 03-16; grouped it spans all
            assert group[-1] == alone[-1] == (W(2026, 3, 16), 1, 0, 0, 1, None, None)
            assert group[:3] == [
                (W(2026, 2, 23), 0, 0, 0, 0, None, None),
                (W(2026, 3, 2), 0, 0, 0, 0, None, None),
                (W(2026, 3, 9), 0, 0, 0, 0, None, None),
            ]
        else:
            assert group == alone


def test_by_region(orders):
    frame = compute(orders, "retention", by="region", grain="month")
    assert list(frame.columns[:2]) == ["period_start", "region"]
    east = rows(frame[frame["region"] == "East"].drop(columns="region"))
    # Feb: East has nobody (c1's first order is March 1); Mar: {c1, c2}, both new
    assert east == [
        (W(2026, 2, 1), 0, 0, 0, 0, None, None),
        (W(2026, 3, 1), 2, 0, 0, 2, None, None),
    ]


def test_empty_database_gives_no_rows_with_the_columns(con):
    frame = compute(con, "retention")
    assert frame.empty and list(frame.columns) == COLUMNS


def test_period_start_is_a_date(orders):
    assert isinstance(compute(orders, "retention")["period_start"].iloc[0], dt.date)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"grain": "day"}, "grain 'day'"),
        ({"by": "channel"}, "--by must be 'project' or 'region'"),
        ({"date_from": "2026-13-01"}, "date_from must be a date"),
        ({"date_from": W(2026, 3, 2), "date_to": W(2026, 3, 1)}, "is after the to date"),
    ],
)
def test_bad_arguments_are_clear_value_errors(orders, kwargs, message):
    with pytest.raises(ValueError, match=message):
        compute(orders, "retention", **kwargs)


def test_unknown_kpi(orders):
    with pytest.raises(ValueError, match="unknown KPI or query 'retension'"):
        compute(orders, "retension")
