"""Every query file of queries/ (discovered at collection time) loads and runs: on an empty
database, on a read-only snapshot of a database file, with each filter it declares; plus
hand-computed checks of the supporting queries the dashboard uses."""

from __future__ import annotations

import datetime as dt

import pytest

from dashboard import db, pipeline
from dashboard.catalog import load_queries
from dashboard.kpis import compute, list_queries

QUERY_IDS = [q.id for q in load_queries().values() if q.kind != "staging"]
W = dt.date


@pytest.fixture(scope="module")
def empty_db_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("empty") / "empty.duckdb"
    with pipeline.publishing_writer(path):
        pass
    return path


@pytest.mark.parametrize("query_id", QUERY_IDS)
def test_runs_on_an_empty_in_memory_database(con, query_id):
    frame = compute(con, query_id)
    assert len(frame.columns) > 0


@pytest.mark.parametrize("query_id", QUERY_IDS)
def test_runs_on_a_read_only_snapshot_with_every_declared_filter(empty_db_file, query_id):
    query = load_queries()[query_id]
    reader = db.connect_readonly(empty_db_file)
    kwargs: dict = {}
    if "grain" in query.params:
        kwargs["grain"] = query.grains[-1]
    if "date_from" in query.params:
        kwargs["date_from"] = W(2026, 1, 1)
    if "date_to" in query.params:
        kwargs["date_to"] = W(2026, 12, 31)
    if "projects" in query.params:
        kwargs["projects"] = ["A", "(unassigned)"]
    if "regions" in query.params:
        kwargs["regions"] = ["East"]
    if "by" in query.params:
        kwargs["by"] = "region"
    frame = compute(reader, query_id, **kwargs)
    if "by" in query.params:
        assert "region" in frame.columns and "by_value" not in frame.columns


def test_the_contract_kpis_and_supporting_queries_are_listed():
    ids = [q.id for q in list_queries()]
    assert ids[:5] == ["retention", "cohorts", "complaints", "satisfaction", "vip_coverage"]
    for extra in (
        "complaint_breakdown",
        "resolution_distribution",
        "csat_distribution",
        "overdue_vips",
        "data_freshness",
        "dimensions",
        "data_quality",
    ):
        assert extra in ids


def insert_complaints(con, rows):
    con.executemany(
        "insert into complaints (complaint_id, customer_id, project, region, category, channel,"
        " opened_at, resolved_at) values (?, ?, ?, 'R', ?, ?, ?, ?)",
        rows,
    )


def test_complaint_breakdown(con):
    insert_complaints(
        con,
        [
            ("k1", None, "A", "billing", "phone", "2026-03-02 08:00", "2026-03-03 08:00"),  # 24 h
            ("k2", None, "A", "billing", "phone", "2026-03-03 08:00", None),  # open
            ("k3", None, "A", None, None, "2026-03-04 08:00", "2026-03-06 08:00"),  # 48 h
        ],
    )
    frame = compute(con, "complaint_breakdown")
    assert list(frame.columns) == [
        "period_start", "category", "channel", "opened", "resolved", "sla_met",
    ]  # fmt: skip
    assert [tuple(r) for r in frame.itertuples(index=False)] == [
        (W(2026, 3, 2), "billing", "phone", 2, 1, 1),  # k1 met, k2 open
        (W(2026, 3, 2), "(none)", "(none)", 1, 1, 0),  # k3 late
    ]


def test_resolution_distribution_buckets_and_range(con):
    hours = [0, 4, 4.5, 24, 24.5, 72, 100, 168, 169]
    base = dt.datetime(2026, 3, 2, 0, 0)
    insert_complaints(
        con,
        [
            (f"k{i}", None, "A", None, None, base, base + dt.timedelta(hours=h))
            for i, h in enumerate(hours)
        ]
        + [("late", None, "A", None, None, "2026-03-10 00:00", "2026-03-10 01:00")],
    )
    frame = compute(con, "resolution_distribution", date_from=W(2026, 3, 1), date_to=W(2026, 3, 2))
    assert list(frame.columns) == ["bucket", "bucket_order", "complaints"]
    # upper bounds inclusive: <=4 {0, 4}; (4, 8] {4.5}; (8, 24] {24}; (24, 48] {24.5};
    # (48, 72] {72}; (72, 168] {100, 168}; > 168 {169}. The 03-10 complaint is out of range.
    assert frame["bucket"].tolist() == ["<4h", "4-8h", "8-24h", "24-48h", "48-72h", "3-7d", ">7d"]
    assert frame["complaints"].tolist() == [2, 1, 1, 1, 1, 2, 1]


def test_csat_distribution_lists_every_score(con):
    con.execute(
        "insert into surveys (response_id, project, region, submitted_at, csat) values "
        "('s1', 'A', 'R', '2026-03-02', 5), ('s2', 'A', 'R', '2026-03-03', 5),"
        "('s3', 'A', 'R', '2026-05-01', 1)"
    )
    frame = compute(con, "csat_distribution", grain="month")
    # March: two 5s; April: nothing (5 zero rows); May: one 1 -> 3 months x 5 scores
    assert len(frame) == 15
    march = frame[frame["period_start"] == W(2026, 3, 1)]
    assert march["responses"].tolist() == [0, 0, 0, 0, 2]
    assert frame[frame["period_start"] == W(2026, 4, 1)]["responses"].sum() == 0


def test_overdue_vips_as_of(con):
    con.execute(
        "insert into customers (customer_id, customer_name, project, region, is_vip, vip_since)"
        " values ('v1', '甲', 'A', 'R', true, null), ('v2', '乙', 'A', 'R', true, null),"
        " ('v3', '丙', 'B', 'R', true, null), ('v4', '丁', 'A', 'R', true, '2026-04-01')"
    )
    con.execute(
        "insert into vip_contacts (contact_id, customer_id, contacted_at, method) values "
        "('c1', 'v1', '2026-03-02 10:00', 'phone'),"  # 29 days before 03-31: in the window
        "('c2', 'v2', '2026-03-01 10:00', 'phone'),"  # 30 days before: overdue by 1 day
        "('c3', 'v1', '2026-03-31 09:00', 'visit')"
    )
    frame = compute(con, "overdue_vips", params={"as_of": W(2026, 3, 31)})
    assert list(frame.columns) == [
        "customer_id", "customer_name", "project", "region", "vip_since",
        "last_contact_at", "days_since_contact", "days_overdue",
    ]  # fmt: skip
    # v3 never contacted (first); v2 last contact 03-01: 30 days -> overdue 30 - 30 + 1 = 1;
    # v1 contacted 03-31; v4 not yet a VIP on 03-31
    assert frame["customer_id"].tolist() == ["v3", "v2"]
    assert frame["days_since_contact"].tolist()[1] == 30
    assert frame["days_overdue"].tolist()[1] == 1
    # default as-of = the last day with a VIP contact = 03-31: same answer
    assert compute(con, "overdue_vips")["customer_id"].tolist() == ["v3", "v2"]
    # project filter uses the customer's project
    assert compute(con, "overdue_vips", projects=["A"])["customer_id"].tolist() == ["v2"]


def test_dimensions_freshness_and_quality(con):
    con.execute(
        "insert into customers (customer_id, project, region, is_vip) values "
        "('c1', 'A', 'East', false), ('c2', '(unassigned)', 'East', true)"
    )
    con.execute(
        "insert into orders (order_id, customer_id, project, region, ordered_at) values "
        "('o1', 'c1', 'A', 'East', '2026-03-01 10:00'), ('o2', 'zz', 'B', 'West', '2026-03-05')"
    )
    con.execute(
        "insert into complaints (complaint_id, customer_id, project, region, opened_at) values "
        "('k1', null, 'A', '(unassigned)', '2026-03-02')"  # anonymous: not an unknown customer
    )
    con.execute(
        "insert into vip_contacts (contact_id, customer_id, contacted_at, method) values "
        "('v1', 'c2', '2026-03-03', 'phone'), ('v2', 'ghost', '2026-03-04', 'visit')"
    )
    dims = compute(con, "dimensions")
    assert [tuple(r) for r in dims.itertuples(index=False)] == [
        ("(unassigned)", "A", 1),
        ("East", "(unassigned)", 1),
        ("East", "A", 2),  # customer c1 and order o1
        ("West", "B", 1),
    ]
    quality = compute(con, "data_quality").set_index("kind")
    assert quality.loc["orders"].tolist() == [2, 1, 0]  # o2 -> unknown customer zz
    assert quality.loc["complaints"].tolist() == [1, 0, 1]
    assert quality.loc["customers"].tolist() == [2, 0, 1]
    assert quality.loc["vip_contacts"].tolist() == [2, 1, 1]  # ghost; c2 is (unassigned)
    assert quality.loc["surveys"].tolist() == [0, 0, 0]
    fresh = compute(con, "data_freshness").set_index("kind")
    assert fresh.loc["orders", "rows"] == 2
    assert fresh.loc["orders", "last_event_at"] == dt.datetime(2026, 3, 5)
    assert fresh["last_import_at"].isna().all()  # no import_log rows


def test_kpis_agree_on_a_read_only_snapshot_and_in_memory(tmp_path, con):
    path = tmp_path / "k.duckdb"
    rows = "('o1', 'c1', 'A', 'R', '2026-03-02'), ('o2', 'c1', 'A', 'R', '2026-03-09')"
    sql = f"insert into orders (order_id, customer_id, project, region, ordered_at) values {rows}"
    with pipeline.publishing_writer(path) as writer:
        writer.execute(sql)
    con.execute(sql)
    from_file = compute(db.connect_readonly(path), "retention")
    in_memory = compute(con, "retention")
    assert from_file.equals(in_memory)
    assert from_file["retention_rate"].tolist()[1] == 1.0  # c1 in both weeks: 1/1
