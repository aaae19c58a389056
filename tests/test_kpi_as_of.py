"""Point in time (``--as-of``, shared/spec/kpis.md) and the VIP due rule, hand-computed.

With ``as_of = D`` nothing after the end of D has happened yet, and the period containing D
ends with D. The complaint KPIs' as-of cases live with the complaint tests.
"""

from __future__ import annotations

import datetime as dt
import math

import pytest

from dashboard import pipeline
from dashboard.cli import main
from dashboard.kpis import compute

D = dt.date


def rows(frame):
    return [
        tuple(None if isinstance(v, float) and math.isnan(v) else v for v in rec)
        for rec in frame.itertuples(index=False)
    ]


# --- the VIP due rule -------------------------------------------------------------------
# March's last day is 03-31; the 30-day window is 03-02 .. 03-31 (that day and the 29 before).
# d10 became a VIP 10 days before the last day (03-21): a VIP, not yet due.
# d29 became one 29 days before (03-02 = the window's first day): due.
# d30 became one 30 days before (03-01): due.
# a1 is a VIP since always. Contacts: a1 phone 03-15 10:00, d30 visit 03-20 09:00.
VIP_CUSTOMERS = [
    ("a1", "A", "East", True, None, None),
    ("d10", "A", "East", True, "2026-03-21", None),
    ("d29", "A", "East", True, "2026-03-02", None),
    ("d30", "B", "West", True, None, "2026-03-01"),  # joined_on is the later date here
]
VIP_CONTACTS = [
    ("k1", "a1", "2026-03-15 10:00", "phone"),
    ("k2", "d30", "2026-03-20 09:00", "visit"),
]


@pytest.fixture
def vips(con):
    con.executemany(
        "insert into customers (customer_id, project, region, is_vip, vip_since, joined_on) "
        "values (?, ?, ?, ?, ?, ?)",
        VIP_CUSTOMERS,
    )
    con.executemany(
        "insert into vip_contacts (contact_id, customer_id, contacted_at, method) "
        "values (?, ?, ?, ?)",
        VIP_CONTACTS,
    )
    return con


def test_vip_due_rule_month(vips):
    frame = compute(vips, "vip_coverage", grain="month")
    # VIPs in March: all four (every start <= 03-31); contacted a1, d30 -> 2/4;
    # due: a1, d29, d30 (d10 is not: 03-21 > 03-02); covered a1, d30 -> overdue 1 (d29)
    assert rows(frame) == [(D(2026, 3, 1), 4, 2, 0.5, 1, 1, 1)]
    overdue = compute(vips, "overdue_vips", as_of=D(2026, 3, 31))
    assert overdue["customer_id"].tolist() == ["d29"]  # the same rule as the count


def test_vip_as_of_mid_month_is_month_to_date(vips):
    frame = compute(vips, "vip_coverage", grain="month", as_of=D(2026, 3, 15))
    # as of 03-15 March ends on 03-15: VIPs a1, d29 (03-02), d30 (03-01) = 3, d10 not yet;
    # contacts up to the end of 03-15: k1 (a1, 10:00) -> 1/3, 1 phone; k2 (03-20) not yet;
    # window 02-14 .. 03-15: due only a1 (the others started after 02-14); a1 covered -> 0
    assert rows(frame) == [(D(2026, 3, 1), 3, 1, pytest.approx(1 / 3), 1, 0, 0)]
    assert compute(vips, "overdue_vips", as_of=D(2026, 3, 15)).empty
    # before any contact there is no period with a VIP contact: no rows
    assert compute(vips, "vip_coverage", grain="month", as_of=D(2026, 3, 10)).empty


def test_vip_as_of_week(vips):
    # week of Mon 03-16 .. Sun 03-22, as of Thu 03-19: k2 (03-20) has not happened;
    # periods run to the last one with a contact after the cut: the week of 03-09 (k1, 03-15)
    frame = compute(vips, "vip_coverage", grain="week", as_of=D(2026, 3, 19))
    assert [r[0] for r in rows(frame)] == [D(2026, 3, 9)]
    # week 03-09 .. 03-15, window 02-14 .. 03-15: VIPs a1, d29, d30 (d10 03-21 not yet);
    # contacted a1; due a1 only; covered -> overdue 0
    assert rows(frame) == [(D(2026, 3, 9), 3, 1, pytest.approx(1 / 3), 1, 0, 0)]


def test_vip_contacts_by_staff_follows_the_coverage_rule(vips):
    vips.execute(
        "insert into vip_contacts (contact_id, customer_id, contacted_at, method, staff) values "
        # d10 becomes a VIP on 03-21, the Saturday of week 03-16 .. 03-22: a VIP that week,
        # so its contact on Tuesday 03-17 counts (the VIP status is judged by the period)
        "('k3', 'd10', '2026-03-17 09:00', 'phone', '王')"
    )
    frame = compute(vips, "vip_contacts_by_staff", grain="week")
    assert dict(zip(frame["staff"], frame["contacts"], strict=True)) == {"(none)": 2, "王": 1}
    # at month grain the same contact counts too (March's last day 03-31 >= 03-21)
    by_month = compute(vips, "vip_contacts_by_staff", grain="month")
    assert int(by_month["contacts"].sum()) == 3
    # the date range picks periods by their start: weeks starting 03-16 only -> k2, k3
    one_week = compute(
        vips,
        "vip_contacts_by_staff",
        grain="week",
        date_from=D(2026, 3, 16),
        date_to=D(2026, 3, 16),
    )
    assert int(one_week["contacts"].sum()) == 2


# --- orders, surveys ------------------------------------------------------------------------
@pytest.fixture
def activity(con):
    con.execute(
        "insert into orders (order_id, customer_id, project, region, ordered_at) values "
        "('o1', 'c1', 'A', 'East', '2026-03-02 10:00'),"  # week 03-02
        "('o2', 'c2', 'A', 'East', '2026-03-03 10:00'),"
        "('o3', 'c1', 'A', 'East', '2026-03-09 10:00'),"  # week 03-09 (Mon)
        "('o4', 'c3', 'A', 'East', '2026-03-10 23:59'),"  # Tue, last minute of the as-of day
        "('o5', 'c2', 'A', 'East', '2026-03-12 10:00')"  # Thu: after the as-of day
    )
    con.execute(
        "insert into surveys (response_id, project, region, submitted_at, csat, nps) values "
        "('s1', 'A', 'East', '2026-03-09 09:00', 5, 10),"
        "('s2', 'A', 'East', '2026-03-11 00:00', 2, 3)"  # the first moment after 03-10
    )
    return con


def test_retention_as_of(activity):
    full = compute(activity, "retention", grain="week")
    # week 03-09 in full: c1, c2, c3 active; previous c1, c2; retained 2 -> 1.0; new c3
    assert rows(full)[1] == (D(2026, 3, 9), 3, 2, 2, 1, 1.0, 0.0)
    cut = compute(activity, "retention", grain="week", as_of=D(2026, 3, 10))
    # as of Tue 03-10: c1 (03-09), c3 (03-10 23:59) active; c2's Thursday order not yet;
    # retained c1 of previous c1, c2 -> 1/2; new c3
    assert rows(cut)[1] == (D(2026, 3, 9), 2, 2, 1, 1, 0.5, 0.5)


def test_satisfaction_as_of(activity):
    cut = compute(activity, "satisfaction", grain="week", as_of=D(2026, 3, 10))
    # only s1: 1 response, csat 5, satisfied 1/1, one NPS answer, a promoter -> 100
    assert rows(cut) == [(D(2026, 3, 9), 1, 5.0, 1.0, 1, 100.0)]
    full = compute(activity, "satisfaction", grain="week")
    # s1 and s2: csat (5 + 2) / 2 = 3.5; satisfied 1/2; NPS (1 promoter - 1 detractor) / 2 = 0
    assert rows(full) == [(D(2026, 3, 9), 2, 3.5, 0.5, 2, 0.0)]


def test_cohorts_as_of(con):
    con.execute(
        "insert into orders (order_id, customer_id, project, region, ordered_at) values "
        "('o1', 'c1', 'A', 'East', '2026-01-05 10:00'),"
        "('o2', 'c1', 'A', 'East', '2026-02-20 10:00'),"
        "('o3', 'c2', 'A', 'East', '2026-02-03 10:00')"
    )
    full = compute(con, "cohorts")
    # Jan cohort (c1): month 0 active 1, month 1 (Feb 20) active 1; Feb cohort (c2): 1
    assert [(r[0], r[1], r[3]) for r in rows(full)] == [
        (D(2026, 1, 1), 0, 1),
        (D(2026, 1, 1), 1, 1),
        (D(2026, 2, 1), 0, 1),
    ]
    cut = compute(con, "cohorts", as_of=D(2026, 2, 10))
    # as of 02-10 c1's Feb 20 order has not happened: Jan cohort month 1 active 0 -> 0.0
    assert [(r[0], r[1], r[3], r[4]) for r in rows(cut)] == [
        (D(2026, 1, 1), 0, 1, 1.0),
        (D(2026, 1, 1), 1, 0, 0.0),
        (D(2026, 2, 1), 0, 1, 1.0),
    ]


# --- the command line ---------------------------------------------------------------------
def test_kpi_show_as_of(tmp_path, capsys):
    path = tmp_path / "kpi.duckdb"
    with pipeline.publishing_writer(path) as con:
        con.executemany(
            "insert into customers (customer_id, project, region, is_vip, vip_since, joined_on) "
            "values (?, ?, ?, ?, ?, ?)",
            VIP_CUSTOMERS,
        )
        con.executemany(
            "insert into vip_contacts (contact_id, customer_id, contacted_at, method) "
            "values (?, ?, ?, ?)",
            VIP_CONTACTS,
        )
    argv = ["show", "vip_coverage", "--db", str(path), "--grain", "month", "--format", "csv"]
    assert main([*argv, "--as-of", "2026-03-15"]) == 0
    out = capsys.readouterr().out
    # the month-to-date row of test_vip_as_of_mid_month_is_month_to_date
    assert out.splitlines()[1] == "2026-03-01,3,1,0.3333333333333333,1,0,0"
    assert main([*argv, "--as-of", "15 March"]) == 2
    assert "--as-of must be a date YYYY-MM-DD" in capsys.readouterr().err


# --- the weekly report ----------------------------------------------------------------------
def test_report_month_to_date_coverage_of_a_past_week(vips):
    import re

    from dashboard.report import build_report_bytes

    html = build_report_bytes(vips, week="2026-W11", lang="en").decode("utf-8")
    card = re.search(r'<[^>]*data-kpi="coverage_rate"[^>]*>', html).group(0)
    # W11 ends Sunday 03-15: the report is the as-of view of that day, so its VIP coverage
    # is March to date: 1 of 3 VIPs (test_vip_as_of_mid_month_is_month_to_date), not the
    # whole month's 2 of 4 (k2 on 03-20 had not happened by then)
    value = float(re.search(r'data-value="([^"]*)"', card).group(1))
    assert value == pytest.approx(1 / 3)
    assert 'data-period="month_to_date"' in card
