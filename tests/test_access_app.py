"""The app per role under AppTest (#15): sign-in, the pages each role sees, a hidden page
refused by URL, scope-limited numbers equal to the KPI API's for the scope, and audit.

Data: the tiny database of tests_ui_support (Alpha, Beta in East; 深圳湾 in 华南)."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from tests_ui_support import build_tiny_db

from dashboard import kpis
from dashboard.access import audit, signin
from dashboard.access.scope import Scope
from dashboard.cli import main
from dashboard.db import connect_readonly

APP = str(Path(__file__).resolve().parent.parent / "app.py")
PASSWORD = "s3cret-Passw0rd!"
KPI_PAGES = ["Overview", "Retention", "Complaints", "Satisfaction", "VIP revisit", "Projects"]
EXTRA = {
    "executive": [],
    "department_head": [],
    "analyst": ["Analyst queries", "SQL lab", "Data"],  # Data: its events section (#12)
    "admin": ["Analyst queries", "SQL lab", "Data", "Audit log"],
}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("access_app")
    db = build_tiny_db(root / "kpi.duckdb")
    settings = root / "kpi.toml"
    settings.write_text('language = "en"\n[access]\nmode = "password"\nsession_minutes = 30\n')
    users = {
        "exec": ["--role", "executive"],
        "alpha": ["--role", "department_head", "--project", "Alpha"],
        "east": ["--role", "department_head", "--region", "East"],
        "ana": ["--role", "analyst"],
        "root": ["--role", "admin"],
        "victim": ["--role", "executive"],  # locked out by the failure-limit test
    }
    import io
    import sys

    for name, options in users.items():
        stdin, sys.stdin = sys.stdin, io.StringIO(PASSWORD + "\n")
        try:
            code = main(["users", "add", name, *options, "--password-stdin",
                         "--settings", str(settings), "--db", str(db)])  # fmt: skip
        finally:
            sys.stdin = stdin
        assert code == 0
    return root, db, settings


@pytest.fixture(autouse=True)
def _env(site, monkeypatch):
    _, db, settings = site
    monkeypatch.setenv("KPI_DB", str(db))
    monkeypatch.setenv("KPI_SETTINGS", str(settings))
    monkeypatch.setattr(signin, "FAILURE_DELAY_SECONDS", 0.0)


def start(**query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def sign_in(at: AppTest, name: str, password: str = PASSWORD) -> AppTest:
    at.text_input(key="signin_name").input(name)
    at.text_input(key="signin_pw").input(password)
    at.button[0].click()
    return at.run()


def test_sign_in_required_and_wrong_password_refused():
    at = start()
    assert [t.value for t in at.title] == ["Sign in"]
    assert not at.metric  # nothing of the data before sign-in
    at = sign_in(at, "alpha", "wrong password")
    assert any("Wrong user name or password" in e.value for e in at.error)
    at = sign_in(at, "nobody", PASSWORD)
    assert any("Wrong user name or password" in e.value for e in at.error)  # same answer
    at = sign_in(at, "alpha")
    assert not at.error, [e.value for e in at.error]
    assert at.title[0].value == "Overview"


def test_failures_are_limited(site):
    at = start()
    for _ in range(signin.MAX_FAILURES):
        at = sign_in(at, "victim", "not the password")
    at = sign_in(at, "victim")  # right password, but the name is locked now
    assert any("Too many failed sign-ins" in e.value for e in at.error)
    assert [t.value for t in at.title] == ["Sign in"]


def open_url_path(at: AppTest, url_path: str) -> None:
    """Like opening /<url_path> in the browser (AppTest.switch_page takes files only)."""
    registered = at._registered_pages  # noqa: SLF001
    at._page_hash = next(  # noqa: SLF001
        h for h, info in registered.items() if info.get("url_pathname") == url_path
    )


FILES = {"Analyst queries": "analyst.py", "SQL lab": "sqllab.py", "Data": "data.py",
         "Audit log": "audit.py"}  # fmt: skip
BASE_FILES = ["overview.py", "retention.py", "complaints.py", "satisfaction.py", "vip.py",
              "projects.py"]  # fmt: skip


@pytest.mark.parametrize("role,name", [("executive", "exec"), ("department_head", "alpha"),
                                       ("analyst", "ana"), ("admin", "root")])  # fmt: skip
def test_each_role_sees_its_pages_and_hidden_ones_are_refused(role, name):
    at = sign_in(start(), name)
    assert not at.exception
    allowed = BASE_FILES + [FILES[k] for k in EXTRA[role]]
    for file in BASE_FILES + list(FILES.values()):
        if file in allowed:
            at.switch_page(f"dashboard/ui/pages/{file}")
        else:  # not in the menu: only its URL (a hidden page) exists
            open_url_path(at, file.removesuffix(".py"))
        at.run()
        assert not at.exception, (role, file, [e.value for e in at.exception])
        refused = [e.value for e in at.error if "not available to your role" in e.value]
        assert bool(refused) == (file not in allowed), (role, file)


def test_department_head_numbers_equal_the_api_for_the_scope(site):
    _, db, _ = site
    at = sign_in(start(), "east")
    # Filters offer only the scope: East and its projects.
    assert at.sidebar.multiselect(key="f_regions").options == ["East"]
    assert sorted(at.sidebar.multiselect(key="f_projects").options) == ["Alpha", "Beta"]
    con = connect_readonly(db)
    week = date(2026, 11, 2)
    row = kpis.compute(con, "retention", grain="week", date_from=week, date_to=week,
                       scope=Scope(regions=("East",)))  # fmt: skip
    # Week 11-02 in East: c1, c6 active -> 2 (hand check: c4 is in 华南)
    active = next(m.value for m in at.metric if m.label == "Active customers")
    assert active == str(int(row["active_customers"].iloc[0])) == "2"
    # The data freshness table: dates only, no company-wide row counts for a scoped user.
    freshness = next(d.value for d in at.dataframe if "Last import" in d.value.columns)
    assert "Rows" not in freshness.columns
    everyone = sign_in(start(), "exec")  # an executive does get them
    freshness = next(d.value for d in everyone.dataframe if "Last import" in d.value.columns)
    assert "Rows" in freshness.columns


def test_url_project_outside_the_scope_is_refused_by_name(site):
    audit_file = site[0] / "audit.sqlite"
    at = sign_in(start(project="深圳湾"), "alpha")
    assert any("'深圳湾' is outside your scope" in e.value for e in at.error)
    # and it is not applied: the numbers are the scope's (Alpha: c1 in week 11-02 -> 1)
    assert next(m.value for m in at.metric if m.label == "Active customers") == "1"
    assert at.sidebar.multiselect(key="f_projects").options == ["Alpha"]
    refusals = audit.read(path=audit_file, event="scope_refused", user="alpha")
    assert refusals and refusals[0]["detail"] == "project 深圳湾"


def test_projects_page_ranks_without_naming_others():
    at = sign_in(start(), "alpha")
    at.switch_page("dashboard/ui/pages/projects.py")
    at.run()
    at.selectbox(key="rank_kpi").set_value("active_customers").run()
    at.selectbox(key="rank_period_week").set_value(date(2026, 10, 19)).run()
    # Week 10-19: 深圳湾 c4 c5 = 2 (1st), Alpha c1 = 1, Beta c3 = 1 (both 2nd) -> 2 of 3.
    assert [(m.label, m.value) for m in at.metric] == [("Alpha", "rank 2 of 3")]
    table = at.dataframe[0].value
    # Week 10-12 before it: Alpha c1 c2 = 2 (1st), 深圳湾 c4 = 1, Beta 0 -> 1 of 3.
    assert table[["Rank", "Project", "Previous rank"]].values.tolist() == [
        ["rank 2 of 3", "Alpha", "rank 1 of 3"]
    ]
    text = " ".join(str(d.value.to_dict()) for d in at.dataframe)
    assert "Alpha" in text and "Beta" not in text and "深圳湾" not in text


def test_audit_records_sign_ins_without_passwords(site):
    root, _, _ = site
    at = sign_in(start(), "root", "a wrong one!")
    at = sign_in(at, "root")
    at.switch_page("dashboard/ui/pages/audit.py")
    at.run()
    assert not at.error
    shown = at.dataframe[0].value
    assert {"sign_in", "sign_in_failed"} <= set(shown["Event"])
    with sqlite3.connect(root / "audit.sqlite") as con:
        dump = "\n".join(str(r) for r in con.execute("select * from audit_log"))
    assert "root" in dump and PASSWORD not in dump and "a wrong one!" not in dump


def test_session_expires(monkeypatch):
    import datetime as dt

    at = sign_in(start(), "exec")
    name, _ = at.session_state["_access_user"]
    at.session_state["_access_user"] = (name, dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1))
    at.run()
    assert [t.value for t in at.title] == ["Sign in"]
    assert any("session expired" in i.value for i in at.info)


def test_sign_out():
    at = sign_in(start(), "exec")
    at.sidebar.button(key="sign_out").click().run()
    assert [t.value for t in at.title] == ["Sign in"]


def test_local_mode_says_so_and_warns_on_a_network_address(site, monkeypatch, tmp_path):
    from streamlit import config

    settings = tmp_path / "kpi.toml"
    settings.write_text('language = "en"\n')  # [access] mode defaults to "none"
    monkeypatch.setenv("KPI_SETTINGS", str(settings))
    at = start()
    assert at.title[0].value == "Overview"  # no sign-in
    assert any("Single-user local mode" in c.value for c in at.sidebar.caption)
    assert not at.warning
    old = config.get_option("server.address")
    config.set_option("server.address", "0.0.0.0")
    try:
        at = start()
    finally:
        config.set_option("server.address", old)
    assert any("reachable at 0.0.0.0 without sign-in" in w.value for w in at.warning)


@pytest.mark.parametrize(
    ("host", "local"),
    [("localhost:8501", True), ("127.0.0.1:8501", True), ("[::1]:8501", True),
     ("kpi.example.com", False), ("10.0.0.5:8501", False), ("0.0.0.0", False)],
)  # fmt: skip
def test_local_hosts(host, local):
    from dashboard.ui.auth import _is_local

    assert _is_local(host) is local


def test_sql_lab_statements_are_audited_with_who(site):
    root, _, _ = site
    at = sign_in(start(), "ana")
    at.switch_page("dashboard/ui/pages/sqllab.py")
    at.run()
    at.text_area(key="sqllab_sql").input("select count(*) as n from orders")
    next(b for b in at.main.button if b.label == "Run").click()
    at.run()
    assert not at.error, [e.value for e in at.error]
    with sqlite3.connect(root / "audit.sqlite") as con:
        rows = list(con.execute("select user_name, detail from audit_log where event = 'sql_lab'"))
    assert ("ana", "ran: select count(*) as n from orders") in rows


def test_password_mode_without_users_says_how_to_add_one(monkeypatch, tmp_path):
    settings = tmp_path / "kpi.toml"
    settings.write_text(
        f'language = "en"\n[access]\nmode = "password"\nusers_file = "{tmp_path / "none.toml"}"\n'
    )
    monkeypatch.setenv("KPI_SETTINGS", str(settings))
    at = start()
    assert any("kpi users add" in w.value for w in at.warning)
    assert not at.metric


def test_url_values_outside_the_scope_are_all_named_without_telling_what_exists():
    at = sign_in(start(project=["Beta", "Nowhere", "Alpha"], region="华南"), "alpha")
    errors = " ".join(e.value for e in at.error)
    for value in ("'Beta'", "'Nowhere'", "'华南'"):
        assert f"{value} is outside your scope" in errors
    assert "'Alpha'" not in errors
    # "Nowhere" is not in the data, but a scoped user is not told which names exist.
    assert not [w.value for w in at.warning if "No project called" in w.value]


def test_cached_results_are_keyed_by_scope():
    # Same process, same filters (none), same cache: each scope gets its own numbers.
    # Week 11-02 active customers: Alpha c1 -> 1; East c1, c6 -> 2; everything c1 c4 c6 -> 3.
    seen = []
    for name in ("alpha", "east", "exec", "alpha"):
        at = sign_in(start(), name)
        seen.append(next(m.value for m in at.metric if m.label == "Active customers"))
    assert seen == ["1", "2", "3", "1"]


@pytest.mark.parametrize(
    ("host_header", "address", "exposed"),
    [
        ("127.0.0.1:8501", "127.0.0.1", None),  # local only
        ("localhost:8501", "", "*"),  # Streamlit's default: every interface
        ("kpi.example.com", "127.0.0.1", "kpi.example.com"),  # behind a proxy, no sign-in
        (None, "0.0.0.0", "0.0.0.0"),
        (None, "", None),  # no server at all (AppTest)
    ],
)
def test_where_a_local_mode_app_is_exposed(monkeypatch, host_header, address, exposed):
    from types import SimpleNamespace

    from dashboard.ui import auth

    headers = {"Host": host_header} if host_header else {}
    fake = SimpleNamespace(context=SimpleNamespace(headers=headers), get_option=lambda _: address)
    monkeypatch.setattr(auth, "st", fake)
    assert auth._exposed_at() == exposed


def test_oidc_mode_without_auth_secrets_says_what_is_missing(monkeypatch, tmp_path):
    settings = tmp_path / "kpi.toml"
    settings.write_text('language = "en"\n[access]\nmode = "oidc"\n')
    monkeypatch.setenv("KPI_SETTINGS", str(settings))
    at = start()
    assert at.title[0].value == "Sign in with your company account"
    assert any("[auth] section to .streamlit/secrets.toml" in e.value for e in at.error)
    assert not at.metric


def test_drill_down_rows_stay_inside_the_scope():
    # Week 11-02 complaints: k1 (c1, Alpha), k2 (c4, 深圳湾), k4 (c2, Alpha) -> Alpha: k1, k4.
    at = sign_in(start(), "alpha")
    at.button(key="drill_sla_met_rate").click().run()
    assert not at.exception
    rows = next(d.value for d in at.dataframe if "Complaint" in d.value.columns)
    assert sorted(rows["Complaint"]) == ["k1", "k4"]
    assert not {"Beta", "深圳湾"} & set(map(str, rows.to_numpy().ravel()))
