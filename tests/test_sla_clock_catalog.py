"""Intermediate views (``int_*.sql``) in the query catalogue, which int_complaints_sla needs:
they take parameters, are inlined like staging views, and a query reading one declares its
parameters too (dashboard/catalog.py)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from dashboard.catalog import QueryFileError, load_queries, render_sql, scan_queries
from dashboard.kpis import compute
from dashboard.schema import create_schema

HEADER = """/* ---
title = "t"
title_zh = "t"
description = "d"
description_zh = "d"
{extra}
[chart]
mark = "table"
--- */
"""
STAGING = HEADER.format(extra="") + "select * from complaints"
INTERMEDIATE = (
    HEADER.format(extra='params = ["projects"]') + "with c as (select * from stg_complaints\n"
    "    where len($projects) = 0 or list_contains($projects, project)),\n"
    "final as (select complaint_id, project from c)\nselect * from final"
)
USER = (
    HEADER.format(extra='params = ["projects", "grain"]')
    + "with x as (select * from int_scoped),\n"
    "final as (select $grain as grain, count(*) as n from x)\nselect * from final"
)


def folder(tmp_path: Path, **files: str) -> Path:
    for name, text in files.items():
        (tmp_path / f"{name}.sql").write_text(text, encoding="utf-8")
    return tmp_path


def test_an_intermediate_view_takes_parameters_and_is_inlined(tmp_path):
    queries = load_queries(
        folder(tmp_path, stg_complaints=STAGING, int_scoped=INTERMEDIATE, per_project=USER)
    )
    assert queries["int_scoped"].kind == "intermediate"
    sql = render_sql(queries["per_project"], queries)
    # dependencies first: the staging view, then the intermediate, then the query's own
    assert sql.index("stg_complaints as (") < sql.index("int_scoped as (") < sql.index("x as (")
    con = duckdb.connect()
    create_schema(con)
    con.execute(
        "insert into complaints (complaint_id, project, region, opened_at) values "
        "('a', 'P', 'R', '2026-03-02'), ('b', 'Q', 'R', '2026-03-02')"
    )
    frame = compute(con, "per_project", projects=["P"], queries_dir=tmp_path)
    assert frame["n"].tolist() == [1]  # $projects reached the intermediate view


def test_a_query_must_declare_the_parameters_of_the_intermediate_it_reads(tmp_path):
    user = USER.replace('params = ["projects", "grain"]', 'params = ["grain"]')
    folder(tmp_path, stg_complaints=STAGING, int_scoped=INTERMEDIATE, per_project=user)
    with pytest.raises(QueryFileError, match=r"per_project.sql: .*\$projects.*add it to params"):
        load_queries(tmp_path)
    queries, errors = scan_queries(tmp_path)  # lenient: only the query is left out
    assert "int_scoped" in queries and "per_project" not in queries
    assert "$projects" in errors["per_project"]


def test_a_declared_parameter_nobody_uses_is_still_an_error(tmp_path):
    user = USER.replace('params = ["projects", "grain"]', 'params = ["projects", "grain", "by"]')
    folder(tmp_path, stg_complaints=STAGING, int_scoped=INTERMEDIATE, per_project=user)
    with pytest.raises(QueryFileError, match="declares by but the SQL never uses it"):
        load_queries(tmp_path)


def test_a_staging_view_cannot_read_an_intermediate(tmp_path):
    bad = HEADER.format(extra="") + "select * from int_scoped"
    folder(tmp_path, stg_complaints=STAGING, int_scoped=INTERMEDIATE, stg_bad=bad)
    with pytest.raises(QueryFileError, match="stg_bad.sql: a staging view .* intermediate"):
        load_queries(tmp_path)


def test_a_broken_intermediate_leaves_out_the_queries_reading_it(tmp_path):
    broken = INTERMEDIATE.replace('title = "t"\n', "")
    folder(tmp_path, stg_complaints=STAGING, int_scoped=broken, per_project=USER)
    queries, errors = scan_queries(tmp_path)
    assert set(errors) == {"int_scoped", "per_project"}
    assert "no valid int_scoped.sql" in errors["per_project"]


def test_the_shipped_complaint_queries_read_the_sla_once():
    queries = load_queries()
    assert queries["int_complaints_sla"].kind == "intermediate"
    for query in ("complaints", "complaint_breakdown", "open_complaints_past_sla"):
        assert "int_complaints_sla" in queries[query].uses_staging
        assert "sla_rules" not in queries[query].sql  # matched in int_complaints_sla only
    for query in ("resolution_distribution", "complaint_pareto"):
        assert "int_complaints_as_of" in queries[query].uses_staging
    for query in queries.values():
        if query.id != "int_complaints_sla":
            assert "$sla_rules" not in query.sql, query.id
