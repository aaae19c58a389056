"""Audit log, sign-in limits and the [access] settings (#15)."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import sqlite3

import pytest

from dashboard.access import audit, signin
from dashboard.access.passwords import hash_password, verify
from dashboard.access.users import User, find_identity, parse_users
from dashboard.settings import SettingsError, parse_settings

PASSWORD = "Tr0ub4dor&3-horse"


def _writer(path: str, worker: int, n: int) -> None:
    for i in range(n):
        audit.record("sql_lab", f"user{worker}", f"select {i}", path=path)


def test_concurrent_writers_lose_nothing(tmp_path):
    path = tmp_path / "audit.sqlite"
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(str(path), w, 40)) for w in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    rows = audit.read(path=path, limit=1000)
    assert len(rows) == 160  # 4 processes x 40 entries
    assert {r["user_name"] for r in rows} == {"user0", "user1", "user2", "user3"}
    with sqlite3.connect(path) as con:
        assert con.execute("pragma journal_mode").fetchone()[0] == "wal"


def test_read_is_newest_first_and_filters(tmp_path):
    path = tmp_path / "audit.sqlite"
    audit.record("sign_in", "a", path=path)
    audit.record("upload", "b", "orders.csv", path=path)
    audit.record("sign_in", "b", path=path)
    assert [r["user_name"] for r in audit.read(path=path)] == ["b", "b", "a"]
    assert [r["event"] for r in audit.read(path=path, user="b")] == ["sign_in", "upload"]
    assert [r["user_name"] for r in audit.read(path=path, event="sign_in")] == ["b", "a"]
    with pytest.raises(ValueError, match="unknown audit event"):
        audit.record("nonsense", "a", path=path)


def test_a_missing_audit_file_reads_empty(tmp_path):
    assert audit.read(path=tmp_path / "none.sqlite") == []


@pytest.fixture
def users():
    return {"li": User("li", "analyst", password_hash=hash_password(PASSWORD))}


@pytest.fixture
def no_sleep(monkeypatch):
    sleeps: list[float] = []
    monkeypatch.setattr(signin.time, "sleep", sleeps.append)
    return sleeps


def test_sign_in_right_wrong_unknown(tmp_path, users, no_sleep):
    path = tmp_path / "audit.sqlite"
    assert signin.sign_in(users, "li", PASSWORD, audit_file=path).reason == "ok"
    assert no_sleep == []  # success is not slowed
    assert signin.sign_in(users, "li", "nope", audit_file=path).reason == "wrong"
    assert signin.sign_in(users, "ghost", PASSWORD, audit_file=path).reason == "wrong"
    assert no_sleep == [signin.FAILURE_DELAY_SECONDS] * 2  # each failure slowed down
    events = [(r["user_name"], r["event"]) for r in audit.read(path=path)]
    assert events == [("ghost", "sign_in_failed"), ("li", "sign_in_failed"), ("li", "sign_in")]


def test_sign_in_locks_after_too_many_failures(tmp_path, users, no_sleep):
    path = tmp_path / "audit.sqlite"
    for _ in range(signin.MAX_FAILURES):
        assert signin.sign_in(users, "li", "guess", audit_file=path).reason == "wrong"
    assert signin.sign_in(users, "li", PASSWORD, audit_file=path).reason == "locked"
    # An hour later the window has passed: the failures are older than WINDOW.
    later = dt.datetime.now(dt.UTC) + signin.WINDOW + dt.timedelta(minutes=1)
    assert audit.count_since("li", "sign_in_failed", later, path=path) == 0


def test_no_password_in_the_audit_table(tmp_path, users, no_sleep):
    path = tmp_path / "audit.sqlite"
    signin.sign_in(users, "li", PASSWORD, audit_file=path)
    signin.sign_in(users, "li", PASSWORD + "x", audit_file=path)
    with sqlite3.connect(path) as con:
        dump = "\n".join(map(str, con.execute("select * from audit_log")))
    assert "li" in dump and PASSWORD not in dump


def test_passwords_are_argon2_and_verify():
    hashed = hash_password(PASSWORD)
    assert hashed.startswith("$argon2id$") and PASSWORD not in hashed
    assert verify(hashed, PASSWORD) and not verify(hashed, PASSWORD.upper())
    assert not verify(None, PASSWORD) and not verify("garbage", PASSWORD)
    with pytest.raises(ValueError, match="at least 8"):
        hash_password("short")


def test_users_file_errors_name_the_key():
    with pytest.raises(ValueError, match="users.x.role"):
        parse_users({"users": {"x": {"role": "boss"}}})
    with pytest.raises(ValueError, match="users.x.password"):
        parse_users({"users": {"x": {"role": "admin", "password": "plain"}}})
    with pytest.raises(ValueError, match="needs at least one project or region"):
        parse_users({"users": {"x": {"role": "department_head"}}})


def test_identity_maps_by_subject_then_email():
    users = {
        "li": User("li", "analyst", email="Li@Corp.test"),
        "wang": User("wang", "executive", subject="sub-123"),
        "zhao@corp.test": User("zhao@corp.test", "admin"),
    }
    assert find_identity(users, email="li@corp.test", subject=None).name == "li"
    assert find_identity(users, email="other@corp.test", subject="sub-123").name == "wang"
    assert find_identity(users, email="zhao@corp.test", subject="x").name == "zhao@corp.test"
    assert find_identity(users, email="nobody@corp.test", subject="nope") is None


def test_access_settings_defaults_and_errors(tmp_path):
    access = parse_settings({}).access
    assert (access.mode, access.users_file, access.session_minutes) == ("none", None, 480)
    assert access.company_averages is False
    parsed = parse_settings(
        {"access": {"mode": "oidc", "users_file": "people.toml", "session_minutes": 60}},
        source=str(tmp_path / "kpi.toml"),
    ).access
    assert parsed.users_file == tmp_path / "people.toml"  # beside the settings file
    for raw, key in [
        ({"mode": "ldap"}, "access.mode"),
        ({"session_minutes": 0}, "access.session_minutes"),
        ({"company_averages": "yes"}, "access.company_averages"),
        ({"users_file": ""}, "access.users_file"),
        ({"colour": 1}, "access.colour"),
    ]:
        with pytest.raises(SettingsError, match=key):
            parse_settings({"access": raw})


def _add_users(path: str, worker: int, n: int) -> None:
    from dashboard.access.users import editing

    for i in range(n):
        with editing(path) as users:
            users[f"u{worker}_{i}"] = User(f"u{worker}_{i}", "executive")


def test_concurrent_user_edits_lose_nothing(tmp_path):
    from dashboard.access.users import load_users

    path = tmp_path / "users.toml"
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_add_users, args=(str(path), w, 10)) for w in range(3)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    assert len(load_users(path)) == 30  # 3 processes x 10 users, each edit under the lock
    assert path.stat().st_mode & 0o777 == 0o600
