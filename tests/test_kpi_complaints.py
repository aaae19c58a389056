"""complaints (投诉处理时长 / 按时办结率) on a hand-computed fixture, default 24 h SLA.

Week 03-02 (Mon 2026-03-02 .. Sun 03-08):
  k1 A  opened 03-02 08:00  first response +1 h   resolved 03-03 08:00 = 24 h (meets 24 h)
  k2 A  opened 03-03 10:00  first response +2 h   resolved 03-05 10:00 = 48 h (late)
  k3 B  opened 03-08 23:59  anonymous, never answered, still open (counts against SLA)
  k4 B  opened 03-04 00:00  first response +0.5 h resolved 03-04 06:00 = 6 h
Week 03-09: no complaints (printed with zeros).
Week 03-16:
  k5 A  opened 03-16 00:00  resolved 03-16 10:00 = 10 h
  k6 (unassigned) opened 03-22 12:00 (Sunday) resolved 03-22 14:00 = 2 h
"""

from __future__ import annotations

import datetime as dt
import math

import pytest

from dashboard.kpis import compute
from dashboard.settings import Settings, SlaRule

U = "(unassigned)"
COLUMNS = [
    "period_start",
    "opened",
    "resolved",
    "median_resolution_hours",
    "p90_resolution_hours",
    "sla_met",
    "sla_met_rate",
    "median_first_response_hours",
    "backlog_end",
]
COMPLAINTS = [
    # id, customer, project, opened, first_response, resolved
    ("k1", "c1", "A", "2026-03-02 08:00", "2026-03-02 09:00", "2026-03-03 08:00"),
    ("k2", "c2", "A", "2026-03-03 10:00", "2026-03-03 12:00", "2026-03-05 10:00"),
    ("k3", None, "B", "2026-03-08 23:59", None, None),
    ("k4", "c3", "B", "2026-03-04 00:00", "2026-03-04 00:30", "2026-03-04 06:00"),
    ("k5", "c1", "A", "2026-03-16 00:00", None, "2026-03-16 10:00"),
    ("k6", "c4", U, "2026-03-22 12:00", None, "2026-03-22 14:00"),
]
W = dt.date


def insert(con, rows, severity=None, category=None):
    con.executemany(
        "insert into complaints (complaint_id, customer_id, project, region, severity, category,"
        " opened_at, first_response_at, resolved_at) values (?, ?, ?, 'R', ?, ?, ?, ?, ?)",
        [(r[0], r[1], r[2], severity, category, *r[3:]) for r in rows],
    )


@pytest.fixture
def complaints(con):
    insert(con, COMPLAINTS)
    return con


def rows(frame):
    return [
        tuple(None if isinstance(v, float) and math.isnan(v) else v for v in rec)
        for rec in frame.itertuples(index=False)
    ]


def test_columns(complaints):
    assert list(compute(complaints, "complaints").columns) == COLUMNS


def test_weekly(complaints):
    result = rows(compute(complaints, "complaints", grain="week"))
    assert result == [
        # opened 4 (k1-k4, k3 at Sunday 23:59 still this week); resolved 3: hours [6, 24, 48]
        # median 24; p90 at position (3-1)*0.9 = 1.8 -> 24 + 0.8*(48-24) = 43.2
        # sla_met: k1 (24 <= 24), k4 (6) = 2 of 4 opened -> 0.5 (open k3 counts as not met)
        # first response [0.5, 1, 2] -> median 1.0; backlog at 03-09 00:00: k3 -> 1
        (W(2026, 3, 2), 4, 3, 24.0, pytest.approx(43.2), 2, 0.5, 1.0, 1),
        # empty week: zero counts, NULL hours and rate; k3 still open -> backlog 1
        (W(2026, 3, 9), 0, 0, None, None, 0, None, None, 1),
        # k5 10 h, k6 2 h: median 6; p90 position 0.9 -> 2 + 0.9*8 = 9.2; both met -> 1.0;
        # no first responses -> NULL; backlog at 03-23: k3 -> 1
        (W(2026, 3, 16), 2, 2, 6.0, pytest.approx(9.2), 2, 1.0, None, 1),
    ]


def test_monthly(complaints):
    assert rows(compute(complaints, "complaints", grain="month")) == [
        # 6 opened; resolved hours sorted [2, 6, 10, 24, 48]: median 10;
        # p90 position 4*0.9 = 3.6 -> 24 + 0.6*24 = 38.4; met 2, 6, 10, 24 -> 4/6
        (W(2026, 3, 1), 6, 5, 10.0, pytest.approx(38.4), 4, pytest.approx(4 / 6), 1.0, 1),
    ]


def test_project_filter_and_anonymous_complaint(complaints):
    # project B: k3 (anonymous, open) and k4 (6 h): 1 of 2 met; only week 03-02 has events
    assert rows(compute(complaints, "complaints", projects=["B"])) == [
        (W(2026, 3, 2), 2, 1, 6.0, 6.0, 1, 0.5, 0.5, 1),
    ]


def test_unassigned_and_several_projects(complaints):
    result = rows(compute(complaints, "complaints", projects=["A", U], grain="month"))
    # k1 24, k2 48, k5 10, k6 2 -> sorted [2, 10, 24, 48]: median (10+24)/2 = 17;
    # p90 position 3*0.9 = 2.7 -> 24 + 0.7*24 = 40.8; met 24, 10, 2 -> 3/4 = 0.75;
    # first responses [1, 2] -> 1.5; backlog at 04-01: nothing open in A or (unassigned)
    assert result == [(W(2026, 3, 1), 4, 4, 17.0, pytest.approx(40.8), 3, 0.75, 1.5, 0)]


def test_backlog_counts_complaints_opened_before_the_printed_range(complaints):
    result = rows(compute(complaints, "complaints", date_from=W(2026, 3, 16)))
    assert [r[0] for r in result] == [W(2026, 3, 16)]
    assert result[0][-1] == 1  # k3, opened in week 03-02, still open


def test_resolved_exactly_at_period_end_is_still_backlog(con):
    # opened Fri 03-06 09:00, resolved Mon 03-09 00:00 = the end of week 03-02
    insert(con, [("x", "c", "A", "2026-03-06 09:00", None, "2026-03-09 00:00")])
    (row,) = rows(compute(con, "complaints"))
    # resolved_at >= end -> still in the backlog at the end of week 03-02; 63 h > 24 h
    assert row == (W(2026, 3, 2), 1, 1, 63.0, 63.0, 0, 0.0, None, 1)


def test_backlog_follows_a_complaint_across_periods(con):
    # x: opened Mon 03-02 10:00, resolved Tue 03-17 09:00 (week 03-16), by month too
    # y: opened and resolved Wed 03-18 (keeps week 03-16 in the range)
    insert(
        con,
        [
            ("x", "c1", "A", "2026-03-02 10:00", None, "2026-03-17 09:00"),
            ("y", "c2", "A", "2026-03-18 08:00", None, "2026-03-18 09:00"),
        ],
    )
    weekly = compute(con, "complaints", grain="week")
    # end of 03-02 (03-09 00:00): x open -> 1; end of 03-09 (03-16): x open -> 1;
    # end of 03-16 (03-23): x resolved 03-17 and y resolved 03-18, both before -> 0
    assert weekly["backlog_end"].tolist() == [1, 1, 0]
    # one month (03-01 .. 03-31): both resolved before 04-01 -> 0
    assert compute(con, "complaints", grain="month")["backlog_end"].tolist() == [0]


def test_backlog_definition_holds_for_a_resolution_before_the_opening(con):
    # The loader rejects such rows; the definition still decides: opened 03-10 < end 03-16,
    # but resolved 03-05 is not >= 03-16 -> never in the backlog.
    insert(con, [("x", "c1", "A", "2026-03-10 10:00", None, "2026-03-05 09:00")])
    assert compute(con, "complaints", grain="week")["backlog_end"].tolist() == [0]


def test_just_over_24_hours_misses_the_sla(con):
    insert(con, [("x", "c", "A", "2026-03-02 08:00", None, "2026-03-03 08:00:01")])
    frame = compute(con, "complaints")
    assert frame["sla_met"].tolist() == [0]  # 24.0003 h > 24 h


def test_by_project(complaints):
    frame = compute(complaints, "complaints", by="project")
    assert list(frame.columns) == ["period_start", "project", *COLUMNS[1:]]
    assert len(frame) == 9  # 3 weeks x 3 projects, same weeks for each
    b = rows(frame[frame["project"] == "B"].drop(columns="project"))
    assert b == [
        (W(2026, 3, 2), 2, 1, 6.0, 6.0, 1, 0.5, 0.5, 1),
        (W(2026, 3, 9), 0, 0, None, None, 0, None, None, 1),  # k3 still open
        (W(2026, 3, 16), 0, 0, None, None, 0, None, None, 1),
    ]


def test_sla_rules_from_settings(con):
    rules = (
        SlaRule(hours=4, severity="high"),
        SlaRule(hours=48, category="billing"),
        SlaRule(hours=2, severity="high", category="billing"),
    )
    settings = Settings(sla_rules=rules)
    # (severity, category, hours to resolve) -> SLA picked -> met?
    cases = [
        ("high", "other", "2026-03-02 05:00"),  # 5 h vs high 4 h -> late
        ("low", "billing", "2026-03-03 06:00"),  # 30 h vs billing 48 h -> met
        ("high", "billing", "2026-03-02 03:00"),  # 3 h vs high+billing 2 h (most specific) -> late
        (None, None, "2026-03-03 00:00"),  # 24 h vs default 24 h -> met
    ]
    for i, (severity, category, resolved) in enumerate(cases):
        insert(con, [(f"s{i}", "c", "A", "2026-03-02 00:00", None, resolved)], severity, category)
    frame = compute(con, "complaints", settings=settings)
    assert frame["sla_met"].tolist() == [2]
    # the default settings: only 24 h -> 5, 3 and 24 h met (30 h is late) -> 3
    assert compute(con, "complaints", settings=Settings())["sla_met"].tolist() == [3]


def test_no_complaints_no_rows(con):
    assert compute(con, "complaints").empty
