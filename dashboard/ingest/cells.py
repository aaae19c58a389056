"""Typed cells (XLSX, Parquet) as the text a CSV export would have held."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any


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
        # isoformat writes the same text ~3x faster (a 300k-row survey sheet: ~0.2 s less);
        # it pads years below 1000 and appends a zone, so those take strftime
        if value.tzinfo is None and value.year >= 1000:
            return value.isoformat(" ", "seconds")
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        if value.year >= 1000:
            return value.isoformat()
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
