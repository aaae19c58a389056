"""Reading export files into tables of cells, exactly as the file holds them.

* The format comes from the content, not the name: workbook bytes named .csv read as a
  workbook, CSV text named .xlsx as CSV; images, PDFs and old .xls files get a message
  saying what they are. XLSX zips are checked before inflating (zip-bomb guard).
* CSV/TSV/TXT: ``dashboard.ingest.decoding`` (encodings) and ``dashboard.ingest.csv_text``
  (delimiter, first records, then the body as Arrow columns with line numbers).
* XLSX/XLSM: every worksheet via python-calamine, typed cells (dates stay dates), with
  leading empty rows kept so row numbers are the sheet's own.
* Parquet: pyarrow; the column names are the header, row numbers count data rows from 1.

The names other modules and tests use from here (``RawSheet``, ``decode``, ``cell_text``,
...) are re-exported below, where they live now.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from dashboard.ingest.csv_text import csv_records, head_records, read_csv
from dashboard.ingest.decoding import decode
from dashboard.ingest.sheet import RawSheet, UnreadableFile

# Used from here by the importer and the tests (they live in the modules above).
__all__ = [
    "SUPPORTED_SUFFIXES",
    "RawSheet",
    "UnreadableFile",
    "check_workbook_archive",
    "csv_records",
    "decode",
    "file_format",
    "head_records",
    "read_sheets",
]

CSV_SUFFIXES = {".csv", ".tsv", ".txt"}
XLSX_SUFFIXES = {".xlsx", ".xlsm"}
PARQUET_SUFFIXES = {".parquet"}
SUPPORTED_SUFFIXES = CSV_SUFFIXES | XLSX_SUFFIXES | PARQUET_SUFFIXES


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
