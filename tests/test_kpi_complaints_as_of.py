"""The complaint queries as of a day (shared/spec/kpis.md "Point in time") and one meaning of
--from/--to for resolution_distribution and complaint_pareto (#11), hand-computed.

With as_of = D the cut is D + 1 day 00:00: complaints opened from the cut on are left out; a
resolution or first response from the cut on has not happened yet.

Fixture (week 03-09 = Mon 2026-03-09 .. Sun 03-15; as-of day Wed 03-11, cut 03-12 00:00):
  a  opened Mon 03-02 10:00, first response 03-02 11:00, resolved Tue 03-03 10:00 (24 h)
  b  opened Mon 03-09 09:00, first response 03-09 10:00, resolved Tue 03-10 09:00 (24 h)
  c  opened Tue 03-10 08:00, first response 03-12 08:00 (after D), resolved Fri 03-13 08:00
     (after D; 72 h)
  d  opened Wed 03-11 23:00, never answered, open
  e  opened Thu 03-12 09:00 (after D), resolved 03-12 10:00
  f  opened Mon 03-16 09:00 (after D), resolved 03-16 11:00
"""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest

from dashboard.kpis import compute

D = dt.date
AS_OF = D(2026, 3, 11)
ROWS = [
    ("a", "billing", "2026-03-02 10:00", "2026-03-02 11:00", "2026-03-03 10:00"),
    ("b", "billing", "2026-03-09 09:00", "2026-03-09 10:00", "2026-03-10 09:00"),
    ("c", "repair", "2026-03-10 08:00", "2026-03-12 08:00", "2026-03-13 08:00"),
    ("d", "noise", "2026-03-11 23:00", None, None),
    ("e", "noise", "2026-03-12 09:00", None, "2026-03-12 10:00"),
    ("f", "repair", "2026-03-16 09:00", None, "2026-03-16 11:00"),
]


@pytest.fixture
def complaints(con):
    con.executemany(
        "insert into complaints (complaint_id, project, region, category, opened_at,"
        " first_response_at, resolved_at) values (?, 'A', 'R', ?, ?, ?, ?)",
        ROWS,
    )
    return con


def rows(frame):
    return [
        tuple(None if isinstance(v, float) and math.isnan(v) else v for v in rec)
        for rec in frame.itertuples(index=False)
    ]


def test_complaints_as_of_a_mid_week_day(complaints):
    assert rows(compute(complaints, "complaints", as_of=AS_OF)) == [
        # week 03-02: a (24 h, met); backlog at 03-09 00:00: nothing open -> 0
        (D(2026, 3, 2), 1, 1, 24.0, 24.0, 1, 1.0, 1.0, 0),
        # week 03-09 ends with D: opened b, c, d (e and f not yet); resolved only b (c's
        # resolution is after D): median = p90 = 24; met b -> 1 of 3; first responses: b 1 h
        # (c's is after D) -> 1.0; backlog at the end of D (03-12 00:00): c and d -> 2
        (D(2026, 3, 9), 3, 1, 24.0, 24.0, 1, pytest.approx(1 / 3), 1.0, 2),
    ]
    # no as-of: week 03-09 has a-f's b, c, d, e: resolved b, c, e; and week 03-16 exists
    full = rows(compute(complaints, "complaints"))
    assert [r[0] for r in full] == [D(2026, 3, 2), D(2026, 3, 9), D(2026, 3, 16)]
    # week 03-09 at its real end (03-16 00:00): only d is open
    assert full[1][1:3] == (4, 3) and full[1][-1] == 1


def test_a_complaint_resolved_after_the_as_of_day_is_open_and_late(complaints):
    # as of Thu 03-12: c is still open (resolved 03-13): not resolved, not within its SLA,
    # in the backlog; e (opened and resolved 03-12) counts as resolved in 1 h
    (week,) = [r for r in rows(compute(complaints, "complaints", as_of=D(2026, 3, 12)))][1:]
    # opened b, c, d, e = 4; resolved b (24 h) and e (1 h): median 12.5,
    # p90 = 1 + 0.9 * 23 = 21.7; met b, e = 2 of 4; first responses b 1 h, c 48 h -> 24.5;
    # backlog at 03-13 00:00: c (resolved 03-13 08:00) and d -> 2
    assert week == (
        D(2026, 3, 9), 4, 2, 12.5, pytest.approx(21.7), 2, 0.5, 24.5, 2,
    )  # fmt: skip


def test_monthly_as_of_cuts_the_month(complaints):
    # March as of 03-11: a, b, c, d opened; resolved a, b (24 h each); met 2 of 4;
    # first responses a 1 h, b 1 h -> 1.0; backlog at the end of 03-11: c, d -> 2
    assert rows(compute(complaints, "complaints", grain="month", as_of=AS_OF)) == [
        (D(2026, 3, 1), 4, 2, 24.0, 24.0, 2, 0.5, 1.0, 2),
    ]


def test_breakdown_and_open_past_sla_as_of(complaints):
    frame = compute(complaints, "complaint_breakdown", as_of=AS_OF)
    assert frame[["period_start", "category", "opened", "resolved", "sla_met"]].values.tolist() == [
        [D(2026, 3, 2), "billing", 1, 1, 1],
        [D(2026, 3, 9), "billing", 1, 1, 1],
        [D(2026, 3, 9), "noise", 1, 0, 0],
        [D(2026, 3, 9), "repair", 1, 0, 0],
    ]
    # open at 03-12 00:00: c for 40 h (> 24 h: late), d for 1 h (not yet)
    late = compute(complaints, "open_complaints_past_sla", as_of=AS_OF)
    assert late[["complaint_id", "hours_open"]].values.tolist() == [["c", 40.0]]


def test_resolution_distribution_as_of_and_by_period(complaints):
    # as of 03-11 the resolved ones are a and b, 24 h each -> both in 8-24h
    frame = compute(complaints, "resolution_distribution", as_of=AS_OF)
    assert dict(zip(frame["bucket"], frame["complaints"], strict=True))["8-24h"] == 2
    assert frame["complaints"].sum() == 2
    # --from 03-10 --to 03-16 picks the weeks starting in that range: 03-16 only (week 03-09
    # starts before it) -> f, resolved in 2 h -> <4h. By opened_at it would have been c, e, f.
    frame = compute(complaints, "resolution_distribution", date_from=D(2026, 3, 10),
                    date_to=D(2026, 3, 16))  # fmt: skip
    assert frame["complaints"].tolist() == [1, 0, 0, 0, 0, 0, 0]
    # by month: March starts in 03-01 .. 03-31 -> all five resolved (a, b, c, e, f)
    monthly = compute(complaints, "resolution_distribution", grain="month",
                      date_from=D(2026, 3, 1), date_to=D(2026, 3, 31))  # fmt: skip
    assert monthly["complaints"].sum() == 5


def test_complaint_pareto_as_of_and_by_period(complaints):
    # as of 03-11: a, b billing; c repair; d noise -> billing 2, noise 1, repair 1
    frame = compute(complaints, "complaint_pareto", as_of=AS_OF)
    assert frame[["category", "complaints"]].values.tolist() == [
        ["billing", 2], ["noise", 1], ["repair", 1],
    ]  # fmt: skip
    # weeks starting 03-03 .. 03-15: week 03-09 -> b billing, c repair, d noise, e noise
    frame = compute(complaints, "complaint_pareto", date_from=D(2026, 3, 3), date_to=D(2026, 3, 15))
    assert frame[["category", "complaints"]].values.tolist() == [
        ["noise", 2], ["billing", 1], ["repair", 1],
    ]  # fmt: skip


def test_int_complaints_as_of_hides_what_happened_later(complaints):
    frame = compute(complaints, "int_complaints_as_of", as_of=AS_OF).set_index("complaint_id")
    assert sorted(frame.index) == ["a", "b", "c", "d"]  # e, f opened after the day
    assert pd.isna(frame.loc["c", "resolved_at"]) and not frame.loc["c", "is_resolved"]
    assert pd.isna(frame.loc["c", "first_response_at"])
    assert frame.loc["b", "resolution_hours"] == 24.0


# --- the demo data: the SLA figures through int_complaints_sla, checked independently -----


@pytest.fixture(scope="module")
def demo_con():
    from dashboard import db, pipeline
    from dashboard.paths import DEFAULT_DB

    con = db.connect_readonly(pipeline.ensure_database(DEFAULT_DB))
    yield con
    con.close()


def independent_sla_met(raw: pd.DataFrame, rules: list[tuple], default: float) -> pd.Series:
    """sla_met per ISO week in pandas: the most specific rule (both > one; first on a tie)."""

    def sla(row) -> float:
        best = None
        for rank, (severity, category, hours) in enumerate(rules):
            if severity is not None and severity != row.severity:
                continue
            if category is not None and category != row.category:
                continue
            key = (-((severity is not None) + (category is not None)), rank)
            if best is None or key < best[0]:
                best = (key, hours)
        return default if best is None else best[1]

    hours = (raw["resolved_at"] - raw["opened_at"]).dt.total_seconds() / 3600
    met = raw["resolved_at"].notna() & (hours <= raw.apply(sla, axis=1))
    week = (raw["opened_at"] - pd.to_timedelta(raw["opened_at"].dt.day_of_week, unit="D")).dt.date
    return met.groupby(week).sum()


@pytest.mark.parametrize(
    "rules",
    [
        [],
        # the demo data's own severities and categories; 收费 and 紧急 tie (one attribute
        # each): the first in the list wins
        [("紧急", None, 4.0), (None, "维修", 48.0), ("紧急", "维修", 2.0), (None, "收费", 8.0)],
        [(None, "收费", 8.0), ("紧急", None, 30.0), ("重大", "收费", 1.0)],
    ],
)
def test_demo_sla_met_equals_an_independent_count(demo_con, rules):
    from dashboard.settings import Settings, SlaRule

    raw = demo_con.execute("select severity, category, opened_at, resolved_at from complaints").df()
    expected = independent_sla_met(raw, rules, 24.0)
    settings = Settings(sla_rules=tuple(SlaRule(h, severity=s, category=c) for s, c, h in rules))
    frame = compute(demo_con, "complaints", settings=settings).set_index("period_start")
    got = frame.loc[list(expected.index), "sla_met"]
    assert got.tolist() == expected.astype(int).tolist()
    assert frame["sla_met"].sum() == expected.sum()  # the weeks without complaints add 0
