"""CSV/TSV/TXT exports: the delimiter and the first records (for the header search), then
the records below the header as Arrow text columns with the physical line of each.

Python's ``csv`` module defines the records (quoted fields with delimiters or newlines work,
and every record keeps the physical line it starts on). pyarrow's CSV reader does the bulk
of the work whenever it is sure to give the same records (``_fast_body``).
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from dashboard.ingest.decoding import decode, utf8_payload
from dashboard.ingest.sheet import RawSheet, UnreadableFile

# Python's csv module refuses fields over 128 KiB by default; exports carry longer notes.
csv.field_size_limit(2**31 - 1)

DELIMITERS = (",", "\t", ";")
HEAD_RECORDS = 11  # the header search window (10) and the first record below it
START_BYTES = 1 << 20  # a UTF-8 file's start decoded for the header search


def csv_records(text: str, delimiter: str, limit: int | None = None) -> tuple[list, list]:
    """Records and the 1-based physical line each starts on (blank lines included)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    rows: list[list[str]] = []
    lines: list[int] = []
    append_row, append_line = rows.append, lines.append
    previous = 0
    try:
        for record in reader:
            append_line(previous + 1)
            previous = reader.line_num
            append_row(record)
            if limit is not None and len(rows) >= limit:
                break
    except csv.Error as exc:
        raise UnreadableFile(f"cannot split line {previous + 1} into fields: {exc}") from exc
    return rows, lines


def head_records(text: str, delimiter: str, limit: int) -> tuple[list, list]:
    """``csv_records(text, delimiter, limit)``, splitting only the start of the text: the
    csv module copies all the text it is given, ~0.25 s per candidate delimiter for a
    200 MB export. One record more than needed is read, so the last one kept is whole."""
    size = 1 << 16
    while True:
        whole = size >= len(text)
        try:
            rows, lines = csv_records(text if whole else text[:size], delimiter, limit + 1)
        except UnreadableFile:
            if whole:
                raise
            rows, lines = [], []  # cut inside a quoted field: read more
        if whole or len(rows) > limit:
            return rows[:limit], lines[:limit]
        size *= 8


def _consistency(rows: list[list[str]]) -> tuple[int, int]:
    """How well a delimiter splits the first records: (rows with the usual width, width)."""
    widths = [len(r) for r in rows if any(c.strip() for c in r)]
    if not widths:
        return (0, 0)
    common = max(set(widths), key=lambda w: (widths.count(w), w))
    return (widths.count(common) if common > 1 else 0, common)


def _start_records(start: str, delimiter: str) -> tuple[list, list] | None:
    """The first HEAD_RECORDS records from the start of a file (whole lines, but the last
    record may continue past it): None unless one more record follows them in ``start``,
    i.e. unless the ones kept are surely complete."""
    try:
        rows, lines = csv_records(start, delimiter, HEAD_RECORDS + 1)
    except UnreadableFile:
        return None
    if len(rows) <= HEAD_RECORDS:
        return None
    return rows[:HEAD_RECORDS], lines[:HEAD_RECORDS]


def _heads(
    data: bytes, path: Path, order: list[str]
) -> tuple[dict[str, tuple[list, list]], str, bytes | None, str | None]:
    """First records per delimiter, the encoding, and the UTF-8 bytes (or else the text)."""
    payload = utf8_payload(data)
    if payload is not None:
        encoding = "utf-8-sig" if data.startswith(codecs.BOM_UTF8) else "utf-8"
        cut = payload.rfind(b"\n", 0, START_BYTES) if len(payload) > START_BYTES else -1
        if cut >= 0:
            start = payload[: cut + 1].decode("utf-8")
            heads = {d: _start_records(start, d) for d in order}
            if all(h is not None for h in heads.values()):
                return heads, encoding, payload, None  # type: ignore[return-value]
        text = payload.decode("utf-8")
        return {d: head_records(text, d, HEAD_RECORDS) for d in order}, encoding, payload, None
    text, encoding = decode(data)
    return {d: head_records(text, d, HEAD_RECORDS) for d in order}, encoding, None, text


def read_csv(path: Path, data: bytes, header_found: Callable[[list[list[Any]]], bool]) -> RawSheet:
    """Decode and pick the delimiter whose split yields a recognisable header row (else the
    one that splits the first rows most consistently). Only the first records are split
    here (for header detection); ``csv_body`` splits the rest once the header is known."""
    order = list(DELIMITERS)
    if path.suffix.lower() == ".tsv":
        order.remove("\t")
        order.insert(0, "\t")
    heads, encoding, payload, text = _heads(data, path, order)
    chosen = next((d for d in order if header_found(heads[d][0])), None)
    if chosen is None:
        chosen = max(order, key=lambda d: _consistency(heads[d][0]))
    rows, lines = heads[chosen]
    return RawSheet(None, rows, lines, encoding=encoding, delimiter=chosen, text=text, data=payload)


def csv_body(sheet: RawSheet, header_index: int, width: int) -> tuple[pa.Table, pa.Array]:
    """The records below the header row: a table of text columns c0.. (at least ``width``)
    and the physical line each record starts on.

    Fast path: pyarrow's multithreaded CSV reader, used when every record has exactly
    ``width`` fields and the line each starts on is known for sure: no record spans lines
    (then the records are exactly the non-empty physical lines), or every quote in the file
    is where a well-formed CSV has them (then a newline ends a record exactly when an even
    number of quotes precedes it). Anything else - ragged rows, stray quotes, old Mac line
    ends - takes the exact Python ``csv`` path.
    """
    assert sheet.delimiter is not None and (sheet.text is not None or sheet.data is not None)
    if header_index + 1 < len(sheet.lines):
        first_line = sheet.lines[header_index + 1]
    else:  # nothing (or only blank lines) below the header within the head records
        first_line = sheet.lines[header_index] + 1 if sheet.lines else 1
    data = sheet.data if sheet.data is not None else sheet.text.encode("utf-8")  # type: ignore[union-attr]
    fast = _fast_body(data, sheet.delimiter, first_line, width)
    if fast is not None:
        return fast
    text = sheet.text if sheet.text is not None else data.decode("utf-8")
    return _python_body(text, sheet.delimiter, header_index, width)


def _line_offset(data: bytes, line: int) -> int | None:
    """Byte offset where 1-based ``line`` starts ('\n' line ends)."""
    offset = 0
    for _ in range(line - 1):
        found = data.find(b"\n", offset)
        if found < 0:
            return None
        offset = found + 1
    return offset


def _fast_body(data: bytes, delimiter: str, first_line: int, width: int):
    import pyarrow.csv as pacsv

    carriage_returns = data.count(b"\r")
    if carriage_returns and carriage_returns != data.count(b"\r\n"):
        return None  # a bare CR ends a line for Python's csv, not for these line numbers
    offset = _line_offset(data, first_line)
    offset = len(data) if offset is None else offset
    body = pa.py_buffer(data)[offset:]
    names = [f"c{i}" for i in range(width)]
    newline_count = data.count(b"\n", offset)
    if len(data) - offset == newline_count + data.count(b"\r", offset):  # only line ends
        empty = pa.table({n: pa.array([], pa.string()) for n in names})
        return empty, pa.array([], pa.int64())
    ragged: list[bool] = []

    def on_invalid_row(row) -> str:
        ragged.append(True)
        return "skip"

    try:
        table = pacsv.read_csv(
            body,
            read_options=pacsv.ReadOptions(column_names=names),
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter,
                newlines_in_values=True,
                ignore_empty_lines=True,
                invalid_row_handler=on_invalid_row,
            ),
            convert_options=pacsv.ConvertOptions(
                column_types={n: pa.string() for n in names},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, ValueError):  # also: not UTF-8 after all
        return None
    if ragged:
        return None
    # Usually every line below the header is one record: then the line numbers follow from
    # counting, without a scan of the bytes for their positions.
    blank = data.startswith((b"\n", b"\r\n"), offset) or any(
        data.find(gap, offset) >= 0 for gap in (b"\n\n", b"\n\r\n")
    )
    if not blank and newline_count + (not data.endswith(b"\n")) == table.num_rows:
        lines = np.arange(table.num_rows, dtype=np.int64)
        return table, pa.array(lines + first_line, pa.int64())
    raw = np.frombuffer(body, dtype=np.uint8)
    newlines = np.flatnonzero(raw == 10)
    lines = _record_lines(raw, newlines, np.ones(newlines.size, dtype=bool))
    if len(lines) != table.num_rows:  # a record spans lines
        ends = _quoted_newlines(raw, newlines, ord(delimiter))
        if ends is None:
            return None
        lines = _record_lines(raw, newlines, ends)
        if len(lines) != table.num_rows:
            return None
    return table, pa.array(lines + first_line, pa.int64())


def _record_lines(raw: np.ndarray, newlines: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """0-based line (from the start of ``raw``) of each non-empty record, the records being
    what lies between the newlines flagged in ``ends`` (an empty one, or a lone CR of a CRLF
    line end, is an empty line: skipped, as the parser skips it)."""
    boundaries = np.flatnonzero(ends)
    starts = np.concatenate(([0], newlines[boundaries] + 1))
    stops = np.concatenate((newlines[boundaries], [raw.size]))
    start_lines = np.concatenate(([0], boundaries + 1))
    length = stops - starts
    last = raw[np.maximum(stops - 1, 0)]
    filled = (length > 1) | ((length == 1) & (last != 13))
    return start_lines[filled]


def _quoted_newlines(raw: np.ndarray, newlines: np.ndarray, delimiter: int) -> np.ndarray | None:
    """Which newlines end a record (True) rather than sit inside a quoted value, or None
    unless every quote is one a well-formed CSV can hold: one that opens a value (after a
    delimiter, a line start or a quote of an escaped pair) or one that closes it (before a
    delimiter, a line end or the quote of an escaped pair). Then, and only then, quotes
    alternate between opening and closing, and the count before a newline tells."""
    quotes = np.flatnonzero(raw == 34)
    if not quotes.size:
        return None
    previous = np.where(quotes > 0, raw[np.maximum(quotes - 1, 0)], 10)
    following = np.where(quotes + 1 < raw.size, raw[np.minimum(quotes + 1, raw.size - 1)], 10)
    opening = np.arange(quotes.size) % 2 == 0
    after_quote = np.concatenate(([False], quotes[1:] == quotes[:-1] + 1))
    before_quote = np.concatenate((quotes[:-1] + 1 == quotes[1:], [False]))
    opens_well = (previous == delimiter) | (previous == 10) | after_quote
    closes_well = (following == delimiter) | (following == 10) | (following == 13) | before_quote
    if not np.all(np.where(opening, opens_well, closes_well)):
        return None
    if quotes.size % 2:
        return None  # a value still open at the end
    return np.searchsorted(quotes, newlines) % 2 == 0


def _python_body(text: str, delimiter: str, header_index: int, width: int):
    rows, lines = csv_records(text, delimiter)
    body, lines = rows[header_index + 1 :], lines[header_index + 1 :]
    return text_table(body, width, delimiter), pa.array(lines, pa.int64())


def text_table(body: list[list[str]], width: int, joiner: str = ",") -> pa.Table:
    """Rows of text cells as columns c0..; short rows padded with NULL. Cells beyond
    ``width`` are folded into ONE extra column (joined by ``joiner``) when any holds a
    value, and dropped when all are empty: a row with 50,000 stray delimiters must not
    make a table of 50,000 columns (the loader rejects such rows, raw text kept)."""
    folded = False
    for index, row in enumerate(body):
        if len(row) > width:
            surplus = row[width:]
            if any(cell not in (None, "") for cell in surplus):
                body[index] = [
                    *row[:width],
                    joiner.join("" if c is None else str(c) for c in surplus),
                ]
                folded = True
            else:
                body[index] = row[:width]
    width = width + 1 if folded else width
    columns = list(itertools.zip_longest(*body, fillvalue=None)) if body else []
    arrays = {}
    for i in range(width):
        cells = columns[i] if i < len(columns) else [None] * len(body)
        arrays[f"c{i}"] = pa.array(cells, type=pa.string())
    return pa.table(arrays)
