"""Property: whatever mix of good, bad, duplicate and conflicting rows a file holds, every
row ends in exactly one place, and the counts match an independent oracle."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

import duckdb
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.ingest import ingest_into
from dashboard.schema import create_schema

GOOD = {
    "order_id": ["O1", "O2", "O3", "订单4"],
    "customer_id": ["C1", "C2"],
    "project": ["P", "", "花园"],
    "ordered_at": ["2026-03-05", "2026/3/5 9:05", "2026年3月5日 14:30", "2026-03-05T08:00:00"],
    "amount": ["", "12", "¥1,234.50", "0.5"],
    "note": ["", "a, b", 'say "hi"', "two\nlines"],
}
BAD = {
    "order_id": [""],
    "customer_id": [""],
    "ordered_at": ["", "2026-13-45", "soon"],
    "amount": ["abc", "1,2"],
}
COLUMNS = list(GOOD)


@st.composite
def row(draw) -> tuple[tuple[str, ...], bool]:
    cells, good = [], True
    for column in COLUMNS:
        if column in BAD and draw(st.integers(0, 5)) == 0:
            cells.append(draw(st.sampled_from(BAD[column])))
            good = False
        else:
            cells.append(draw(st.sampled_from(GOOD[column])))
    return tuple(cells), good


@st.composite
def file_rows(draw) -> list[tuple[tuple[str, ...], bool]]:
    rows = draw(st.lists(row(), min_size=0, max_size=25))
    # exact copies of earlier rows, at random places
    for _ in range(draw(st.integers(0, 5))):
        if rows:
            copy = rows[draw(st.integers(0, len(rows) - 1))]
            rows.insert(draw(st.integers(0, len(rows))), copy)
    return rows


def expected_counts(rows: list[tuple[tuple[str, ...], bool]]) -> tuple[int, int, int]:
    """The contract's arithmetic, independently: exact copies of loadable rows count as
    duplicates; among the remaining loadable rows the last per order_id is loaded."""
    valid = [cells for cells, good in rows if good]
    duplicates = len(valid) - len(set(valid))
    loaded = len({cells[0] for cells in valid})
    return loaded, len(rows) - loaded - duplicates, duplicates


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=file_rows(), blank_lines=st.integers(0, 3))
def test_every_row_ends_in_exactly_one_place(rows, blank_lines):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["订单号", "客户编号", "项目", "区域", "下单时间", "金额", "备注"])
    for cells, _ in rows:
        writer.writerow([*cells[:3], "R", *cells[3:]])
    text = out.getvalue() + "\n" * blank_lines  # empty lines are not rows
    con = duckdb.connect("")
    create_schema(con)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "orders.csv"
        path.write_text(text, encoding="gb18030")
        (result,) = ingest_into(con, path)
    assert result.status == "loaded"
    assert result.rows_in_file == len(rows)
    assert result.loaded + result.rejected + result.duplicates == result.rows_in_file
    assert (result.loaded, result.rejected, result.duplicates) == expected_counts(rows)
    assert con.execute("select count(*) from rejected_rows").fetchone() == (result.rejected,)
    assert con.execute("select count(*) from orders").fetchone() == (result.loaded,)
    # every rejected line is a distinct physical line of a data row
    lines = [r[0] for r in con.execute("select line_number from rejected_rows").fetchall()]
    assert len(set(lines)) == len(lines)
    con.close()


# The timestamp parser tries the common forms on the cell as it is before normalising it
# (dashboard/ingest/values.py): for any text, that must give what normalising gives.
DATEISH = st.one_of(
    st.text(alphabet="0123456789-/:. T年月日：+", max_size=24),
    st.builds(
        lambda y, mo, d, h, mi, s, sep, tsep: f"{y}{sep}{mo}{sep}{d}{tsep}{h}:{mi}:{s}",
        st.sampled_from(["2026", "26", "02026", "1999"]),
        st.sampled_from(["3", "03", "13", "00"]),
        st.sampled_from(["5", "05", "30", "31", "0"]),
        st.sampled_from(["9", "09", "23", "24"]),
        st.sampled_from(["5", "05", "60"]),
        st.sampled_from(["00", "59", "60", "00.5"]),
        st.sampled_from(["-", "/", "."]),
        st.sampled_from([" ", "T", "  "]),
    ),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(DATEISH, min_size=1, max_size=40))
def test_timestamp_fast_path_agrees_with_normalising_first(cells):
    from dashboard.ingest.values import DATE_FORMATS, normalized_datetime_text, timestamp_expr

    norm = normalized_datetime_text("c")
    reference = f"case when strpos({norm}, '-') = 5 then try_strptime({norm}, {DATE_FORMATS}) end"
    con = duckdb.connect("")
    try:
        differing = con.execute(
            f"select c from (select unnest($cells) as c) "
            f"where ({timestamp_expr('c')}) is distinct from ({reference})",
            {"cells": cells},
        ).fetchall()
    finally:
        con.close()
    assert differing == []
