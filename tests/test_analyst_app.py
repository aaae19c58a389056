"""The Analyst queries and SQL lab pages under AppTest: they render in both languages, a
broken query file only breaks its own section (the other sections and pages still work),
and the SQL lab shows results, the row-cap notice and refusals."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from tests_ui_support import build_tiny_db

from dashboard import catalog, paths
from dashboard.sqllab import DEFAULT_LIMITS

APP = str(Path(__file__).resolve().parent.parent / "app.py")
ANALYST = "dashboard/ui/pages/analyst.py"
SQLLAB = "dashboard/ui/pages/sqllab.py"
EXAMPLES = [
    "complaint_pareto",
    "repeat_purchase",
    "leaky_bucket",
    "satisfaction_ranking",
    "vip_contacts_by_staff",
]


@pytest.fixture(scope="module")
def tiny_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny_db(tmp_path_factory.mktemp("analyst") / "tiny.duckdb")


def open_page(db: Path, monkeypatch, page: str, lang: str = "en") -> AppTest:
    monkeypatch.setenv("KPI_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["lang"] = lang
    at.run()
    at.switch_page(page)
    return at.run()


def charts(at: AppTest) -> list:
    found = []

    def walk(node) -> None:
        for child in getattr(node, "children", {}).values():
            if getattr(child, "type", "") == "vega_lite_chart":
                found.append(child)
            walk(child)

    walk(at.main)
    return found


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_analyst_page_renders_every_example(tiny_db, monkeypatch, lang):
    at = open_page(tiny_db, monkeypatch, ANALYST, lang)
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    titles = [s.value for s in at.subheader]
    queries = catalog.load_queries()
    for query_id in EXAMPLES:
        assert queries[query_id].display_title(lang) in titles
    # the tiny data have complaints, orders, surveys and VIP contacts: every example charts
    assert len(charts(at)) >= len(EXAMPLES)
    assert len(at.get("download_button")) >= len(EXAMPLES)


@pytest.fixture
def broken_queries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The shipped queries plus a file with an unknown field and one whose SQL fails."""
    folder = tmp_path / "queries"
    shutil.copytree(paths.QUERIES_DIR, folder)
    (folder / "broken.sql").write_text(
        '/* ---\ntitle = "B"\ntitle_zh = "B"\ndescription = "D"\ndescription_zh = "D"\n'
        'owner = "me"\n--- */\nselect 1 as x\n',
        encoding="utf-8",
    )
    (folder / "fails_at_runtime.sql").write_text(
        '/* ---\ntitle = "Runtime failure"\ntitle_zh = "运行失败"\ndescription = "D"\n'
        'description_zh = "D"\n[chart]\nmark = "table"\n--- */\nselect * from no_such_table\n',
        encoding="utf-8",
    )
    # the app and the catalog read the folder from these (KPI_QUERIES_DIR at start-up)
    monkeypatch.setenv("KPI_QUERIES_DIR", str(folder))
    monkeypatch.setattr(paths, "QUERIES_DIR", folder)
    monkeypatch.setattr(catalog, "QUERIES_DIR", folder)
    return folder


def test_a_broken_query_file_only_breaks_its_own_section(tiny_db, monkeypatch, broken_queries):
    at = open_page(tiny_db, monkeypatch, ANALYST)
    assert not at.exception, [e.value for e in at.exception]
    errors = [e.value for e in at.error]
    assert len(errors) == 2, errors
    assert any("broken.sql" in e and "unknown front-matter field(s) owner" in e for e in errors)
    assert any("no_such_table" in e for e in errors)
    titles = [s.value for s in at.subheader]
    assert "broken" in titles and "Runtime failure" in titles
    assert "Complaint categories: Pareto (80/20)" in titles
    assert len(charts(at)) >= len(EXAMPLES)  # the good sections still chart

    for page in ("overview", "retention", "sqllab"):
        at.switch_page(f"dashboard/ui/pages/{page}.py")
        at.run()
        assert not at.exception, (page, [e.value for e in at.exception])
        assert not at.error, (page, [e.value for e in at.error])


def run_sql(at: AppTest, sql: str) -> AppTest:
    at.text_area(key="sqllab_sql").input(sql)
    at.button[0].click()
    return at.run()


def test_the_sql_lab_runs_a_query_and_charts_it(tiny_db, monkeypatch):
    at = open_page(tiny_db, monkeypatch, SQLLAB)
    assert not at.exception and not at.error
    at = run_sql(at, "select project, count(*) as orders from orders group by all order by 1")
    assert not at.exception and not at.error, [e.value for e in at.error]
    frame = at.dataframe[0].value
    # tiny data: Alpha c1 6 + c2 4 = 10, Beta c3 2 + c6 1 = 3, 深圳湾 c4 4 + c5 2 = 6
    assert list(frame["project"]) == ["Alpha", "Beta", "深圳湾"]
    assert list(frame["orders"]) == [10, 3, 6]
    assert len(charts(at)) == 1
    assert not at.warning


def test_the_sql_lab_shows_the_row_cap(tiny_db, monkeypatch):
    at = open_page(tiny_db, monkeypatch, SQLLAB)
    at = run_sql(at, f"select * from range({DEFAULT_LIMITS.max_rows + 5})")
    assert len(at.dataframe[0].value) == DEFAULT_LIMITS.max_rows
    assert any(f"{DEFAULT_LIMITS.max_rows:,}" in w.value for w in at.warning)


@pytest.mark.parametrize(
    ("sql", "words"),
    [
        ("COPY (select 1) TO '/tmp/kpi-lab-test.csv'", ["COPY"]),
        ("select * from read_csv('/etc/passwd')", ["read_csv"]),
        ("select 1; select 2", ["2"]),
        ("SET threads = 1", ["SET"]),
    ],
)
def test_the_sql_lab_shows_refusals_as_errors(tiny_db, monkeypatch, sql, words):
    at = open_page(tiny_db, monkeypatch, SQLLAB, "zh")
    at = run_sql(at, sql)
    assert not at.exception
    assert len(at.error) == 1
    assert at.error[0].value.startswith("未运行")  # translated, with the reason
    assert all(w in at.error[0].value for w in words)
    assert not Path("/tmp/kpi-lab-test.csv").exists()
