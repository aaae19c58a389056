"""Detail queries: the rows behind a number (#12 drill-down), hand-counted."""

from __future__ import annotations

import datetime as dt

from dashboard.kpis import compute

D = dt.date


def insert_orders(con, rows):
    con.executemany(
        "insert into orders (order_id, customer_id, project, region, ordered_at) "
        "values (?, ?, ?, ?, ?)",
        rows,
    )


def test_lost_customers_are_the_ones_retention_counts(con):
    con.execute(
        "insert into customers (customer_id, customer_name, project, region, is_vip) values "
        "('c1', 'Ann', 'A', 'East', false), ('c2', 'Bob', 'B', 'West', false)"
    )
    insert_orders(
        con,
        [
            ("o1", "c1", "A", "East", "2026-03-02 10:00"),  # week 03-02
            ("o2", "c2", "B", "West", "2026-03-03 10:00"),
            ("o3", "c2", "B", "West", "2026-03-04 10:00"),
            ("o4", "c1", "A", "East", "2026-03-09 10:00"),  # week 03-09: c1 again, c2 lost
            ("o5", "c3", "A", "East", "2026-03-10 10:00"),
            ("o6", "c3", "A", "East", "2026-03-17 10:00"),  # week 03-16: c1 lost
        ],
    )
    frame = compute(con, "lost_customers")
    rows = [
        (r.period_start, r.customer_id, r.customer_name, r.project, r.orders_previous_period)
        for r in frame.itertuples()
    ]
    # week 03-09: c2 (2 orders the week before); week 03-16: c1 (1 order). c3's week
    # 03-23 is after the last period with an order: not printed
    assert rows == [(D(2026, 3, 9), "c2", "Bob", "B", 2), (D(2026, 3, 16), "c1", "Ann", "A", 1)]
    retention = compute(con, "retention")
    lost = dict(
        zip(
            retention["period_start"],
            retention["previous_active"] - retention["retained_customers"],
            strict=True,
        )
    )
    assert lost == {D(2026, 3, 2): 0, D(2026, 3, 9): 1, D(2026, 3, 16): 1}  # the same counts
    # the date range picks periods; a project filter keeps that project's orders only:
    # in A, c1 (03-02, 03-09) is lost in 03-16, where c3 still orders
    one = compute(con, "lost_customers", date_from=D(2026, 3, 16), date_to=D(2026, 3, 16))
    assert one["customer_id"].tolist() == ["c1"]
    assert compute(con, "lost_customers", projects=["A"])["customer_id"].tolist() == ["c1"]
    # in B the last order is in week 03-02, so B's periods end there (as retention's do)
    assert compute(con, "lost_customers", projects=["B"]).empty
    # as of Monday 03-09 the week of 03-09 has only o4 so far: c2 is lost (the rows behind
    # the as-of retention), and nothing later exists yet
    cut = compute(con, "lost_customers", as_of=D(2026, 3, 9))
    assert cut["customer_id"].tolist() == ["c2"]


def test_survey_responses_lowest_scores_first(con):
    con.execute(
        "insert into surveys (response_id, customer_id, project, region, submitted_at, csat, nps) "
        "values ('s1', 'c1', 'A', 'East', '2026-03-02 09:00', 5, 10),"
        "('s2', 'c2', 'A', 'East', '2026-03-03 09:00', 2, 3),"
        "('s3', 'c3', 'B', 'West', '2026-03-04 09:00', 4, null),"
        "('s4', 'c4', 'A', 'East', '2026-03-09 09:00', 3, 7)"
    )
    frame = compute(con, "survey_responses", date_from=D(2026, 3, 2), date_to=D(2026, 3, 2))
    # week 03-02 only (s4 is in the week of 03-09), csat ascending
    assert frame["response_id"].tolist() == ["s2", "s3", "s1"]
    flags = {
        r.response_id: (r.is_satisfied, r.is_promoter, r.is_detractor) for r in frame.itertuples()
    }
    assert flags == {
        "s2": (False, False, True),
        "s3": (True, False, False),
        "s1": (True, True, False),
    }
    assert compute(con, "survey_responses", projects=["B"])["response_id"].tolist() == ["s3"]
