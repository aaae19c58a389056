"""Command-line rough edges (#12): an empty folder, a header-only file, superseded rows
told apart from errors, and tables that line up with Chinese text."""

from __future__ import annotations

from dashboard.cli import main
from dashboard.commands.text_width import width


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_an_empty_folder_is_a_rejected_input(tmp_path, capsys):
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "readme.md").write_text("not an export", encoding="utf-8")
    code, out, _ = run(capsys, "ingest", str(folder), "--db", str(tmp_path / "kpi.duckdb"))
    assert code == 1  # "0 files ... loaded 0" and success would hide a wrong folder
    assert "no export files" in out and str(folder) in out


def test_a_header_only_file_warns(tmp_path, capsys):
    orders = tmp_path / "orders.csv"
    orders.write_text("order_id,customer_id,project,region,ordered_at\n", encoding="utf-8")
    code, out, _ = run(capsys, "ingest", str(orders), "--db", str(tmp_path / "kpi.duckdb"))
    assert code == 0
    assert "loaded 0" in out and "warning: no data rows below the header" in out


def test_superseded_rows_are_told_apart_from_errors(tmp_path, capsys):
    orders = tmp_path / "orders.csv"
    orders.write_text(
        "order_id,customer_id,project,region,ordered_at\n"
        "o1,c1,A,East,2026-03-01 10:00\n"  # replaced by the later o1 row: superseded
        "o2,c1,A,East,not a date\n"  # an error
        "o1,c1,A,East,2026-03-02 10:00\n",
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "ingest", str(orders), "--db", str(tmp_path / "kpi.duckdb"))
    assert code == 0
    # 3 rows = 1 loaded + 2 rejected (1 of them superseded) + 0 duplicates
    assert "loaded 1  rejected 2 (1 superseded by later rows)  duplicates 0" in out


def test_show_table_lines_up_with_chinese_names(tmp_path, capsys):
    orders = tmp_path / "orders.csv"
    orders.write_text(
        "order_id,customer_id,project,region,ordered_at\n"
        "o1,c1,北区项目,华北,2026-03-02 10:00\n"
        "o2,c2,Lakeside,East,2026-03-02 11:00\n",
        encoding="utf-8",
    )
    db = str(tmp_path / "kpi.duckdb")
    assert run(capsys, "ingest", str(orders), "--db", db)[0] == 0
    code, out, _ = run(capsys, "show", "dimensions", "--db", db)
    assert code == 0
    lines = out.rstrip("\n").splitlines()
    # every row's "rows" column ends in the same terminal column (CJK characters are 2 wide)
    assert len({width(line) for line in lines}) == 1, lines
