"""The SQL lab sandbox: every escape attempt is refused (statement check) or stopped (DuckDB
settings, time limit) with a clear message, and nothing changes on disk."""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import pytest

from dashboard import pipeline
from dashboard.sqllab import (
    Limits,
    QueryStopped,
    Refused,
    check_statement,
    open_sandbox,
    run_query,
)


@pytest.fixture(scope="module")
def lab_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("lab") / "lab.duckdb"
    with pipeline.publishing_writer(path) as con:
        con.execute(
            "insert into customers (customer_id, project, region, is_vip) values "
            "('c1', 'A', 'East', true), ('c2', 'B', 'West', false)"
        )
    return path


def fingerprint(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` with the sha256 of its bytes."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


# (sql, expected code, a word the message must contain). {tmp} is a scratch folder.
ESCAPES = [
    ("COPY (select 1) TO '{tmp}/x.csv'", "not_read", "COPY"),
    ("copy customers to '{tmp}/x.parquet' (format parquet)", "not_read", "COPY"),
    ("ATTACH '{tmp}/x.duckdb' AS other", "not_read", "ATTACH"),
    ("DETACH kpi", "not_read", "DETACH"),
    ("select * from read_csv('/etc/passwd')", "file_access", "read_csv"),
    ("select * from read_text('/etc/passwd')", "file_access", "read_text"),
    ("select content from read_blob('/etc/passwd')", "file_access", "read_blob"),
    # paths are never echoed, not even the user's own (#19): the message names the rule
    ("select * from '/etc/passwd'", "file_access", "looks like a file"),
    ("select * from glob('/etc/*')", "file_access", "glob"),
    ("select * from query('select 1')", "file_access", "query"),
    ("INSTALL httpfs", "not_read", "INSTALL"),
    ("LOAD httpfs", "not_read", "LOAD"),
    ("SET threads = 1", "not_read", "SET"),
    ("SET enable_external_access = true", "not_read", "SET"),
    ("RESET lock_configuration", "not_read", "RESET"),
    ("PRAGMA enable_profiling", "not_read", "PRAGMA"),
    ("CALL pragma_version()", "not_read", "CALL"),
    ("select 1; select 2", "multiple", "2"),
    ("select 1; drop table customers", "multiple", "2"),
    ("CREATE TABLE t AS select 1", "not_read", "CREATE"),
    ("create table memory.t (a int)", "not_read", "CREATE"),
    ("insert into customers (customer_id) values ('x')", "not_read", "INSERT"),
    ("update customers set project = 'Z'", "not_read", "UPDATE"),
    ("delete from customers", "not_read", "DELETE"),
    ("drop table customers", "not_read", "DROP"),
    ("alter table customers add column x int", "not_read", "ALTER"),
    ("EXPORT DATABASE '{tmp}/export'", "not_read", "EXPORT"),
    ("IMPORT DATABASE '{tmp}/export'", "not_read", "IMPORT"),
    ("USE memory", "not_read", "USE"),
    ("checkpoint", "not_read", "CHECKPOINT"),
    ("", "empty", ""),
    ("-- only a comment", "empty", ""),
]


@pytest.mark.parametrize(("sql", "code", "word"), ESCAPES, ids=[e[0][:40] for e in ESCAPES])
def test_escape_attempts_are_refused_and_nothing_changes_on_disk(lab_db, tmp_path, sql, code, word):
    sql = sql.format(tmp=tmp_path)
    before = fingerprint(lab_db.parent)
    with pytest.raises(Refused) as refused:
        run_query(sql, lab_db)
    assert refused.value.code == code
    assert word in str(refused.value)
    assert fingerprint(lab_db.parent) == before
    assert list(tmp_path.iterdir()) == []  # no x.csv, x.duckdb, export/


def test_an_over_long_query_is_refused_with_its_length():
    sql = "select 1" + " " * 20_000
    with pytest.raises(Refused) as refused:
        check_statement("select " + "1 + " * 6_000 + "1")
    assert refused.value.code == "too_long"
    assert "20,000" in str(refused.value)
    with pytest.raises(Refused, match="limit is 100"):
        check_statement("select 1 as " + "x" * 200, max_chars=100)
    assert check_statement(sql).sql == "select 1"  # trailing blanks do not count


@pytest.mark.parametrize(
    ("sql", "kind"),
    [
        ("select * from customers", "SELECT"),
        ("with a as (select 1 as x) select * from a;", "SELECT"),
        ("from customers", "SELECT"),
        ("select 1 union all select 2", "UNION"),
        ("describe customers", "DESCRIBE"),
        ("summarize customers", "SUMMARIZE"),
        ("/* why */ select 1 -- trailing comment", "SELECT"),
    ],
)
def test_read_statements_pass_the_check(sql, kind):
    assert check_statement(sql).kind == kind


def test_a_select_runs_and_returns_its_rows(lab_db):
    result = run_query("select customer_id, project from customers order by 1", lab_db)
    assert list(result.frame["customer_id"]) == ["c1", "c2"]
    assert not result.truncated


def test_the_row_cap_keeps_limit_rows_and_reports_truncation(lab_db):
    capped = run_query("select * from range(10) as r (n)", lab_db, Limits(max_rows=3))
    assert list(capped.frame["n"]) == [0, 1, 2]
    assert capped.truncated and capped.max_rows == 3
    exact = run_query("select * from range(3) as r (n)", lab_db, Limits(max_rows=3))
    assert len(exact.frame) == 3 and not exact.truncated


def test_a_query_longer_than_the_time_limit_is_stopped(lab_db):
    before = fingerprint(lab_db.parent)
    huge = "select count(*) from range(1000000000) a, range(1000000000) b"
    with pytest.raises(QueryStopped) as stopped:
        run_query(huge, lab_db, Limits(timeout_seconds=0.5))
    assert stopped.value.code == "timeout"
    assert "time limit of 0.5 s" in str(stopped.value)
    assert fingerprint(lab_db.parent) == before


def test_errors_from_duckdb_are_one_clear_line(lab_db):
    with pytest.raises(QueryStopped) as stopped:
        run_query("select * from no_such_table", lab_db)
    assert stopped.value.code == "error"
    assert "no_such_table" in str(stopped.value)
    assert "\n" not in str(stopped.value)


# The second barrier on its own: statements that pass no check still fail on the sandboxed
# connection (defence in depth if the parser ever misses something).
RAW = [
    "COPY (select 1) TO '{tmp}/raw.csv'",
    "ATTACH '{tmp}/raw.duckdb' AS raw",
    "select * from read_csv('/etc/passwd')",
    "select * from read_text('/etc/passwd')",
    "INSTALL httpfs",
    "LOAD httpfs",
    "SET threads = 1",
    "SET enable_external_access = true",
    "RESET lock_configuration",
    "create table customers2 as select 1",
    "delete from customers",
]


@pytest.mark.parametrize("sql", RAW)
def test_the_sandboxed_connection_blocks_what_the_check_would_refuse(lab_db, tmp_path, sql):
    before = fingerprint(lab_db.parent)
    con = open_sandbox(lab_db)
    try:
        with pytest.raises(duckdb.Error):
            con.execute(sql.format(tmp=tmp_path)).fetchall()
        assert con.execute("select current_setting('enable_external_access')").fetchone() == (
            False,
        )
        assert con.execute("select count(*) from customers").fetchone() == (2,)
    finally:
        con.close()
    assert fingerprint(lab_db.parent) == before
    assert list(tmp_path.iterdir()) == []
