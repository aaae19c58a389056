"""``int_activity_counts`` (the stored customer activity, #13/#14) against an independent
implementation in plain Python, on random orders chosen for the edges of its definition:
customers in one (project, region) and customers spread over several, NULL project or
region (not in an import, which fills them; NULL counts as a value, so NULL and "A" are
two scopes), gaps of a week and of a
month, week and month boundaries (Monday 2025-12-29 starts a week across the new year,
orders at 23:59:59 on a month's last day), several orders in one period (the first day is
the earliest), and a customer's first order mid-week (week grain: the cohort only on the
first period).

The Python below shares nothing with the SQL: it walks each customer's orders.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

import pytest

from dashboard import db, pipeline

PROJECTS = ["A", "B", None]
REGIONS = ["East", "West", None]
START = dt.datetime(2025, 11, 20)


def _week(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())  # ISO weeks start on Monday


def _month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _previous(grain: str, period: dt.date) -> dt.date:
    if grain == "week":
        return period - dt.timedelta(days=7)
    return (period - dt.timedelta(days=1)).replace(day=1)


def random_orders(seed: int) -> list[tuple]:
    rng = random.Random(seed)
    orders = []
    for c in range(60):
        home = (rng.choice(PROJECTS), rng.choice(REGIONS))
        spread = rng.random() < 0.25
        when = START + dt.timedelta(days=rng.randrange(40), seconds=rng.randrange(86400))
        for _ in range(rng.randint(1, 9)):
            scope = (rng.choice(PROJECTS), rng.choice(REGIONS)) if spread else home
            orders.append((f"o{len(orders)}", f"c{c}", *scope, when))
            step = rng.choice(["same day", "days", "week", "weeks", "month end"])
            if step == "same day":
                when += dt.timedelta(minutes=rng.randrange(1, 120))
            elif step == "days":
                when += dt.timedelta(days=rng.randrange(1, 5))
            elif step == "week":
                when += dt.timedelta(days=7)
            elif step == "weeks":
                when += dt.timedelta(days=rng.randrange(14, 70))
            else:  # the last second of the month: the next order may fall in the next one
                after = (when.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
                when = after - dt.timedelta(seconds=1)
    return orders


def expected_rows(orders: list[tuple]) -> Counter:
    by_customer: dict[str, list[tuple]] = {}
    for _, customer, project, region, at in orders:
        by_customer.setdefault(customer, []).append((project, region, at))
    found: Counter = Counter()
    for customer, placed in by_customer.items():
        scopes = {(p, r) for p, r, _ in placed}
        first = min(at for _, _, at in placed)
        for grain, period_of in (("week", _week), ("month", _month)):
            if len(scopes) == 1:
                (project, region) = next(iter(scopes))
                first_days: dict[dt.date, dt.date] = {}
                for _, _, at in placed:
                    p = period_of(at.date())
                    first_days[p] = min(first_days.get(p, at.date()), at.date())
                counted = []
                for period, first_day in first_days.items():
                    if grain == "month":
                        cohort = _month(first.date())
                    else:
                        cohort = period if period == _week(first.date()) else None
                    was_active = _previous(grain, period) in first_days
                    counted.append((grain, project, region, period, first_day, cohort, was_active))
                for key in counted:
                    found[(*key, None)] += 1
            else:
                first_days = {}
                for project, region, at in placed:
                    key = (project, region, period_of(at.date()))
                    first_days[key] = min(first_days.get(key, at.date()), at.date())
                for (project, region, period), first_day in first_days.items():
                    found[(grain, project, region, period, first_day, None, None, customer)] += 1
    return found


def stored_rows(path) -> Counter:
    with db.connect_readonly(path) as con:
        rows = con.execute(
            "select grain, project, region, period_start, first_day, cohort_start, "
            "was_active_before, customer_id, customers from materialized.int_activity_counts"
        ).fetchall()
    found: Counter = Counter()
    for *key, customers in rows:
        if key[-1] is not None:
            assert customers == 1  # a spread customer's row stands for that one customer
        found[tuple(key)] += customers
    return found


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_stored_activity_equals_a_walk_over_each_customers_orders(tmp_path, seed):
    orders = random_orders(seed)
    expected = expected_rows(orders)
    # the data covers what the test is about (else a change of the generator hides it)
    keys = list(expected)
    assert any(k[-1] is not None for k in keys)  # spread customers
    assert any(k[-1] is None and (k[1] is None or k[2] is None) for k in keys)  # NULL scope
    assert any(k[-1] is None and k[6] for k in keys)  # retained
    assert {k[3].year for k in keys} == {2025, 2026}  # across the new year
    path = tmp_path / "kpi.duckdb"
    with pipeline.publishing_writer(path) as con:
        # the contract fills an empty project or region with "(unassigned)"; a table edited
        # by another tool may hold NULL, which the SQL counts as a value of its own
        con.execute("alter table orders alter column project drop not null")
        con.execute("alter table orders alter column region drop not null")
        con.executemany(
            "insert into orders (order_id, customer_id, project, region, ordered_at) "
            "values (?, ?, ?, ?, ?)",
            orders,
        )
    assert stored_rows(path) == expected
