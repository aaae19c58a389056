"""The SQL boundary (#7 item 4): hostile filter values, URL parameters and SQL-lab text.

Filter values reach SQL only as bound parameters, so an injection string is just a project
or region name that no row has: every query gives exactly what a plain unknown name gives
(nothing matched), a bad grain/by/date is refused with a clear message, and the database
file is byte-for-byte unchanged afterwards. The SQL lab is re-tested here through
``dashboard.sqllab.run_query`` - the function the SQL lab page calls.
"""

from __future__ import annotations

import ast
import hashlib
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest
from tests_ui_support import build_tiny_db

from dashboard import kpis
from dashboard.db import connect_readonly
from dashboard.sqllab import Limits, QueryStopped, Refused, run_query

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
TABLES = ("customers", "orders", "complaints", "surveys", "vip_contacts", "import_log",
          "rejected_rows")  # fmt: skip
# Hand-checked row counts of the tiny database (tests_ui_support): 6 customers, 19 orders
# (3+3+4+4+3+2 per week), 4 complaints, 4 surveys, 3 VIP contacts, 1 import, 1 reject.
COUNTS = {"customers": 6, "orders": 19, "complaints": 4, "surveys": 4, "vip_contacts": 3,
          "import_log": 1, "rejected_rows": 1}  # fmt: skip

INJECTIONS = [
    "x' OR 1=1 --",
    "'; DROP TABLE orders; --",
    "Alpha' OR 'a'='a",
    "Alpha\u2019 OR \u20181\u2019=\u20181",  # typographic quotes ’ ‘
    "\uff07 OR 1=1 --",  # full-width apostrophe ＇
    "\\'; DELETE FROM customers; --",
    "$projects",
    "a\x00b",  # NUL
    "Alpha\x00",  # a real name followed by NUL must not match Alpha
    ") or (1=1",
    "%",
    "_",
    "*",
    "x" * 100_000,  # very long
]
NOTHING = "zz-no-such-name"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def counts(db: Path) -> dict[str, int]:
    con = connect_readonly(db)
    try:
        return {t: con.execute(f"select count(*) from {t}").fetchone()[0] for t in TABLES}
    finally:
        con.close()


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny_db(tmp_path_factory.mktemp("inj") / "kpi.duckdb")


QUERY_IDS = [q.id for q in kpis.list_queries()]


def _in_order(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows sorted by every column that holds plain values (a list cell, such as
    int_work_hours' work spans, has no order)."""
    keys = [
        c
        for c in frame.columns
        if not any(hasattr(v, "__len__") and not isinstance(v, str) for v in frame[c])
    ]
    return frame.sort_values(keys).reset_index(drop=True) if keys else frame


@pytest.mark.parametrize("filter_name", ["projects", "regions"])
def test_injection_strings_in_name_filters_match_nothing_and_change_nothing(tiny, filter_name):
    before = digest(tiny)
    con = connect_readonly(tiny)
    try:
        for query_id in QUERY_IDS:
            # an intermediate view's rows have no order
            ordered = _in_order if query_id.startswith("int_") else (lambda f: f)
            nothing = ordered(kpis.compute(con, query_id, **{filter_name: [NOTHING]}))
            for value in INJECTIONS:
                got = ordered(kpis.compute(con, query_id, **{filter_name: [value]}))
                pd.testing.assert_frame_equal(got, nothing, obj=f"{query_id} {value[:20]!r}")
            # Several values at once, and an injection next to a real name: only the real
            # name counts.
            real = "Alpha" if filter_name == "projects" else "East"
            mixed = kpis.compute(con, query_id, **{filter_name: [real, *INJECTIONS]})
            alone = kpis.compute(con, query_id, **{filter_name: [real]})
            mixed, alone = ordered(mixed), ordered(alone)
            pd.testing.assert_frame_equal(mixed, alone, obj=query_id)
        # The filter is not vacuous: the real name does select rows (week of 2026-11-02:
        # Alpha's active customer is c1 alone, East's are c1 and c6).
        week = {"grain": "week", "date_from": "2026-11-02", "date_to": "2026-11-02"}
        real, expected = ("Alpha", 1) if filter_name == "projects" else ("East", 2)
        frame = kpis.compute(con, "retention", **week, **{filter_name: [real]})
        assert frame["active_customers"].tolist() == [expected]
        frame = kpis.compute(con, "retention", **week, **{filter_name: [INJECTIONS[0]]})
        assert frame["active_customers"].fillna(0).tolist() in ([], [0])
    finally:
        con.close()
    assert digest(tiny) == before
    assert counts(tiny) == COUNTS


@pytest.mark.parametrize("value", INJECTIONS[:8])
def test_injection_strings_as_grain_by_or_dates_are_refused_clearly(tiny, value):
    before = digest(tiny)
    con = connect_readonly(tiny)
    try:
        with pytest.raises(ValueError, match="grain .* is not available for 'retention'"):
            kpis.compute(con, "retention", grain=value)
        with pytest.raises(ValueError, match="--by must be 'project' or 'region'"):
            kpis.compute(con, "complaint_breakdown", by=value)
        with pytest.raises(ValueError, match="date_from must be a date YYYY-MM-DD"):
            kpis.compute(con, "retention", date_from=value)
        with pytest.raises(ValueError, match="date_to must be a date YYYY-MM-DD"):
            kpis.compute(con, "retention", date_to=value)
        with pytest.raises(ValueError, match="unknown KPI or query"):
            kpis.compute(con, value)
    finally:
        con.close()
    assert digest(tiny) == before


# ------------------------------------------------------------------------- the URL


URL_KEYS = ("region", "project", "grain", "from", "to", "lang")


@pytest.mark.parametrize("value", INJECTIONS[:7] + ["x" * 5_000])
def test_injection_strings_in_the_url_are_ignored_and_change_nothing(tiny, monkeypatch, value):
    """Every filter parameter of the URL at once: unknown names and bad values fall back to
    the defaults (all data, weekly, the default language), the page renders cleanly."""
    before = digest(tiny)
    monkeypatch.setenv("KPI_DB", str(tiny))
    at = AppTest.from_file(APP, default_timeout=90)
    for key in URL_KEYS:
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    # Default view (Chinese, all projects): active customers in the week of 2026-11-02 is
    # 3 (c1, c4, c6), the same as with no parameters at all.
    assert next(m.value for m in at.metric if m.label == "活跃客户数") == "3"
    assert at.sidebar.multiselect(key="f_projects").value == []
    assert at.sidebar.multiselect(key="f_regions").value == []
    assert digest(tiny) == before


def test_a_real_region_next_to_injections_in_the_url_keeps_only_the_real_one(tiny, monkeypatch):
    monkeypatch.setenv("KPI_DB", str(tiny))
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["region"] = ["East", INJECTIONS[0], INJECTIONS[1]]
    at.query_params["lang"] = "en"
    at.run()
    assert not at.exception and not at.error
    assert at.sidebar.multiselect(key="f_regions").value == ["East"]
    # East's active customers in the week of 2026-11-02: c1 and c6 = 2.
    assert next(m.value for m in at.metric if m.label == "Active customers") == "2"


# ------------------------------------------------------------------- the SQL lab


@pytest.fixture()
def lab_db(tmp_path: Path) -> Path:
    return build_tiny_db(tmp_path / "lab.duckdb")


ESCAPES = [
    ("copy orders to '{out}/leak.csv'", "copy_to"),
    ("copy (select * from customers) to '{out}/leak.parquet' (format parquet)", "copy_to"),
    ("attach '{out}/other.duckdb' as other", "attach"),
    ("select * from read_csv('/etc/passwd')", "read_file"),
    ("select * from read_csv_auto('/etc/passwd')", "read_file"),
    ("select * from read_text('/etc/passwd')", "read_file"),
    ("select * from '/etc/passwd'", "read_file"),
    ("select * from glob('/etc/*')", "read_file"),
    ("install httpfs", "install"),
    ("load httpfs", "load"),
    ("set enable_external_access = true", "set"),
    ("reset lock_configuration", "set"),
    ("pragma enable_profiling", "pragma"),
    ("select 1; drop table orders", "several"),
    ("select 1; select 2", "several"),
    ("drop table orders", "write"),
    ("delete from orders", "write"),
    ("update orders set amount = 0", "write"),
    ("insert into orders (order_id) values ('x')", "write"),
    ("create table evil as select 1", "write"),
    ("with t as (delete from orders returning *) select * from t", "write"),
    ("select * from query('drop table orders')", "read_file"),
    ("call pragma_version()", "other"),
    ("checkpoint", "other"),
    ("detach kpi", "other"),
    ("use memory", "other"),
    ("export database '{out}/dump'", "other"),
]


@pytest.mark.parametrize(("sql", "label"), ESCAPES, ids=[label for _, label in ESCAPES])
def test_sql_lab_escape_attempts_are_stopped_and_change_nothing(lab_db, tmp_path, sql, label):
    out = tmp_path / "out"
    out.mkdir()
    before = digest(lab_db)
    with pytest.raises((Refused, QueryStopped)) as stopped:
        run_query(sql.format(out=out), lab_db)
    message = str(stopped.value)
    assert message and "Traceback" not in message and "\n" not in message.strip()
    assert "root:" not in message  # nothing of /etc/passwd leaks into the message
    assert list(out.iterdir()) == []  # no file written
    assert digest(lab_db) == before
    assert counts(lab_db) == COUNTS


def test_sql_lab_a_very_long_query_is_refused(lab_db):
    sql = "select " + " + ".join(["1"] * 20_000)
    with pytest.raises(Refused) as refused:
        run_query(sql, lab_db)
    assert "limit" in str(refused.value)


def test_sql_lab_a_slow_query_is_stopped_at_the_time_limit(lab_db):
    # 10^12 rows of a cross join cannot finish in a second on any machine.
    sql = "select sum(a.range * b.range) from range(1000000) a, range(1000000) b"
    with pytest.raises(QueryStopped) as stopped:
        run_query(sql, lab_db, Limits(timeout_seconds=1.0))
    assert stopped.value.code == "timeout"
    assert "time limit of 1 s" in str(stopped.value)


def test_sql_lab_filter_values_typed_as_text_are_data(lab_db):
    # An injection string inside a string literal is compared, not executed.
    result = run_query("select count(*) as n from orders where project = 'x'' OR 1=1 --'", lab_db)
    assert result.frame["n"].tolist() == [0]
    assert counts(lab_db) == COUNTS


# ------------------------------------------------- no user value in SQL text


# Every place where SQL text is built with f-strings/format/+ (not a constant), and why no
# user value can reach it. A new one fails this test until it is reviewed and listed here.
REVIEWED_SQL_BUILDERS = {
    # identifiers from our own code (ATTACH_ALIAS); the path comes from config/CLI and its
    # quotes are escaped (no bound parameters for ATTACH's file name in DuckDB)
    "dashboard/db.py::connect_readonly",
    "dashboard/db.py::cursor",
    "dashboard/db.py::lock_down",  # the spill folder path and ReaderLimits of our own code (#19)
    "dashboard/sqllab/sandbox.py::_fetch",  # the analyst's SQL itself: checked + sandboxed
    "dashboard/query_check.py::_run_staging",  # query files of queries/ (reviewed code)
    "dashboard/catalog.py::install_views",  # view names/SQL from queries/ (reviewed code)
    "dashboard/kpis.py::compute",  # SQL of queries/; every filter value is bound ($name)
    "dashboard/engines/duck.py::run_arrow",  # prepared SQL of queries/; values bound ($name)
    "dashboard/engines/duck.py::run_rows",  # the same, as tuples
    # the events store: the column list is its own constant _COLUMNS; the id is bound
    "dashboard/events/store.py::list_events",
    "dashboard/events/store.py::get_event",
    # kpi_cache: schema/table names and period columns from its own CACHED constant and
    # the query files; kpi, grain, by and dates are bound parameters
    "dashboard/kpi_cache.py::_data_version",
    "dashboard/spine.py::data_range",  # table/column names from spine.EVENT_COLUMNS only
    "dashboard/spine.py::ensure_spine",  # the module's constant DDL
    "dashboard/spine.py::_fill",  # the module's constant SQL; the dates are bound
    "dashboard/pipeline.py::_upgrade_if_old",  # ATTACH of our own path, quotes escaped
    "dashboard/kpi_cache.py::_plan",
    "dashboard/kpi_cache.py::_stored",
    "dashboard/kpi_cache.py::build",
    "dashboard/kpi_cache.py::_store",
    # #14: the SQL of queries/data_freshness.sql as kpis.prepare renders it; no user value
    "dashboard/kpi_cache.py::overview_as_of",
    # in _is_fresh(): the table names of CACHED; kpi, grain, by and hash bound
    "dashboard/kpi_cache.py::copy_is_fresh",
    # #13 stored intermediates: schema name a constant, table names the ids of query files
    # marked materialize (catalog._ID), their SQL from queries/, settings values bound
    "dashboard/materialized.py::build",
    "dashboard/materialized.py::fresh_ids",  # in current()
    # #14 publish: the meta table names are the modules' constants; versions, ids bound;
    # table names from KINDS / CACHED / the query files' own SQL (data_version_sql)
    "dashboard/materialized.py::restamp",
    "dashboard/kpi_cache.py::restamp",
    "dashboard/data_version.py::table_versions",
    "dashboard/derived.py::_write_meta",
    "dashboard/ui/data_access.py::_bookkeeping",  # fixed SQL + int(limit); file is bound
    "dashboard/schema.py::create_schema",  # DDL from the schema's own column lists
    # #18: table/column names from the schema (KINDS), the lake path from the CLI with its
    # quotes escaped (COPY TO takes no bound file name)
    "dashboard/engines/lake.py::export_lake",
    # #18: the query file's SQL transpiled for Spark; every value a Spark named parameter
    "dashboard/engines/spark.py::run_arrow",
}
# The loader builds staging SQL from table/column names of the schema (KINDS) and header
# positions; cell values and file names are bound parameters.
REVIEWED_MODULES = {"dashboard/ingest/loader.py"}
SKIPPED = ("dashboard/bench/", "dashboard/demo/")  # developer tools, no user input


class _SqlCalls(ast.NodeVisitor):
    """Functions of one module that call execute/sql/query with non-constant SQL text."""

    def __init__(self, module: str) -> None:
        self.module = module
        self.stack: list[str] = []
        self.found: set[str] = set()

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self.stack.append(node.name)
        self.generic_visit(node)
        self.stack.pop()

    visit_AsyncFunctionDef = visit_FunctionDef  # type: ignore[assignment]

    def visit_Call(self, node: ast.Call) -> None:
        func, args = node.func, node.args
        if (
            isinstance(func, ast.Attribute)
            and func.attr in ("execute", "executemany", "sql", "query")
            and args
            and not (isinstance(args[0], ast.Constant) and isinstance(args[0].value, str))
        ):
            self.found.add(f"{self.module}::{self.stack[-1] if self.stack else '<module>'}")
        self.generic_visit(node)


def _sql_calls() -> set[str]:
    found: set[str] = set()
    for path in sorted((ROOT / "dashboard").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if rel.startswith(SKIPPED) or rel in REVIEWED_MODULES:
            continue
        visitor = _SqlCalls(rel)
        visitor.visit(ast.parse(path.read_text(encoding="utf-8")))
        found |= visitor.found
    return found


def test_sql_text_is_built_only_in_reviewed_places():
    unreviewed = _sql_calls() - REVIEWED_SQL_BUILDERS
    assert not unreviewed, (
        "SQL built from non-constant text; bind user values as $name parameters, then "
        f"list the place in REVIEWED_SQL_BUILDERS with the reason: {sorted(unreviewed)}"
    )
