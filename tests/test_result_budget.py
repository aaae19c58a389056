"""A query file's result has a size ceiling (#19): over it, compute() fails with a clear
message naming the file instead of handing gigabytes to the app's cache."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from dashboard import kpis
from dashboard.result_budget import MAX_QUERY_RESULT_BYTES, ResultTooLarge, fetch_within


def test_fetch_within_returns_every_row_under_the_ceiling():
    con = duckdb.connect()
    table = fetch_within(con.execute("select range as n from range(250000)"), max_bytes=10**7)
    # 250,000 BIGINTs = 2,000,000 bytes, under 10 MB: all of them, in order
    assert table.num_rows == 250_000
    assert table.column("n")[0].as_py() == 0 and table.column("n")[-1].as_py() == 249_999


def test_fetch_within_stops_over_the_ceiling():
    con = duckdb.connect()
    with pytest.raises(ResultTooLarge, match="larger than 1 MB"):
        # 1,000,000 BIGINTs = 8 MB > 1 MB
        fetch_within(con.execute("select range from range(1000000)"), max_bytes=1024 * 1024)


def test_a_query_file_returning_too_much_fails_by_name(tmp_path: Path):
    folder = tmp_path / "queries"
    folder.mkdir()
    # 100 rows of 3,000,00x characters = ~300 MB > the 256 MB ceiling
    (folder / "huge.sql").write_text(
        '/* ---\ntitle = "Huge"\ntitle_zh = "大"\ndescription = "D"\ndescription_zh = "D"\n'
        '[chart]\nmark = "table"\n--- */\n'
        "select repeat('x', 3000000) || range::varchar as big from range(100)\n",
        encoding="utf-8",
    )
    assert MAX_QUERY_RESULT_BYTES < 300 * 1000 * 1000
    con = duckdb.connect()
    with pytest.raises(RuntimeError) as failed:
        kpis.compute(con, "huge", queries_dir=folder)
    assert "huge.sql" in str(failed.value)
    assert "larger than 256 MB" in str(failed.value)
