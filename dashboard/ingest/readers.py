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
import math
from collections.abc import Callable
from dataclasses import dataclass, field
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
    notes: list[str] = field(default_factory=list)


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
    """Decode, pick the delimiter whose split yields a recognisable header row (else the
    one that splits the first rows most consistently), then split the whole file."""
    text, encoding = decode(data)
    order = list(DELIMITERS)
    if path.suffix.lower() == ".tsv":
        order.remove("\t")
        order.insert(0, "\t")
    heads = {d: csv_records(text, d, limit=10)[0] for d in order}
    chosen = next((d for d in order if header_found(heads[d])), None)
    if chosen is None:
        chosen = max(order, key=lambda d: _consistency(heads[d]))
    rows, lines = csv_records(text, chosen)
    return RawSheet(None, rows, lines, encoding=encoding, delimiter=chosen)


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
