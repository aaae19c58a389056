"""The CSV body's fast path (pyarrow, line numbers from the bytes) against the exact path
(Python's csv module, line numbers from its reader) on generated files: wherever the fast
path answers, it must give the same cells and the same physical lines (#14). Files with
records spanning lines, CRLF, blank lines, escaped and stray quotes are all generated; the
fast path may decline (None), never differ."""

from __future__ import annotations

import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.ingest.csv_text import _fast_body, _python_body, csv_records

WIDTH = 3

PLAIN = st.text(alphabet="ab 中,", max_size=4)  # may hold the delimiter: then it is quoted
QUOTED_INSIDE = st.text(alphabet='ab"\n,中', max_size=5)
STRAY = st.text(alphabet='ab"', min_size=1, max_size=4)  # quotes where they do not belong


def _cell(kind: str, text: str) -> str:
    if kind == "plain":
        return f'"{text}"' if "," in text else text
    if kind == "quoted":
        return '"' + text.replace('"', '""') + '"'
    return text.replace(",", "")  # stray quotes, left as they are


CELL = st.one_of(
    st.tuples(st.just("plain"), PLAIN),
    st.tuples(st.just("quoted"), QUOTED_INSIDE),
    st.tuples(st.just("stray"), STRAY),
)
ROW = st.one_of(
    st.lists(CELL, min_size=WIDTH, max_size=WIDTH),
    st.just([]),  # a blank line
)


@st.composite
def csv_files(draw) -> tuple[str, str]:
    rows = draw(st.lists(ROW, min_size=1, max_size=12))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    lines = [",".join(_cell(kind, text) for kind, text in row) for row in rows]
    header = ",".join(f"h{i}" for i in range(WIDTH))
    body = newline.join([header, *lines])
    if draw(st.booleans()):
        body += newline
    # quoted newlines take the file's line end, as an exporter writes them
    return body.replace("\r\n", "\n").replace("\n", newline), newline


def _exact(text: str) -> tuple[list[list[str | None]], list[int]] | None:
    rows, _ = csv_records(text, ",")
    if any(len(r) not in (0, WIDTH) for r in rows[1:]):
        return None  # ragged: the fast path declines those, checked elsewhere
    table, lines = _python_body(text, ",", 0, WIDTH)
    kept = [i for i, r in enumerate(rows[1:]) if r]
    cells = [list(r.values()) for r in table.to_pylist()]
    return [cells[i] for i in kept], [lines.to_pylist()[i] for i in kept]


@settings(max_examples=400, deadline=None)
@given(csv_files())
def test_fast_path_gives_the_cells_and_lines_of_the_exact_path(generated):
    text, _ = generated
    exact = _exact(text)
    fast = _fast_body(text.encode("utf-8"), ",", 2, WIDTH)
    if fast is None or exact is None:
        return
    table, lines = fast
    assert [list(r.values()) for r in table.to_pylist()] == exact[0]
    assert lines.to_pylist() == exact[1]


def test_fast_path_takes_records_that_span_lines():
    text = 'h0,h1,h2\r\nA,"two\r\nlines",x\r\n\r\nB,"""q""",y\r\nC,plain,z\r\n'
    fast = _fast_body(text.encode("utf-8"), ",", 2, WIDTH)
    assert fast is not None
    table, lines = fast
    assert table.column("c1").to_pylist() == ["two\r\nlines", '"q"', "plain"]
    assert lines.to_pylist() == [2, 5, 6]  # A starts on line 2, line 4 is blank


def test_fast_path_declines_a_stray_quote_in_a_file_with_multi_line_records():
    text = 'h0,h1,h2\nA,"two\nlines",x\nB,ab"c,y\n'
    assert _fast_body(text.encode("utf-8"), ",", 2, WIDTH) is None


def test_fast_path_declines_a_bare_carriage_return():
    text = "h0,h1,h2\rA,b,c\r"
    assert _fast_body(text.encode("utf-8"), ",", 2, WIDTH) is None


def test_fast_path_lines_of_an_empty_body():
    table, lines = _fast_body(b"h0,h1,h2\r\n\r\n", ",", 2, WIDTH)
    assert table.num_rows == 0 and lines.type == pa.int64()
