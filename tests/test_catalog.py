"""Query-file format: front matter parsing, validation errors, staging inlining, views."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from dashboard import db, pipeline
from dashboard.catalog import (
    QueryFileError,
    install_views,
    load_queries,
    parse_query_file,
    render_sql,
)
from dashboard.paths import QUERIES_DIR

GOOD = """/* ---
title = "Orders per project"
title_zh = "各项目订单数"
description = "Count of orders."
description_zh = "订单数。"
unit = "count"
params = ["projects"]
[chart]
mark = "bar"
x = "project"
y = "orders"
--- */
-- a comment before the SQL
with orders as (
    select * from stg_orders where len($projects) = 0 or list_contains($projects, project)
),

final as (select project, count(*) as orders from orders group by project)

select * from final;
"""

STAGING = """/* ---
title = "Orders (staging)"
title_zh = "订单"
description = "d"
description_zh = "d"
--- */
select * from orders
"""


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_front_matter_loads_into_dataclass(tmp_path):
    write(tmp_path, "stg_orders.sql", STAGING)
    write(tmp_path, "orders_per_project.sql", GOOD)
    queries = load_queries(tmp_path)
    assert list(queries) == ["orders_per_project", "stg_orders"]
    q = queries["orders_per_project"]
    assert (q.id, q.kind, q.unit, q.params) == (
        "orders_per_project",
        "query",
        "count",
        ("projects",),
    )
    assert q.title_zh == "各项目订单数"
    assert dict(q.chart) == {"mark": "bar", "x": "project", "y": "orders"}
    assert q.sql.endswith("select * from final")  # trailing ';' removed
    assert queries["stg_orders"].kind == "staging"
    with pytest.raises(AttributeError):
        q.title = "changed"  # frozen


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (GOOD.replace('unit = "count"', 'colour = "red"'), "unknown front-matter field(s) colour"),
        (GOOD.replace('title_zh = "各项目订单数"\n', ""), "'title_zh' is required"),
        (GOOD.replace('unit = "count"', 'unit = "furlongs"'), "unit 'furlongs'"),
        (GOOD.replace('params = ["projects"]', "params = []"), "uses $projects"),
        (GOOD.replace('["projects"]', '["projects", "regions"]'), "never uses it"),
        (GOOD.replace('["projects"]', '["project"]'), "unknown param(s) project"),
        (GOOD.replace('mark = "bar"', 'mark = "pie3d"'), "chart mark 'pie3d'"),
        (GOOD.replace('y = "orders"', 'size = "orders"'), "unknown [chart] field(s) size"),
        (GOOD.replace("/* ---", "/* "), "missing front matter"),
        (GOOD.replace('unit = "count"', "unit = "), "not valid TOML"),
        (GOOD.replace("select * from final;", "select 1; select 2"), "exactly one SELECT"),
    ],
)
def test_invalid_front_matter_is_a_clear_error(tmp_path, text, message):
    write(tmp_path, "stg_orders.sql", STAGING)
    write(tmp_path, "bad_query.sql", text)
    with pytest.raises(QueryFileError) as err:
        load_queries(tmp_path)
    assert "bad_query.sql" in str(err.value)
    assert message in str(err.value)


def test_duplicate_ids_are_an_error(tmp_path):
    write(tmp_path, "stg_orders.sql", STAGING)
    write(tmp_path, "orders_per_project.sql", GOOD)
    write(tmp_path, "more/orders_per_project.sql", GOOD)
    with pytest.raises(QueryFileError, match="duplicate query id 'orders_per_project'"):
        load_queries(tmp_path)


def test_missing_staging_view_is_an_error(tmp_path):
    write(tmp_path, "orders_per_project.sql", GOOD)
    with pytest.raises(QueryFileError, match="uses stg_orders, but there is no stg_orders.sql"):
        load_queries(tmp_path)


def test_staging_cannot_take_params(tmp_path):
    write(tmp_path, "stg_x.sql", STAGING.replace("select * from orders", "select $grain as g"))
    with pytest.raises(QueryFileError, match="'params' does not declare"):
        parse_query_file(tmp_path / "stg_x.sql")


def test_bad_file_name_is_an_error(tmp_path):
    write(tmp_path, "Orders-2.sql", GOOD)
    with pytest.raises(QueryFileError, match="file name is the query id"):
        parse_query_file(tmp_path / "Orders-2.sql")


def test_render_sql_inlines_staging_into_the_query_with(tmp_path, con):
    write(tmp_path, "stg_orders.sql", STAGING)
    write(tmp_path, "orders_per_project.sql", GOOD)
    queries = load_queries(tmp_path)
    sql = render_sql(queries["orders_per_project"], queries)
    assert sql.startswith("with stg_orders as (")
    con.execute(
        "insert into orders (order_id, customer_id, project, region, ordered_at) values "
        "('o1','c1','P','R','2026-01-01'), ('o2','c1','Q','R','2026-01-01'),"
        " ('o3','c2','P','R','2026-01-02')"
    )
    rows = con.execute(sql, {"projects": ["P"]}).fetchall()
    assert rows == [("P", 2)]  # o1 and o3 are project P


def test_repository_queries_all_load():
    queries = load_queries(QUERIES_DIR)
    for name in ("retention", "stg_orders", "stg_complaints"):
        assert name in queries
    assert all(q.kind == "staging" for q in queries.values() if q.id.startswith("stg_"))


def test_install_views_publishes_staging_views_into_the_file(tmp_path):
    path = tmp_path / "k.duckdb"
    with pipeline.publishing_writer(
        path
    ) as con:  # the catalog registered install_views as a publish hook
        con.execute(
            "insert into orders (order_id, customer_id, project, region, ordered_at) "
            "values ('o1','c1','P','R','2026-01-01')"
        )
    reader = db.connect_readonly(path)
    views = {
        r[0]
        for r in reader.execute(
            "select view_name from duckdb_views() where not internal"
        ).fetchall()
    }
    assert {
        "stg_orders",
        "stg_customers",
        "stg_complaints",
        "stg_surveys",
        "stg_vip_contacts",
    } <= views
    assert reader.execute("select count(*) from stg_orders").fetchone() == (1,)


def test_install_views_is_idempotent(con):
    install_views(con)
    install_views(con)
    assert con.execute("select count(*) from stg_vip_contacts").fetchone() == (0,)


def test_read_only_connection_cannot_be_written_to_by_views(tmp_path):
    # Sanity for the decision in queries/README.md: readers never need DDL.
    path = tmp_path / "k.duckdb"
    with pipeline.publishing_writer(path):
        pass
    reader = db.connect_readonly(path)
    with pytest.raises(duckdb.Error):
        reader.execute("create view kpi.x as select 1")


def test_a_broken_query_file_does_not_fail_an_import(tmp_path, capsys, monkeypatch):
    from dashboard import catalog

    broken = tmp_path / "queries"
    write(broken, "stg_orders.sql", "select 1")  # no front matter
    monkeypatch.setattr(catalog, "QUERIES_DIR", broken)
    path = tmp_path / "k.duckdb"
    with pipeline.publishing_writer(path) as con:
        con.execute(
            "insert into orders (order_id, customer_id, project, region, ordered_at) "
            "values ('o1','c1','P','R','2026-01-01')"
        )
    assert "staging views not published: stg_orders.sql" in capsys.readouterr().err
    reader = db.connect_readonly(path)
    assert reader.execute("select count(*) from orders").fetchone() == (1,)
