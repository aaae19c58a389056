"""Each rewrite of dashboard/engines/transpile.py: the DuckDB input, the Spark SQL we expect,
and (on Spark) that it gives DuckDB's answer. The expected values are worked out by hand in
the comments. Plus: constructs with no exact Spark equivalent fail naming file and construct."""

from __future__ import annotations

import datetime as dt
import decimal
import math

import duckdb
import pytest

from dashboard.engines.transpile import UnsupportedOnSpark, spark_args, to_spark
from tests.spark_support import start_session

LISTS = frozenset({"projects", "sla_rules", "spans", "months", "added"})
RULES = [
    {"severity": None, "category": "收费", "hours": 9.0, "rank": 0},
    {"severity": "high", "category": None, "hours": 4.0, "rank": 1},
]
# name: (DuckDB SQL, parameters, the rewrite's Spark SQL, the answer worked out by hand)
REWRITES = {
    "generate_series -> lateral explode(sequence), interval -> make_interval": (
        "select s.d::date as d from (select date '2026-01-26' as lo, date '2026-02-09' as hi)"
        " as b cross join generate_series(b.lo::timestamp, b.hi::timestamp, interval 7 day)"
        " as s (d) order by d",
        {},
        "SELECT CAST(s.d AS DATE) AS d FROM (SELECT CAST('2026-01-26' AS DATE) AS lo, "
        "CAST('2026-02-09' AS DATE) AS hi) AS b CROSS JOIN LATERAL EXPLODE(CASE WHEN "
        "CAST(b.lo AS TIMESTAMP_NTZ) <= CAST(b.hi AS TIMESTAMP_NTZ) THEN "
        "SEQUENCE(CAST(b.lo AS TIMESTAMP_NTZ), CAST(b.hi AS TIMESTAMP_NTZ), "
        "MAKE_INTERVAL(0, 0, 0, 7, 0, 0, 0)) END) AS s(d) ORDER BY d NULLS LAST",
        # three Mondays: 01-26, 02-02, 02-09 (the end is included)
        [(dt.date(2026, 1, 26),), (dt.date(2026, 2, 2),), (dt.date(2026, 2, 9),)],
    ),
    "generate_series over an empty range gives no rows": (
        "select count(*) as n from (select date '2026-03-02' as lo, date '2026-01-26' as hi)"
        " as b cross join generate_series(b.lo::timestamp, b.hi::timestamp, interval 1 month)"
        " as s (d)",
        {},
        None,
        [(0,)],  # Spark's sequence() would fail on lo > hi; DuckDB gives nothing
    ),
    "range(lo, hi) excludes hi": (
        "select r.i from (select 3 as n) as b cross join range(0, b.n) as r (i) order by r.i",
        {},
        "SELECT r.i FROM (SELECT 3 AS n) AS b CROSS JOIN LATERAL EXPLODE(CASE WHEN "
        "0 <= (b.n) - 1 THEN SEQUENCE(0, (b.n) - 1) END) AS r(i) ORDER BY r.i NULLS LAST",
        [(0,), (1,), (2,)],
    ),
    "a case of a day and a month interval (one calendar interval type)": (
        "select (date '2026-01-31' + case when $grain = 'week' then interval 7 day"
        " else interval 1 month end)::date as next_start",
        {"grain": "month"},
        "SELECT CAST((CAST('2026-01-31' AS DATE) + CASE WHEN :grain = 'week' THEN "
        "MAKE_INTERVAL(0, 0, 0, 7, 0, 0, 0) ELSE MAKE_INTERVAL(0, 1, 0, 0, 0, 0, 0) END) "
        "AS DATE) AS next_start",
        [(dt.date(2026, 2, 28),)],  # Jan 31 + 1 month: the last day of February
    ),
    "quantile_cont -> percentile": (
        "select quantile_cont(x, 0.9) as p90, quantile_cont(x, 0.5) as median"
        " from (values (6.0), (24.0), (48.0), (null)) as t (x)",
        {},
        "SELECT PERCENTILE(x, 0.9) AS p90, PERCENTILE(x, 0.5) AS median FROM VALUES "
        "(CAST(6.0 AS DOUBLE)), (CAST(24.0 AS DOUBLE)), (CAST(48.0 AS DOUBLE)), (NULL) AS t(x)",
        # sorted 6, 24, 48: p90 at (3-1)*0.9 = 1.8 -> 24 + 0.8*24 = 43.2; median 24
        [(43.2, 24.0)],
    ),
    "epoch keeps fractions of a second": (
        "select (epoch(timestamp '2026-01-05 10:30:15.5') - epoch(timestamp '2026-01-02 10:00:00'))"
        " / 3600.0 as hours",
        {},
        None,
        [((3 * 86400 + 30 * 60 + 15.5) / 3600,)],  # 72.50430555...
    ),
    "date_diff counts boundaries, as in DuckDB": (
        "select date_diff('month', date '2026-01-31', date '2026-02-01') as months,"
        " date_diff('day', timestamp '2026-01-31 23:00:00', timestamp '2026-02-01 01:00:00')"
        " as days, date_diff('year', date '2025-12-31', date '2026-01-01') as years",
        {},
        "SELECT ((YEAR(CAST('2026-02-01' AS DATE)) - YEAR(CAST('2026-01-31' AS DATE))) * 12 + "
        "(MONTH(CAST('2026-02-01' AS DATE)) - MONTH(CAST('2026-01-31' AS DATE)))) AS months, "
        "DATEDIFF(CAST(CAST('2026-02-01 01:00:00' AS TIMESTAMP_NTZ) AS DATE), "
        "CAST(CAST('2026-01-31 23:00:00' AS TIMESTAMP_NTZ) AS DATE)) AS days, "
        "(YEAR(CAST('2026-01-01' AS DATE)) - YEAR(CAST('2025-12-31' AS DATE))) AS years",
        [(1, 1, 1)],  # one month, day and year boundary crossed each (not a whole one elapsed)
    ),
    "len of a list parameter -> size": (
        "select len($projects) as n, list_contains($projects, 'A') as has_a",
        {"projects": ["A", "B"]},
        "SELECT SIZE(:projects) AS n, ARRAY_CONTAINS(:projects, 'A') AS has_a",
        [(2, True)],
    ),
    "an empty list parameter": (
        "select len($projects) as n, list_contains($projects, 'A') as has_a",
        {"projects": []},
        None,
        [(0, False)],
    ),
    "unnest of a list of structs -> inline(from_json)": (
        "select hours, rank from (select unnest(cast($sla_rules as struct(severity varchar,"
        " category varchar, hours double, rank integer)[]), recursive := true)) order by rank",
        {"sla_rules": RULES},
        "SELECT hours, rank FROM (SELECT INLINE(FROM_JSON(:sla_rules, 'array<struct<severity: "
        "string, category: string, hours: double, rank: int>>'))) ORDER BY rank NULLS LAST",
        [(9.0, 0), (4.0, 1)],
    ),
    "weekday numbers": (
        "select dayofweek(date '2026-03-01') as dow, isodow(date '2026-03-01') as iso,"
        " weekday(date '2026-03-02') as wd, week(date '2026-01-01') as wk",
        {},
        "SELECT (DAYOFWEEK(CAST('2026-03-01' AS DATE)) - 1) AS dow, (WEEKDAY(CAST('2026-03-01' "
        "AS DATE)) + 1) AS iso, (DAYOFWEEK(CAST('2026-03-02' AS DATE)) - 1) AS wd, "
        "WEEKOFYEAR(CAST('2026-01-01' AS DATE)) AS wk",
        # 2026-03-01 is a Sunday: DuckDB dayofweek 0, ISO 7; Monday 03-02: weekday 1;
        # 2026-01-01 (a Thursday) is in ISO week 1
        [(0, 7, 1, 1)],
    ),
    "decimal literals are doubles (no rounding to 5 places)": (
        "select avg(case when x then 1.0 else 0.0 end) as rate"
        " from (values (true), (false), (false)) as t (x)",
        {},
        "SELECT AVG(CASE WHEN x THEN CAST(1.0 AS DOUBLE) ELSE CAST(0.0 AS DOUBLE) END) AS rate "
        "FROM VALUES (TRUE), (FALSE), (FALSE) AS t(x)",
        [(1 / 3,)],
    ),
    "a staging view's inner CTEs stay private": (
        "with stg as (with final as (select 1 as a) select * from final),"
        " final as (select a + 1 as b from stg) select * from final",
        {},
        "WITH stg__final AS (SELECT 1 AS a), stg AS (SELECT * FROM stg__final AS final), "
        "final AS (SELECT a + 1 AS b FROM stg) SELECT * FROM final",
        [(2,)],
    ),
    "as not materialized is dropped": (
        "with a as not materialized (select 1 as x) select * from a",
        {},
        "WITH a AS (SELECT 1 AS x) SELECT * FROM a",
        [(1,)],
    ),
    "several unnest() in one select are zipped": (
        "select unnest(cast($months as date[])) as month_start,"
        " unnest(cast($added as bigint[])) as added_days",
        {"months": [dt.date(2026, 1, 1), dt.date(2026, 2, 1)], "added": [3]},
        "SELECT `0` AS month_start, `1` AS added_days FROM (SELECT INLINE(ARRAYS_ZIP("
        "CAST(:months AS ARRAY<DATE>), CAST(:added AS ARRAY<BIGINT>)))) AS zipped",
        # zipped pairwise, the shorter list padded with NULL (DuckDB and arrays_zip alike)
        [(dt.date(2026, 1, 1), 3), (dt.date(2026, 2, 1), None)],
    ),
    "list_sum of a lambda over a list of structs": (
        "select list_sum(list_transform(cast($spans as struct(start_second integer,"
        " end_second integer)[]), span -> span.end_second - span.start_second)) as seconds",
        {
            "spans": [
                {"start_second": 32400, "end_second": 43200},
                {"start_second": 48600, "end_second": 64800},
            ]
        },  # fmt: skip
        None,
        [(3 * 3600 + 4.5 * 3600,)],  # 09:00-12:00 and 13:30-18:00: 7.5 h = 27000 s
    ),
    "list_sum of an empty list is NULL": (
        "select list_sum(list_transform(cast($spans as struct(start_second integer,"
        " end_second integer)[]), span -> span.end_second - span.start_second)) as seconds",
        {"spans": []},
        None,
        [(None,)],
    ),
    "date - date is a number of days": (
        "select date '2026-03-01' - date '2026-01-01' as days, $day::date - 1 as day_before",
        {"day": dt.date(2026, 3, 1)},
        "SELECT DATEDIFF(CAST('2026-03-01' AS DATE), CAST('2026-01-01' AS DATE)) AS days, "
        "CAST(:day AS DATE) - 1 AS day_before",
        [(59, dt.date(2026, 2, 28))],  # 31 (January) + 28 (February)
    ),
    "greatest/least skip NULLs on both engines": (
        "select greatest(date '2026-01-01', null::date) as g, least(null::date, date '2026-01-02')"
        " as l, least(date '2026-01-03', $as_of::date) as l2",
        {"as_of": None},
        None,
        [(dt.date(2026, 1, 1), dt.date(2026, 1, 2), dt.date(2026, 1, 3))],
    ),
    "filter, is not distinct from, group by all, anti join": (
        "select a.k, count(*) filter (where a.v > 1) as big from (values (1, 1), (1, 2), (null, 3))"
        " as a (k, v) anti join (values (2)) as b (k) on a.k is not distinct from b.k"
        " group by all order by a.k",
        {},
        None,
        [(1, 1), (None, 1)],  # NULLS LAST as in DuckDB; (1,2) and (null,3) are > 1
    ),
}


@pytest.mark.parametrize("name", [n for n, case in REWRITES.items() if case[2]])
def test_the_spark_sql_of_each_rewrite(name):
    sql, _, expected, _ = REWRITES[name]
    assert to_spark(sql, "t.sql", LISTS).sql == expected


@pytest.fixture(scope="module")
def spark():
    return start_session()


def _close(a, b) -> bool:
    if isinstance(a, decimal.Decimal):  # DuckDB's quantile of decimal literals
        a = float(a)
    if isinstance(a, int) and isinstance(b, float) and b.is_integer():  # a hand-written 27000.0
        b = int(b)
    if isinstance(b, int) and isinstance(a, float) and a.is_integer():
        a = int(a)
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-12)
    return type(a) is type(b) and a == b


@pytest.mark.parametrize("name", list(REWRITES))
def test_each_rewrite_gives_duckdbs_answer_on_spark(spark, name):
    sql, params, _, expected = REWRITES[name]
    duck = duckdb.connect("").execute(sql, params).fetchall()
    assert all(map(_close, [v for r in duck for v in r], [v for r in expected for v in r]))
    result = to_spark(sql, "t.sql", LISTS)
    got = [
        tuple(r)
        for r in spark.sql(result.sql, args=spark_args(params, result.json_params)).collect()
    ]
    assert len(got) == len(expected)
    assert all(map(_close, [v for r in got for v in r], [v for r in expected for v in r])), got


def test_sqlglot_alone_gets_date_diff_wrong_on_spark(spark):
    # why the rewrite exists: sqlglot's datediff(MONTH, ...) counts whole months elapsed
    import sqlglot

    sql = "select date_diff('month', date '2026-01-31', date '2026-02-01') as m"
    plain = sqlglot.transpile(sql, read="duckdb", write="spark")[0]
    assert spark.sql(plain).collect()[0][0] == 0  # DuckDB says 1
    assert spark.sql(to_spark(sql, "t.sql").sql).collect()[0][0] == 1


@pytest.mark.parametrize(
    ("sql", "construct"),
    [
        ("select * from t qualify row_number() over () = 1", "qualify"),
        ("select * exclude (a) from t", "exclude"),
        ("pivot t on a using sum(b)", "pivot"),
        ("select unnest(s, recursive := true) from t", "unnest"),
        ("select date_diff('hour', a, b) from t", "date_diff('hour'"),
        ("select quantile_cont(x, [0.5, 0.9]) from t", "quantile_cont"),
        ("select generate_series(1, 3) as x", "generate_series"),
        ("select yearweek(d) from t", "yearweek"),
        ("select unnest(a) as x, unnest(b) as y from t", "several unnest()"),
    ],
)
def test_unsupported_constructs_fail_naming_file_and_construct(sql, construct):
    with pytest.raises(UnsupportedOnSpark) as info:
        to_spark(sql, "my_query.sql")
    message = str(info.value)
    assert message.startswith("my_query.sql: ")
    assert construct.lower() in message.lower()
    assert "not supported on Spark" in message


def test_error_becomes_raise_error_and_fails_on_both_engines(spark):
    sql = (
        "select case when $n > 0 then 'ok' else error('the calendar does not cover 2031') end as x"
    )
    assert "RAISE_ERROR('the calendar does not cover 2031')" in to_spark(sql, "t.sql").sql
    with pytest.raises(duckdb.Error, match="2031"):
        duckdb.connect("").execute(sql, {"n": 0}).fetchall()
    with pytest.raises(Exception, match="2031"):
        spark.sql(to_spark(sql, "t.sql").sql, args={"n": 0}).collect()
    assert spark.sql(to_spark(sql, "t.sql").sql, args={"n": 1}).collect()[0][0] == "ok"
