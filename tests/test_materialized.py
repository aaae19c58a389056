"""Stored intermediates (dashboard/materialized.py, #13): written at every import, read by
every filtered call, never stale.

Orders (ISO weeks start Monday; 2026-03-02 and 03-09 are Mondays):
  c1 A/East  2026-03-03 (week 03-02)   2026-03-10 (week 03-09)
  c2 B/West  2026-03-11 (week 03-09)
  c3 A/East  2026-03-04 (week 03-02)   B/West 2026-03-12 (week 03-09)  <- two scopes
c1 and c2 order in one project and region: int_activity_counts counts them with their flags.
c3 orders in two: stored one row per period, flagged per call.

Weekly retention by hand (period, active, previous, retained, new, rate, churn):
  all      03-02: {c1, c3} 2, 0, 0, 2 (c1, c3)  rate NULL
           03-09: {c1, c2, c3} 3, 2, 2 (c1, c3), 1 (c2)  2/2 = 1.0
  A        03-02: {c1, c3} 2, 0, 0, 2;  03-09: {c1} 1, 2, 1, 0  1/2 = 0.5
  B        03-09 only (B's first period): {c2, c3} 2, 0, 0, 2 (new in B)  rate NULL
  as of 03-10 (c2's and c3's orders of 03-11/12 not yet placed):
           03-02 as above; 03-09: {c1} 1, 2, 1, 0  1/2 = 0.5
"""

from __future__ import annotations

import datetime as dt
import math
import shutil

import duckdb
import pytest

from dashboard import db, kpis, materialized, pipeline
from dashboard.catalog import QueryFileError, parse_query_file
from dashboard.kpis import compute
from dashboard.paths import QUERIES_DIR
from dashboard.settings import load_settings

W = dt.date
ORDERS = [
    ("o1", "c1", "A", "East", "2026-03-03 10:00:00"),
    ("o2", "c1", "A", "East", "2026-03-10 10:00:00"),
    ("o3", "c2", "B", "West", "2026-03-11 10:00:00"),
    ("o4", "c3", "A", "East", "2026-03-04 10:00:00"),
    ("o5", "c3", "B", "West", "2026-03-12 10:00:00"),
]
ALL = [
    (W(2026, 3, 2), 2, 0, 0, 2, None, None),
    (W(2026, 3, 9), 3, 2, 2, 1, 1.0, 0.0),
]
ONLY_A = [
    (W(2026, 3, 2), 2, 0, 0, 2, None, None),
    (W(2026, 3, 9), 1, 2, 1, 0, 0.5, 0.5),
]
ONLY_B = [(W(2026, 3, 9), 2, 0, 0, 2, None, None)]
AS_OF_0310 = [
    (W(2026, 3, 2), 2, 0, 0, 2, None, None),
    (W(2026, 3, 9), 1, 2, 1, 0, 0.5, 0.5),
]
STORED = "int_activity_counts"


def rows(frame):
    return [
        tuple(None if isinstance(v, float) and math.isnan(v) else v for v in rec)
        for rec in frame.itertuples(index=False)
    ]


def insert_orders(con, orders):
    con.executemany(
        "insert into orders (order_id, customer_id, project, region, ordered_at) "
        "values (?, ?, ?, ?, ?)",
        orders,
    )


def current(con, queries_dir=None):
    return materialized.current(con, kpis.catalog(queries_dir), load_settings().sql_params())


@pytest.fixture
def published(tmp_path):
    path = tmp_path / "kpi.duckdb"
    with pipeline.publishing_writer(path) as con:
        insert_orders(con, ORDERS)
    return path


def test_the_import_stores_the_counted_activity(published):
    with db.connect_readonly(published) as con:
        assert STORED in current(con)
        week = con.execute(
            f"select project, period_start, first_day, cohort_start, was_active_before, "
            f"customer_id, customers from materialized.{STORED} where grain = 'week' "
            "order by customer_id nulls first, period_start, project"
        ).fetchall()
    assert week == [
        # c1 and c2, counted: c1 new in 03-02 (cohort), active again in 03-09; c2 new in 03-09
        ("A", W(2026, 3, 2), W(2026, 3, 3), W(2026, 3, 2), False, None, 1),
        ("A", W(2026, 3, 9), W(2026, 3, 10), None, True, None, 1),
        ("B", W(2026, 3, 9), W(2026, 3, 11), W(2026, 3, 9), False, None, 1),
        # c3, one by one, flags left to the call
        ("A", W(2026, 3, 2), W(2026, 3, 4), None, None, "c3", 1),
        ("B", W(2026, 3, 9), W(2026, 3, 12), None, None, "c3", 1),
    ]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, ALL),
        ({"projects": ["A"]}, ONLY_A),
        ({"projects": ["B"]}, ONLY_B),
        ({"regions": ["West"]}, ONLY_B),
        ({"projects": ["A", "B"]}, ALL),
        ({"as_of": W(2026, 3, 10)}, AS_OF_0310),
    ],
)
def test_retention_from_the_stored_table_and_inline_agree_with_the_hand_count(
    published, tmp_path, filters, expected
):
    with db.connect_readonly(published) as con:
        assert STORED in current(con)
        assert rows(compute(con, "retention", grain="week", **filters)) == expected
    # the same data with nothing stored: computed inline
    inline = tmp_path / "inline.duckdb"
    from dashboard.derived import refresh_derived

    with db.writer(inline, before_publish=lambda c: refresh_derived(c, slow=False)) as con:
        insert_orders(con, ORDERS)
    with db.connect_readonly(inline) as con:
        assert current(con) == frozenset()
        assert rows(compute(con, "retention", grain="week", **filters)) == expected


def test_a_filtered_call_reads_the_stored_table(published):
    # Overwrite the stored counts behind the query's back: a project filter now returns them,
    # which shows filtered calls read the table rather than every order.
    with pipeline.publishing_writer(published) as con:
        con.execute(
            f"update materialized.{STORED} set customers = 40 "
            "where grain = 'week' and customer_id is null and project = 'A' "
            "and period_start = date '2026-03-02'"
        )
        # the publish step keeps the table: neither the orders nor the SQL changed
    with db.connect_readonly(published) as con:
        frame = compute(con, "retention", grain="week", projects=["A"])
        # 40 counted + c3 = 41 active in 03-02
        assert frame["active_customers"].tolist() == [41, 1]


def test_an_update_by_another_tool_is_noticed_and_the_next_refresh_rewrites_the_table(published):
    other = duckdb.connect(str(published))  # another tool, read-write, behind the importer
    other.execute("update orders set project = 'B', region = 'West' where order_id = 'o2'")
    other.close()
    with db.connect_readonly(published) as con:
        assert STORED not in current(con)  # the stored table no longer answers
        # c1 now orders in A (03-03) and B (03-10): B has {c1, c2, c3} in 03-09, all new
        # there (before the update: {c2, c3})
        moved = [(W(2026, 3, 9), 3, 0, 0, 3, None, None)]
        assert rows(compute(con, "retention", grain="week", projects=["B"])) == moved
        before = con.execute(f"select count(*) from materialized.{STORED}").fetchone()[0]
    pipeline.refresh(published)
    with db.connect_readonly(published) as con:
        assert STORED in current(con)
        # c1 is spread over two scopes now: its rows are stored one by one (two more rows
        # with a customer_id at each grain, its counted rows gone)
        spread = con.execute(
            f"select grain, count(*) from materialized.{STORED} where customer_id = 'c1' "
            "group by all order by all"
        ).fetchall()
        assert spread == [("month", 2), ("week", 2)]
        # 9 rows before (5 at week grain, 4 at month), 10 after (c1's 4 replace its 3)
        after = con.execute(f"select count(*) from materialized.{STORED}").fetchone()[0]
        assert (before, after) == (9, 10)
        assert rows(compute(con, "retention", grain="week", projects=["B"])) == moved


def test_a_delete_by_another_tool_is_noticed(published):
    other = duckdb.connect(str(published))
    other.execute("delete from orders where customer_id = 'c3'")
    other.close()
    with db.connect_readonly(published) as con:
        assert STORED not in current(con)
        # c1 and c2 only: 03-02 {c1} 1; 03-09 {c1, c2} 2, previous 1, retained 1, new 1
        assert rows(compute(con, "retention", grain="week")) == [
            (W(2026, 3, 2), 1, 0, 0, 1, None, None),
            (W(2026, 3, 9), 2, 1, 1, 1, 1.0, 0.0),
        ]


def test_an_edited_intermediate_file_bypasses_the_table(published, tmp_path):
    edited = tmp_path / "queries"
    shutil.copytree(QUERIES_DIR, edited)
    path = edited / f"{STORED}.sql"
    path.write_text(path.read_text(encoding="utf-8") + "\n-- edited\n", encoding="utf-8")
    with pipeline.publishing_writer(published) as con:
        con.execute(f"update materialized.{STORED} set customers = 40")
    with db.connect_readonly(published) as con:
        assert STORED not in current(con, edited)
        assert rows(compute(con, "retention", grain="week", queries_dir=edited)) == ALL


def test_cohorts_and_the_leaky_bucket_read_it_too(published):
    # Month 2026-03: cohort {c1, c2, c3} = 3, all active in month 0 -> 3/3 = 1.0; in A only:
    # {c1, c3} = 2
    with db.connect_readonly(published) as con:
        assert rows(compute(con, "cohorts")) == [(W(2026, 3, 1), 0, 3, 3, 1.0)]
        assert rows(compute(con, "cohorts", projects=["A"])) == [(W(2026, 3, 1), 0, 2, 2, 1.0)]
        # week 03-09 in A: retained c1, lost c3 (active in A in 03-02, not in 03-09)
        flows = compute(con, "leaky_bucket", grain="week", projects=["A"], date_from=W(2026, 3, 9))
        assert rows(flows) == [
            (W(2026, 3, 9), "retained", 1),
            (W(2026, 3, 9), "new", 0),
            (W(2026, 3, 9), "returning", 0),
            (W(2026, 3, 9), "lost", -1),
        ]


def test_a_deferred_slow_step_stores_nothing_and_the_view_answers(tmp_path):
    from dashboard.derived import refresh_derived

    path = tmp_path / "kpi.duckdb"
    with db.writer(path, before_publish=lambda c: refresh_derived(c, slow=False)) as con:
        insert_orders(con, ORDERS)
    with db.connect_readonly(path) as con:
        assert not con.execute(
            "select count(*) from information_schema.tables where table_schema = 'materialized'"
        ).fetchone()[0]
        assert rows(compute(con, "retention", grain="week")) == ALL


def test_an_import_of_several_files_leaves_it_current(tmp_path):
    first = tmp_path / "a.csv"
    first.write_text(
        "order_id,customer_id,project,region,ordered_at\no1,c1,A,East,2026-03-03 10:00:00\n",
        encoding="utf-8",
    )
    second = tmp_path / "b.csv"
    second.write_text(
        "order_id,customer_id,project,region,ordered_at\n"
        "o2,c1,A,East,2026-03-10 10:00:00\no3,c2,B,West,2026-03-11 10:00:00\n",
        encoding="utf-8",
    )
    path = tmp_path / "kpi.duckdb"
    pipeline.import_files([first, second], db=path)
    with db.connect_readonly(path) as con:
        assert STORED in current(con)
        # c1 (A): 03-02 and 03-09; c2 (B): 03-09 -> 03-09: 2 active, retained 1, new 1
        assert rows(compute(con, "retention", grain="week"))[1] == (
            W(2026, 3, 9), 2, 1, 1, 1, 1.0, 0.0,
        )  # fmt: skip


def test_only_an_intermediate_without_parameters_can_be_stored(tmp_path):
    front = (
        '/* ---\ntitle = "t"\ntitle_zh = "t"\ndescription = "d"\ndescription_zh = "d"\n'
        "materialize = true\n{extra}--- */\nselect 1 as x {where}"
    )
    good = tmp_path / "int_fine.sql"
    good.write_text(front.format(extra="", where=""), encoding="utf-8")
    assert parse_query_file(good).materialize
    with_params = tmp_path / "int_filtered.sql"
    with_params.write_text(
        front.format(extra='params = ["grain"]\n', where="where $grain is null"), encoding="utf-8"
    )
    with pytest.raises(QueryFileError, match="settings and the filters"):
        parse_query_file(with_params)
    not_intermediate = tmp_path / "my_query.sql"
    not_intermediate.write_text(front.format(extra="", where=""), encoding="utf-8")
    with pytest.raises(QueryFileError, match="intermediate"):
        parse_query_file(not_intermediate)


def test_the_shipped_stored_intermediates_are_marked():
    assert set(materialized.stored_ids(kpis.catalog())) == {
        STORED,
        "int_vips",
        "int_vip_contacts",
        "int_complaint_sla_facts",
        "int_dimension_pairs",
        "int_survey_days",
    }


# --------------------------------------------- a stored intermediate that reads settings

COMPLAINTS = [
    # id, project, region, opened, resolved: 12 h and 30 h
    ("k1", "A", "East", "2026-03-03 10:00:00", "2026-03-03 22:00:00"),
    ("k2", "B", "West", "2026-03-04 10:00:00", "2026-03-05 16:00:00"),
]
FACTS = "int_complaint_sla_facts"


@pytest.fixture
def with_complaints(tmp_path):
    path = tmp_path / "kpi.duckdb"
    with pipeline.publishing_writer(path) as con:
        con.executemany(
            "insert into complaints (complaint_id, project, region, opened_at, resolved_at) "
            "values (?, ?, ?, ?, ?)",
            COMPLAINTS,
        )
    return path


def test_the_sla_outcome_is_stored_with_the_settings_of_the_import(with_complaints):
    from dashboard.settings import Settings

    default, longer = load_settings(), Settings(sla_default_hours=48)
    with db.connect_readonly(with_complaints) as con:
        # default 24 h: k1 (12 h) met, k2 (30 h) not -> 1 of 2, from the stored outcome
        assert FACTS in materialized.current(con, kpis.catalog(), default.sql_params())
        assert compute(con, "complaints", grain="week", projects=["A", "B"])[
            "sla_met"
        ].tolist() == [1]
        # 48 h is another definition: the stored outcome does not answer, computed inline
        assert FACTS not in materialized.current(con, kpis.catalog(), longer.sql_params())
        frame = compute(con, "complaints", grain="week", projects=["A", "B"], settings=longer)
        assert frame["sla_met"].tolist() == [2]
    # behind the query's back: mark k2 met in the stored table; a filtered call reads it
    with pipeline.publishing_writer(with_complaints) as con:
        con.execute(f"update materialized.{FACTS} set is_sla_met = true where complaint_id = 'k2'")
    with db.connect_readonly(with_complaints) as con:
        assert compute(con, "complaints", grain="week", projects=["B"])["sla_met"].tolist() == [1]
        # as of 03-04, k2 (resolved 03-05) is still open: not met, whatever is stored
        frame = compute(con, "complaints", grain="week", projects=["B"], as_of=W(2026, 3, 4))
        assert (frame["resolved"].tolist(), frame["sla_met"].tolist()) == ([0], [0])
