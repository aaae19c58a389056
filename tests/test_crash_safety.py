"""Crash safety (issue #7, item 2): ``kpi ingest`` killed with SIGKILL in the middle of a
large file leaves the database exactly as it was - it opens, holds nothing of that file,
no lock is left behind - and running the import again completes correctly. In a folder
import, the files published before the kill stay and the one in progress is absent.

"In the middle" is shown, not assumed: the writer's private copy (``.kpi.duckdb.*.tmp``)
exists and the process is still running when it is killed.
"""

from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dashboard.db import connect_readonly
from dashboard.pipeline import import_files as ingest_paths

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
BIG_ROWS = 1_200_000  # about 5 s of loading on 2 cores: long enough to be killed mid-way
WAIT_S = 120


def write_big_orders(path: Path, rows: int = BIG_ROWS) -> Path:
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("order_id,customer_id,project,region,ordered_at,amount\n")
        step = 100_000
        for start in range(0, rows, step):
            fh.write(
                "".join(
                    f"B{i},C{i % 997},P{i % 7},R{i % 5},2026-03-{i % 28 + 1:02d} 10:{i % 60:02d},{i % 1000}.5\n"
                    for i in range(start, min(start + step, rows))
                )
            )
    return path


def write_small(path: Path, header: str, rows: list[str]) -> Path:
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def snapshot(db: Path) -> tuple[dict[str, int], list[tuple]]:
    con = connect_readonly(db)
    try:
        counts = {
            t: con.execute(f"select count(*) from {t}").fetchone()[0]
            for t in ("orders", "customers", "rejected_rows")
        }
        log = con.execute(
            "select import_id, file_name, status, rows_loaded from import_log order by 1"
        ).fetchall()
    finally:
        con.close()
    return counts, log


def private_copies(db: Path) -> list[Path]:
    return sorted(db.parent.glob(f".{db.name}.*.tmp"))


def start_ingest(paths: list[Path], db: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "dashboard.cli", "ingest", *map(str, paths), "--db", str(db)]
        + ["--no-progress"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def wait_for(condition, proc: subprocess.Popen, what: str) -> None:
    deadline = time.monotonic() + WAIT_S
    while not condition():
        if proc.poll() is not None:
            out, err = proc.communicate()
            pytest.fail(f"ingest ended before {what}: {out.decode()} {err.decode()}")
        if time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.05)


def kill_in_the_middle(proc: subprocess.Popen, db: Path) -> None:
    """SIGKILL once the private copy exists and the loader has been at it for a while."""
    wait_for(lambda: bool(private_copies(db)), proc, "the writer's private copy")
    time.sleep(1.0)  # well into reading/checking the big file
    assert proc.poll() is None, "the import finished before the kill: make BIG_ROWS larger"
    assert private_copies(db), "the private copy must still be there (import not published)"
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=WAIT_S)
    assert proc.returncode == -signal.SIGKILL


def assert_no_lock_left(db: Path) -> None:
    with open(db.with_name(db.name + ".lock"), "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)  # raises if someone still holds it
        fcntl.flock(lock, fcntl.LOCK_UN)


def test_sigkill_mid_file_leaves_the_database_as_it_was_and_a_rerun_loads_it(tmp_path):
    db = tmp_path / "kpi.duckdb"
    customers = write_small(
        tmp_path / "customers.csv",
        "customer_id,project,region,is_vip",
        ["C1,P,R,yes", "C2,P,R,no"],
    )
    ingest_paths([customers], db=db)
    before = snapshot(db)
    assert before[0]["customers"] == 2
    big = write_big_orders(tmp_path / "orders_big.csv")

    proc = start_ingest([big], db)
    kill_in_the_middle(proc, db)

    assert snapshot(db) == before  # opens; nothing of the big file, import_log unchanged
    assert_no_lock_left(db)

    (result,) = ingest_paths([big], db=db)  # the re-run, as a user would do it
    assert (result.status, result.rows_in_file, result.loaded) == ("loaded", BIG_ROWS, BIG_ROWS)
    counts, log = snapshot(db)
    assert counts == {"orders": BIG_ROWS, "customers": 2, "rejected_rows": 0}
    assert [row[1:] for row in log] == [
        ("customers.csv", "loaded", 2),
        ("orders_big.csv", "loaded", BIG_ROWS),
    ]
    assert private_copies(db) == []  # the killed writer's copy was cleaned up


def test_sigkill_during_a_folder_import_keeps_the_files_already_published(tmp_path):
    """Files are published one by one (in name order): a_ and b_ are in before the kill,
    c_ (big) is being loaded when it comes, d_ never started."""
    db = tmp_path / "kpi.duckdb"
    folder = tmp_path / "exports"
    folder.mkdir()
    write_small(folder / "a_customers.csv", "customer_id,project,region,is_vip", ["C1,P,R,yes"])
    header = "order_id,customer_id,project,region,ordered_at,amount"
    write_small(
        folder / "b_orders.csv", header, ["A1,C1,P,R,2026-03-05,1", "A2,C1,P,R,2026-03-06,2"]
    )
    write_big_orders(folder / "c_orders_big.csv")
    write_small(folder / "d_orders.csv", header, ["D1,C1,P,R,2026-03-07,3"])

    proc = start_ingest([folder], db)

    def two_files_published() -> bool:
        return db.exists() and len(snapshot(db)[1]) == 2 and bool(private_copies(db))

    wait_for(two_files_published, proc, "a_ and b_ to be published")
    kill_in_the_middle(proc, db)

    counts, log = snapshot(db)
    assert [row[1:] for row in log] == [
        ("a_customers.csv", "loaded", 1),
        ("b_orders.csv", "loaded", 2),
    ]
    assert counts == {"orders": 2, "customers": 1, "rejected_rows": 0}
    assert_no_lock_left(db)

    results = ingest_paths([folder], db=db)  # the re-run skips what is already in
    assert [(Path(r.file).name, r.status) for r in results] == [
        ("a_customers.csv", "skipped"),
        ("b_orders.csv", "skipped"),
        ("c_orders_big.csv", "loaded"),
        ("d_orders.csv", "loaded"),
    ]
    counts, _ = snapshot(db)
    assert counts["orders"] == 2 + BIG_ROWS + 1
