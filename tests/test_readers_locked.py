"""Every reader connection is locked down, and a query file that reads files is never
served (#19): not by the catalog, ``kpi show``, ``kpi check`` or the Analyst page.

The planted file reads a secret the test writes (a random token in a temporary file), so
"the token appears nowhere" is a check that could fail."""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest
from tests_ui_support import build_tiny_db

from dashboard import catalog, db, kpis, paths
from dashboard.catalog import QueryFileError, scan_queries
from dashboard.query_check import check_all

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
FRONT = (
    '/* ---\ntitle = "{title}"\ntitle_zh = "{title}"\ndescription = "D"\n'
    'description_zh = "D"\n[chart]\nmark = "table"\n--- */\n'
)


@pytest.fixture(scope="module")
def tiny_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny_db(tmp_path_factory.mktemp("locked") / "tiny.duckdb")


@pytest.fixture
def secret(tmp_path: Path) -> tuple[Path, str]:
    token = secrets.token_hex(16)
    path = tmp_path / "secret.txt"
    path.write_text(token, encoding="utf-8")
    return path, token


@pytest.fixture
def planted(tmp_path: Path, secret: tuple[Path, str], monkeypatch: pytest.MonkeyPatch) -> Path:
    """The shipped queries plus hostile files: one reads the secret, one shows a server
    setting, one staging view reads the secret and one query builds on that view."""
    folder = tmp_path / "queries"
    shutil.copytree(paths.QUERIES_DIR, folder)
    path = str(secret[0]).replace("'", "''")
    (folder / "leak.sql").write_text(
        FRONT.format(title="Leak") + f"select content as secret from read_text('{path}')\n",
        encoding="utf-8",
    )
    (folder / "where_is_tmp.sql").write_text(
        FRONT.format(title="Tmp") + "select current_setting('temp_directory') as dir\n",
        encoding="utf-8",
    )
    (folder / "stg_leak.sql").write_text(
        '/* ---\ntitle = "S"\ntitle_zh = "S"\ndescription = "D"\ndescription_zh = "D"\n--- */\n'
        f"select content from read_text('{path}')\n",
        encoding="utf-8",
    )
    (folder / "uses_leak.sql").write_text(
        FRONT.format(title="Uses leak") + "select content from stg_leak\n", encoding="utf-8"
    )
    monkeypatch.setenv("KPI_QUERIES_DIR", str(folder))
    monkeypatch.setattr(paths, "QUERIES_DIR", folder)
    monkeypatch.setattr(catalog, "QUERIES_DIR", folder)
    return folder


# --- the readers ---------------------------------------------------------------------


def test_a_reader_cannot_read_files_even_with_sql_no_check_saw(tiny_db, secret):
    con = db.connect_readonly(tiny_db)
    try:
        with pytest.raises(duckdb.PermissionException):
            con.execute(f"select content from read_text('{secret[0]}')").fetchall()
        with pytest.raises(duckdb.PermissionException):
            con.execute(f"copy (select 1) to '{secret[0].parent / 'out.csv'}'")
        with pytest.raises(duckdb.Error):
            con.execute(f"attach '{secret[0].parent / 'other.duckdb'}' as other")
        assert not (secret[0].parent / "out.csv").exists()
        assert not (secret[0].parent / "other.duckdb").exists()
    finally:
        con.close()


@pytest.mark.parametrize(
    "statement",
    [
        "SET enable_external_access = true",
        "SET lock_configuration = false",
        "RESET enable_external_access",
        "SET memory_limit = '100GB'",
        "SET threads = 64",
        "PRAGMA memory_limit = '100GB'",
        "SET GLOBAL threads = 64",
        "PRAGMA profiling_output = '/tmp/kpi-profile.json'",
    ],
)
def test_a_readers_configuration_is_locked(tiny_db, statement):
    con = db.connect_readonly(tiny_db)
    try:
        with pytest.raises(duckdb.Error):
            con.execute(statement)
    finally:
        con.close()


def test_reader_settings_are_the_documented_limits(tiny_db):
    con = db.connect_readonly(tiny_db)
    try:
        settings = dict(
            con.execute(
                "select name, value from duckdb_settings() where name in ('threads', "
                "'enable_external_access', 'lock_configuration', "
                "'autoload_known_extensions', 'autoinstall_known_extensions')"
            ).fetchall()
        )
        limit = con.execute("select current_setting('memory_limit')").fetchone()[0]
    finally:
        con.close()
    assert settings["enable_external_access"] == "false"
    assert settings["lock_configuration"] == "true"
    assert settings["autoload_known_extensions"] == "false"
    assert settings["autoinstall_known_extensions"] == "false"
    assert int(settings["threads"]) == db.READER_LIMITS.threads
    # "2GB" is shown by DuckDB in binary units: 2 * 10^9 bytes = 1.8 GiB
    assert limit == "1.8 GiB"


def test_the_apps_snapshot_cursors_are_locked_too(tiny_db, secret):
    snapshot = db.Snapshot(tiny_db)
    cur = snapshot.cursor()
    try:
        assert cur.execute("select count(*) from customers").fetchone() == (6,)
        with pytest.raises(duckdb.PermissionException):
            cur.execute(f"select content from read_text('{secret[0]}')").fetchall()
        with pytest.raises(duckdb.Error):
            cur.execute("SET enable_external_access = true")
    finally:
        cur.close()


# --- the planted query files ---------------------------------------------------------


def test_the_catalog_refuses_the_planted_files_and_keeps_the_others(planted):
    queries, errors = scan_queries(planted)
    assert "retention" in queries and "complaint_pareto" in queries
    assert "leak.sql" in errors["leak"] and "'file_access'" in errors["leak"]
    assert "'server_info'" in errors["where_is_tmp"]
    assert "stg_leak.sql" in errors["stg_leak"]
    assert "uses stg_leak" in errors["uses_leak"]  # built on a refused view: refused too
    for name in ("leak", "where_is_tmp", "stg_leak", "uses_leak"):
        assert name not in queries


def test_compute_refuses_the_planted_file_by_name(tiny_db, planted, secret):
    con = db.connect_readonly(tiny_db)
    try:
        with pytest.raises(QueryFileError) as refused:
            kpis.compute(con, "leak", queries_dir=planted)
    finally:
        con.close()
    assert "leak.sql" in str(refused.value) and "file_access" in str(refused.value)
    assert secret[1] not in str(refused.value)


def _cli(*args: str, folder: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, KPI_QUERIES_DIR=str(folder))
    return subprocess.run(
        [sys.executable, "-m", "dashboard.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_kpi_show_refuses_the_planted_file(tiny_db, planted, secret):
    done = _cli("show", "leak", "--db", str(tiny_db), folder=planted)
    assert done.returncode != 0
    assert "leak.sql" in done.stderr and "file_access" in done.stderr
    assert secret[1] not in done.stdout + done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.slow
def test_kpi_check_fails_the_planted_files(tiny_db, planted, secret):
    done = _cli("check", "--db", str(tiny_db), "--queries", str(planted), folder=planted)
    assert done.returncode == 1
    fails = [line for line in done.stdout.splitlines() if line.startswith("FAIL")]
    assert any("leak.sql" in line and "file_access" in line for line in fails), fails
    assert any("where_is_tmp.sql" in line and "server_info" in line for line in fails), fails
    assert secret[1] not in done.stdout + done.stderr


def test_check_all_reports_the_rule_for_each_planted_file(tiny_db, planted):
    results = {r.query_id: r for r in check_all(tiny_db, planted)}
    assert not results["leak"].ok and "not served" in results["leak"].line()
    assert not results["where_is_tmp"].ok
    assert results["retention"].ok  # the shipped files still pass


@pytest.mark.parametrize(("lang", "words"), [("en", "is not served"), ("zh", "不予运行")])
def test_the_analyst_page_refuses_the_planted_file_in_the_users_language(
    tiny_db, planted, secret, monkeypatch, lang, words
):
    monkeypatch.setenv("KPI_DB", str(tiny_db))
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["lang"] = lang
    at.run()
    at.switch_page("dashboard/ui/pages/analyst.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    errors = [e.value for e in at.error]
    leak = [e for e in errors if "leak.sql" in e and "file_access" in e and words in e]
    assert leak, errors
    shown = " ".join(errors + [m.value for m in at.markdown] + [c.value for c in at.code])
    shown += " ".join(df.value.to_csv() for df in at.dataframe)
    assert secret[1] not in shown
