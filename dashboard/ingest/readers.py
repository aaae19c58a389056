"""Reading export files into rows of cells, exactly as the file holds them.

* CSV/TSV/TXT: bytes are decoded in Python (BOM, then strict UTF-8, then strict GB18030 -
  a superset of GBK - then charset-normalizer as a last resort; a detector alone misreads
  mostly-ASCII GB18030 as cp1250) and split by Python's ``csv`` module, so quoted fields
  with delimiters or newlines work and every record keeps the physical line it starts on.
* XLSX/XLSM: every worksheet via python-calamine, typed cells (dates stay dates), with
  leading empty rows kept so row numbers are the sheet's own.
* Parquet: pyarrow; the column names are the header, row numbers count data rows from 1.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa

CSV_SUFFIXES = {".csv", ".tsv", ".txt"}
XLSX_SUFFIXES = {".xlsx", ".xlsm"}
PARQUET_SUFFIXES = {".parquet"}
SUPPORTED_SUFFIXES = CSV_SUFFIXES | XLSX_SUFFIXES | PARQUET_SUFFIXES
DELIMITERS = (",", "\t", ";")
DELIMITER_NAMES = {",": "comma", "\t": "tab", ";": "semicolon"}


class UnreadableFile(Exception):
    """The file cannot be read or decoded; the message says why, for a person."""


@dataclass
class RawSheet:
    """One table of an export: a CSV file, one XLSX sheet, or a Parquet file."""

    sheet: str | None
    rows: list[list[Any]]  # records as read (CSV: str; XLSX: typed cells)
    lines: list[int]  # 1-based physical line (CSV) or sheet row (XLSX) of each record
    arrow: pa.Table | None = None  # Parquet: the data; ``rows`` is then just [header]
    encoding: str | None = None
    delimiter: str | None = None
    text: str | None = None  # CSV: the decoded text (rows then hold the first records only)


def file_format(path: Path, head: bytes) -> str:
    """'xlsx', 'parquet' or 'csv': by content first (an xlsx renamed .csv still reads)."""
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"PAR1"):
        return "parquet"
    suffix = path.suffix.lower()
    if suffix in XLSX_SUFFIXES:
        return "xlsx"
    if suffix in PARQUET_SUFFIXES:
        return "parquet"
    return "csv"


# --------------------------------------------------------------------------- CSV


def decode(data: bytes) -> tuple[str, str]:
    """Text and the encoding used. Order matters, see the module docstring."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="strict"), "utf-8-sig"
    for bom, enc in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(enc), "utf-16"
            except UnicodeDecodeError as exc:
                raise UnreadableFile(f"cannot decode as UTF-16 ({exc.reason})") from exc
    if b"\x00" in data[:65536]:
        raise UnreadableFile("not a text export (it contains binary data)")
    for enc in ("utf-8", "gb18030"):
        try:
            return data.decode(enc, errors="strict"), enc
        except UnicodeDecodeError:
            continue
    from charset_normalizer import from_bytes  # last resort only (slow, and can misread)

    best = from_bytes(data).best()
    if best is None:
        raise UnreadableFile(
            "cannot decode the text (tried UTF-8, UTF-8 with BOM, GB18030/GBK and detection); "
            "save it as UTF-8 or GBK"
        )
    return str(best), best.encoding


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


def _consistency(rows: list[list[str]]) -> tuple[int, int]:
    """How well a delimiter splits the first records: (rows with the usual width, width)."""
    widths = [len(r) for r in rows if any(c.strip() for c in r)]
    if not widths:
        return (0, 0)
    common = max(set(widths), key=lambda w: (widths.count(w), w))
    return (widths.count(common) if common > 1 else 0, common)


def read_csv(path: Path, data: bytes, header_found: Callable[[list[list[Any]]], bool]) -> RawSheet:
    """Decode and pick the delimiter whose split yields a recognisable header row (else the
    one that splits the first rows most consistently). Only the first records are split
    here (for header detection); ``csv_body`` splits the rest once the header is known."""
    text, encoding = decode(data)
    order = list(DELIMITERS)
    if path.suffix.lower() == ".tsv":
        order.remove("\t")
        order.insert(0, "\t")
    heads = {d: csv_records(text, d, limit=HEAD_RECORDS) for d in order}
    chosen = next((d for d in order if header_found(heads[d][0])), None)
    if chosen is None:
        chosen = max(order, key=lambda d: _consistency(heads[d][0]))
    rows, lines = heads[chosen]
    return RawSheet(None, rows, lines, encoding=encoding, delimiter=chosen, text=text)


HEAD_RECORDS = 11  # the header search window (10) and the first record below it


def csv_body(sheet: RawSheet, header_index: int, width: int) -> tuple[pa.Table, pa.Array]:
    """The records below the header row: a table of text columns c0.. (at least ``width``)
    and the physical line each record starts on.

    Fast path: pyarrow's multithreaded CSV reader, used when every record has exactly
    ``width`` fields and none spans several lines (then the records are exactly the
    non-empty physical lines, which numpy finds). Anything else - ragged rows, quoted
    newlines, old Mac line ends - takes the exact Python ``csv`` path.
    """
    assert sheet.text is not None and sheet.delimiter is not None
    if header_index + 1 < len(sheet.lines):
        first_line = sheet.lines[header_index + 1]
    else:  # nothing (or only blank lines) below the header within the head records
        first_line = sheet.lines[header_index] + 1 if sheet.lines else 1
    fast = _fast_body(sheet.text, sheet.delimiter, first_line, width)
    if fast is not None:
        return fast
    return _python_body(sheet.text, sheet.delimiter, header_index, width)


def _line_offset(text: str, line: int) -> int | None:
    """Character offset where 1-based ``line`` starts ('\n' line ends only)."""
    offset = 0
    for _ in range(line - 1):
        found = text.find("\n", offset)
        if found < 0:
            return None
        offset = found + 1
    return offset


def _fast_body(text: str, delimiter: str, first_line: int, width: int):
    import numpy as np
    import pyarrow.csv as pacsv

    if "\r" in text:
        text = text.replace("\r\n", "\n")
        if "\r" in text:
            return None
    offset = _line_offset(text, first_line)
    body = b"" if offset is None else text[offset:].encode("utf-8")
    names = [f"c{i}" for i in range(width)]
    if not body.strip(b"\n"):
        empty = pa.table({n: pa.array([], pa.string()) for n in names})
        return empty, pa.array([], pa.int64())
    ragged: list[bool] = []

    def on_invalid_row(row) -> str:
        ragged.append(True)
        return "skip"

    try:
        table = pacsv.read_csv(
            pa.py_buffer(body),
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
    except (pa.ArrowInvalid, ValueError):
        return None
    if ragged:
        return None
    raw = np.frombuffer(body, dtype=np.uint8)
    newlines = np.flatnonzero(raw == 10)
    starts = np.concatenate(([0], newlines + 1))
    ends = np.concatenate((newlines, [len(raw)]))
    filled = np.flatnonzero(ends > starts)  # non-empty physical lines
    if len(filled) != table.num_rows:  # a record spans lines: line numbers need csv
        return None
    return table, pa.array(filled + first_line, pa.int64())


def _python_body(text: str, delimiter: str, header_index: int, width: int):
    rows, lines = csv_records(text, delimiter)
    body, lines = rows[header_index + 1 :], lines[header_index + 1 :]
    return text_table(body, width), pa.array(lines, pa.int64())


def text_table(body: list[list[str]], width: int) -> pa.Table:
    """Rows of text cells as columns c0..; short rows padded with NULL, long rows widen."""
    width = max([width, *map(len, body)]) if body else width
    columns = list(itertools.zip_longest(*body, fillvalue=None)) if body else []
    arrays = {}
    for i in range(width):
        cells = columns[i] if i < len(columns) else [None] * len(body)
        arrays[f"c{i}"] = pa.array(cells, type=pa.string())
    return pa.table(arrays)


# --------------------------------------------------------------------------- XLSX


def read_xlsx(path: Path) -> list[RawSheet]:
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types
        raise UnreadableFile(f"cannot open the workbook ({exc})") from exc
    sheets = []
    try:
        for meta in workbook.sheets_metadata:
            if "WorkSheet" not in str(meta.typ):  # chart sheets hold no rows
                continue
            cells = workbook.get_sheet_by_name(meta.name).to_python(skip_empty_area=False)
            rows = [list(r) for r in cells]
            sheets.append(RawSheet(meta.name, rows, list(range(1, len(rows) + 1))))
    except Exception as exc:
        raise UnreadableFile(f"cannot read the workbook ({exc})") from exc
    finally:
        workbook.close()
    return sheets


# --------------------------------------------------------------------------- Parquet


def read_parquet(path: Path) -> RawSheet:
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path)
    except Exception as exc:
        raise UnreadableFile(f"cannot read the Parquet file ({exc})") from exc
    return RawSheet(None, [list(table.column_names)], [0], arrow=table)


def read_sheets(path: Path, header_found: Callable[[list[list[Any]]], bool]) -> list[RawSheet]:
    """All tables of an export file (one, or one per XLSX sheet)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableFile(f"cannot read the file ({exc.strerror or exc})") from exc
    kind = file_format(path, data[:8])
    if kind == "xlsx":
        return read_xlsx(path)
    if kind == "parquet":
        return [read_parquet(path)]
    if not data.strip():
        raise UnreadableFile("the file is empty")
    return [read_csv(path, data, header_found)]


# --------------------------------------------------------------------------- cells


def cell_text(value: Any) -> str:
    """A typed cell (XLSX/Parquet) as the text a CSV export would have held."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        if value.is_integer() and abs(value) < 1e15:  # Excel stores 1001 as 1001.0
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M:%S")
    return str(value)


EXCEL_EPOCH = dt.datetime(1899, 12, 30)


def date_cell_text(value: Any) -> str:
    """Like ``cell_text`` for a date/timestamp column: a number there is an Excel serial
    date (a date cell that lost its format), e.g. 46086.5 -> 2026-03-05 12:00:00."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        if isinstance(value, float) and math.isnan(value):
            return ""
        if 1 <= value < 2958466:  # 1900-01-01 .. 9999-12-31
            moment = EXCEL_EPOCH + dt.timedelta(seconds=round(float(value) * 86400))
            return moment.strftime("%Y-%m-%d %H:%M:%S")
    return cell_text(value)
