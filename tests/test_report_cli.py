"""`kpi report` end to end on a database file: both formats, errors as one-line messages."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook
from report_fixture import load_fixture

from dashboard.cli import main
from dashboard.pipeline import publishing_writer as writer


@pytest.fixture
def db_file(tmp_path):
    path = tmp_path / "kpi.duckdb"
    with writer(path) as con:
        load_fixture(con)
    return path


def test_writes_html_and_xlsx(db_file, tmp_path, capsys) -> None:
    html = tmp_path / "week.html"
    assert main(["report", "--db", str(db_file), "--week", "2026-W47", "--lang", "en",
                 "--out", str(html)]) == 0  # fmt: skip
    text = html.read_text(encoding="utf-8")
    assert 'data-week="2026-W47"' in text and "Retention rate" in text
    assert "wrote" in capsys.readouterr().out

    xlsx = tmp_path / "week.xlsx"
    assert (
        main(["report", "--db", str(db_file), "--project", "A", "--lang", "zh", "--out", str(xlsx)])
        == 0
    )
    book = load_workbook(xlsx)
    assert book.sheetnames[0] == "摘要"  # --lang zh
    assert "A" in book["摘要"]["A3"].value  # the scope is printed


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--out", "report.pdf"], "must end in .html or .xlsx"),
        (["--week", "2026-47", "--out", "r.html"], "--week must look like 2026-W47"),
        (["--week", "2025-W53", "--out", "r.html"], "2025 has no ISO week 53"),
    ],
)
def test_bad_input_gives_a_clear_message(db_file, tmp_path, capsys, args, message) -> None:
    args = [a if not a.startswith("r") else str(tmp_path / a) for a in args]
    assert main(["report", "--db", str(db_file), *args]) == 1
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err
    assert not list(tmp_path.glob("r*.html"))  # nothing written


def test_empty_week_is_a_report_not_an_error(db_file, tmp_path) -> None:
    out = tmp_path / "empty.html"
    assert main(["report", "--db", str(db_file), "--week", "2026-W10", "--lang", "zh",
                 "--out", str(out)]) == 0  # fmt: skip
    assert "本周无数据" in out.read_text(encoding="utf-8")
