"""The date spine: every week and month as a row, so SQL never generates a series (#13).

``date_spine`` has one row per (grain, period): ``period_start`` (Monday of the ISO week /
first of the month), ``period_end`` (the next period's start, exclusive), ``last_day`` (the
day before ``period_end``) and ``period_no`` (consecutive numbers per grain, so "months
since" is a subtraction that every engine computes alike - Spark's ``date_diff('month')``
and DuckDB's differ).

Why a table: ``generate_series``/``range`` in FROM do not translate to Spark, and the period
grid was written six times. KPI files pick the periods they print from it
(``where grain = $grain and period_start between first and last``).

It always covers ``BASE_FIRST``..``BASE_LAST`` (so a fresh connection with the contract
tables - tests, an empty database - works before anything is published) and is widened to
the data's own range when data is published (``refresh_spine``), so a published database
covers every period its events fall in.
"""

from __future__ import annotations

import datetime as dt

import duckdb

TABLE = "date_spine"
BASE_FIRST = dt.date(2000, 1, 1)
BASE_LAST = dt.date(2039, 12, 31)

# every event and status time a period can be computed from
EVENT_COLUMNS = (
    ("orders", "ordered_at"),
    ("complaints", "opened_at"),
    ("complaints", "resolved_at"),
    ("complaints", "first_response_at"),
    ("surveys", "submitted_at"),
    ("vip_contacts", "contacted_at"),
    ("customers", "vip_since"),
    ("customers", "joined_on"),
)

_DDL = """create table if not exists date_spine (
    grain varchar not null,
    period_start date not null,
    period_end date not null,
    last_day date not null,
    period_no integer not null,
    primary key (grain, period_start)
)"""

# $first/$last are dates; generate_series lives here, never in queries/
_FILL = """insert into date_spine
with weeks as (
    select s::date as period_start
    from generate_series(
        date_trunc('week', $first::date)::timestamp,
        date_trunc('week', $last::date)::timestamp,
        interval 7 day
    ) as t (s)
),
months as (
    select s::date as period_start
    from generate_series(
        date_trunc('month', $first::date)::timestamp,
        date_trunc('month', $last::date)::timestamp,
        interval 1 month
    ) as t (s)
)
select
    'week', period_start, (period_start + 7)::date, (period_start + 6)::date,
    (date_diff('day', date '1970-01-05', period_start) // 7)::integer
from weeks
union all
select
    'month', period_start, (period_start + interval 1 month)::date,
    (period_start + interval 1 month)::date - 1,
    (year(period_start) * 12 + month(period_start) - 1)::integer
from months"""


def ensure_spine(con: duckdb.DuckDBPyConnection) -> None:
    """Create the spine with the base range if it is missing or empty (idempotent, cheap)."""
    con.execute(_DDL)
    if con.execute("select count(*) from date_spine").fetchone()[0] == 0:
        _fill(con, BASE_FIRST, BASE_LAST)


def _fill(con: duckdb.DuckDBPyConnection, first: dt.date, last: dt.date) -> None:
    con.execute(_FILL, {"first": first, "last": last})


def data_range(con: duckdb.DuckDBPyConnection) -> tuple[dt.date | None, dt.date | None]:
    """The first and last day any event or status time of the data falls on."""
    parts = " union all ".join(
        f"select min({col})::date as lo, max({col})::date as hi from {table}"
        for table, col in EVENT_COLUMNS  # names from this module only
    )
    return con.execute(f"select min(lo), max(hi) from ({parts})").fetchone()


def refresh_spine(con: duckdb.DuckDBPyConnection) -> None:
    """Widen the spine to the data's range (publish step; a no-op inside the base range)."""
    ensure_spine(con)
    lo, hi = data_range(con)
    first = min(BASE_FIRST, lo) if lo else BASE_FIRST
    last = max(BASE_LAST, hi) if hi else BASE_LAST
    have = con.execute(
        "select min(period_start), max(last_day) from date_spine where grain = 'month'"
    ).fetchone()
    # one period of margin on each side: a KPI may look one period before its first
    # (within Python's years 1-9999: a hostile export may carry 0001-01-01 or 9999-12-31)
    first = dt.date(max(first.year - 1, dt.MINYEAR), 1, 1) if lo and lo < BASE_FIRST else first
    last = dt.date(min(last.year + 1, dt.MAXYEAR), 12, 31) if hi and hi > BASE_LAST else last
    if have[0] <= first and have[1] >= last:
        return
    con.execute("delete from date_spine")
    _fill(con, min(first, have[0]), max(last, have[1]))
