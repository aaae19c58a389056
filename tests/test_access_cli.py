"""`kpi users` and `kpi show/report --as-user` (#15) on the tiny database of
tests_ui_support, against an independent computation from its raw rows (plain Python)."""

from __future__ import annotations

import csv
import io
import tomllib
from collections import defaultdict
from datetime import date, datetime, timedelta

import pytest
from tests_ui_support import PROJECT, SURVEYS, build_tiny_db

from dashboard.cli import main

PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    root = tmp_path_factory.mktemp("access_cli")
    db = build_tiny_db(root / "kpi.duckdb")
    return root, db


@pytest.fixture
def env(setup, monkeypatch, tmp_path):
    """A users file of its own for each test, beside a copy of the database path."""
    root, db = setup
    users = tmp_path / "users.toml"
    settings = tmp_path / "kpi.toml"
    settings.write_text(f'[access]\nmode = "password"\nusers_file = "{users}"\n')
    monkeypatch.setenv("KPI_SETTINGS", str(settings))
    monkeypatch.setenv("KPI_DB", str(db))
    return users


def run(capsys, monkeypatch, *argv, stdin: str | None = None):
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def add(capsys, monkeypatch, name: str, role: str, *extra: str) -> str:
    code, out, err = run(capsys, monkeypatch, "users", "add", name, "--role", role, *extra)
    assert code == 0, err
    return out


def expected_satisfaction(projects=(), regions=()):
    """Independent: ISO-week groups of the raw survey rows in the scope (AND of the lists)."""
    weeks: dict[date, list[tuple[int, int | None]]] = defaultdict(list)
    for _rid, customer, submitted, csat, nps in SURVEYS:
        project, region = PROJECT[customer]
        if (projects and project not in projects) or (regions and region not in regions):
            continue
        day = datetime.fromisoformat(submitted).date()
        weeks[day - timedelta(days=day.weekday())].append((csat, nps))
    if not weeks:
        return []
    rows, week = [], min(weeks)
    while week <= max(weeks):
        answers = weeks.get(week, [])
        n = len(answers)
        with_nps = [x for _, x in answers if x is not None]
        promoters = sum(x >= 9 for x in with_nps)
        detractors = sum(x <= 6 for x in with_nps)
        rows.append(
            [
                week.isoformat(),
                str(n),
                repr(sum(c for c, _ in answers) / n) if n else "",
                repr(sum(c >= 4 for c, _ in answers) / n) if n else "",
                str(len(with_nps)),
                repr(100 * (promoters - detractors) / len(with_nps)) if with_nps else "",
            ]
        )
        week += timedelta(days=7)
    return rows


SCOPES = {
    "alpha_head": (["--project", "Alpha"], (["Alpha"], [])),
    "east_head": (["--region", "East"], ([], ["East"])),
    "two_in_east": (
        ["--project", "Alpha", "--project", "深圳湾", "--region", "East"],
        (["Alpha", "深圳湾"], ["East"]),
    ),
}


@pytest.mark.parametrize("name", sorted(SCOPES))
def test_show_as_user_equals_independent_computation(env, capsys, monkeypatch, name):
    options, (projects, regions) = SCOPES[name]
    add(capsys, monkeypatch, name, "department_head", *options)
    code, out, err = run(
        capsys, monkeypatch, "show", "satisfaction", "--as-user", name, "--format", "csv"
    )
    assert code == 0, err
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["period_start", "responses", "csat_avg", "satisfied_rate",
                       "nps_responses", "nps"]  # fmt: skip
    assert rows[1:] == expected_satisfaction(projects, regions)
    assert rows[1:]  # every scope here has some data


def test_hand_checked_east_scope(env, capsys, monkeypatch):
    # East: s4 (c2, 10-28, csat 4, nps 9); s1 (c1, 11-03, 5, 10); s3 (c6, 11-05, 4, 8).
    # Week 11-02: 2 responses, csat (5+4)/2 = 4.5, nps 100*(1-0)/2 = 50.
    add(capsys, monkeypatch, "east", "department_head", "--region", "East")
    code, out, _ = run(capsys, monkeypatch, "show", "satisfaction", "--as-user", "east",
                       "--format", "csv")  # fmt: skip
    assert code == 0
    assert out.splitlines()[1:] == ["2026-10-26,1,4.0,1.0,1,100.0", "2026-11-02,2,4.5,1.0,2,50.0"]


@pytest.mark.parametrize(
    ("filters", "refused"),
    [
        (["--project", "Beta"], "project 'Beta'"),
        (["--project", "Alpha", "--project", "Beta"], "project 'Beta'"),
        (["--region", "华南"], "region '华南'"),
    ],
)
def test_show_outside_scope_is_refused(env, capsys, monkeypatch, filters, refused):
    add(capsys, monkeypatch, "alpha", "department_head", "--project", "Alpha")
    code, out, err = run(capsys, monkeypatch, "show", "retention", "--as-user", "alpha",
                         "--format", "csv", *filters)  # fmt: skip
    assert code == 2
    assert out == ""
    assert refused in err and "outside your scope" in err


def test_region_head_asking_for_a_project_of_another_region_is_refused(env, capsys, monkeypatch):
    add(capsys, monkeypatch, "east", "department_head", "--region", "East")
    code, out, err = run(capsys, monkeypatch, "show", "complaints", "--as-user", "east",
                         "--project", "深圳湾")  # fmt: skip
    assert (code, out) == (2, "")
    assert "project '深圳湾'" in err
    code, out, _ = run(capsys, monkeypatch, "show", "complaints", "--as-user", "east",
                       "--project", "Beta", "--format", "csv")  # fmt: skip
    assert code == 0 and out.count("\n") >= 2


def test_unknown_user_is_an_error(env, capsys, monkeypatch):
    code, out, err = run(capsys, monkeypatch, "show", "retention", "--as-user", "ghost")
    assert (code, out) == (2, "")
    assert "unknown user 'ghost'" in err


def test_executive_sees_everything(env, capsys, monkeypatch):
    add(capsys, monkeypatch, "boss", "executive")
    _, everything, _ = run(capsys, monkeypatch, "show", "satisfaction", "--format", "csv")
    code, out, _ = run(capsys, monkeypatch, "show", "satisfaction", "--as-user", "boss",
                       "--format", "csv")  # fmt: skip
    assert code == 0 and out == everything
    assert out.splitlines()[1:] == [",".join(r) for r in expected_satisfaction()]


def test_users_add_list_remove_passwd(env, capsys, monkeypatch):
    code, out, err = run(capsys, monkeypatch, "users", "add", "li", "--role", "department_head",
                         "--project", "Alpha", "--password-stdin", stdin=PASSWORD + "\n")  # fmt: skip
    assert code == 0, err
    assert PASSWORD not in out + err
    raw = tomllib.loads(env.read_text())
    entry = raw["users"]["li"]
    assert entry["role"] == "department_head" and entry["projects"] == ["Alpha"]
    assert entry["password_hash"].startswith("$argon2id$")
    assert PASSWORD not in env.read_text()
    assert env.stat().st_mode & 0o077 == 0  # readable by its owner only

    code, _, err = run(capsys, monkeypatch, "users", "add", "li", "--role", "admin")
    assert code == 2 and "exists already" in err

    code, out, _ = run(capsys, monkeypatch, "users", "list")
    assert code == 0 and "li\tdepartment_head\tprojects Alpha\tpassword" in out
    assert "$argon2" not in out

    old = entry["password_hash"]
    code, _, _ = run(capsys, monkeypatch, "users", "passwd", "li", stdin="another password\n")
    assert code == 0
    new = tomllib.loads(env.read_text())["users"]["li"]["password_hash"]
    assert new != old and new.startswith("$argon2id$")

    code, _, _ = run(capsys, monkeypatch, "users", "remove", "li")
    assert code == 0 and "li" not in tomllib.loads(env.read_text()).get("users", {})
    code, _, err = run(capsys, monkeypatch, "users", "remove", "li")
    assert code == 2 and "unknown user 'li'" in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["users", "add", "x", "--role", "department_head"], "needs at least one project"),
        (["users", "add", "x", "--role", "executive", "--project", "A"], "only apply to"),
        (["users", "add", "bad name", "--role", "admin"], "user name"),
    ],
)
def test_users_add_refuses_bad_entries(env, capsys, monkeypatch, argv, message):
    code, _, err = run(capsys, monkeypatch, *argv)
    assert code == 2 and message in err
    assert not env.exists()


def test_short_password_refused_without_echo(env, capsys, monkeypatch):
    code, out, err = run(capsys, monkeypatch, "users", "add", "y", "--role", "admin",
                         "--password-stdin", stdin="short\n")  # fmt: skip
    assert code == 2 and "at least 8" in err and "short" not in out + err.replace("at least", "")


def test_password_is_never_an_argument():
    from dashboard.cli import build_parser

    with pytest.raises(SystemExit):
        build_parser().parse_args(["users", "add", "z", "--role", "admin", "--password", "x"])


def test_report_as_user(env, capsys, monkeypatch, tmp_path):
    add(capsys, monkeypatch, "alpha", "department_head", "--project", "Alpha")
    out_file = tmp_path / "r.html"
    code, _, err = run(capsys, monkeypatch, "report", "--as-user", "alpha", "--project", "Beta",
                       "--out", str(out_file))  # fmt: skip
    assert code == 2 and "project 'Beta'" in err and not out_file.exists()
    code, _, err = run(capsys, monkeypatch, "report", "--as-user", "ghost", "--out", str(out_file))
    assert code == 2 and "unknown user 'ghost'" in err and not out_file.exists()
    code, _, err = run(capsys, monkeypatch, "report", "--as-user", "alpha", "--week", "2026-W45",
                       "--out", str(out_file))  # fmt: skip
    assert code == 0, err
    html = out_file.read_text()
    assert "Alpha" in html and "深圳湾" not in html and "Beta" not in html
    # The freshness footer keeps dates but not the company-wide row counts ("行数" / Rows).
    footer = html[html.index('<footer id="freshness">') :]
    assert "行数" not in footer
    code, _, _ = run(capsys, monkeypatch, "report", "--week", "2026-W45", "--out", str(out_file))
    assert code == 0
    everyone = out_file.read_text()
    assert "行数" in everyone[everyone.index('<footer id="freshness">') :]


def test_scope_for_user_finds_the_file_beside_the_database(tmp_path, capsys, monkeypatch):
    from dashboard.access import Scope, UnknownUserError, scope_for_user
    from dashboard.settings import Settings

    db = tmp_path / "kpi.duckdb"
    monkeypatch.delenv("KPI_SETTINGS", raising=False)
    code, _, err = run(capsys, monkeypatch, "users", "add", "li", "--role", "department_head",
                       "--region", "华南", "--db", str(db))  # fmt: skip
    assert code == 0, err
    assert (tmp_path / "users.toml").exists()
    assert scope_for_user("li", settings=Settings(), db=db) == Scope(regions=("华南",))
    with pytest.raises(UnknownUserError):
        scope_for_user("wang", settings=Settings(), db=db)


def test_users_add_warns_about_a_project_not_in_the_data(env, capsys, monkeypatch):
    code, out, err = run(capsys, monkeypatch, "users", "add", "typo", "--role", "department_head",
                         "--project", "Alpah", "--project", "Alpha")  # fmt: skip
    assert code == 0 and "added typo" in out
    assert "no project called 'Alpah'" in err and "'Alpha'" not in err


def test_notifications_as_user_read_the_real_users_file(env, capsys, monkeypatch):
    # The glue of #16: dashboard.notify.scope.user_scope -> dashboard.access.user_scope.
    from dashboard.notify.config import NotifyConfigError
    from dashboard.notify.scope import intersect, user_scope

    add(capsys, monkeypatch, "zhang", "department_head", "--project", "Alpha", "--region", "East")
    assert user_scope("zhang") == type(user_scope("zhang"))(projects=("Alpha",), regions=("East",))
    with pytest.raises(ValueError, match="unknown user 'ghost'"):
        user_scope("ghost")
    rule_scope = type(user_scope("zhang"))(projects=("Beta",), regions=())
    with pytest.raises(NotifyConfigError, match="'Beta' is outside"):
        intersect(rule_scope, user_scope("zhang"))
