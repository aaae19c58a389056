"""A query file's pass of the statement check is remembered across processes (so `kpi
show` need not import sqlglot), and nothing remembered can let a refused file through."""

from __future__ import annotations

import pytest

from dashboard import catalog as served  # the catalogue applies the check
from dashboard import statement_approvals as approvals


@pytest.fixture
def memory(tmp_path, monkeypatch):
    monkeypatch.setattr(approvals, "_folder", lambda: tmp_path / "var")
    served._refusal.cache_clear()  # a fresh process
    yield tmp_path / "var"
    served._refusal.cache_clear()


def test_a_pass_is_remembered_and_an_edit_is_checked_again(memory):
    good = "select 1 as one"
    assert served._refusal(good) is None
    assert approvals.passed(good, served.MAX_FILE_SQL_CHARS)
    edited = good + "; drop table orders"
    assert not approvals.passed(edited, served.MAX_FILE_SQL_CHARS)
    served._refusal.cache_clear()
    assert served._refusal(edited) is not None  # checked, and refused


def test_a_refused_file_is_never_remembered(memory):
    bad = "attach '/tmp/x.duckdb' as x"
    assert served._refusal(bad) is not None
    served._refusal.cache_clear()
    assert served._refusal(bad) is not None
    assert not approvals.passed(bad, served.MAX_FILE_SQL_CHARS)
    text = next(memory.glob("*.txt"), None)
    assert text is None or approvals.digest(bad, served.MAX_FILE_SQL_CHARS) not in text.read_text()


def test_other_rules_forget_every_pass(memory, monkeypatch):
    assert served._refusal("select 2") is None
    monkeypatch.setattr(approvals, "_rules_version", lambda: "changed-rules")
    assert not approvals.passed("select 2", served.MAX_FILE_SQL_CHARS)


def test_an_unwritable_folder_only_means_no_memory(tmp_path, monkeypatch):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    monkeypatch.setattr(approvals, "_folder", lambda: blocked / "var")
    served._refusal.cache_clear()
    assert served._refusal("select 3") is None  # checked, passes, nothing raised
    assert not approvals.passed("select 3", served.MAX_FILE_SQL_CHARS)
    served._refusal.cache_clear()
