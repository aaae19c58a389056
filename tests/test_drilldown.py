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


def test_complaint_details_are_the_rows_of_the_complaints_kpi(con):
    con.execute(
        "insert into complaints (complaint_id, project, region, opened_at, resolved_at) values "
        "('k1', 'A', 'East', '2026-03-02 09:00', '2026-03-02 19:00'),"  # 10 h: within 24 h
        "('k2', 'A', 'East', '2026-03-03 10:00', '2026-03-05 10:00'),"  # 48 h: late
        "('k3', 'B', 'West', '2026-03-04 12:00', null),"  # still open
        "('k4', 'A', 'East', '2026-03-09 08:00', '2026-03-09 09:00')"  # the next week
    )
    week = D(2026, 3, 2)
    rows = compute(con, "complaint_details", date_from=week, date_to=week)
    # open and late first: k3 (open), k2 (resolved late), then k1 (met)
    assert rows["complaint_id"].tolist() == ["k3", "k2", "k1"]
    by_id = {r.complaint_id: r for r in rows.itertuples()}
    assert by_id["k2"].calendar_hours == 48.0 and not by_id["k2"].is_sla_met
    # k3 is open until the end of the last day with complaint data (Mon 03-09, the day of
    # k4): from Wed 03-04 12:00 to Tue 03-10 00:00 = 5 days 12 h = 132 h
    assert by_id["k3"].calendar_hours == 132.0
    kpi = compute(con, "complaints", date_from=week, date_to=week).iloc[0]
    # the KPI counts the same rows: opened 3, resolved 2, met 1
    assert (kpi["opened"], kpi["resolved"], kpi["sla_met"]) == (3, 2, 1)
    assert (len(rows), int(rows["is_resolved"].sum()), int(rows["is_sla_met"].sum())) == (3, 2, 1)
    # as of Tue 03-03: k3 not opened yet, k2 not resolved yet (open, not met), k1 met
    cut = compute(con, "complaint_details", date_from=week, date_to=week, as_of=D(2026, 3, 3))
    assert cut["complaint_id"].tolist() == ["k2", "k1"]
    assert cut["is_resolved"].tolist() == [False, True]
