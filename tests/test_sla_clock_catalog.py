"""Intermediate views (``int_*.sql``) in the query catalogue, which int_complaints_sla needs:
they take parameters, are inlined like staging views, and a query reading one declares its
parameters too (dashboard/catalog.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from dashboard.catalog import QueryFileError, load_queries, render_sql, scan_queries, used_params
from dashboard.kpis import compute, compute_rows
from dashboard.schema import create_schema
from dashboard.settings import Settings, SlaRule
from dashboard.sla_clock.config import CalendarSettings, WorkSpan

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
    for query in ("complaint_breakdown", "open_complaints_past_sla", "int_complaint_sla_facts"):
        assert "int_complaints_sla" in queries[query].uses_staging
    # the KPI reads the stored outcome of the same matching (int_complaint_sla_facts)
    assert "int_complaints_met" in queries["complaints"].uses_staging
    assert "int_complaint_sla_facts" in queries["int_complaints_met"].uses_staging
    for query in ("complaints", "complaint_breakdown", "open_complaints_past_sla"):
        assert "sla_rules" not in queries[query].sql  # matched in int_complaints_sla only
    for query in ("resolution_distribution", "complaint_pareto"):
        assert "int_complaints_as_of" in queries[query].uses_staging
    for query in queries.values():
        if query.id != "int_sla_rules":
            assert "$sla_rules" not in query.sql, query.id


# --- the settings as small tables (#13): one file each turns the bound settings into rows --

SETTINGS_TABLES = {
    "int_sla_rules": {"sla_rules"},
    "int_work_calendar": {
        "calendar_months",
        "calendar_months_added",
        "calendar_months_removed",
        "calendar_months_covered",
    },
    "int_work_hours": {
        "calendar_weekday_mask",
        "calendar_work_hours",
        "calendar_covers_every_year",
    },
}


def test_only_the_settings_tables_turn_list_settings_into_rows():
    queries = load_queries()
    for table, params in SETTINGS_TABLES.items():
        assert set(used_params(queries[table].sql)) == params, table
        assert table in queries["int_complaints_sla"].uses_staging
    owned = set().union(*SETTINGS_TABLES.values())
    for query in queries.values():
        if query.id not in SETTINGS_TABLES:
            assert not owned & set(used_params(query.sql)), query.id
    # what int_complaints_sla still binds itself: the filters of int_complaints_as_of'
    # view aside, only the two scalar defaults
    assert set(used_params(queries["int_complaints_sla"].sql)) == {
        "as_of",
        "sla_default_hours",
        "sla_clock",
    }


def test_int_sla_rules_is_one_row_per_rule_in_file_order(con):
    rules = (
        SlaRule(9, category="收费", clock="business"),
        SlaRule(4, severity="high"),
        SlaRule(2.5, severity="high", category="维修"),
    )
    # a rule without its own clock takes [sla] clock (here the default, calendar)
    result = compute_rows(con, "int_sla_rules", settings=Settings(sla_rules=rules))
    assert result.columns == ["severity", "category", "hours", "clock", "rank"]
    assert result.rows == [
        (None, "收费", 9.0, "business", 0),
        ("high", None, 4.0, "calendar", 1),
        ("high", "维修", 2.5, "calendar", 2),
    ]
    assert compute(con, "int_sla_rules", settings=Settings()).empty


def test_int_work_calendar_is_the_month_table(con):
    # weekdays alone plus three overrides: Thu 2026-01-01 off, Fri 03-06 off, Sat 03-07 on.
    # Months January to March 2026 (contiguous); bit d - 1 is day d: January removes bit 0
    # (= 1), March adds bit 6 (= 64) and removes bit 5 (= 32); net days added before a month:
    # January 0, February 0 - 1 = -1, March -1 + 0 = -1. Without a country calendar every
    # year is covered. Month number = year x 12 + month = 24312 + month.
    calendar = CalendarSettings(
        holidays="none",
        extra_holidays=(dt.date(2026, 1, 1), dt.date(2026, 3, 6)),
        extra_workdays=(dt.date(2026, 3, 7),),
    )
    settings = Settings(sla_clock="business", calendar=calendar)
    result = compute_rows(con, "int_work_calendar", settings=settings)
    assert sorted(result.rows) == [
        (dt.date(2026, 1, 1), 24313, 0, 1, 0, 1, True, 0, 0),
        (dt.date(2026, 2, 1), 24314, 0, 0, 0, 0, True, -1, 0),
        (dt.date(2026, 3, 1), 24315, 64, 32, 1, 1, True, -1, 0),
    ]
    # no override and no country calendar: nothing corrects the weekday rule
    plain = Settings(sla_clock="business", calendar=CalendarSettings(holidays="none"))
    assert compute(con, "int_work_calendar", settings=plain).empty


def test_int_work_hours_is_one_row_of_the_working_week(con):
    # the spec's example: Monday to Friday = bits 0-4 = 31; 09:00-12:00 and 13:30-18:00 =
    # 32400-43200 and 48600-64800 s, 10800 + 16200 = 27000 working seconds a day
    settings = Settings(sla_clock="business", calendar=CalendarSettings())
    (row,) = compute(con, "int_work_hours", settings=settings).itertuples(index=False)
    assert (row.weekday_mask, row.workdays_per_week, row.day_seconds) == (31, 5, 27000)
    assert [(s["start_second"], s["end_second"]) for s in row.work_spans] == [
        (32400, 43200),
        (48600, 64800),
    ]
    assert not row.covers_every_year  # holidays = "CN": only the years the package knows
    saturday = CalendarSettings(
        holidays="none", workdays=(1, 6), work_hours=(WorkSpan(8 * 3600, 8 * 3600 + 1800),)
    )
    (row,) = compute(
        con, "int_work_hours", settings=Settings(sla_clock="business", calendar=saturday)
    ).itertuples(index=False)
    # Monday (bit 0) and Saturday (bit 5): 1 + 32 = 33; one half hour = 1800 s
    assert (row.weekday_mask, row.workdays_per_week, row.day_seconds) == (33, 2, 1800)
    assert row.covers_every_year
