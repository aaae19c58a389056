"""Reading export files into rows of cells, exactly as the file holds them.

* CSV/TSV/TXT: bytes are decoded in Python (BOM, then strict UTF-8, then strict GB18030 -
  a superset of GBK - then charset-normalizer as a last resort; a detector alone misreads
  mostly-ASCII GB18030 as cp1250) and split by Python's ``csv`` module, so quoted fields
  with delimiters or newlines work and every record keeps the physical line it starts on.
  Two exports pasted together (UTF-8 lines, then GBK lines, or the reverse) are decoded
  line by line instead of turning one half into mojibake; binary files (images, NUL-padded
  dumps) are refused; a stray NUL is dropped.
* The format comes from the content, not the name: workbook bytes named .csv read as a
  workbook, CSV text named .xlsx as CSV; images, PDFs and old .xls files get a message
  saying what they are. XLSX zips are checked before inflating (zip-bomb guard).
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

# Python's csv module refuses fields over 128 KiB by default; exports carry longer notes.
csv.field_size_limit(2**31 - 1)

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


# Signatures of files people hand over by mistake (first bytes -> what it is).
OTHER_FORMATS = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF", "a PDF document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Excel .xls workbook"),
)
FORMAT_HINTS = {"an old Excel .xls workbook": "; open it in Excel and save it as .xlsx or CSV"}


def file_format(path: Path, head: bytes) -> str:
    """'xlsx', 'parquet' or 'csv', by content (an xlsx renamed .csv still reads, and CSV
    text named .xlsx reads as CSV); raises ``UnreadableFile`` for a file that is known
    to be something else (an image, a PDF, an old .xls ...) or not what its name says."""
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"PAR1"):
        return "parquet"
    for magic, what in OTHER_FORMATS:
        if head.startswith(magic):
            hint = FORMAT_HINTS.get(what, "")
            raise UnreadableFile(f"this is {what}, not an export (CSV, XLSX or Parquet){hint}")
    suffix = path.suffix.lower()
    if suffix in PARQUET_SUFFIXES:
        raise UnreadableFile("not a Parquet file (it does not start like one; damaged or renamed?)")
    return "csv"  # also for a non-zip .xlsx: some systems write CSV text under that name


# --------------------------------------------------------------------------- CSV


# Bytes that do not occur in text exports (all C0 controls but tab, LF, FF, CR and ESC).
CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27))
BINARY_SAMPLE = 65536
BINARY_SHARE = 0.01  # text with a stray NUL still loads; images and random bytes do not


def looks_binary(data: bytes) -> bool:
    sample = data[:BINARY_SAMPLE]
    controls = len(sample) - len(sample.translate(None, CONTROL_BYTES))
    return controls > max(2, len(sample) * BINARY_SHARE)


def decode(data: bytes) -> tuple[str, str]:
    """Text and the encoding used; a stray NUL (a few exporters leave one) is dropped, it
    means nothing in text and breaks Excel downloads later."""
    text, encoding = _decode(data)
    if "\x00" in text:
        text = text.replace("\x00", "")
    return text, encoding


def _decode(data: bytes) -> tuple[str, str]:
    """Text and the encoding used. Order matters, see the module docstring."""
    if data.startswith(codecs.BOM_UTF8):
        text = data[len(codecs.BOM_UTF8) :]
        try:
            return text.decode("utf-8", errors="strict"), "utf-8-sig"
        except UnicodeDecodeError:
            return _mixed_lines(text, "utf-8-sig")
    for bom, enc in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(enc), "utf-16"
            except UnicodeDecodeError as exc:
                raise UnreadableFile(f"cannot decode as UTF-16 ({exc.reason})") from exc
    if looks_binary(data):
        raise UnreadableFile("not a text export (it contains binary data)")
    try:
        return data.decode("utf-8", errors="strict"), "utf-8"
    except UnicodeDecodeError as exc:
        first_error = exc.start
    if _utf8_evidence(data[: data.rfind(b"\n", 0, first_error) + 1]):
        return _mixed_lines(data, "utf-8")
    try:
        text = data.decode("gb18030", errors="strict")
    except UnicodeDecodeError:
        text = None
    if text is not None:
        if _utf8_evidence(_utf8_tail(data)):  # GBK lines, then UTF-8 lines appended
            return _mixed_lines(data, "utf-8")
        return text, "gb18030"
    from charset_normalizer import from_bytes  # last resort only (slow, and can misread)

    best = from_bytes(data).best()
    if best is None:
        raise UnreadableFile(
            "cannot decode the text (tried UTF-8, UTF-8 with BOM, GB18030/GBK and detection); "
            "save it as UTF-8 or GBK"
        )
    return str(best), best.encoding


WIDE_LEADS = bytes(range(0xE0, 0xF5))  # UTF-8 lead bytes of 3- and 4-byte characters


def _utf8_evidence(chunk: bytes) -> bool:
    """Whether ``chunk`` (valid UTF-8) holds real UTF-8 text: at least two characters of
    three or more bytes (CJK, emoji). GBK bytes form a valid 2-byte UTF-8 sequence now
    and then, a run of 3-byte ones hardly ever."""
    if chunk.isascii():
        return False
    return len(chunk) - len(chunk.translate(None, WIDE_LEADS)) >= 2


def _utf8_tail(data: bytes) -> bytes:
    """The lines at the end of ``data`` that are valid UTF-8 (walking back from the end
    and stopping at the first non-ASCII line that is not): O(1) lines for a GBK file."""
    end = len(data)
    start = end
    while start > 0:
        line_start = data.rfind(b"\n", 0, start - 1) + 1
        line = data[line_start:start]
        if not line.isascii():
            try:
                line.decode("utf-8", errors="strict")
            except UnicodeDecodeError:
                break
        start = line_start
    return data[start:end]


def _mixed_lines(data: bytes, encoding: str) -> tuple[str, str]:
    """A file with UTF-8 lines and lines in another encoding (two exports pasted together):
    each line is decoded on its own, UTF-8 when it is valid UTF-8, else GB18030. Rare, so a
    Python loop is fine here."""
    lines = data.split(b"\n")
    decoded = []
    for number, line in enumerate(lines, start=1):
        try:
            decoded.append(line.decode("utf-8", errors="strict"))
            continue
        except UnicodeDecodeError:
            pass
        try:
            decoded.append(line.decode("gb18030", errors="strict"))
        except UnicodeDecodeError as exc:
            raise UnreadableFile(
                f"cannot decode line {number}: it is neither UTF-8 nor GBK/GB18030 "
                f"(byte {exc.start + 1} of the line); save the file as UTF-8 or GBK"
            ) from exc
    return "\n".join(decoded), f"{encoding}+gb18030 (mixed lines)"


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


def read_csv(path: Path, data: bytes, header_found: Callable[[list[list[Any]]], bool]) -> RawSheet:
    """Decode and pick the delimiter whose split yields a recognisable header row (else the
    one that splits the first rows most consistently). Only the first records are split
    here (for header detection); ``csv_body`` splits the rest once the header is known."""
    text, encoding = decode(data)
    order = list(DELIMITERS)
    if path.suffix.lower() == ".tsv":
        order.remove("\t")
        order.insert(0, "\t")
    heads = {d: head_records(text, d, HEAD_RECORDS) for d in order}
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


# --------------------------------------------------------------------------- XLSX


# Zip-bomb guard: a workbook's parts are inflated in memory by the reader, so the sizes
# the zip directory declares are checked first. Real sheet XML compresses about 10-20x;
# 100x+ on a big part means a crafted file. 1 GiB of XML is far beyond what fits in RAM
# once parsed into cells.
MAX_XLSX_UNCOMPRESSED = 1 << 30
MAX_XLSX_RATIO = 100
RATIO_CHECK_FROM = 16 << 20  # parts smaller than this are never a problem
MAX_XLSX_PARTS = 10_000


def check_workbook_archive(path: Path) -> None:
    """Refuse a zip that is not a workbook, or whose parts would inflate too far."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UnreadableFile(f"cannot open the workbook: damaged or incomplete ({exc})") from exc
    names = {p.filename for p in parts}
    if "xl/workbook.xml" not in names and "xl/workbook.bin" not in names:
        raise UnreadableFile("a zip archive, but not an Excel workbook (no xl/workbook.xml)")
    if len(parts) > MAX_XLSX_PARTS:
        raise UnreadableFile(f"refused: the workbook has {len(parts):,} parts (a zip bomb?)")
    total = sum(p.file_size for p in parts)
    if total > MAX_XLSX_UNCOMPRESSED:
        raise UnreadableFile(
            f"refused: the workbook would expand to {total / 2**20:,.0f} MiB uncompressed "
            f"(limit {MAX_XLSX_UNCOMPRESSED >> 20:,} MiB); export it as CSV instead"
        )
    for part in parts:
        ratio = part.file_size / max(part.compress_size, 1)
        if part.file_size >= RATIO_CHECK_FROM and ratio > MAX_XLSX_RATIO:
            raise UnreadableFile(
                f"refused: {part.filename} is compressed {ratio:,.0f}:1 "
                f"({part.file_size / 2**20:,.0f} MiB uncompressed; a zip bomb?); "
                "export the data as CSV instead"
            )


def read_xlsx(path: Path) -> list[RawSheet]:
    from python_calamine import CalamineWorkbook

    check_workbook_archive(path)
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
