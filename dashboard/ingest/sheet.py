"""What a reader hands on: one table of an export, and the error for a file that cannot be
read (kept apart so the format modules and ``readers`` share them without import cycles)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pyarrow as pa


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
    delimiter: str | None = None  # CSV only; ``rows`` then hold the first records only
    text: str | None = None  # CSV not in UTF-8: the decoded text
    data: bytes | None = None  # CSV in UTF-8: the file's bytes (no BOM, no NUL), not decoded
