"""vip_coverage (VIP回访覆盖率) on a hand-computed fixture, default 30-day interval.

Customers:
  v1 A/East VIP since always           v2 A/East VIP, vip_since 2026-03-15 (not VIP in Feb)
  v3 B/West VIP since 2026-01-01 but joined 2026-02-10 (VIP from 02-10)
  v4 (unassigned) VIP since 2025-01-01, never contacted     n1 A/East not a VIP
Contacts:
  c1 v1 2026-02-01 09:00 phone      c2 v2 2026-02-20 phone (v2 not yet VIP: ignored)
  c3 n1 2026-02-05 visit (not a VIP: ignored)                c4 v3 2026-02-28 23:00 visit
  c5 v1 2026-03-02 00:00 phone      c6 v3 2026-03-01 23:59 phone      c7 v2 2026-03-31 23:59 visit
March's interval window: the 30 days ending 03-31 = 03-02 .. 03-31.
"""

from __future__ import annotations

import datetime as dt
import math

import pytest

from dashboard.kpis import compute
from dashboard.settings import Settings

U = "(unassigned)"
COLUMNS = [
    "period_start",
    "vip_customers",
    "vip_contacted",
    "coverage_rate",
    "phone_contacts",
    "visit_contacts",
    "overdue_vips",
]
CUSTOMERS = [
    ("v1", "A", "East", True, None, None),
    ("v2", "A", "East", True, "2026-03-15", None),
    ("v3", "B", "West", True, "2026-01-01", "2026-02-10"),
    ("v4", U, U, True, "2025-01-01", None),
    ("n1", "A", "East", False, None, None),
]
CONTACTS = [
    ("c1", "v1", "2026-02-01 09:00", "phone"),
    ("c2", "v2", "2026-02-20 10:00", "phone"),
    ("c3", "n1", "2026-02-05 10:00", "visit"),
    ("c4", "v3", "2026-02-28 23:00", "visit"),
    ("c5", "v1", "2026-03-02 00:00", "phone"),
    ("c6", "v3", "2026-03-01 23:59", "phone"),
    ("c7", "v2", "2026-03-31 23:59", "visit"),
]
W = dt.date


def insert(con, customers, contacts):
    con.executemany(
        "insert into customers (customer_id, project, region, is_vip, vip_since, joined_on) "
        "values (?, ?, ?, ?, ?, ?)",
        customers,
    )
    if not contacts:
        return
    con.executemany(
        "insert into vip_contacts (contact_id, customer_id, contacted_at, method) "
        "values (?, ?, ?, ?)",
        contacts,
    )


@pytest.fixture
def vips(con):
    insert(con, CUSTOMERS, CONTACTS)
    return con


def rows(frame):
    return [
        tuple(None if isinstance(v, float) and math.isnan(v) else v for v in rec)
        for rec in frame.itertuples(index=False)
    ]


def test_monthly(vips):
    frame = compute(vips, "vip_coverage", grain="month")
    assert list(frame.columns) == COLUMNS
    assert rows(frame) == [
        # Feb (last day 02-28): VIPs v1, v3 (from 02-10), v4 = 3 (v2 from 03-15: not yet);
        # contacted v1, v3 -> 2/3; phone c1 (c2 ignored), visit c4 (c3 ignored);
        # window 01-30..02-28: v1, v3 contacted, v4 never -> 1 overdue
        (W(2026, 2, 1), 3, 2, pytest.approx(2 / 3), 1, 1, 1),
        # Mar: all four VIPs; contacted v1, v3, v2 -> 3/4; phone c5, c6; visit c7;
        # window 03-02..03-31: v1 (03-02 00:00) and v2 (03-31 23:59) in;
        # v3's last contact 03-01 23:59 is one minute outside -> overdue; v4 overdue -> 2
        (W(2026, 3, 1), 4, 3, 0.75, 2, 1, 2),
    ]


def test_vip_filters_use_the_customers_project_and_region(vips):
    assert rows(compute(vips, "vip_coverage", grain="month", projects=["A"])) == [
        (W(2026, 2, 1), 1, 1, 1.0, 1, 0, 0),  # v1 only; n1's visit ignored
        (W(2026, 3, 1), 2, 2, 1.0, 1, 1, 0),  # v1 (c5 phone), v2 (c7 visit)
    ]
    assert rows(compute(vips, "vip_coverage", grain="month", regions=["West", U])) == [
        (W(2026, 2, 1), 2, 1, 0.5, 0, 1, 1),  # v3 (c4 visit), v4 never contacted
        (W(2026, 3, 1), 2, 1, 0.5, 1, 0, 2),  # v3 (c6 phone, outside window), v4
    ]


def test_by_project(vips):
    frame = compute(vips, "vip_coverage", grain="month", by="project")
    assert list(frame.columns) == ["period_start", "project", *COLUMNS[1:]]
    unassigned = rows(frame[frame["project"] == U].drop(columns="project"))
    # v4 is a VIP in both months, never contacted: coverage 0/1 = 0.0, overdue 1
    assert unassigned == [(W(2026, 2, 1), 1, 0, 0.0, 0, 0, 1), (W(2026, 3, 1), 1, 0, 0.0, 0, 0, 1)]


def test_weekly_overdue_window_edges(con):
    # The week of Mon 2026-03-02 ends Sun 03-08: its 30-day window is 02-07 .. 03-08.
    insert(
        con,
        [("w1", "A", "R", True, None, None), ("w2", "A", "R", True, None, None)],
        [
            ("a", "w1", "2026-02-07 00:00", "phone"),  # first moment of the window
            ("b", "w2", "2026-02-06 23:59", "phone"),  # one minute before it
            ("c", "w2", "2026-03-09 00:00", "visit"),  # the Monday after: next week
        ],
    )
    frame = compute(
        con, "vip_coverage", grain="week", date_from=W(2026, 3, 2), date_to=W(2026, 3, 2)
    )
    # both are VIPs, neither contacted that week; only w2 is overdue
    assert rows(frame) == [(W(2026, 3, 2), 2, 0, 0.0, 0, 0, 1)]
    full = compute(con, "vip_coverage", grain="week")
    # weeks 02-02 .. 03-09 contiguous (6 weeks), the empty ones printed with zero contacts
    assert [r[0] for r in rows(full)] == [W(2026, 2, 2) + dt.timedelta(weeks=i) for i in range(6)]
    assert rows(full)[0] == (W(2026, 2, 2), 2, 2, 1.0, 2, 0, 0)  # a and b in week 02-02


def test_interval_is_a_setting(vips):
    # with a 31-day interval March's window is 03-01..03-31: v3's 03-01 23:59 contact counts
    frame = compute(vips, "vip_coverage", grain="month", settings=Settings(vip_interval_days=31))
    assert frame["overdue_vips"].tolist() == [1, 1]  # Feb: v4; Mar: v4 only


def test_no_vip_contacts_no_rows(con):
    insert(con, CUSTOMERS[:1], [])
    assert compute(con, "vip_coverage").empty
