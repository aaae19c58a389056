"""Hostile inputs (issue #7, item 1): every file of tests/hostile_corpus.py goes through
``kpi ingest`` and ends in a correct load with rejects or a clear whole-file rejection -
never a traceback, a hang or unbounded memory - and the accounting invariant holds:
loaded + rejected + duplicates = data rows, and rejected_rows holds exactly ``rejected``
rows per import.

Ordinary cases run in-process through ``dashboard.cli.main``; the risky ones (huge
fields, zip bomb, 50k columns...) in a subprocess with a timeout, an address-space cap as
a safety net, and an assertion on the peak resident memory the child reports.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import hostile_corpus as corpus
import pytest

from dashboard import cli
from dashboard.db import connect_readonly
from dashboard.ingest import readers
from dashboard.pipeline import import_files as ingest_paths
from dashboard.schema import KINDS

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT_S = 180  # a hang fails the test instead of the CI job
# Safety net only: DuckDB and pyarrow reserve 1.5-2.5 GB of address space at start, so a
# 2 GB RLIMIT_AS made even a 10 MB file fail inside DuckDB. The real bound is PEAK_RSS.
ADDRESS_SPACE = 8 << 30
PEAK_RSS = 1 << 30

CHILD = """
import sys
from dashboard.cli import main
code = main(sys.argv[1:])
with open("/proc/self/status") as status:
    peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM"))
print(f"PEAK_KB {peak}", file=sys.stderr)
sys.exit(code)
"""


def _cap_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


def run_ingest_subprocess(path: Path, db: Path) -> tuple[int, str, str, int]:
    """(exit code, stdout, stderr, peak RSS in bytes) of ``kpi ingest`` in a child."""
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, "ingest", str(path), "--db", str(db), "--no-progress"],
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        preexec_fn=_cap_memory,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    peak = [line for line in proc.stderr.splitlines() if line.startswith("PEAK_KB ")]
    assert peak, f"the child did not finish normally: {proc.stderr[-2000:]}"
    return proc.returncode, proc.stdout, proc.stderr, int(peak[-1].split()[1]) * 1024


def run_ingest_inprocess(path: Path, db: Path, capsys) -> tuple[int, str, str]:
    code = cli.main(["ingest", str(path), "--db", str(db), "--no-progress"])
    out, err = capsys.readouterr()
    return code, out, err


def assert_accounting(con) -> None:
    """The invariant on every import_log row, whatever the file was."""
    for import_id, rows, loaded, rejected, duplicates, status in con.execute(
        """select import_id, rows_in_file, rows_loaded, rows_rejected, rows_duplicate, status
           from import_log"""
    ).fetchall():
        assert loaded + rejected + duplicates == rows, import_id
        stored = con.execute(
            "select count(*) from rejected_rows where import_id = $id", {"id": import_id}
        ).fetchone()[0]
        assert stored == rejected, import_id
        if status == "rejected":
            assert (rows, loaded, rejected, duplicates) == (0, 0, 0, 0)


def table_rows(con) -> dict[str, int]:
    return {k: con.execute(f"select count(*) from {k}").fetchone()[0] for k in KINDS}


@pytest.mark.parametrize("case", corpus.CASES, ids=[c.name for c in corpus.CASES])
def test_hostile_file(case: corpus.Case, tmp_path, capsys):
    path = case.build(tmp_path)
    db = tmp_path / "kpi.duckdb"
    if case.risky:
        code, out, err, peak = run_ingest_subprocess(path, db)
        assert peak < PEAK_RSS, f"peak resident memory {peak / 2**20:.0f} MiB"
    else:
        code, out, err = run_ingest_inprocess(path, db, capsys)
    # No traceback, and no run-level error either: a bad file is a per-file result.
    assert "Traceback" not in err and "error:" not in err, err[-2000:]

    con = connect_readonly(db)
    try:
        assert_accounting(con)
        log = con.execute(
            """select status, kind, rows_in_file, rows_loaded, rows_rejected, rows_duplicate,
                      message from import_log order by import_id"""
        ).fetchall()
        if isinstance(case.expect, corpus.Rejected):
            assert code == 1
            assert [row[0] for row in log] == ["rejected"]
            message = log[0][-1]
            for word in case.expect.words:
                assert word.lower() in message.lower(), message
            assert len(message) < 600, "the message must stay readable"
            assert message in out  # the user sees it
            assert sum(table_rows(con).values()) == 0
        else:
            want = case.expect
            assert code == 0, out
            loaded_logs = [row for row in log if row[0] == "loaded"]
            assert len(loaded_logs) == want.sheets == len(log)
            assert {row[1] for row in loaded_logs} == {want.kind}
            counts = tuple(sum(row[i] for row in loaded_logs) for i in (2, 3, 4, 5))
            assert counts == (want.rows, want.loaded, want.rejected, want.duplicates)
            # keys are unique within each corpus file, so every loaded row is in the table
            assert table_rows(con)[want.kind] == want.loaded
        if case.check:
            case.check(con)
    finally:
        con.close()


def test_the_corpus_is_big_enough():
    assert len(corpus.CASES) >= 30


def test_a_folder_of_hostile_files_imports_every_file_and_never_aborts(tmp_path, capsys):
    """One bad file never stops the others: every file gets its own result line."""
    folder = tmp_path / "exports"
    built = []
    for case in corpus.CASES:
        if not case.risky:
            sub = folder / case.name
            sub.mkdir(parents=True)
            built.append(case.build(sub))
    db = tmp_path / "kpi.duckdb"
    code = cli.main(["ingest", str(folder), "--db", str(db), "--no-progress"])
    out, err = capsys.readouterr()
    assert code == 1 and "Traceback" not in err and "error:" not in err
    for path in built:  # loaded, rejected, or skipped (same bytes as an earlier file)
        assert str(path) in out, path
    con = connect_readonly(db)
    try:
        assert_accounting(con)
    finally:
        con.close()


# --------------------------------------------------------------------------- regressions


def test_fields_longer_than_the_csv_module_default_limit_load(tmp_path):
    """Python's csv module refuses fields over 128 KiB unless told otherwise; a long note
    used to reject the whole file ("field larger than field limit")."""
    note = "n" * 200_000
    path = tmp_path / "orders.csv"
    path.write_text(f'{corpus.ORDERS},note\nO1,C1,P,R,2026-03-05,1,"{note}"\n', encoding="utf-8")
    (result,) = ingest_paths([path], db=tmp_path / "k.duckdb")
    assert (result.status, result.loaded) == ("loaded", 1)


def test_a_bom_followed_by_gbk_lines_no_longer_aborts_the_whole_run(tmp_path):
    """It used to raise UnicodeDecodeError out of the loader, so `kpi ingest` stopped at
    that file and the files after it were never imported."""
    bad = corpus.bom_then_gbk(tmp_path)
    good = corpus._write(tmp_path, "orders_z.csv", corpus._orders(*corpus.GOOD))
    results = ingest_paths([bad, good], db=tmp_path / "k.duckdb")
    assert [(r.status, r.loaded) for r in results] == [("loaded", 2), ("loaded", 3)]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        # the whole file is UTF-8: as before
        ("订单号,客户\n华东,上海\n".encode(), ("订单号,客户\n华东,上海\n", "utf-8")),
        # the whole file is GBK: as before (one fast decode, no per-line work)
        ("订单号,客户\n华东,上海\n".encode("gbk"), ("订单号,客户\n华东,上海\n", "gb18030")),
        # UTF-8 lines then GBK lines, and the reverse: each line in its own encoding
        (
            "订单号,客户\n".encode() + "华东,上海\n".encode("gbk"),
            ("订单号,客户\n华东,上海\n", "utf-8+gb18030 (mixed lines)"),
        ),
        (
            "订单号,客户\n".encode("gbk") + "华东,上海\n".encode(),
            ("订单号,客户\n华东,上海\n", "utf-8+gb18030 (mixed lines)"),
        ),
    ],
)
def test_decode_handles_pure_and_mixed_utf8_gbk_files(data, expected):
    assert readers.decode(data) == expected


def test_a_stray_nul_is_dropped_but_nul_padded_binary_is_refused():
    assert readers.decode(b"a,b\nP\x00Q,R\n") == ("a,b\nPQ,R\n", "utf-8")
    with pytest.raises(readers.UnreadableFile, match="binary"):
        readers.decode(b"a\x00\x00\x00\x00b\x00\x00\x00\x00\n")


def test_zip_bomb_guard_reads_only_the_zip_directory(tmp_path, monkeypatch):
    """The guard refuses from the declared sizes, before anything is inflated: with the
    limits lowered, a small honest workbook is refused the same way."""
    path = corpus.xlsx_formulas(tmp_path)
    readers.check_workbook_archive(path)  # fine with the real limits
    monkeypatch.setattr(readers, "MAX_XLSX_UNCOMPRESSED", 100)
    with pytest.raises(readers.UnreadableFile, match="would expand to"):
        readers.check_workbook_archive(path)


def test_a_file_wider_than_the_column_limit_is_refused_with_the_count(tmp_path):
    header = corpus.ORDERS + "," + ",".join(f"x{i}" for i in range(2100))
    path = tmp_path / "orders_wide.csv"
    path.write_text(header + "\nO1,C1,P,R,2026-03-05,1\n", encoding="utf-8")
    (result,) = ingest_paths([path], db=tmp_path / "k.duckdb")
    assert result.status == "rejected"
    assert "2,106 columns; at most 2,000" in result.message


def test_a_ten_megabyte_header_is_cut_short_in_the_message(tmp_path):
    path = corpus.ten_mb_single_field_file(tmp_path)
    (result,) = ingest_paths([path], db=tmp_path / "k.duckdb")
    assert result.status == "rejected" and len(result.message) < 300
    assert "yyy…" in result.message
