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


def pick(at: AppTest, query_id: str) -> AppTest:
    at.selectbox(key="analyst_pick").select(query_id)
    return at.run()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_analyst_page_renders_every_example(tiny_db, monkeypatch, lang):
    at = open_page(tiny_db, monkeypatch, ANALYST, lang)
    assert not at.exception, [e.value for e in at.exception]
    queries = catalog.load_queries()
    picker = at.selectbox(key="analyst_pick")
    offered = list(picker.options)
    for query_id in EXAMPLES:  # every example is offered, by its title in the language
        assert queries[query_id].display_title(lang) in offered
    # only the picked query runs: one section, the first query by id until another is picked
    assert picker.value == sorted(q.id for q in queries.values() if q.kind == "query")[0]
    assert [s.value for s in at.main.subheader] == [queries[picker.value].display_title(lang)]
    for query_id in EXAMPLES:
        at = pick(at, query_id)
        assert not at.exception, [e.value for e in at.exception]
        assert not at.error, (query_id, [e.value for e in at.error])
        assert [s.value for s in at.main.subheader] == [queries[query_id].display_title(lang)]
        # the tiny data have complaints, orders, surveys and VIP contacts: every example charts
        assert len(charts(at)) == 1, query_id
        assert len(at.get("download_button")) == 1, query_id
        assert query(at, "query") == [query_id]  # the pick is in the URL (a link opens it)


def test_the_analyst_page_opens_the_query_of_the_link(tiny_db, monkeypatch):
    monkeypatch.setenv("KPI_DB", str(tiny_db))
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["lang"] = "en"
    at.run()
    at.switch_page(ANALYST)
    at.query_params["query"] = "repeat_purchase"
    at.run()
    assert at.selectbox(key="analyst_pick").value == "repeat_purchase"
    assert [s.value for s in at.main.subheader] == ["Repeat-purchase rate by project"]
    # an unknown id falls back to the first query, without an error
    at.query_params["query"] = "no_such_query"
    at.run()
    assert not at.exception and not at.error
    # the sidebar's filters keep the page's own parameter when they write the URL
    at.query_params["query"] = "leaky_bucket"
    at.run()
    at.radio(key="f_grain").set_value("month")
    at.run()
    assert query(at, "grain") == ["month"]
    assert query(at, "query") == ["leaky_bucket"]
    assert at.selectbox(key="analyst_pick").value == "leaky_bucket"


def test_the_pick_is_kept_when_the_user_comes_back(tiny_db, monkeypatch):
    at = open_page(tiny_db, monkeypatch, ANALYST)
    at = pick(at, "complaint_pareto")
    at.switch_page("dashboard/ui/pages/retention.py")
    at.run()
    at.switch_page(ANALYST)
    at.run()
    assert at.selectbox(key="analyst_pick").value == "complaint_pareto"


def query(at: AppTest, key: str) -> list[str]:
    value = at.query_params.get(key, [])
    return [value] if isinstance(value, str) else list(value)


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
    # a file that cannot be loaded is named whichever query is picked
    errors = [e.value for e in at.error]
    assert len(errors) == 1, errors
    assert "broken.sql" in errors[0] and "unknown front-matter field(s) owner" in errors[0]
    assert "broken" in [s.value for s in at.main.subheader]
    # a query whose SQL fails shows its error in its own section when picked
    at = pick(at, "fails_at_runtime")
    errors = [e.value for e in at.error]
    assert len(errors) == 2 and any("no_such_table" in e for e in errors), errors
    assert "Runtime failure" in [s.value for s in at.main.subheader]
    at = pick(at, "complaint_pareto")  # the good queries still chart
    assert "Complaint categories: Pareto (80/20)" in [s.value for s in at.main.subheader]
    assert len(charts(at)) == 1
    assert len(at.error) == 1

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
