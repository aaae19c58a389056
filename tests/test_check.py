"""`kpi check`: exit 0 on the shipped query files; one FAIL line with the reason for each
broken file in a temporary queries folder (the good ones still pass)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from dashboard import cli, pipeline
from dashboard.catalog import load_queries, parse_query_file
from dashboard.paths import DATA_DIR, DEFAULT_DB, QUERIES_DIR
from dashboard.query_check import Sample, combinations

HEADER = """/* ---
title = "T"
title_zh = "T"
description = "D"
description_zh = "D"
{extra}
--- */
"""
PLAIN_CHART = '[chart]\nmark = "bar"\nx = "project"\ny = "n"'
# every column a page shows is labelled in both languages (#12)
LABELS = '[labels]\nproject = "Project"\nn = "Orders"\n[labels_zh]\nproject = "项目"\nn = "订单数"'
CHART = PLAIN_CHART + "\n" + LABELS
GOOD_SQL = "select project, count(*) as n from stg_orders group by all"

BROKEN = {
    "unknown_field": (HEADER.format(extra='owner = "me"\n' + CHART) + GOOD_SQL,
                      "unknown front-matter field(s) owner"),
    "no_title_zh": (HEADER.replace('title_zh = "T"\n', "").format(extra=CHART) + GOOD_SQL,
                    "'title_zh' is required"),
    "no_chart": (HEADER.format(extra="") + GOOD_SQL, "no [chart] section"),
    "chart_without_y": (HEADER.format(extra='[chart]\nmark = "line"\nx = "project"') + GOOD_SQL,
                        "needs y"),
    "wrong_chart_column": (HEADER.format(extra=CHART.replace('"n"', '"total"')) + GOOD_SQL,
                           "[chart] y names column 'total'"),
    "writes": (HEADER.format(extra=CHART) + "create table x as " + GOOD_SQL,
               "CREATE is not allowed"),
    "reads_a_file": (HEADER.format(extra=CHART) + "select * from read_csv('/etc/passwd')",
                     "read_csv() reads files"),
    "does_not_run": (HEADER.format(extra=CHART) + "select project, n from no_such_table",
                     "fails with defaults: Catalog Error"),
    "undeclared_param": (HEADER.format(extra=CHART) + GOOD_SQL.replace(
        "group by all", "where list_contains($projects, project) group by all"),
        "the SQL uses $projects but 'params' does not declare it"),
    "not_sql": (HEADER.format(extra=CHART) + "selectt project frm",
                'syntax error at or near "selectt"'),
    "no_labels": (HEADER.format(extra=PLAIN_CHART) + GOOD_SQL,
                  "no [labels] label for column(s) n, project; no [labels_zh] label for column(s) n, project"),
    "no_chinese_label": (HEADER.format(extra=CHART.replace('\nn = "订单数"', "")) + GOOD_SQL,
                         "no [labels_zh] label for column(s) n"),
    "label_of_no_column": (HEADER.format(extra=CHART.replace('n = "Orders"', 'n = "Orders"\ntotal = "T"'))
                           + GOOD_SQL, "[labels] names column 'total', but the result has: n, project"),
}  # fmt: skip


@pytest.fixture(scope="module")
def demo_db() -> Path:
    if not any(p.is_file() and p.suffix != ".md" for p in DATA_DIR.glob("*")):
        pytest.skip("data/ holds no demo exports yet (run `kpi demo --out data`)")
    return pipeline.ensure_database(DEFAULT_DB)


@pytest.fixture
def broken_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "queries"
    folder.mkdir()
    for path in [*QUERIES_DIR.glob("stg_*.sql"), *QUERIES_DIR.glob("int_*.sql")]:
        shutil.copy(path, folder)
    shutil.copy(QUERIES_DIR / "complaint_pareto.sql", folder)
    for name, (text, _) in BROKEN.items():
        (folder / f"{name}.sql").write_text(text, encoding="utf-8")
    (folder / "sub").mkdir()  # same id twice: both copies are reported
    shutil.copy(QUERIES_DIR / "repeat_purchase.sql", folder)
    shutil.copy(QUERIES_DIR / "repeat_purchase.sql", folder / "sub")
    return folder


def test_kpi_check_passes_on_the_shipped_queries(demo_db, capsys):
    assert cli.main(["check", "--db", str(demo_db)]) == 0
    out = capsys.readouterr().out.splitlines()
    files = sorted(p.stem for p in QUERIES_DIR.rglob("*.sql"))
    assert len(out) == len(files)  # one line per file
    assert [line.split()[1] for line in out] == files
    assert all(line.startswith("ok   ") for line in out)


def test_kpi_check_fails_with_a_line_per_broken_file(demo_db, broken_dir, capsys):
    code = cli.main(["check", "--db", str(demo_db), "--queries", str(broken_dir)])
    captured = capsys.readouterr()
    assert code == 1
    lines = captured.out.splitlines()
    for name, (_, reason) in BROKEN.items():
        line = next(x for x in lines if x.startswith(f"FAIL {name}.sql: "))
        assert reason in line, line
    dup = next(x for x in lines if x.startswith("FAIL repeat_purchase.sql: "))
    assert "duplicate query id 'repeat_purchase'" in dup
    assert any(x.startswith("ok   complaint_pareto ") for x in lines)
    assert any(x.startswith("ok   stg_orders ") for x in lines)
    assert f"{len(BROKEN) + 1} failed" in captured.err


def test_the_sample_file_is_valid_on_its_own(tmp_path):
    # the header used above is itself complete: only the planted problem breaks a file
    path = tmp_path / "fine.sql"
    path.write_text(HEADER.format(extra=CHART) + GOOD_SQL, encoding="utf-8")
    query = parse_query_file(path)
    assert query.chart["y"] == "n"
    assert query.column_label("n", "zh") == "订单数" and query.column_label("n", "en") == "Orders"


def test_combinations_cover_every_declared_filter():
    sample = Sample("P", "R", dt.date(2026, 1, 1), dt.date(2026, 6, 30))
    runs = dict(combinations(load_queries()["retention"], sample))
    assert runs["defaults"] == {}
    assert runs["--grain week"] == {"grain": "week"}
    assert runs["--grain month"] == {"grain": "month"}
    assert runs["--project P"] == {"projects": ["P"]}
    assert runs["--region R"] == {"regions": ["R"]}
    assert runs["--by project"] == {"by": "project"}
    assert runs["--by region"] == {"by": "region"}
    assert runs["--from 2026-01-01 --to 2026-06-30"] == {
        "date_from": dt.date(2026, 1, 1),
        "date_to": dt.date(2026, 6, 30),
    }
    assert runs["all filters together"]["by"] == "region"
    plain = dict(combinations(load_queries()["dimensions"], sample))
    assert list(plain) == ["defaults"]  # no params, one run


def test_every_page_query_labels_each_column_in_both_languages(demo_db):
    """The shipped query files carry their column labels (no raw id on a page, #12)."""
    from dashboard.query_check import check_all

    results = {r.query_id: r for r in check_all(demo_db)}
    shown = [q for q in load_queries().values() if q.kind == "query"]
    assert len(shown) >= 10
    for query in shown:
        for column in results[query.id].columns:
            assert query.column_label(column, "en"), (query.id, column)
            assert query.column_label(column, "zh"), (query.id, column)
            assert query.column_label(column, "zh") != column, (query.id, column)


def test_kpi_check_on_an_empty_database(tmp_path, capsys):
    path = tmp_path / "empty.duckdb"
    with pipeline.publishing_writer(path):
        pass
    assert cli.main(["check", "--db", str(path)]) == 0
    assert "FAIL" not in capsys.readouterr().out
