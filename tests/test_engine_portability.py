"""Portability is checked: ``kpi check`` says for every query file whether it runs on Spark;
a file marked ``engines = ["duckdb"]`` is refused on Spark with a clear message; the
staging views and contract KPIs cannot be marked. No Spark needed: all of it is decided
before a session starts."""

from __future__ import annotations

import contextlib
import io
import shutil

import duckdb
import pytest

from dashboard import cli, kpis
from dashboard.catalog import QueryFileError, parse_query_file, scan_queries
from dashboard.engines.lake import export_lake
from dashboard.engines.transpile import UnsupportedOnSpark
from dashboard.paths import QUERIES_DIR
from dashboard.portability import check_portability
from dashboard.schema import create_schema
from dashboard.settings import EngineSettings

FRONT = """/* ---
title = "{id}"
title_zh = "{id}"
description = "test"
description_zh = "test"
params = ["projects"]
{extra}
[chart]
mark = "table"
[labels]
project = "Project"
{label}
[labels_zh]
project = "项目"
{label_zh}
--- */
"""
# the second column of each file, labelled as `kpi check` wants (#12)
LABELS = {"orders": ('orders = "Orders"', 'orders = "订单数"'),
          "ordered_at": ('ordered_at = "Ordered"', 'ordered_at = "下单时间"')}  # fmt: skip
PORTABLE = "select project, count(*) as orders from stg_orders where len($projects) = 0 or list_contains($projects, project) group by all order by project"
QUALIFY = "select project, ordered_at from stg_orders where len($projects) >= 0 qualify row_number() over (partition by project order by ordered_at) = 1"


@pytest.fixture
def queries_dir(tmp_path):
    folder = tmp_path / "queries"
    folder.mkdir()
    shutil.copy(QUERIES_DIR / "stg_orders.sql", folder)
    for qid, sql, extra in (
        ("orders_per_project", PORTABLE, ""),
        ("first_orders", QUALIFY, ""),
        ("first_orders_duckdb", QUALIFY, 'engines = ["duckdb"]'),
    ):
        label, label_zh = LABELS["orders" if sql == PORTABLE else "ordered_at"]
        front = FRONT.format(id=qid, extra=extra, label=label, label_zh=label_zh)
        (folder / f"{qid}.sql").write_text(front + sql + "\n")
    return folder


# Shipped files marked DuckDB-only, each with why: its table is not in the Spark lake.
DUCKDB_ONLY = {
    "events": "the events on the timeline (#12) are notes kept in the DuckDB file, not data",
}


def test_every_shipped_query_file_is_portable():
    queries, broken = scan_queries(QUERIES_DIR)
    assert not broken
    results = {r.query_id: r for r in check_portability(queries)}
    assert set(results) == set(queries)
    not_portable = [
        r.line() for r in results.values() if r.status != "spark" and r.query_id not in DUCKDB_ONLY
    ]
    assert not_portable == []
    for query_id in DUCKDB_ONLY:  # marked, not merely failing to transpile
        assert queries[query_id].engines == ("duckdb",), query_id


def test_portability_of_each_kind_of_file(queries_dir):
    queries, _ = scan_queries(queries_dir)
    results = {r.query_id: r for r in check_portability(queries)}
    assert results["orders_per_project"].status == "spark"
    assert results["first_orders_duckdb"].status == "duckdb-only"
    bad = results["first_orders"]
    assert bad.status == "not portable" and not bad.ok
    assert bad.line().startswith("FAIL first_orders.sql: not portable to Spark: ")
    assert "qualify" in bad.line() and 'engines = ["duckdb"]' in bad.line()


def test_kpi_check_reports_spark_portability_and_fails_on_a_non_portable_file(queries_dir):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(["check", "--queries", str(queries_dir)])
    lines = {line.split()[1].removesuffix(":"): line for line in out.getvalue().splitlines()}
    assert code == 1
    assert lines["first_orders.sql"].startswith("FAIL first_orders.sql: not portable to Spark:")
    assert lines["first_orders_duckdb"].startswith("ok ")
    assert lines["first_orders_duckdb"].endswith("Spark: DuckDB-only (marked; refused on Spark)")
    assert lines["orders_per_project"].startswith("ok ")
    assert lines["orders_per_project"].endswith("; Spark: portable")
    assert lines["stg_orders"].endswith("; Spark: portable")


def test_a_duckdb_only_file_is_refused_on_spark_and_runs_on_duckdb(queries_dir, tmp_path):
    con = duckdb.connect("")
    create_schema(con)
    con.execute(
        "insert into orders (order_id, customer_id, project, region, ordered_at) values"
        " ('o1', 'c1', 'A', 'R', '2026-03-02 10:00'), ('o2', 'c1', 'A', 'R', '2026-03-01 10:00')"
    )
    lake = tmp_path / "lake"
    export_lake(con, lake)
    on_duckdb = kpis.compute(con, "first_orders_duckdb", queries_dir=queries_dir, engine="duckdb")
    assert on_duckdb["ordered_at"].astype(str).tolist() == ["2026-03-01 10:00:00"]
    spark = EngineSettings("spark", str(lake))
    with pytest.raises(UnsupportedOnSpark) as marked:
        kpis.compute(con, "first_orders_duckdb", queries_dir=queries_dir, engine=spark)
    assert "first_orders_duckdb.sql" in str(marked.value)
    assert "DuckDB-only" in str(marked.value) and "--engine duckdb" in str(marked.value)
    with pytest.raises(UnsupportedOnSpark) as unmarked:  # never silently mangled
        kpis.compute(con, "first_orders", queries_dir=queries_dir, engine=spark)
    assert str(unmarked.value).startswith("first_orders.sql: ")
    assert "qualify" in str(unmarked.value)


def test_staging_views_and_contract_kpis_cannot_be_marked_duckdb_only(tmp_path):
    path = tmp_path / "retention.sql"
    path.write_text(
        FRONT.format(id="retention", extra='engines = ["duckdb"]', label="", label_zh="")
        + PORTABLE
        + "\n"
    )
    with pytest.raises(QueryFileError, match="must run on every engine"):
        parse_query_file(path)
    path = tmp_path / "odd.sql"
    path.write_text(
        FRONT.format(id="odd", extra='engines = ["spark"]', label="", label_zh="") + PORTABLE + "\n"
    )
    with pytest.raises(QueryFileError, match="includes duckdb"):
        parse_query_file(path)
