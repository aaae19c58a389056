"""kpi ingest against a database file: snapshot upsert, re-import no-op, whole-file
rejections and atomicity (nothing of a failed file visible), the CLI summary."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from dashboard import cli
from dashboard.ingest import ingest_into, loader
from dashboard.pipeline import import_files as ingest_paths
from dashboard.schema import KINDS

HEADER = "complaint_id,customer_id,project,region,opened_at,resolved_at\n"


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def snapshot(db: Path) -> dict[str, list[tuple]]:
    """Every kind table's full contents (sorted), read from the published file."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {k: sorted(con.execute(f"select * from {k}").fetchall(), key=repr) for k in KINDS}
    finally:
        con.close()


def query(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_snapshot_upsert_newest_file_wins(tmp_path):
    db = tmp_path / "k.duckdb"
    week1 = write(
        tmp_path / "complaints_w1.csv",
        HEADER + "K1,C1,P,R,2026-03-02 09:00,\nK2,C1,P,R,2026-03-03,\n",
    )
    week2 = write(
        tmp_path / "complaints_w2.csv",
        HEADER + "K1,C1,P,R,2026-03-02 09:00,2026-03-04 10:00\nK3,C2,P,R,2026-03-09,\n",
    )
    ingest_paths([week1], db=db)
    ingest_paths([week2], db=db)
    assert query(
        db, "select complaint_id, resolved_at, _source_file from complaints order by 1"
    ) == [
        ("K1", dt.datetime(2026, 3, 4, 10, 0), str(week2)),
        ("K2", None, str(week1)),
        ("K3", None, str(week2)),
    ]


def test_the_first_import_keeps_the_primary_key(tmp_path):
    # The first import of a kind fills the table without its key and adds the key after
    # (faster); the key must be there afterwards, and a second import must upsert by it.
    db = tmp_path / "k.duckdb"
    ingest_paths([write(tmp_path / "complaints_w1.csv", HEADER + "K1,C1,P,R,2026-03-02,\n")], db=db)
    assert query(
        db,
        "select constraint_column_names from duckdb_constraints() "
        "where table_name = 'complaints' and constraint_type = 'PRIMARY KEY'",
    ) == [(["complaint_id"],)]
    second = write(tmp_path / "complaints_w2.csv", HEADER + "K1,C1,P,R,2026-03-02,2026-03-03\n")
    ingest_paths([second], db=db)
    assert query(db, "select complaint_id, resolved_at from complaints") == [
        ("K1", dt.datetime(2026, 3, 3, 0, 0))
    ]


def test_folder_is_walked_in_name_order_skipping_hidden_and_databases(tmp_path):
    data = tmp_path / "data"
    (data / "sub").mkdir(parents=True)
    write(data / "sub" / "complaints_2.csv", HEADER + "K1,C1,P,R,2026-03-02,2026-03-05\n")
    write(data / "complaints_1.csv", HEADER + "K1,C1,P,R,2026-03-02,\n")
    write(data / ".hidden.csv", "garbage")
    write(data / "old.duckdb", "not a db")
    write(data / "notes.md", "# notes")
    db = tmp_path / "k.duckdb"
    results = ingest_paths([data], db=db)
    assert [Path(r.file).name for r in results] == ["complaints_1.csv", "complaints_2.csv"]
    assert query(db, "select resolved_at from complaints") == [(dt.datetime(2026, 3, 5),)]


def test_same_file_twice_is_a_no_op(tmp_path):
    db = tmp_path / "k.duckdb"
    path = write(tmp_path / "complaints.csv", HEADER + "K1,C1,P,R,2026-03-02,\nK2,,P,R,bad,\n")
    (first,) = ingest_paths([path], db=db)
    before = db.read_bytes()
    (second,) = ingest_paths([path], db=db)
    assert (first.status, first.loaded, first.rejected) == ("loaded", 1, 1)
    assert (second.status, second.loaded) == ("skipped", 0)
    assert db.read_bytes() == before  # nothing written at all
    assert query(db, "select count(*) from import_log") == [(1,)]
    assert query(db, "select count(*) from rejected_rows") == [(1,)]


def test_same_content_under_another_name_is_also_skipped(tmp_path):
    db = tmp_path / "k.duckdb"
    text = HEADER + "K1,C1,P,R,2026-03-02,\n"
    ingest_paths([write(tmp_path / "complaints.csv", text)], db=db)
    (again,) = ingest_paths([write(tmp_path / "complaints_copy.csv", text)], db=db)
    assert again.status == "skipped"


WHOLE_FILE_REJECTIONS = {
    "undecodable": ("complaints.csv", b"\x00\x01binary\xff"),
    "unknown kind": ("export.csv", b"a,b,c\n1,2,3\n"),
    "missing column": ("complaints.csv", b"complaint_id,project,region\nK9,P,R\n"),
    "empty file": ("complaints.csv", b""),
    "broken xlsx": ("complaints.xlsx", b"PK\x03\x04 not really a zip"),
}


@pytest.mark.parametrize("case", sorted(WHOLE_FILE_REJECTIONS))
def test_whole_file_rejection_leaves_every_table_unchanged(tmp_path, case):
    db = tmp_path / "k.duckdb"
    good = tmp_path / "good"
    good.mkdir()
    write(good / "complaints.csv", HEADER + "K1,C1,P,R,2026-03-02,\n")
    write(
        good / "orders.csv",
        "order_id,customer_id,project,region,ordered_at\nO1,C1,P,R,2026-03-01\n",
    )
    ingest_paths([good], db=db)
    before = snapshot(db)
    name, content = WHOLE_FILE_REJECTIONS[case]
    bad = tmp_path / name
    bad.write_bytes(content)
    (result,) = ingest_paths([bad], db=db)
    assert result.status == "rejected"
    assert result.message
    assert (result.loaded, result.rejected, result.duplicates) == (0, 0, 0)
    assert snapshot(db) == before
    log = query(db, f"select status, message from import_log where file_path = '{bad}'")
    assert log == [("rejected", result.message)]


def test_failure_half_way_leaves_nothing_of_the_file(tmp_path, monkeypatch):
    """Atomicity: the upsert runs, then the loader fails before the file's import
    completes; none of its rows, rejects or log entries may be visible."""
    db = tmp_path / "k.duckdb"
    first = write(tmp_path / "complaints_1.csv", HEADER + "K1,C1,P,R,2026-03-02,\n")
    ingest_paths([first], db=db)
    before = snapshot(db)
    real_upsert = loader.upsert

    def upsert_then_fail(con, **kwargs):
        real_upsert(con, **kwargs)
        # half way: K1 (updated) and K2 are in the table inside the transaction
        assert con.execute("select count(*) from complaints").fetchone() == (2,)
        raise OSError("disk full (injected)")

    monkeypatch.setattr(loader, "upsert", upsert_then_fail)
    second = write(
        tmp_path / "complaints_2.csv",
        HEADER + "K1,C1,P,R,2026-03-02,2026-03-03\nK2,C1,P,R,2026-03-02,\nK3,C1,P,R,bad,\n",
    )
    (result,) = ingest_paths([second], db=db)
    assert result.status == "rejected"
    assert "disk full (injected)" in result.message
    assert snapshot(db) == before  # K1 still unresolved, no K2
    assert query(db, "select count(*) from rejected_rows") == [(0,)]
    assert query(db, "select status from import_log order by import_id") == [
        ("loaded",),
        ("rejected",),
    ]
    # the same file loads fine once the failure is gone (a failed import is not "done")
    monkeypatch.setattr(loader, "upsert", real_upsert)
    (retry,) = ingest_paths([second], db=db)
    assert (retry.status, retry.loaded, retry.rejected) == ("loaded", 2, 1)


def test_failure_in_one_file_does_not_stop_the_others(tmp_path, monkeypatch):
    db = tmp_path / "k.duckdb"
    real_classify = loader.classify

    def classify_fails_for_orders(con, kind, *args, **kwargs):
        if kind == "orders":
            raise RuntimeError("injected")
        return real_classify(con, kind, *args, **kwargs)

    monkeypatch.setattr(loader, "classify", classify_fails_for_orders)
    a = write(
        tmp_path / "a_orders.csv",
        "order_id,customer_id,project,region,ordered_at\nO1,C,P,R,2026-01-01\n",
    )
    b = write(tmp_path / "b_complaints.csv", HEADER + "K1,C1,P,R,2026-03-02,\n")
    results = ingest_paths([a, b], db=db)
    assert [r.status for r in results] == ["rejected", "loaded"]
    assert query(db, "select count(*) from orders") == [(0,)]
    assert query(db, "select count(*) from complaints") == [(1,)]


def test_in_memory_connection_rolls_back_too(con, tmp_path, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("injected")

    monkeypatch.setattr(loader, "write_log", fail)
    path = write(tmp_path / "complaints.csv", HEADER + "K1,C1,P,R,2026-03-02,\nK2,C1,P,R,x,\n")
    with pytest.raises(RuntimeError):  # the rejection itself cannot be logged either
        ingest_into(con, path)
    assert con.execute("select count(*) from complaints").fetchone() == (0,)
    assert con.execute("select count(*) from rejected_rows").fetchone() == (0,)


# --------------------------------------------------------------------------- CLI


def test_cli_summary_lines_and_exit_codes(tmp_path, capsys):
    db = tmp_path / "k.duckdb"
    data = tmp_path / "data"
    data.mkdir()
    write(
        data / "订单.csv",
        "订单号,客户编号,项目,区域,下单时间\nO1,C1,P,R,2026-03-05\nO1,C1,P,R,2026-03-05\nO2,C1,P,R,bad\n",
        "gbk",
    )
    assert cli.main(["ingest", str(data), "--db", str(db), "--no-progress"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == [
        "orders",
        str(data / "订单.csv"),
        "loaded",
        "1",
        "rejected",
        "1",
        "duplicates",
        "1",
    ]
    assert out[-1].startswith("total")
    assert len(out) == 2

    write(data / "x.csv", "订单号,客户编号\nO1,C1\n")
    assert cli.main(["ingest", str(data / "x.csv"), "--db", str(db), "--kind", "orders"]) == 1
    out = capsys.readouterr().out
    assert (
        f"REJECTED    {data / 'x.csv'}: missing required columns project, region, ordered_at (found: 订单号, 客户编号)"
        in out
    )


def test_cli_rejects_an_unknown_kind_option(tmp_path, capsys):
    code = cli.main(
        ["ingest", str(tmp_path), "--db", str(tmp_path / "k.duckdb"), "--kind", "invoices"]
    )
    assert code == 2
    captured = capsys.readouterr()
    assert "unknown kind 'invoices'" in captured.err
    assert captured.out == ""
    assert not (tmp_path / "k.duckdb").exists()


def test_cli_missing_path_is_rejected(tmp_path, capsys):
    code = cli.main(["ingest", str(tmp_path / "nope.csv"), "--db", str(tmp_path / "k.duckdb")])
    assert code == 1
    assert "no such file or folder" in capsys.readouterr().out


def test_cli_as_a_subprocess_with_progress_keeps_stdout_to_the_summary(tmp_path):
    import subprocess
    import sys

    path = write(tmp_path / "complaints.csv", HEADER + "K1,C1,P,R,2026-03-02,\n")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "dashboard.cli",
            "ingest",
            str(path),
            "--db",
            str(tmp_path / "k.duckdb"),
            "--progress",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert len(lines) == 2
    assert lines[0].split()[:2] == ["complaints", str(path)]
    assert "Traceback" not in proc.stderr
