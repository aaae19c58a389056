"""satisfaction (满意度 / 净推荐值) on a hand-computed fixture.

s1 A 2026-03-02 09:00 csat 5 nps 10 (promoter)
s2 A 2026-03-04 10:00 csat 4 nps 7  (passive)
s3 B 2026-03-06 11:00 csat 2 nps 3  (detractor)
s4 A 2026-03-08 23:59 csat 3 no NPS answer   (Sunday: still week 03-02)
s5 A 2026-03-09 00:00 csat 4 no NPS answer   (Monday: week 03-09)
week 03-16: nothing
s6 B 2026-03-23 08:00 csat 1 nps 9  (promoter)
"""

from __future__ import annotations

import datetime as dt
import math

import pytest

from dashboard.kpis import compute

COLUMNS = ["period_start", "responses", "csat_avg", "satisfied_rate", "nps_responses", "nps"]
SURVEYS = [
    ("s1", "A", "2026-03-02 09:00", 5, 10),
    ("s2", "A", "2026-03-04 10:00", 4, 7),
    ("s3", "B", "2026-03-06 11:00", 2, 3),
    ("s4", "A", "2026-03-08 23:59", 3, None),
    ("s5", "A", "2026-03-09 00:00", 4, None),
    ("s6", "B", "2026-03-23 08:00", 1, 9),
]
W = dt.date


@pytest.fixture
def surveys(con):
    con.executemany(
        "insert into surveys (response_id, project, region, submitted_at, csat, nps) "
        "values (?, ?, 'R', ?, ?, ?)",
        SURVEYS,
    )
    return con


def rows(frame):
    return [
        tuple(None if isinstance(v, float) and math.isnan(v) else v for v in rec)
        for rec in frame.itertuples(index=False)
    ]


def test_weekly(surveys):
    frame = compute(surveys, "satisfaction")
    assert list(frame.columns) == COLUMNS
    assert rows(frame) == [
        # csat (5+4+2+3)/4 = 3.5; satisfied s1, s2 -> 2/4; NPS answers 3: (1 promoter
        # - 1 detractor)/3 * 100 = 0.0
        (W(2026, 3, 2), 4, 3.5, 0.5, 3, 0.0),
        # only s5, no NPS answer -> nps NULL (never 0)
        (W(2026, 3, 9), 1, 4.0, 1.0, 0, None),
        # empty week inside the range
        (W(2026, 3, 16), 0, None, None, 0, None),
        # s6: csat 1 not satisfied; one promoter of one -> 100
        (W(2026, 3, 23), 1, 1.0, 0.0, 1, 100.0),
    ]


def test_monthly_and_nps_fraction(surveys):
    # all six: csat 19/6; satisfied s1, s2, s5 = 3/6; NPS answers 4 (s1, s2, s3, s6):
    # promoters s1, s6 = 2, detractors s3 = 1 -> 100 * (2-1)/4 = 25
    assert rows(compute(surveys, "satisfaction", grain="month")) == [
        (W(2026, 3, 1), 6, pytest.approx(19 / 6), 0.5, 4, 25.0),
    ]


def test_project_b_only(surveys):
    # s3 (week 03-02) and s6 (week 03-23): weeks 03-09, 03-16 empty
    assert rows(compute(surveys, "satisfaction", projects=["B"])) == [
        (W(2026, 3, 2), 1, 2.0, 0.0, 1, -100.0),  # one detractor of one -> -100
        (W(2026, 3, 9), 0, None, None, 0, None),
        (W(2026, 3, 16), 0, None, None, 0, None),
        (W(2026, 3, 23), 1, 1.0, 0.0, 1, 100.0),
    ]


def test_by_project_and_to_date(surveys):
    frame = compute(surveys, "satisfaction", by="project", date_to=W(2026, 3, 9))
    assert list(frame.columns) == ["period_start", "project", *COLUMNS[1:]]
    assert rows(frame) == [
        # A in week 03-02: s1, s2, s4 -> csat 12/3 = 4.0; satisfied 2/3; NPS s1, s2: 1 promoter -> 50
        (W(2026, 3, 2), "A", 3, 4.0, pytest.approx(2 / 3), 2, 50.0),
        (W(2026, 3, 2), "B", 1, 2.0, 0.0, 1, -100.0),
        (W(2026, 3, 9), "A", 1, 4.0, 1.0, 0, None),
        (W(2026, 3, 9), "B", 0, None, None, 0, None),
    ]
